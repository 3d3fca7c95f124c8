// The admin API over real HTTP: auth, tenant isolation, devices, people, mappings, settings, holidays.

#include "support/test_server.hpp"

#include <gtest/gtest.h>

namespace rollcall::test {
namespace {

namespace json = boost::json;

class AdminApi : public ::testing::Test {
protected:
    TestServer server_;
    SchoolFixture a_ = MakeSchool(server_, "Hill School");
    SchoolFixture b_ = MakeSchool(server_, "Lake School", "Europe/London");
    HttpClient http_{server_.port()};

    static std::string Path(const SchoolFixture& s, const std::string& rest = "") {
        return "/api/v1/schools/" + std::to_string(s.school_id) + rest;
    }
};

TEST_F(AdminApi, LoginWithWrongPasswordIs401AndUnknownEmailLooksTheSame) {
    auto wrong =
        http_.Post("/api/v1/auth/login", json::object{{"email", "root@example.org"}, {"password", "nope-nope"}});
    auto unknown =
        http_.Post("/api/v1/auth/login", json::object{{"email", "who@example.org"}, {"password", "nope-nope"}});
    EXPECT_EQ(wrong.status, 401);
    EXPECT_EQ(unknown.status, 401);
    EXPECT_EQ(wrong.body, unknown.body);
}

TEST_F(AdminApi, LoginSetsASecureHttpOnlySessionCookie) {
    auto r = http_.Post("/api/v1/auth/login",
                        json::object{{"email", "root@example.org"}, {"password", "correct horse battery"}});
    ASSERT_EQ(r.status, 200);
    const auto cookie = r.headers["set-cookie"];
    EXPECT_NE(cookie.find("rollcall_session=rcs_"), std::string::npos);
    EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
    EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos);
    EXPECT_NE(cookie.find("Secure"), std::string::npos);
}

TEST_F(AdminApi, ALoginFormPostedByAnotherSitesPageIsRefusedAndSetsNoCookie) {
    // What a hidden form on another site makes the school office's browser send: the attacker's own account,
    // as text/plain so that no preflight asks the server first.
    const std::string body = R"({"email":"root@example.org","password":"correct horse battery"})";
    for (const auto* type : {"text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"}) {
        const auto r = http_.Request("POST", "/api/v1/auth/login", body, {{"Content-Type", type}});
        EXPECT_EQ(r.status, 400) << type << ": " << r.body;
        EXPECT_NE(r.body.find("Content-Type: application/json"), std::string::npos) << r.body;
        EXPECT_EQ(r.headers.count("set-cookie"), 0U) << type;
    }
    const auto json =
        http_.Request("POST", "/api/v1/auth/login", body, {{"Content-Type", "Application/JSON; charset=utf-8"}});
    EXPECT_EQ(json.status, 200) << json.body;
}

TEST_F(AdminApi, CookieSessionsNeedTheCsrfTokenForChanges) {
    auto login = http_.Post("/api/v1/auth/login",
                            json::object{{"email", "root@example.org"}, {"password", "correct horse battery"}});
    const std::string token(login.Json().at("token").as_string());
    const std::string csrf(login.Json().at("csrf_token").as_string());
    const std::map<std::string, std::string> cookie{{"Cookie", "rollcall_session=" + token}};
    EXPECT_EQ(http_.Request("GET", Path(a_, "/people"), "", cookie).status, 200);
    const std::string person = R"({"name":"Amina","kind":"student"})";
    EXPECT_EQ(http_.Request("POST", Path(a_, "/people"), person, cookie).status, 403);
    auto with_csrf = cookie;
    with_csrf["X-CSRF-Token"] = csrf;
    EXPECT_EQ(http_.Request("POST", Path(a_, "/people"), person, with_csrf).status, 201);
    with_csrf["X-CSRF-Token"] = csrf + "x";
    EXPECT_EQ(http_.Request("POST", Path(a_, "/people"), person, with_csrf).status, 403);
}

TEST_F(AdminApi, NoTokenIs401) {
    EXPECT_EQ(http_.Get(Path(a_, "/devices")).status, 401);
    EXPECT_EQ(http_.Get(Path(a_, "/devices"), "rcs_forged").status, 401);
}

TEST_F(AdminApi, LoginAttemptsAreRateLimited) {
    TestServer server(Settings{{"auth.login_attempts_per_minute", "3"}});
    HttpClient http(server.port());
    const json::object bad{{"email", "x@example.org"}, {"password", "wrong-password"}};
    for (int i = 0; i < 3; ++i) {
        EXPECT_EQ(http.Post("/api/v1/auth/login", bad).status, 401);
    }
    EXPECT_EQ(http.Post("/api/v1/auth/login", bad).status, 429);
    server.clock().Advance(60);
    EXPECT_EQ(http.Post("/api/v1/auth/login", bad).status, 401);
}

/// A login as a reverse proxy in front of the server would relay it for the client at `client`.
HttpResponse LoginVia(HttpClient& http, const std::string& client, const std::string& email) {
    return http.Request("POST",
                        "/api/v1/auth/login",
                        json::serialize(json::object{{"email", email}, {"password", "wrong-password"}}),
                        {{"Content-Type", "application/json"}, {"X-Forwarded-For", client}});
}

TEST_F(AdminApi, ChangingTheCaseOfAnEmailDoesNotEscapeItsLoginLimit) {
    TestServer server(Settings{{"auth.login_attempts_per_minute", "3"}, {"http.trusted_proxies", "127.0.0.1, ::1"}});
    HttpClient http(server.port());
    // Three guesses from three places, each spelling the head's email differently: one account, one limit.
    EXPECT_EQ(LoginVia(http, "198.51.100.1", "head@hill.example.org").status, 401);
    EXPECT_EQ(LoginVia(http, "198.51.100.2", "Head@Hill.example.org").status, 401);
    EXPECT_EQ(LoginVia(http, "198.51.100.3", " HEAD@HILL.EXAMPLE.ORG ").status, 401);
    EXPECT_EQ(LoginVia(http, "198.51.100.4", "hEaD@hill.example.org").status, 429);
}

TEST_F(AdminApi, BehindATrustedProxyEachClientHasItsOwnLoginLimit) {
    TestServer server(Settings{{"auth.login_attempts_per_minute", "3"}, {"http.trusted_proxies", "127.0.0.1, ::1"}});
    HttpClient http(server.port());
    // A guesser at one address uses up its own attempts, each with another made-up email...
    for (int i = 0; i < 3; ++i) {
        EXPECT_EQ(LoginVia(http, "203.0.113.66", "guess" + std::to_string(i) + "@example.org").status, 401);
    }
    EXPECT_EQ(LoginVia(http, "203.0.113.66", "guess9@example.org").status, 429);
    // ...and what it writes in front of the proxy's own entry is not believed.
    EXPECT_EQ(LoginVia(http, "198.51.100.7, 203.0.113.66", "guess10@example.org").status, 429);
    // Its refused attempts at the head's email did not use up the head's attempts: the address is checked first.
    for (int i = 0; i < 5; ++i) {
        EXPECT_EQ(LoginVia(http, "203.0.113.66", "head@hill.example.org").status, 429);
    }
    // The staff room behind the same proxy still logs in as usual.
    EXPECT_EQ(LoginVia(http, "198.51.100.20", "head@hill.example.org").status, 401);
}

TEST_F(AdminApi, WithoutATrustedProxyAForwardedForHeaderCannotDodgeTheLimit) {
    TestServer server(Settings{{"auth.login_attempts_per_minute", "3"}});
    HttpClient http(server.port());
    for (int i = 0; i < 3; ++i) {
        EXPECT_EQ(LoginVia(http, "198.51.100." + std::to_string(i), "g" + std::to_string(i) + "@example.org").status,
                  401);
    }
    EXPECT_EQ(LoginVia(http, "198.51.100.99", "g99@example.org").status, 429);
}

TEST_F(AdminApi, SchoolAdminSeesOnlyTheirSchool) {
    const auto admin_a = server_.SchoolAdminToken(a_.school_id, "head@hill.example.org");
    EXPECT_EQ(http_.Get(Path(a_, "/devices"), admin_a).status, 200);
    // Everything of school B is 404 for them, never 403: its existence is not revealed.
    EXPECT_EQ(http_.Get(Path(b_), admin_a).status, 404);
    EXPECT_EQ(http_.Get(Path(b_, "/devices"), admin_a).status, 404);
    EXPECT_EQ(http_.Get(Path(b_, "/devices/" + std::to_string(b_.device_id) + "/token"), admin_a).status, 404);
    EXPECT_EQ(http_.Get(Path(b_, "/attendance?date=2026-03-12"), admin_a).status, 404);
    // B's device through A's path is not found either.
    EXPECT_EQ(http_.Get(Path(a_, "/devices/" + std::to_string(b_.device_id)), admin_a).status, 404);
    EXPECT_EQ(
        http_.Post(Path(a_, "/devices/" + std::to_string(b_.device_id) + "/rotate-token"), json::object{}, admin_a)
            .status,
        404);
    auto schools = http_.Get("/api/v1/schools", admin_a).Json().at("items").as_array();
    ASSERT_EQ(schools.size(), 1U);
    EXPECT_EQ(schools[0].at("id").as_int64(), a_.school_id);
    // Only a super admin creates schools.
    EXPECT_EQ(http_.Post("/api/v1/schools", json::object{{"name", "X"}, {"timezone", "UTC"}}, admin_a).status, 403);
}

TEST_F(AdminApi, SchoolNeedsAValidTimeZone) {
    auto r = http_.Post("/api/v1/schools", json::object{{"name", "X"}, {"timezone", "Mars/Olympus"}}, a_.admin_token);
    EXPECT_EQ(r.status, 400);
    EXPECT_NE(r.body.find("timezone"), std::string::npos);
}

TEST_F(AdminApi, DeviceTokenCanBeShownAgainAndRotated) {
    const auto dev = Path(a_, "/devices/" + std::to_string(a_.device_id));
    auto shown = http_.Get(dev + "/token", a_.admin_token);
    ASSERT_EQ(shown.status, 200);
    EXPECT_EQ(shown.Json().at("api_token").as_string(), a_.device_token);
    auto rotated = http_.Post(dev + "/rotate-token", json::object{}, a_.admin_token);
    ASSERT_EQ(rotated.status, 200);
    const std::string fresh(rotated.Json().at("api_token").as_string());
    EXPECT_NE(fresh, a_.device_token);
    const json::object empty{{"logs", json::array{}}};
    EXPECT_EQ(http_.Post("/api/v1/biometric/push-log", empty, a_.device_token).status, 401);
    EXPECT_EQ(http_.Post("/api/v1/biometric/push-log", empty, fresh).status, 200);
    EXPECT_EQ(http_.Get(dev + "/token", a_.admin_token).Json().at("api_token").as_string(), fresh);
}

TEST_F(AdminApi, DeviceTokensAreNotStoredInTheClear) {
    auto view = server_.app().services().devices.GetDevice(a_.school_id, a_.device_id);
    ASSERT_TRUE(view.ok());
    const auto& device = view->device;
    const std::string hash(device.token_hash.begin(), device.token_hash.end());
    const std::string sealed(device.token_encrypted.begin(), device.token_encrypted.end());
    EXPECT_EQ(hash.find(a_.device_token), std::string::npos);
    EXPECT_EQ(sealed.find(a_.device_token.substr(4)), std::string::npos);
    EXPECT_EQ(device.token_hash.size(), 32U);
}

TEST_F(AdminApi, DeviceCrudValidatesFields) {
    auto bad =
        http_.Post(Path(a_, "/devices"), json::object{{"name", "X"}, {"sync_mode", "carrier-pigeon"}}, a_.admin_token);
    EXPECT_EQ(bad.status, 400);
    EXPECT_NE(bad.body.find("sync_mode"), std::string::npos);
    auto created = http_.Post(Path(a_, "/devices"),
                              json::object{{"name", "Staff room"},
                                           {"sync_mode", "agent"},
                                           {"direction", "in"},
                                           {"ip", "192.0.2.10"},
                                           {"port", 4370},
                                           {"serial", "ABC123"},
                                           {"comm_key", "0"}},
                              a_.admin_token);
    ASSERT_EQ(created.status, 201) << created.body;
    const auto id = created.Json().at("id").as_int64();
    EXPECT_EQ(created.Json().at("direction").as_string(), "in");
    auto patched =
        http_.Patch(Path(a_, "/devices/" + std::to_string(id)), json::object{{"direction", "out"}}, a_.admin_token);
    EXPECT_EQ(patched.Json().at("direction").as_string(), "out");
    EXPECT_EQ(
        http_.Patch(Path(a_, "/devices/" + std::to_string(id)), json::object{{"port", 70000}}, a_.admin_token).status,
        400);
    EXPECT_EQ(http_.Get(Path(a_, "/devices"), a_.admin_token).Json().at("items").as_array().size(), 2U);
    EXPECT_EQ(http_.Delete(Path(a_, "/devices/" + std::to_string(id)), a_.admin_token).status, 204);
    EXPECT_EQ(http_.Get(Path(a_, "/devices/" + std::to_string(id)), a_.admin_token).status, 404);
}

TEST_F(AdminApi, DeviceWithPunchesCannotBeDeleted) {
    ASSERT_EQ(
        http_
            .Post("/api/v1/biometric/push-log",
                  json::object{
                      {"logs", json::array{json::object{{"user_id", "1"}, {"timestamp", "2026-03-12 08:00:00"}}}}},
                  a_.device_token)
            .status,
        200);
    EXPECT_EQ(http_.Delete(Path(a_, "/devices/" + std::to_string(a_.device_id)), a_.admin_token).status, 409);
}

TEST_F(AdminApi, PeopleCrudAndExternalIdIsUniquePerSchool) {
    auto p = http_.Post(Path(a_, "/people"),
                        json::object{{"name", "Amina"}, {"kind", "student"}, {"external_id", "ADM-1"}, {"group", "5A"}},
                        a_.admin_token);
    ASSERT_EQ(p.status, 201);
    const auto id = p.Json().at("id").as_int64();
    EXPECT_EQ(http_.Post(Path(a_, "/people"), json::object{{"name", "Other"}, {"external_id", "ADM-1"}}, a_.admin_token)
                  .status,
              409);
    // Another school may use the same number.
    EXPECT_EQ(http_.Post(Path(b_, "/people"), json::object{{"name", "Other"}, {"external_id", "ADM-1"}}, b_.admin_token)
                  .status,
              201);
    EXPECT_EQ(http_.Post(Path(a_, "/people"), json::object{{"name", "X"}, {"kind", "parent"}}, a_.admin_token).status,
              400);
    auto patched = http_.Patch(Path(a_, "/people/" + std::to_string(id)),
                               json::object{{"group", "6A"}, {"active_to", "2026-07-31"}},
                               a_.admin_token);
    ASSERT_EQ(patched.status, 200);
    EXPECT_EQ(patched.Json().at("group").as_string(), "6A");
    EXPECT_EQ(patched.Json().at("active_to").as_string(), "2026-07-31");
    EXPECT_EQ(http_.Delete(Path(a_, "/people/" + std::to_string(id)), a_.admin_token).status, 204);
    EXPECT_EQ(http_.Get(Path(a_, "/people/" + std::to_string(id)), a_.admin_token).status, 404);
}

TEST_F(AdminApi, CsvImportCreatesGoodRowsAndReportsBadOnes) {
    const std::string csv =
        "name,kind,external_id,group\n"
        "Amina Njeri,student,ADM-1,5A\n"
        "\"Otieno, Brian\",student,ADM-2,5A\n"
        ",student,ADM-3,5A\n"
        "Mr Kamau,teacher,STF-1,\n"
        "Mrs Wanjiru,staff,STF-2,\n"
        "Dup,student,ADM-1,5B\n";
    auto r = http_.Request("POST",
                           Path(a_, "/people/import"),
                           csv,
                           {{"Authorization", "Bearer " + a_.admin_token}, {"Content-Type", "text/csv"}});
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.Json().at("created").as_int64(), 3);
    const auto errors = r.Json().at("errors").as_array();
    ASSERT_EQ(errors.size(), 3U);
    EXPECT_EQ(errors[0].at("line").as_int64(), 4);
    EXPECT_NE(std::string(errors[0].at("reason").as_string()).find("name"), std::string::npos);
    EXPECT_EQ(errors[1].at("line").as_int64(), 5);
    EXPECT_EQ(errors[2].at("line").as_int64(), 7);
    auto people = http_.Get(Path(a_, "/people"), a_.admin_token).Json().at("items").as_array();
    ASSERT_EQ(people.size(), 3U);
    EXPECT_EQ(people[1].at("name").as_string(), "Otieno, Brian");
    auto no_header = http_.Request(
        "POST", Path(a_, "/people/import"), "Amina,student\n", {{"Authorization", "Bearer " + a_.admin_token}});
    EXPECT_EQ(no_header.status, 400);
}

