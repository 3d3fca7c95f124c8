#pragma once

// Attendance log records (§7.2-§7.4) in the four layouts firmware uses: 40 bytes (TFT "ZK8"), 49 bytes
// (SpeedFace-V5L: the 40-byte fields plus 9 unknown bytes), 16 bytes (BW "ZK6", numeric PIN) and 8 bytes
// (oldest units, uid only). Datasets carry no format flag; DetectAttendanceFormat applies the §7.1 rule.

#include "core/result.hpp"
#include "protocol/zk/bytes.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace rollcall::protocol::zk {

/// The enumerator value is the record size in bytes.
enum class AttendanceFormat : std::uint8_t { kCompact8 = 8, kNumeric16 = 16, kExtended40 = 40, kExtended49 = 49 };

inline constexpr std::size_t RecordSize(AttendanceFormat format) {
    return static_cast<std::size_t>(format);
}

/// One punch as stored by the device. The time is kept raw: decoding a record never fails on a bad time, the
/// caller decodes it with DecodePackedTime and skips or flags what fails (corrupt slots exist, §9).
struct AttendanceRecord {
    std::uint16_t uid = 0;          ///< device-internal user index; 40/49/8-byte layouts, else 0
    std::string user_id;            ///< the PIN; 16-byte layout: the u32 in decimal; 8-byte layout: empty (map uid
                                    ///< through the user list)
    std::uint32_t packed_time = 0;  ///< §5.1
    /// Verify method (0 password, 1 fingerprint, 2 card, 15 face): byte 26 of 40/49; byte 8 of 16 (pyzk
    /// `status`; which of bytes 8/9 is which is unsettled); low nibble of byte 2 of 8 (one report).
    std::uint8_t verify = 0;
    /// In/out state (0 check-in, 1 check-out, 2 break-out, 3 break-in, 4 OT-in, 5 OT-out): byte 31 of 40/49;
    /// byte 9 of 16 (pyzk `punch`); high nibble of byte 2 of 8.
    std::uint8_t state = 0;
    std::uint32_t work_code = 0;  ///< 16-byte layout only

    friend bool operator==(const AttendanceRecord&, const AttendanceRecord&) = default;
};

/// kInvalidArgument unless `bytes` is exactly one record of `format`.
core::Result<AttendanceRecord> DecodeAttendanceRecord(ByteView bytes, AttendanceFormat format);

/// Fields the layout has no room for are left out (uid in 16; user_id in 8; work_code outside 16), so one list
/// of records can be served in any format. kInvalidArgument when a field the layout carries cannot hold the
/// value: user_id over 23 bytes or with a NUL (40/49), not a canonical u32 (16); verify or state over 15 (8).
/// Reserved and unknown bytes are written as zeros.
core::Result<Bytes> EncodeAttendanceRecord(const AttendanceRecord& record, AttendanceFormat format);

/// A whole dataset (prefix + records) of one format.
core::Result<std::vector<AttendanceRecord>> DecodeAttendanceDataset(ByteView dataset, AttendanceFormat format);
core::Result<Bytes> EncodeAttendanceDataset(std::span<const AttendanceRecord> records, AttendanceFormat format);

/// §7.1 for a dataset (prefix + records): candidates 40, 49, 16, 8; `expected_count` is FREE_SIZES'
/// attendance count when known. kInvalidArgument when the dataset is malformed or no size divides it.
core::Result<AttendanceFormat> DetectAttendanceFormat(ByteView dataset, std::optional<std::uint32_t> expected_count);

}  // namespace rollcall::protocol::zk
