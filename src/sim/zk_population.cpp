#include "sim/zk_population.hpp"

#include "protocol/zk/time_codec.hpp"
#include "sim/split_mix.hpp"

#include <algorithm>
#include <array>
#include <string_view>
#include <tuple>

namespace rollcall::sim {
namespace {

using core::Errc;
using core::MakeError;
using protocol::zk::AttendanceRecord;
using protocol::zk::User;

// The log spans about one school year; with few users and many records each user punches more often per day
// instead of the log running into the future.
constexpr std::uint32_t kSchoolDaysInLog = 180;

struct Window {
    std::int32_t from;  // seconds of the day, inclusive
    std::int32_t to;    // exclusive
};
constexpr Window kArrival{6 * 3600 + 30 * 60, 9 * 3600};
constexpr Window kDaytime{9 * 3600, 14 * 3600 + 30 * 60};
constexpr Window kDeparture{14 * 3600 + 30 * 60, 18 * 3600};

// Percentages per user and day.
constexpr std::uint64_t kAbsentPercent = 3;
constexpr std::uint64_t kNoPunchOutPercent = 2;

// Verify methods (§7.2) and how often they occur; fingerprints dominate on school terminals.
constexpr std::uint8_t kVerifyPassword = 0;
constexpr std::uint8_t kVerifyFingerprint = 1;
constexpr std::uint8_t kVerifyCard = 2;
constexpr std::uint8_t kVerifyFace = 15;

// In/out states (§7.2).
constexpr std::uint8_t kCheckIn = 0;
constexpr std::uint8_t kCheckOut = 1;
constexpr std::uint8_t kBreakOut = 2;
constexpr std::uint8_t kBreakIn = 3;

// Short enough that "Name X." fits the 8-byte name of 28-byte users.
constexpr std::array<std::string_view, 26> kFirstNames = {
    "Amina", "Brian", "Chen",  "Daudi", "Elif", "Farah", "Grace", "Hugo", "Imani", "Jonas", "Kofi", "Lina",  "Mateo",
    "Nia",   "Omar",  "Priya", "Quinn", "Rosa", "Sami",  "Tariq", "Uma",  "Vera",  "Wanji", "Xena", "Yusuf", "Zara"};

constexpr std::uint32_t kFirstCardNumber = 4000000;

std::uint8_t PickVerify(SplitMix64& rng) {
    const std::uint64_t roll = rng.Below(100);
    if (roll < 80) {
        return kVerifyFingerprint;
    }
    if (roll < 92) {
        return kVerifyFace;
    }
    return roll < 98 ? kVerifyCard : kVerifyPassword;
}

std::int32_t PickIn(SplitMix64& rng, Window w) {
    return w.from + static_cast<std::int32_t>(rng.Below(static_cast<std::uint64_t>(w.to - w.from)));
}

// `count` punch times of one user on one day, strictly increasing: arrival, evenly spread daytime punches (one per
// slot, so they never collide), departure.
std::vector<std::int32_t> PunchTimes(SplitMix64& rng, std::uint32_t count) {
    std::vector<std::int32_t> times;
    times.reserve(count);
    times.push_back(PickIn(rng, kArrival));
    const std::uint32_t daytime = count - 2;
    if (daytime > 0) {
        const std::int32_t slot = (kDaytime.to - kDaytime.from) / static_cast<std::int32_t>(daytime);
        for (std::uint32_t i = 0; i < daytime; ++i) {
            const std::int32_t from = kDaytime.from + static_cast<std::int32_t>(i) * slot;
            times.push_back(PickIn(rng, {from, from + slot}));
        }
    }
    times.push_back(PickIn(rng, kDeparture));
    return times;
}

std::uint8_t StateOfPunch(std::uint32_t index, std::uint32_t count) {
    if (index == 0) {
        return kCheckIn;
    }
    if (index + 1 == count) {
        return kCheckOut;
    }
    return index % 2 == 1 ? kBreakOut : kBreakIn;
}

std::vector<User> MakeUsers(std::uint32_t count, SplitMix64& rng) {
    std::vector<User> users;
    users.reserve(count);
    for (std::uint32_t i = 0; i < count; ++i) {
        User u;
        u.uid = static_cast<std::uint16_t>(i + 1);
        u.user_id = UserIdFor(u.uid);
        u.name = std::string(kFirstNames[rng.Below(kFirstNames.size())]) + " " +
                 static_cast<char>('A' + rng.Below(26)) + ".";
        // The first user administers the terminal, as on a freshly set-up unit.
        if (u.uid == 1) {
            u.privilege = protocol::zk::privilege::kSuperAdmin;
            u.password = "1234";
        }
        if (rng.Below(10) < 3) {
            u.card = kFirstCardNumber + u.uid;
        }
        u.group = 1;
        users.push_back(std::move(u));
    }
    return users;
}

// 31 February 2026 10:00:00 in the packed form, which EncodePackedTime refuses to produce.
constexpr std::uint32_t kThirtyFirstFebruary = ((26 * 12 * 31) + 1 * 31 + 30) * 86400 + 10 * 3600;

void CorruptTimestamps(std::vector<AttendanceRecord>& records, std::uint32_t count) {
    const std::uint64_t size = records.size();
    for (std::uint64_t k = 0; k < count; ++k) {
        const std::uint64_t at = (2 * k + 1) * size / (2 * std::uint64_t{count});
        records[at].packed_time = k % 2 == 0 ? 0 : kThirtyFirstFebruary;
    }
}

}  // namespace

core::Date FirstSchoolDay() {
    return core::DateFromYmd(2026, 3, 2);
}

std::string UserIdFor(std::uint16_t uid) {
    return std::to_string(1000 + std::uint32_t{uid});
}

core::Result<ZkPopulation> GeneratePopulation(const ZkPopulationSpec& spec) {
    if (spec.users > kMaxUsers) {
        return MakeError(Errc::kInvalidArgument, "at most " + std::to_string(kMaxUsers) + " users");
    }
    if (spec.records > kMaxRecords) {
        return MakeError(Errc::kInvalidArgument, "at most " + std::to_string(kMaxRecords) + " records");
    }
    if (spec.records > 0 && spec.users == 0) {
        return MakeError(Errc::kInvalidArgument, "records need at least one user");
    }
    if (spec.corrupt_timestamps > spec.records) {
        return MakeError(Errc::kInvalidArgument, "more corrupt timestamps than records");
    }
    SplitMix64 rng(spec.seed);
    ZkPopulation out;
    out.users = MakeUsers(spec.users, rng);
    out.records.reserve(spec.records);

    const std::uint64_t per_day_capacity = std::uint64_t{spec.users} * kSchoolDaysInLog;
    const auto punches_per_day = static_cast<std::uint32_t>(
        spec.users == 0 ? 2 : std::max<std::uint64_t>(2, (spec.records + per_day_capacity - 1) / per_day_capacity));

    struct Punch {
        std::int32_t time;
        std::uint16_t uid;
        std::uint8_t verify;
        std::uint8_t state;
    };
    std::vector<Punch> day;
    for (core::Date date = FirstSchoolDay(); out.records.size() < spec.records; date.days += 1) {
        if (core::Weekday(date) >= 5) {
            continue;
        }
        day.clear();
        for (const User& user : out.users) {
            if (rng.Below(100) < kAbsentPercent) {
                continue;
            }
            const std::vector<std::int32_t> times = PunchTimes(rng, punches_per_day);
            const bool forgot_out = rng.Below(100) < kNoPunchOutPercent;
            for (std::uint32_t i = 0; i < times.size(); ++i) {
                if (forgot_out && i + 1 == times.size()) {
                    break;
                }
                day.push_back({times[i], user.uid, PickVerify(rng), StateOfPunch(i, punches_per_day)});
            }
        }
        // The log is written as people arrive at the terminal.
        std::sort(day.begin(), day.end(), [](const Punch& a, const Punch& b) {
            return std::tie(a.time, a.uid) < std::tie(b.time, b.uid);
        });
        for (const Punch& p : day) {
            if (out.records.size() == spec.records) {
                break;
            }
            ROLLCALL_TRY(const auto device_time, protocol::zk::FromLocalDateTime(core::AtTime(date, p.time)));
            ROLLCALL_TRY(const std::uint32_t packed, protocol::zk::EncodePackedTime(device_time));
            AttendanceRecord r;
            r.uid = p.uid;
            r.user_id = UserIdFor(p.uid);
            r.packed_time = packed;
            r.verify = p.verify;
            r.state = p.state;
            out.records.push_back(std::move(r));
        }
    }
    CorruptTimestamps(out.records, spec.corrupt_timestamps);
    return out;
}

}  // namespace rollcall::sim