TEST_F(AdminApi, SettingsValidationNamesTheField) {
    auto r = http_.Put(
        Path(a_, "/settings/attendance"),
        json::object{{"school_start_time", "08:00"}, {"in_window", json::object{{"start", "06:00"}, {"end", "09:30"}}}},
        a_.admin_token);
    EXPECT_EQ(r.status, 400);
    EXPECT_NE(r.body.find("out_window"), std::string::npos) << r.body;
    auto bad_time =
        http_.Put(Path(a_, "/settings/attendance"), json::object{{"school_start_time", "8am"}}, a_.admin_token);
    EXPECT_EQ(bad_time.status, 400);
    EXPECT_NE(bad_time.body.find("school_start_time"), std::string::npos);
    auto unknown = http_.Put(Path(a_, "/settings/attendance"), json::object{{"start", "08:00"}}, a_.admin_token);
    EXPECT_EQ(unknown.status, 400);
    EXPECT_NE(unknown.body.find("start"), std::string::npos);
}

TEST_F(AdminApi, SettingsWithoutStartTimeWarnThatNobodyIsLate) {
    auto got = http_.Get(Path(a_, "/settings/attendance"), a_.admin_token);
    ASSERT_EQ(got.status, 200);
    EXPECT_NE(got.body.find("nobody will be marked late"), std::string::npos);
    auto put =
        http_.Put(Path(a_, "/settings/attendance"), json::object{{"school_start_time", "08:00"}}, a_.admin_token);
    ASSERT_EQ(put.status, 200) << put.body;
    EXPECT_TRUE(put.Json().at("warnings").as_array().empty());
    // Dated today (the school's today) by default.
    EXPECT_EQ(put.Json().at("effective_from").as_string(), "2026-03-12");
}

