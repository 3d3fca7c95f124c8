// POST /api/v1/biometric/push-log over real HTTP against the real server on port 0.

#include "integration/school_test.hpp"

#include <gtest/gtest.h>

namespace rollcall::test {
namespace {

namespace json = boost::json;

json::object Punch(const json::value& user_id, const std::string& ts) {
    return json::object{{"user_id", user_id}, {"timestamp", ts}};
}
json::object Punch(const std::string& user_id, const std::string& ts) {
    return Punch(json::value(user_id), ts);
}
json::object Punch(const char* user_id, const std::string& ts) {
    return Punch(json::value(user_id), ts);
}

class PushLog : public SchoolTest {
protected:
    HttpResponse Push(const json::value& body, const std::string& token) {
        return http_.Post("/api/v1/biometric/push-log", body, token);
    }
};

TEST_F(PushLog, InsertsAndAnswersWithCounts) {
    auto r =
        Push(json::object{{"logs", json::array{Punch("1", "2026-03-12 08:05:00"), Punch("2", "2026-03-12 08:06:00")}}},
             s_.device_token);
    ASSERT_EQ(r.status, 200) << r.body;
    const auto body = r.Json().as_object();
    EXPECT_EQ(body.at("received").as_int64(), 2);
    EXPECT_EQ(body.at("inserted").as_int64(), 2);
    EXPECT_EQ(body.at("duplicates").as_int64(), 0);
    EXPECT_TRUE(body.at("rejected").as_array().empty());
}

TEST_F(PushLog, R1_SameBatchTwiceIsCountedAsDuplicates) {
    const json::object batch{
        {"logs", json::array{Punch("1", "2026-03-12 08:05:00"), Punch("1", "2026-03-12 15:00:00")}}};
    ASSERT_EQ(Push(batch, s_.device_token).status, 200);
    auto again = Push(batch, s_.device_token);
    ASSERT_EQ(again.status, 200);
    EXPECT_EQ(again.Json().at("inserted").as_int64(), 0);
    EXPECT_EQ(again.Json().at("duplicates").as_int64(), 2);
    auto logs = http_.Get(DevicePath(s_.device_id) + "/logs", s_.admin_token);
    EXPECT_EQ(logs.Json().at("items").as_array().size(), 2U);
}

TEST_F(PushLog, UserIdMayArriveAsNumber) {
    auto r = Push(json::object{{"logs", json::array{Punch(17, "2026-03-12 08:05:00")}}}, s_.device_token);
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.Json().at("inserted").as_int64(), 1);
    auto users = http_.Get(DevicePath(s_.device_id) + "/users", s_.admin_token);
    EXPECT_EQ(users.Json().at("items").as_array()[0].at("user_id").as_string(), "17");
    // The same punch as a string is the same raw key (R1).
    auto dup = Push(json::object{{"logs", json::array{Punch("17", "2026-03-12 08:05:00")}}}, s_.device_token);
    EXPECT_EQ(dup.Json().at("duplicates").as_int64(), 1);
}

TEST_F(PushLog, R3_BadRecordsAreRejectedOneByOneAndGoodOnesStored) {
    json::array logs{Punch("1", "2026-03-12 08:05:00"),
                     Punch("2", "12/03/2026 08:05"),
                     json::object{{"timestamp", "2026-03-12 08:05:00"}},
                     Punch(std::string(33, '9'), "2026-03-12 08:05:00"),
                     Punch(1.5, "2026-03-12 08:05:00"),
                     json::object{{"user_id", "3"}, {"timestamp", "2026-03-12 08:07:00"}, {"status", 999}},
                     json::value("not an object"),
                     Punch("4", "2026-03-12 08:08:00")};
    auto r = Push(json::object{{"logs", logs}}, s_.device_token);
    ASSERT_EQ(r.status, 200) << r.body;
    const auto body = r.Json().as_object();
    EXPECT_EQ(body.at("received").as_int64(), 8);
    EXPECT_EQ(body.at("inserted").as_int64(), 2);
    const auto& rejected = body.at("rejected").as_array();
    ASSERT_EQ(rejected.size(), 6U);
    EXPECT_EQ(rejected[0].at("index").as_int64(), 1);
    EXPECT_NE(std::string(rejected[0].at("reason").as_string()).find("timestamp"), std::string::npos);
    EXPECT_EQ(rejected[1].at("index").as_int64(), 2);
    EXPECT_EQ(rejected[1].at("reason").as_string(), "missing user_id");
    EXPECT_EQ(rejected[2].at("index").as_int64(), 3);
    EXPECT_NE(std::string(rejected[2].at("reason").as_string()).find("too long"), std::string::npos);
    EXPECT_EQ(rejected[3].at("index").as_int64(), 4);
    EXPECT_EQ(rejected[4].at("index").as_int64(), 5);
    EXPECT_EQ(rejected[5].at("index").as_int64(), 6);
    EXPECT_EQ(server_.app().metrics().RenderPrometheus().find("rollcall_punches_total{outcome=\"rejected\"} 6") !=
                  std::string::npos,
              true);
}

TEST_F(PushLog, MissingTokenIs401AndSaysSo) {
    auto r = http_.Request("POST", "/api/v1/biometric/push-log", R"({"logs":[]})");
    EXPECT_EQ(r.status, 401);
    EXPECT_NE(r.body.find("missing device token"), std::string::npos) << r.body;
}

TEST_F(PushLog, UnknownTokenIs401AndSaysSo) {
    auto r = Push(json::object{{"logs", json::array{}}}, "rcd_not-a-real-token");
    EXPECT_EQ(r.status, 401);
    EXPECT_NE(r.body.find("unknown device token"), std::string::npos) << r.body;
}

TEST_F(PushLog, InactiveDeviceIs403AndSaysSo) {
    PatchDevice(s_.device_id, {{"status", "inactive"}});
    auto r = Push(json::object{{"logs", json::array{Punch("1", "2026-03-12 08:05:00")}}}, s_.device_token);
    EXPECT_EQ(r.status, 403);
    EXPECT_NE(r.body.find("inactive"), std::string::npos) << r.body;
}

TEST_F(PushLog, AgentModeDeviceIs403AndSaysSo) {
    PatchDevice(s_.device_id, {{"sync_mode", "agent"}, {"ip", "192.0.2.10"}});
    auto r = Push(json::object{{"logs", json::array{}}}, s_.device_token);
    EXPECT_EQ(r.status, 403);
    EXPECT_NE(r.body.find("not push"), std::string::npos) << r.body;
}

TEST_F(PushLog, BodyThatIsNotJsonIs400) {
    auto r = http_.Request(
        "POST", "/api/v1/biometric/push-log", "{not json", {{"Authorization", "Bearer " + s_.device_token}});
    EXPECT_EQ(r.status, 400);
    EXPECT_NE(r.body.find("not valid JSON"), std::string::npos);
}

TEST_F(PushLog, BodyWithoutLogsArrayIs400) {
    EXPECT_EQ(Push(json::object{{"records", json::array{}}}, s_.device_token).status, 400);
    EXPECT_EQ(Push(json::object{{"logs", "x"}}, s_.device_token).status, 400);
    EXPECT_EQ(Push(json::array{}, s_.device_token).status, 400);
}

TEST_F(PushLog, HostileJsonIsRefusedNotCrashing) {
    const std::string deep(100000, '[');
    auto r =
        http_.Request("POST", "/api/v1/biometric/push-log", deep, {{"Authorization", "Bearer " + s_.device_token}});
    EXPECT_EQ(r.status, 400);
    auto utf = http_.Request("POST",
                             "/api/v1/biometric/push-log",
                             "{\"logs\":[{\"user_id\":\"\xff\xfe\",\"timestamp\":\"2026-03-12 08:00:00\"}]}",
                             {{"Authorization", "Bearer " + s_.device_token}});
    EXPECT_EQ(utf.status, 400);
    EXPECT_EQ(http_.Get("/healthz").status, 200);
}

TEST_F(PushLog, DeviceLastSeenIsUpdated) {
    const auto path = DevicePath(s_.device_id);
    EXPECT_TRUE(http_.Get(path, s_.admin_token).Json().at("last_seen").is_null());
    ASSERT_EQ(Push(json::object{{"logs", json::array{}}}, s_.device_token).status, 200);
    EXPECT_EQ(http_.Get(path, s_.admin_token).Json().at("last_seen").as_string(), "2026-03-12T10:00:00Z");
}

/// A server with `settings` and a school whose device pushes to it.
struct LimitedServer {
    explicit LimitedServer(const Settings& settings) : server(settings) {}
    TestServer server;
    SchoolFixture school = MakeSchool(server);
    HttpClient http{server.port()};

