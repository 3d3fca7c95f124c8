#pragma once

#include "app/app.hpp"
#include "support/http_client.hpp"
#include "support/temp_dir.hpp"

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace rollcall::test {

using Settings = std::map<std::string, std::string>;

/// 2026-03-12 10:00 UTC, a Thursday: the default "now" of tests, so nothing depends on today's date.
inline constexpr std::int64_t kDefaultNow = 1773309600;

/// The real App on 127.0.0.1:0 with a temporary data directory and a fixed clock.
/// The password of every user the test server makes (SuperAdminToken, SchoolAdminToken).
inline constexpr const char* kTestPassword = "correct horse battery";

class TestServer {
public:
    explicit TestServer(const std::map<std::string, std::string>& settings = {}, std::int64_t now = kDefaultNow);
    ~TestServer();

    std::uint16_t port() const { return port_; }
    app::App& app() { return *app_; }
    core::FixedClock& clock() { return *clock_; }
    const std::string& data_dir() const { return dir_.path(); }
    void Stop();
    /// A second connection to the server's database, as an operator's sqlite3 would open: for tests that check
    /// what the server stored and no service shows (the recompute queue, the next delivery due).
    std::unique_ptr<storage::Store> OpenDatabase() const;

    /// Creates a super admin (once) directly through the services and logs in over HTTP; returns the token.
    std::string SuperAdminToken();
    /// A school admin of `school_id`, logged in over HTTP.
    std::string SchoolAdminToken(std::int64_t school_id, const std::string& email);

private:
    TempDir dir_;
    std::shared_ptr<core::FixedClock> clock_;
    std::unique_ptr<app::App> app_;
    std::uint16_t port_ = 0;
};

/// A school with one push device, built over HTTP by a super admin.
struct SchoolFixture {
    std::int64_t school_id = 0;
    std::int64_t device_id = 0;
    std::string device_token;
    std::string admin_token;  ///< super admin
};
SchoolFixture MakeSchool(TestServer& server,
                         const std::string& name = "Hill School",
                         const std::string& timezone = "Africa/Nairobi");
/// The school's part of the admin API: "/api/v1/schools/{id}" followed by `rest`.
std::string SchoolPath(const SchoolFixture& s, const std::string& rest);
/// The body of a push of (user_id, timestamp) punches, as a device sends it.
boost::json::object PushLogBody(const std::vector<std::pair<std::string, std::string>>& punches);

}  // namespace rollcall::test
