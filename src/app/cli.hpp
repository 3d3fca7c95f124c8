#pragma once

namespace rollcall::app {

/// `rollcall` command line (docs/operations.md "Running the server"): prints JSON on success, one line on stderr and a
/// non-zero exit on failure.
int RunCli(int argc, char** argv);

}  // namespace rollcall::app
