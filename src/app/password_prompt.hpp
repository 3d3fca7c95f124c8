#pragma once

#include <istream>
#include <string>

namespace rollcall::app {

/// A new password for `who`. At a terminal it is asked for twice on the terminal, without echo, and must match;
/// otherwise (a script, a pipe) it is the first line of `in`. Throws runtime_error when the two differ or there is
/// no line to read.
std::string ReadNewPassword(std::istream& in, const std::string& who);

}  // namespace rollcall::app
