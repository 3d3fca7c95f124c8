#pragma once

// The service unit tests' world: a temporary real SQLite store and the parts every service takes (a real
// key, a fixed clock, metrics), with nothing mocked.

#include "service/recompute_window.hpp"
#include "service/services.hpp"
#include "support/temp_dir.hpp"
#include "wire/settings.hpp"

#include <array>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace rollcall::test {

/// 2026-03-12 10:00 UTC, 13:00 in Nairobi, a Thursday.
inline constexpr std::int64_t kWorldNow = 1773309600;

struct ServiceWorld {
    ServiceWorld() : store(Open(dir, clock)) {}

    /// The reprocess window's days, as the server's default engine.reprocess_max_days (R18).
    static constexpr int kReprocessDays = 366;

    /// The store as the server opens it: its marks clamped to the reprocess window by `clock`.
    static std::unique_ptr<storage::Store> Open(const TempDir& dir, const core::Clock& clock) {
        auth::InitCrypto();
        storage::StoreOptions options;
        options.path = (std::filesystem::path(dir.path()) / "rollcall.db").string();
        options.mark_window = service::MarkWindowFor(clock, kReprocessDays);
        return storage::OpenSqliteStore(options);
    }
    static std::array<std::uint8_t, 32> Key() {
        std::array<std::uint8_t, 32> key{};
        key.fill(7);
        return key;
    }

    /// A school straight into the store: the service under test makes everything else.
    std::int64_t School(const std::string& name = "Hill School", const std::string& zone = "Africa/Nairobi") const {
        return store->CreateSchool(storage::School{0, name, zone, clock.NowUnix()}).value().id;
    }
    /// A push device of the school straight into the store (its token's bytes made up: nothing pushes here).
    storage::Device Gate(std::int64_t school_id, const std::string& name = "Main gate", std::uint8_t token = 1) const {
        storage::Device d;
        d.school_id = school_id;
        d.name = name;
        d.token_hash = std::vector<std::uint8_t>(32, token);
        d.token_encrypted = {token};
        return store->CreateDevice(d).value();
    }
    /// Attendance settings as an admin writes them in the API (docs/api.md "Settings"), decoded as the API does.
    static domain::AttendanceSettings Settings(std::string_view json) {
        return wire::ParseSettingsJson(json, core::DateFromYmd(2026, 1, 1)).value();
    }
    /// The school's audit lines, newest first.
    std::vector<storage::AuditEntry> Audit(std::int64_t school_id) const {
        return store->ListAudit(school_id, storage::AuditFilter::Newest(100)).value();
    }

    TempDir dir;
    core::FixedClock clock{kWorldNow};  ///< before the store, whose marks it clamps
    std::unique_ptr<storage::Store> store;
    auth::Crypto crypto{std::span<const std::uint8_t, 32>(Key())};
    core::Metrics metrics;
    service::Principal admin{41, "admin@example.org", domain::Role::kSuperAdmin, std::nullopt, ""};
};

}  // namespace rollcall::test
