#include "http/request_log.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace rollcall::http {
namespace {

std::string IdOrDash(const std::optional<std::int64_t>& id) {
    return id ? std::to_string(*id) : "-";
}

}  // namespace

std::string_view PathOf(std::string_view target) {
    return target.substr(0, target.find_first_of("?#"));
}

std::string FormatRequestLine(const RequestLogLine& line) {
    const double ms = std::chrono::duration<double, std::milli>(line.took).count();
    return fmt::format("{} {} {} school={} device={} from={} {:.1f} ms",
                       line.method,
                       line.path,
                       line.status,
                       IdOrDash(line.school_id),
                       IdOrDash(line.device_id),
                       line.remote.empty() ? "-" : line.remote,
                       ms);
}

void LogRequest(const RequestLogLine& line) {
    const auto level = line.status >= 500                         ? spdlog::level::err
                       : line.status == 401 || line.status == 403 ? spdlog::level::warn
                                                                  : spdlog::level::info;
    if (!spdlog::should_log(level)) {
        return;  // a server at warn pays nothing for the lines it does not write
    }
    spdlog::log(level, "{}", FormatRequestLine(line));
}

}  // namespace rollcall::http
