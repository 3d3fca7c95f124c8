#include "support/test_server.hpp"

#include <filesystem>

#include <gtest/gtest.h>
#include <spdlog/spdlog.h>

namespace rollcall::test {
namespace {

std::string LoginToken(std::uint16_t port, const std::string& email) {
    HttpClient http(port);
    auto r = http.Post("/api/v1/auth/login", boost::json::object{{"email", email}, {"password", kTestPassword}});
    if (r.status != 200) {
        throw std::runtime_error("login failed: " + r.body);
    }
    return std::string(r.Json().at("token").as_string());
}
}  // namespace

TestServer::TestServer(const std::map<std::string, std::string>& settings, std::int64_t now)
    : clock_(std::make_shared<core::FixedClock>(now)) {
    config::Config config;
    (void)config.Set("listen", "127.0.0.1:0");
    (void)config.Set("data_dir", dir_.path());
    (void)config.Set("log.level", "warn");
    // The cheapest argon2id the settings allow keeps logins fast in tests.
    (void)config.Set("auth.argon2_ops", "1");
    (void)config.Set("auth.argon2_mem_kib", "8192");
    // The clock is fixed, so the login bucket never refills; tests that check the limit set it lower.
    (void)config.Set("auth.login_attempts_per_minute", "1000");
    // Tests drive the recompute worker and the webhook sender themselves (app().recompute().RunPending()),
    // so nothing runs behind their back; a test that wants the threads sets engine.worker=true.
    (void)config.Set("engine.worker", "false");
    // The test gateways listen on 127.0.0.1; the refusal of private addresses has its own test.
    (void)config.Set("webhooks.allow_private_addresses", "true");
    for (const auto& [k, v] : settings) {
        auto s = config.Set(k, v);
        if (!s) {
            throw std::runtime_error(s.error().message);
        }
    }
    // The server logs through spdlog's default logger; a test's output keeps to warnings, as log.level says
    // (`rollcall serve` sets the level from it; an App in a test leaves logging to the test).
    spdlog::set_level(spdlog::level::from_str(config.String("log.level")));
    app_ = std::make_unique<app::App>(config, clock_);
    port_ = app_->Start();
}

TestServer::~TestServer() {
    Stop();
}

void TestServer::Stop() {
    if (app_) {
        app_->Stop();
    }
}

std::unique_ptr<storage::Store> TestServer::OpenDatabase() const {
    storage::StoreOptions options;
    options.path = (std::filesystem::path(dir_.path()) / "rollcall.db").string();
    return storage::OpenSqliteStore(options);
}

std::string TestServer::SuperAdminToken() {
    const std::string email = "root@example.org";
    auto u = app_->services().accounts.CreateUser(service::CommandLinePrincipal(),
                                                  {email, domain::Role::kSuperAdmin, std::nullopt, kTestPassword});
    if (!u && u.error().code != core::Errc::kConflict) {  // a conflict: created by an earlier call
        throw std::runtime_error(u.error().message);
    }
    return LoginToken(port_, email);
}

std::string TestServer::SchoolAdminToken(std::int64_t school_id, const std::string& email) {
    auto u = app_->services().accounts.CreateUser(service::CommandLinePrincipal(),
                                                  {email, domain::Role::kSchoolAdmin, school_id, kTestPassword});
    if (!u) {
        throw std::runtime_error(u.error().message);
    }
    return LoginToken(port_, email);
}

SchoolFixture MakeSchool(TestServer& server, const std::string& name, const std::string& timezone) {
    SchoolFixture f;
    f.admin_token = server.SuperAdminToken();
    HttpClient http(server.port());
    auto school =
        http.Post("/api/v1/schools", boost::json::object{{"name", name}, {"timezone", timezone}}, f.admin_token);
    if (school.status != 201) {
        throw std::runtime_error("create school failed: " + school.body);
    }
    f.school_id = school.Json().at("id").as_int64();
    auto device = http.Post("/api/v1/schools/" + std::to_string(f.school_id) + "/devices",
                            boost::json::object{{"name", "Main gate"}, {"sync_mode", "push"}},
                            f.admin_token);
    if (device.status != 201) {
        throw std::runtime_error("create device failed: " + device.body);
    }
    f.device_id = device.Json().at("id").as_int64();
    f.device_token = std::string(device.Json().at("api_token").as_string());
    return f;
}

std::string SchoolPath(const SchoolFixture& s, const std::string& rest) {
    return "/api/v1/schools/" + std::to_string(s.school_id) + rest;
}

boost::json::object PushLogBody(const std::vector<std::pair<std::string, std::string>>& punches) {
    boost::json::array logs;
    for (const auto& [user_id, timestamp] : punches) {
        logs.push_back(boost::json::object{{"user_id", user_id}, {"timestamp", timestamp}});
    }
    return boost::json::object{{"logs", logs}};
}

}  // namespace rollcall::test
