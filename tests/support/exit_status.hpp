#pragma once

// A gtest assertion on how a child process ended.

#include "support/child_process.hpp"

#include <gtest/gtest.h>

namespace rollcall::test {

/// EXPECT_TRUE(Exited(process.Signal(SIGTERM), 0)): passes only for a normal exit with `code`, and otherwise
/// says how the process really ended ("killed by signal 6 (Aborted)"), which WEXITSTATUS alone reads as 0.
inline ::testing::AssertionResult Exited(int wait_status, int code) {
    if (ExitedWith(wait_status, code)) {
        return ::testing::AssertionSuccess();
    }
    return ::testing::AssertionFailure() << "expected exit " << code << ", got " << DescribeExit(wait_status);
}

/// The same for a finished command: its exit code, or the signal that ended it.
inline ::testing::AssertionResult Exited(const CommandResult& run, int code) {
    if (run.signal == 0 && run.exit_code == code) {
        return ::testing::AssertionSuccess();
    }
    auto failure = ::testing::AssertionFailure() << "expected exit " << code << ", got ";
    if (run.signal != 0) {
        failure << "killed by signal " << run.signal;
    } else {
        failure << "exit " << run.exit_code;
    }
    return failure << "; stderr: " << run.err;
}

}  // namespace rollcall::test
