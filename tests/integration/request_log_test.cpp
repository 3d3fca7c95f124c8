// The server's log as the school's IT person reads it: one line per request, with who and how long, and the
// failures someone must act on (a wrong password, a gate reader with an old token) as warnings.

#include "support/http_client.hpp"
#include "support/test_server.hpp"

#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <spdlog/sinks/ringbuffer_sink.h>
#include <spdlog/spdlog.h>

namespace rollcall::test {
namespace {

/// Replaces the default logger with one that keeps its formatted lines ("warn POST ..."), at info, for the
/// test's lifetime. The server logs through the default logger, so this is the log it would write.
class CapturedLog {
public:
    CapturedLog()
        : previous_(spdlog::default_logger()), sink_(std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(256)) {
        sink_->set_pattern("%l %v");
        auto logger = std::make_shared<spdlog::logger>("captured", sink_);
        logger->set_level(spdlog::level::info);
        spdlog::set_default_logger(logger);
    }
    ~CapturedLog() { spdlog::set_default_logger(previous_); }
    CapturedLog(const CapturedLog&) = delete;
    CapturedLog& operator=(const CapturedLog&) = delete;

    /// The lines that contain `text`.
    std::vector<std::string> Lines(const std::string& text) const {
        std::vector<std::string> found;
        for (auto& line : sink_->last_formatted()) {
            while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) {
                line.pop_back();  // the formatted line ends with its end-of-line
            }
            if (line.find(text) != std::string::npos) {
                found.push_back(line);
            }
        }
        return found;
    }

private:
    std::shared_ptr<spdlog::logger> previous_;
    std::shared_ptr<spdlog::sinks::ringbuffer_sink_mt> sink_;
};

TEST(RequestLog, AGateReaderPushingIsOneInfoLineWithItsSchoolAndDevice) {
    TestServer server;
    const auto school = MakeSchool(server);
    CapturedLog log;
    HttpClient http(server.port());
    const auto r = http.Post("/api/v1/biometric/push-log?note=secret-looking",
                             PushLogBody({{"1", "2026-03-10 07:55:00"}}),
                             school.device_token);
    ASSERT_EQ(r.status, 200) << r.body;
    const auto lines = log.Lines("/api/v1/biometric/push-log");
    ASSERT_EQ(lines.size(), 1U);
    const std::string expected = "info POST /api/v1/biometric/push-log 200 school=" + std::to_string(school.school_id) +
                                 " device=" + std::to_string(school.device_id) + " from=127.0.0.1 ";
    EXPECT_TRUE(lines[0].starts_with(expected)) << lines[0];
    EXPECT_TRUE(lines[0].ends_with(" ms")) << lines[0];
    EXPECT_EQ(lines[0].find("secret-looking"), std::string::npos) << "the query stays out of the log";
    EXPECT_EQ(lines[0].find(school.device_token), std::string::npos);
}

TEST(RequestLog, AGateReaderWithAnOldTokenIsAWarningAndItsAnswerSaysWhereTheTokenIs) {
    TestServer server;
    MakeSchool(server);
    CapturedLog log;
    HttpClient http(server.port());
    const auto r =
        http.Post("/api/v1/biometric/push-log", PushLogBody({{"1", "2026-03-10 07:55:00"}}), "rcd_rotated-long-ago");
    EXPECT_EQ(r.status, 401);
    EXPECT_NE(r.body.find("Edit Device"), std::string::npos) << r.body;
    EXPECT_NE(r.body.find("/devices/{id}/token"), std::string::npos) << r.body;
    const auto lines = log.Lines("POST /api/v1/biometric/push-log 401");
    ASSERT_EQ(lines.size(), 1U);
    EXPECT_TRUE(lines[0].starts_with("warning ")) << lines[0];
    EXPECT_EQ(lines[0].find("rcd_rotated-long-ago"), std::string::npos) << "a token never reaches the log";
}

TEST(RequestLog, AFailedLoginIsAWarningWithoutTheEmailOrPassword) {
    TestServer server;
    CapturedLog log;
    HttpClient http(server.port());
    const auto r = http.Post("/api/v1/auth/login",
                             boost::json::object{{"email", "head@hill.example"}, {"password", "guessed wrong"}});
    EXPECT_EQ(r.status, 401);
    const auto lines = log.Lines("POST /api/v1/auth/login 401");
    ASSERT_EQ(lines.size(), 1U);
    EXPECT_TRUE(lines[0].starts_with("warning ")) << lines[0];
    EXPECT_EQ(lines[0].find("head@hill.example"), std::string::npos);
    EXPECT_EQ(lines[0].find("guessed wrong"), std::string::npos);
}

TEST(RequestLog, AnAdminReadingTheRegisterIsLoggedWithTheSchoolAndNoDevice) {
    TestServer server;
    const auto school = MakeSchool(server);
    CapturedLog log;
    HttpClient http(server.port());
    const auto r = http.Get(SchoolPath(school, "/attendance?date=2026-03-10"), school.admin_token);
    ASSERT_EQ(r.status, 200) << r.body;
    const auto lines = log.Lines("/attendance");
    ASSERT_EQ(lines.size(), 1U);
    EXPECT_TRUE(lines[0].starts_with("info GET /api/v1/schools/" + std::to_string(school.school_id) +
                                     "/attendance 200 school=" + std::to_string(school.school_id) + " device=- "))
        << lines[0];
}

}  // namespace
}  // namespace rollcall::test
