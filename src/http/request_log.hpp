#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rollcall::http {

/// One line per answered request, for the school's IT person reading the server's log:
///   `POST /api/v1/biometric/push-log 200 school=1 device=3 from=10.0.0.7 4.2 ms`
/// The path never carries its query (where a terminal may put its serial or a caller a token), and never a
/// header. Info for an ordinary answer; warn for 401 and 403 (a failed login, a device with a wrong token: what
/// someone has to act on); error for 5xx.
struct RequestLogLine {
    std::string_view method;
    std::string_view path;  ///< without the query
    int status = 0;
    std::optional<std::int64_t> school_id;
    std::optional<std::int64_t> device_id;
    std::string_view remote;
    std::chrono::steady_clock::duration took{};
};

std::string FormatRequestLine(const RequestLogLine& line);
void LogRequest(const RequestLogLine& line);

/// The path of a request target, without its query or fragment.
std::string_view PathOf(std::string_view target);

}  // namespace rollcall::http
