#include "app/logging.hpp"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace rollcall::app {
namespace {

/// %j: the message as the inside of a JSON string.
class JsonMessageFlag final : public spdlog::custom_flag_formatter {
public:
    void format(const spdlog::details::log_msg& msg, const std::tm& /*time*/, spdlog::memory_buf_t& dest) override {
        for (const char c : msg.payload) {
            switch (c) {
                case '"':
                    dest.append(std::string_view("\\\""));
                    break;
                case '\\':
                    dest.append(std::string_view("\\\\"));
                    break;
                case '\n':
                    dest.append(std::string_view("\\n"));
                    break;
                default:
                    if (static_cast<unsigned char>(c) < 0x20) {
                        dest.append(std::string_view("?"));
                    } else {
                        dest.push_back(c);
                    }
            }
        }
    }
    std::unique_ptr<custom_flag_formatter> clone() const override { return std::make_unique<JsonMessageFlag>(); }
};

}  // namespace

void ConfigureLogging(const std::string& level, bool json) {
    // Logs go to stderr; stdout carries only what the operator or a script reads (URL, JSON results).
    spdlog::set_default_logger(spdlog::stderr_logger_mt("rollcall"));
    spdlog::set_level(spdlog::level::from_str(level));
    auto formatter = std::make_unique<spdlog::pattern_formatter>();
    if (json) {
        formatter->add_flag<JsonMessageFlag>('j').set_pattern(
            R"({"time":"%Y-%m-%dT%H:%M:%S.%e%z","level":"%l","thread":%t,"msg":"%j"})");
    } else {
        formatter->set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %l %v");
    }
    spdlog::set_formatter(std::move(formatter));
}

}  // namespace rollcall::app
