#pragma once

// The rows both sides of each comparison insert: the HTTP bodies and the raw SQLite baseline are built
// from these functions, so "the same rows" holds by construction.

#include <cstdint>
#include <cstdio>
#include <string>

namespace rollcall::bench {

inline constexpr int kBatchDevices = 50;           // (a) one keep-alive connection per device
inline constexpr int kBatchesPerDevice = 40;       // (a) 50 x 40 x 500 = 1,000,000 punches
inline constexpr int kBatchSize = 500;             // (a) punches per request and per raw transaction
inline constexpr int kSingleConnections = 64;      // (b) one connection per device
inline constexpr int kPushesPerConnection = 1500;  // (b) 64 x 1,500 = 96,000 requests
inline constexpr int kRawSingleRows = 5000;        // (b') one commit per row; ~1 s at fsync speed
inline constexpr int kPeoplePerGate = 1000;        // user ids cycle through a school-sized population

/// Days since 1970-01-01 of a civil date (H. Hinnant's algorithm, as src/core/civil_time.cpp).
constexpr std::int64_t DaysFromCivil(int y, unsigned m, unsigned d) {
    y -= m <= 2 ? 1 : 0;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return static_cast<std::int64_t>(era) * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

/// One punch: the server stores ts as local seconds since 1970 (core::LocalDateTime).
struct Punch {
    std::string user_id;
    std::string timestamp;  // "YYYY-MM-DD HH:MM:SS", as a device sends it
    std::int64_t ts = 0;
};

/// Each phase stays within one day, so the text is that day plus the offset's time of day; unique per
/// device because the offset is.
inline Punch MakePunch(unsigned day_of_march, int offset, int n) {
    Punch p;
    p.user_id = std::to_string(n % kPeoplePerGate + 1);
    char buf[32];
    std::snprintf(
        buf, sizeof buf, "2026-03-%02u %02d:%02d:%02d", day_of_march, offset / 3600, offset / 60 % 60, offset % 60);
    p.timestamp = buf;
    p.ts = DaysFromCivil(2026, 3, day_of_march) * 86400 + offset;
    return p;
}

static_assert(kBatchesPerDevice * kBatchSize < 86400 && kPushesPerConnection < 86400);

/// (a) record i of batch k of a device: 2 March, one second apart.
inline Punch BatchPunch(int batch, int i) {
    const int n = batch * kBatchSize + i;
    return MakePunch(2, n, n);
}

/// (b) the k-th single push of a device: 3 March, so it never collides with (a).
inline Punch SinglePunch(int k) {
    return MakePunch(3, k, k);
}

}  // namespace rollcall::bench