TEST_F(AdminApi, HolidaysCrud) {
    auto h = http_.Post(
        Path(a_, "/holidays"), json::object{{"date", "2026-04-03"}, {"name", "Good Friday"}}, a_.admin_token);
    ASSERT_EQ(h.status, 201);
    EXPECT_EQ(http_.Post(Path(a_, "/holidays"), json::object{{"date", "2026-04-03"}, {"name", "Again"}}, a_.admin_token)
                  .status,
              409);
    EXPECT_EQ(
        http_.Post(Path(a_, "/holidays"), json::object{{"date", "2026-02-30"}, {"name", "No"}}, a_.admin_token).status,
        400);
    EXPECT_EQ(http_.Get(Path(a_, "/holidays"), a_.admin_token).Json().at("items").as_array().size(), 1U);
    EXPECT_EQ(
        http_.Delete(Path(a_, "/holidays/" + std::to_string(h.Json().at("id").as_int64())), a_.admin_token).status,
        204);
    EXPECT_TRUE(http_.Get(Path(a_, "/holidays"), a_.admin_token).Json().at("items").as_array().empty());
}

TEST_F(AdminApi, InternalErrorsDoNotLeakDetails) {
    auto r = http_.Get(Path(a_, "/attendance?date=not-a-date"), a_.admin_token);
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.body.find("sqlite"), std::string::npos);
    EXPECT_EQ(http_.Get("/api/v1/schools/abc/devices", a_.admin_token).status, 404);
}

TEST(Sessions, ExpireAfterTheirTtlAndLogoutRevokes) {
    TestServer server(Settings{{"auth.session_ttl_minutes", "1"}});
    const auto token = server.SuperAdminToken();
    HttpClient http(server.port());
    EXPECT_EQ(http.Get("/api/v1/me", token).status, 200);
    server.clock().Advance(59);
    EXPECT_EQ(http.Get("/api/v1/me", token).status, 200);
    server.clock().Advance(1);
    EXPECT_EQ(http.Get("/api/v1/me", token).status, 401);

    const auto second = server.SuperAdminToken();
    EXPECT_EQ(http.Post("/api/v1/auth/logout", boost::json::object{}, second).status, 204);
    EXPECT_EQ(http.Get("/api/v1/me", second).status, 401);
}

}  // namespace
}  // namespace rollcall::test
