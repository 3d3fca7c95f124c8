#pragma once

#include <string>

namespace rollcall::app {

/// Log level and format for the process: plain lines, or one JSON object per line (log.json) with the
/// message escaped so any text a client sent cannot break the line apart.
void ConfigureLogging(const std::string& level, bool json);

}  // namespace rollcall::app
