#include "protocol/zk/time_codec.hpp"

#include <string>

namespace rollcall::protocol::zk {
namespace {

using core::Errc;
using core::MakeError;

constexpr int kFirstYear = 2000;
constexpr int kLastYear = 2099;
constexpr std::uint32_t kSecondsPerDay = 86400;

bool IsLeap(int year) {
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int DaysInMonth(int year, int month) {
    constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return month == 2 && IsLeap(year) ? 29 : kDays[month - 1];
}

std::string Describe(const DeviceTime& t) {
    return std::to_string(t.year) + "-" + std::to_string(t.month) + "-" + std::to_string(t.day) + " " +
           std::to_string(t.hour) + ":" + std::to_string(t.minute) + ":" + std::to_string(t.second);
}

}  // namespace

core::Status ValidateDeviceTime(const DeviceTime& t) {
    if (t.year < kFirstYear || t.year > kLastYear) {
        return MakeError(Errc::kInvalidArgument, "year " + std::to_string(t.year) + " outside 2000-2099");
    }
    if (t.month < 1 || t.month > 12) {
        return MakeError(Errc::kInvalidArgument, "month " + std::to_string(t.month) + " outside 1-12");
    }
    if (t.day < 1 || t.day > DaysInMonth(t.year, t.month)) {
        return MakeError(Errc::kInvalidArgument,
                         "day " + std::to_string(t.day) + " does not exist in " + std::to_string(t.year) + "-" +
                             std::to_string(t.month));
    }
    if (t.hour < 0 || t.hour > 23) {
        return MakeError(Errc::kInvalidArgument, "hour " + std::to_string(t.hour) + " outside 0-23");
    }
    if (t.minute < 0 || t.minute > 59) {
        return MakeError(Errc::kInvalidArgument, "minute " + std::to_string(t.minute) + " outside 0-59");
    }
    // No leap seconds: device clocks do not produce them.
    if (t.second < 0 || t.second > 59) {
        return MakeError(Errc::kInvalidArgument, "second " + std::to_string(t.second) + " outside 0-59");
    }
    return {};
}

core::Result<DeviceTime> DecodePackedTime(std::uint32_t packed) {
    if (packed == 0) {
        return MakeError(Errc::kInvalidArgument, "packed time is 0 (empty or corrupt record)");
    }
    std::uint32_t t = packed;
    DeviceTime out;
    out.second = static_cast<int>(t % 60);
    t /= 60;
    out.minute = static_cast<int>(t % 60);
    t /= 60;
    out.hour = static_cast<int>(t % 24);
    t /= 24;
    out.day = static_cast<int>(t % 31) + 1;
    t /= 31;
    out.month = static_cast<int>(t % 12) + 1;
    t /= 12;
    out.year = kFirstYear + static_cast<int>(t);
    if (auto valid = ValidateDeviceTime(out); !valid) {
        return MakeError(
            Errc::kInvalidArgument,
            "packed time " + std::to_string(packed) + " decodes to " + Describe(out) + ": " + valid.error().message);
    }
    return out;
}

core::Result<std::uint32_t> EncodePackedTime(const DeviceTime& t) {
    ROLLCALL_CHECK(ValidateDeviceTime(t));
    const auto days = static_cast<std::uint32_t>((t.year % 100) * 12 * 31 + (t.month - 1) * 31 + (t.day - 1));
    return days * kSecondsPerDay + static_cast<std::uint32_t>((t.hour * 60 + t.minute) * 60 + t.second);
}

core::Result<DeviceTime> DecodeEventTime(ByteView bytes) {
    if (bytes.size() != 6) {
        return MakeError(Errc::kInvalidArgument, "event time must be 6 bytes, got " + std::to_string(bytes.size()));
    }
    DeviceTime out{kFirstYear + bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5]};
    ROLLCALL_CHECK(ValidateDeviceTime(out));
    return out;
}

core::Result<std::array<std::uint8_t, 6>> EncodeEventTime(const DeviceTime& t) {
    ROLLCALL_CHECK(ValidateDeviceTime(t));
    return std::array<std::uint8_t, 6>{static_cast<std::uint8_t>(t.year - kFirstYear),
                                       static_cast<std::uint8_t>(t.month),
                                       static_cast<std::uint8_t>(t.day),
                                       static_cast<std::uint8_t>(t.hour),
                                       static_cast<std::uint8_t>(t.minute),
                                       static_cast<std::uint8_t>(t.second)};
}

core::Result<Bytes> EncodeTimeData(const DeviceTime& time) {
    ROLLCALL_TRY(const std::uint32_t packed, EncodePackedTime(time));
    Bytes out;
    AppendU32(out, packed);
    return out;
}

core::Result<DeviceTime> DecodeTimeData(ByteView data) {
    if (data.size() < 4) {
        return MakeError(Errc::kInvalidArgument, "time data needs 4 bytes, got " + std::to_string(data.size()));
    }
    return DecodePackedTime(ReadU32(data, 0));
}

core::LocalDateTime ToLocalDateTime(const DeviceTime& t) {
    const core::Date date = core::DateFromYmd(t.year, static_cast<unsigned>(t.month), static_cast<unsigned>(t.day));
    return core::AtTime(date, t.hour * 3600 + t.minute * 60 + t.second);
}

core::Result<DeviceTime> FromLocalDateTime(core::LocalDateTime time) {
    // Checked before the calendar conversion, whose int arithmetic is not meant for arbitrary values.
    const core::LocalDateTime first = core::AtTime(core::DateFromYmd(kFirstYear, 1, 1), 0);
    const core::LocalDateTime end = core::AtTime(core::DateFromYmd(kLastYear + 1, 1, 1), 0);
    if (time < first || time >= end) {
        return MakeError(Errc::kInvalidArgument, "time outside 2000-2099 cannot be sent to a device");
    }
    int year = 0;
    unsigned month = 0;
    unsigned day = 0;
    core::YmdFromDate(time.date(), year, month, day);
    const std::int32_t seconds = time.time_of_day();
    DeviceTime out{
        year, static_cast<int>(month), static_cast<int>(day), seconds / 3600, seconds / 60 % 60, seconds % 60};
    ROLLCALL_CHECK(ValidateDeviceTime(out));
    return out;
}

}  // namespace rollcall::protocol::zk
