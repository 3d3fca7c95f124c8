#pragma once

// The fixture of tests that speak to one school's admin API over real HTTP.

#include "support/test_server.hpp"

#include <cstdint>
#include <optional>
#include <string>

#include <gtest/gtest.h>

namespace rollcall::test {

/// The real server (its fixed clock says 2026-03-12 10:00 UTC: 13:00 in Nairobi, a Thursday) with one school, its
/// super admin and a push device (MakeSchool), and an HTTP client.
class SchoolTest : public ::testing::Test {
protected:
    explicit SchoolTest(const Settings& settings = {}) : server_(settings) {}

    TestServer server_;
    SchoolFixture s_ = MakeSchool(server_);
    HttpClient http_{server_.port()};

    std::string Path(const std::string& rest) const { return SchoolPath(s_, rest); }
    std::string DevicePath(std::int64_t device) const { return Path("/devices/" + std::to_string(device)); }
    /// A person the admin adds to the school (a 5A student unless told otherwise), with the school since the start
    /// of the year (without active_from they would be only from today); their id.
    std::int64_t Person(const std::string& name, const std::string& group = "5A", const std::string& kind = "student") {
        auto r = http_.Post(
            Path("/people"),
            boost::json::object{{"name", name}, {"kind", kind}, {"group", group}, {"active_from", "2026-01-01"}},
            s_.admin_token);
        EXPECT_EQ(r.status, 201) << r.body;
        return r.Json().at("id").as_int64();
    }
    /// Maps the terminals' user `user_id` to `person`: school-wide, or on one `device` only (R6).
    void Map(const std::string& user_id, std::int64_t person, std::optional<std::int64_t> device = std::nullopt) {
        boost::json::object body{{"user_id", user_id}, {"person_id", person}};
        if (device) {
            body["device_id"] = *device;
        }
        auto r = http_.Post(Path("/mappings"), body, s_.admin_token);
        ASSERT_EQ(r.status, 201) << r.body;
    }
    /// The school's attendance settings (R14, R21), in effect from 2026-01-01.
    void Rules(boost::json::object settings) {
        settings["effective_from"] = "2026-01-01";
        auto r = http_.Put(Path("/settings/attendance"), settings, s_.admin_token);
        ASSERT_EQ(r.status, 200) << r.body;
    }
    /// The admin overrides `person`'s status on `date` (R19); the server's answer.
    HttpResponse Override(std::int64_t person,
                          const std::string& date,
                          const std::string& status,
                          const std::string& reason) {
        return http_.Post(
            Path("/overrides"),
            boost::json::object{{"person_id", person}, {"date", date}, {"status", status}, {"reason", reason}},
            s_.admin_token);
    }
    /// Changes one of the school's devices as its admin does; the server must accept the change.
    void PatchDevice(std::int64_t device, const boost::json::object& change) {
        const auto r = http_.Patch(DevicePath(device), change, s_.admin_token);
        ASSERT_EQ(r.status, 200) << r.body;
    }
};

}  // namespace rollcall::test
