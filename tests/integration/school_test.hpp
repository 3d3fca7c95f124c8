#pragma once

// The fixture of tests that speak to one school's admin API over real HTTP.

#include "support/test_server.hpp"

#include <gtest/gtest.h>

namespace rollcall::test {

/// The real server (its fixed clock says 2026-03-12 10:00 UTC: 13:00 in Nairobi, a Thursday) with one school, its
/// super admin and a push device (MakeSchool), and an HTTP client.
class SchoolTest : public ::testing::Test {
protected:
    explicit SchoolTest(Settings settings = {}) : server_(std::move(settings)) {}

    TestServer server_;
    SchoolFixture s_ = MakeSchool(server_);
    HttpClient http_{server_.port()};

    std::string Path(const std::string& rest) const { return SchoolPath(s_, rest); }
    std::string DevicePath(std::int64_t device) const { return Path("/devices/" + std::to_string(device)); }
    /// Changes one of the school's devices as its admin does; the server must accept the change.
    void PatchDevice(std::int64_t device, const boost::json::object& change) {
        const auto r = http_.Patch(DevicePath(device), change, s_.admin_token);
        ASSERT_EQ(r.status, 200) << r.body;
    }
};

}  // namespace rollcall::test