    HttpResponse Push(const json::value& body) {
        return http.Post("/api/v1/biometric/push-log", body, school.device_token);
    }
};

/// A push of `n` punches, one of each user.
json::object PushOf(int n) {
    json::array logs;
    for (int i = 0; i < n; ++i) {
        logs.push_back(Punch(std::to_string(i), "2026-03-12 08:05:00"));
    }
    return json::object{{"logs", logs}};
}

TEST(PushLogLimits, TooManyRecordsIs413) {
    LimitedServer limited(Settings{{"push.max_records", "3"}});
    EXPECT_EQ(limited.Push(PushOf(4)).status, 413);
    EXPECT_EQ(limited.Push(PushOf(3)).status, 200);
}

TEST(PushLogLimits, BodyOverPushLimitIs413) {
    LimitedServer limited(Settings{{"http.body_limit.push", "2048"}});
    EXPECT_EQ(limited.Push(PushOf(100)).status, 413);
}

TEST(PushLogLimits, RateLimitAnswers429) {
    LimitedServer limited(Settings{{"push.rate_per_second", "1"}, {"push.rate_burst", "3"}});
    const auto empty = PushOf(0);
    for (int i = 0; i < 3; ++i) {
        ASSERT_EQ(limited.Push(empty).status, 200);
    }
    auto refused = limited.Push(empty);
    EXPECT_EQ(refused.status, 429);
    EXPECT_EQ(refused.headers["retry-after"], "1");
    limited.server.clock().Advance(1);  // one token back
    EXPECT_EQ(limited.Push(empty).status, 200);
}

}  // namespace
}  // namespace rollcall::test
