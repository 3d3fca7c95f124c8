// The troubleshooting data the panel shows where a terminal's pushes go wrong (docs/api.md "Push
// troubleshooting"): a device's last refused push and why, and the pushes with unknown tokens of the last hour, a
// school seeing only those from its own devices' addresses.

#include "integration/school_test.hpp"

#include <set>

#include <gtest/gtest.h>

namespace rollcall::test {
namespace {

namespace json = boost::json;

class PushTroubleshooting : public SchoolTest {
protected:
    HttpResponse Push(const std::string& token) {
        return http_.Post("/api/v1/biometric/push-log", PushLogBody({{"17", "2026-03-12 08:05:00"}}), token);
    }
    /// A push with a token no device has, from another loopback address (another client, as the server sees it).
    int PushFrom(const std::string& address, const std::string& token) {
        RawClient raw(server_.port(), address);
        const std::string body = R"({"logs":[]})";
        EXPECT_TRUE(raw.Send("POST /api/v1/biometric/push-log HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token +
                             "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
                             "\r\n\r\n" + body));
        return StatusOf(raw.ReadResponse(std::chrono::seconds(10)));
    }
    json::array Unknown(const std::string& path, const std::string& token) {
        const auto r = http_.Get(path, token);
        EXPECT_EQ(r.status, 200) << r.body;
        EXPECT_EQ(r.Json().at("window_seconds").as_int64(), 3600);
        return r.Json().at("items").as_array();
    }
};

TEST_F(PushTroubleshooting, ADeviceShowsItsLastRefusedPushAndWhy) {
    EXPECT_TRUE(http_.Get(DevicePath(s_.device_id), s_.admin_token).Json().at("last_refused").is_null());
    PatchDevice(s_.device_id, json::object{{"status", "inactive"}});
    ASSERT_EQ(Push(s_.device_token).status, 403);
    const auto device = http_.Get(DevicePath(s_.device_id), s_.admin_token).Json();
    const auto& refused = device.at("last_refused");
    ASSERT_TRUE(refused.is_object()) << device;
    EXPECT_EQ(refused.at("reason").as_string(), "device_inactive");
    EXPECT_EQ(refused.at("status").as_int64(), 403);
    EXPECT_EQ(refused.at("address").as_string(), "127.0.0.1");
    EXPECT_EQ(refused.at("at").as_string(), "2026-03-12T10:00:00Z");
    EXPECT_NE(refused.at("message").as_string().find("inactive"), std::string::npos);
    const auto list = http_.Get(Path("/devices"), s_.admin_token).Json().at("items").as_array();
    ASSERT_EQ(list.size(), 1U);
    EXPECT_EQ(list[0].at("last_refused"), refused) << "the Devices screen shows it too";
}

TEST_F(PushTroubleshooting, AnAgentDevicePushingIsRefusedForItsSyncMode) {
    const auto created =
        http_.Post(Path("/devices"),
                   json::object{{"name", "Old gate"}, {"sync_mode", "agent"}, {"ip", "192.0.2.10"}, {"port", 4370}},
                   s_.admin_token);
    ASSERT_EQ(created.status, 201) << created.body;
    const auto id = created.Json().at("id").as_int64();
    ASSERT_EQ(Push(std::string(created.Json().at("api_token").as_string())).status, 403);
    const auto refused = http_.Get(DevicePath(id), s_.admin_token).Json().at("last_refused");
    ASSERT_TRUE(refused.is_object());
    EXPECT_EQ(refused.at("reason").as_string(), "not_push_mode");
    EXPECT_TRUE(http_.Get(DevicePath(s_.device_id), s_.admin_token).Json().at("last_refused").is_null())
        << "the other device refused nothing";
}

TEST_F(PushTroubleshooting, APushOverTheDevicesRateIsItsLastRefusal) {
    TestServer server({{"push.rate_per_second", "1"}, {"push.rate_burst", "1"}});
    const auto s = MakeSchool(server);
    HttpClient http(server.port());
    const auto body = PushLogBody({{"17", "2026-03-12 08:05:00"}});
    ASSERT_EQ(http.Post("/api/v1/biometric/push-log", body, s.device_token).status, 200);
    ASSERT_EQ(http.Post("/api/v1/biometric/push-log", body, s.device_token).status, 429);
    const auto refused =
        http.Get(SchoolPath(s, "/devices/" + std::to_string(s.device_id)), s.admin_token).Json().at("last_refused");
    ASSERT_TRUE(refused.is_object());
    EXPECT_EQ(refused.at("reason").as_string(), "rate_limited");
    EXPECT_EQ(refused.at("status").as_int64(), 429);
}

TEST_F(PushTroubleshooting, ASchoolSeesUnknownTokenPushesFromItsOwnDevicesAddressesAndTheSuperAdminSeesAll) {
    const auto other = MakeSchool(server_, "River School");
    const auto hill_admin = server_.SchoolAdminToken(s_.school_id, "head@hill.example");
    const auto river_admin = server_.SchoolAdminToken(other.school_id, "head@river.example");
    // Hill School's gate pushes from 127.0.0.1; a terminal there has a mistyped token. Someone at 127.0.0.3
    // tries tokens too.
    ASSERT_EQ(Push(s_.device_token).status, 200);
    ASSERT_EQ(Push("rcd_mistyped").status, 401);
    ASSERT_EQ(PushFrom("127.0.0.1", "rcd_mistyped"), 401);
    ASSERT_EQ(PushFrom("127.0.0.3", "rcd_guess"), 401);

    const auto hill = Unknown(Path("/unknown-pushes"), hill_admin);
    ASSERT_EQ(hill.size(), 1U) << json::serialize(hill);
    EXPECT_EQ(hill[0].at("address").as_string(), "127.0.0.1");
    EXPECT_EQ(hill[0].at("count").as_int64(), 2);
    EXPECT_EQ(hill[0].at("last_at").as_string(), "2026-03-12T10:00:00Z");

    EXPECT_TRUE(Unknown(SchoolPath(other, "/unknown-pushes"), river_admin).empty())
        << "River School's devices never pushed from those addresses";
    EXPECT_EQ(http_.Get(Path("/unknown-pushes"), river_admin).status, 404) << "another school's list is not there";

    const auto all = Unknown("/api/v1/unknown-pushes", s_.admin_token);
    ASSERT_EQ(all.size(), 2U);
    std::set<std::string> addresses;
    for (const auto& a : all) {
        addresses.insert(std::string(a.at("address").as_string()));
    }
    EXPECT_EQ(addresses, (std::set<std::string>{"127.0.0.1", "127.0.0.3"}));
    EXPECT_EQ(http_.Get("/api/v1/unknown-pushes", hill_admin).status, 403) << "every school's: super admin only";

    // A terminal never set up right has never pushed: its configured address names its pushes.
    const auto patched = http_.Patch(SchoolPath(other, "/devices/" + std::to_string(other.device_id)),
                                     json::object{{"ip", "127.0.0.3"}},
                                     other.admin_token);
    ASSERT_EQ(patched.status, 200) << patched.body;
    const auto river = Unknown(SchoolPath(other, "/unknown-pushes"), river_admin);
    ASSERT_EQ(river.size(), 1U);
    EXPECT_EQ(river[0].at("address").as_string(), "127.0.0.3");
}

}  // namespace
}  // namespace rollcall::test
