#pragma once

// How every benchmark program ends (bench/run.sh reads its exit status): 0 when every check and goal holds, 1 on a
// MISS, 2 when the work was wrong or the bench could not run.

#include <cstdio>
#include <exception>
#include <stdexcept>

namespace rollcall::bench {

/// The work was wrong: the bench must not report a time for it.
struct WrongWork : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// A goal's verdict as the report prints it.
inline const char* Verdict(bool pass) {
    return pass ? "PASS" : "MISS";
}

/// The program's main: runs the bench (which returns 0 or 1 by its goals, or 2) and turns an exception into exit
/// status 2, its message on stderr after the program's `name`.
inline int RunBench(const char* name, int (*run)()) {
    try {
        return run();
    } catch (const WrongWork& e) {
        std::fprintf(stderr, "%s: WRONG: %s\n", name, e.what());
        return 2;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "%s: %s\n", name, e.what());
        return 2;
    }
}

}  // namespace rollcall::bench
