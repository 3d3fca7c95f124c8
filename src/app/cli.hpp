#pragma once

namespace rollcall::app {

/// `rollcall` command line (product.md "Command line"): prints JSON on success, one line on stderr and a
/// non-zero exit on failure.
int RunCli(int argc, char** argv);

}  // namespace rollcall::app
