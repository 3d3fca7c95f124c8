#pragma once

// The two ZK time encodings (§5). Both are the device's naive wall-clock time with no zone:
// - packed u32 (GET_TIME, SET_TIME, stored attendance records): every month counted as 31 days, years from 2000;
// - six bytes year-2000, month, day, hour, minute, second (realtime events only).
// Decoding validates, because wrong record sizes and corrupt slots produce plausible-looking garbage
// (years 2087/2110, 31 February, raw 0); callers keep the raw value and skip or flag what fails.

#include "core/civil_time.hpp"
#include "core/result.hpp"
#include "protocol/zk/bytes.hpp"

#include <array>
#include <cstdint>

namespace rollcall::protocol::zk {

/// A device wall-clock time. Only years 2000-2099 are representable: the packed form stores year mod 100.
struct DeviceTime {
    int year = 2000;
    int month = 1;
    int day = 1;
    int hour = 0;
    int minute = 0;
    int second = 0;

    friend bool operator==(const DeviceTime&, const DeviceTime&) = default;
};

/// OK when the fields form a real calendar date and time in 2000-2099, else kInvalidArgument naming the field.
core::Status ValidateDeviceTime(const DeviceTime& time);

/// kInvalidArgument for raw 0 (an empty or corrupt slot, §5.1), a year past 2099 and impossible dates
/// such as 31 February, which the packed form can represent but no device clock produces.
core::Result<DeviceTime> DecodePackedTime(std::uint32_t packed);
core::Result<std::uint32_t> EncodePackedTime(const DeviceTime& time);

/// Six-byte realtime-event time; kInvalidArgument unless `bytes` is 6 bytes of a valid time.
core::Result<DeviceTime> DecodeEventTime(ByteView bytes);
core::Result<std::array<std::uint8_t, 6>> EncodeEventTime(const DeviceTime& time);

/// GET_TIME reply / SET_TIME request data: the packed u32. Decoding reads only the first 4 bytes because
/// zkteco-js sends SET_TIME in a 32-byte zero-padded buffer.
core::Result<Bytes> EncodeTimeData(const DeviceTime& time);
core::Result<DeviceTime> DecodeTimeData(ByteView data);

/// Conversions to the project's zone-less wall-clock type. `time` must be valid (as every decoded one is).
core::LocalDateTime ToLocalDateTime(const DeviceTime& time);
/// kInvalidArgument when `time` falls outside 2000-2099.
core::Result<DeviceTime> FromLocalDateTime(core::LocalDateTime time);

}  // namespace rollcall::protocol::zk
