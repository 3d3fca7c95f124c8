#include "protocol/zk/attendance_record.hpp"

#include "protocol/zk/dataset.hpp"
#include "protocol/zk/fields.hpp"
#include "protocol/zk/time_codec.hpp"

#include <array>
#include <string>

namespace rollcall::protocol::zk {
namespace {

using core::Errc;
using core::MakeError;

// 40/49-byte layout. The time sits at the unaligned offset 27.
constexpr std::size_t kUidAt = 0;
constexpr std::size_t kUserIdAt = 2;
constexpr std::size_t kUserIdWidth = 24;
constexpr std::size_t kVerifyAt = 26;
constexpr std::size_t kTimeAt = 27;
constexpr std::size_t kStateAt = 31;

// 16-byte layout.
constexpr std::size_t kNumericTimeAt = 4;
constexpr std::size_t kNumericVerifyAt = 8;
constexpr std::size_t kNumericStateAt = 9;
constexpr std::size_t kNumericWorkCodeAt = 12;

// 8-byte layout. The time is at 4: pyzk's offset 3 is the cause of its years 2087/2110 (§7.4).
constexpr std::size_t kCompactFlagsAt = 2;
constexpr std::size_t kCompactTimeAt = 4;

constexpr std::array<std::size_t, 4> kCandidateSizes = {40, 49, 16, 8};

bool LooksLikeAttendance(ByteView record, std::size_t size) {
    switch (size) {
        case 40:
        case 49:
            return LooksLikeUserId(record.subspan(kUserIdAt, kUserIdWidth)) &&
                   DecodePackedTime(ReadU32(record, kTimeAt)).ok();
        case 16:
            return DecodePackedTime(ReadU32(record, kNumericTimeAt)).ok();
        case 8:
            return DecodePackedTime(ReadU32(record, kCompactTimeAt)).ok();
        default:
            return false;
    }
}

}  // namespace

core::Result<AttendanceRecord> DecodeAttendanceRecord(ByteView bytes, AttendanceFormat format) {
    if (bytes.size() != RecordSize(format)) {
        return MakeError(Errc::kInvalidArgument,
                         "attendance record of " + std::to_string(bytes.size()) + " bytes, expected " +
                             std::to_string(RecordSize(format)));
    }
    AttendanceRecord r;
    switch (format) {
        case AttendanceFormat::kExtended40:
        case AttendanceFormat::kExtended49:
            r.uid = ReadU16(bytes, kUidAt);
            r.user_id = ReadText(bytes.subspan(kUserIdAt, kUserIdWidth));
            r.verify = bytes[kVerifyAt];
            r.packed_time = ReadU32(bytes, kTimeAt);
            r.state = bytes[kStateAt];
            break;
        case AttendanceFormat::kNumeric16:
            r.user_id = std::to_string(ReadU32(bytes, 0));
            r.packed_time = ReadU32(bytes, kNumericTimeAt);
            r.verify = bytes[kNumericVerifyAt];
            r.state = bytes[kNumericStateAt];
            r.work_code = ReadU32(bytes, kNumericWorkCodeAt);
            break;
        case AttendanceFormat::kCompact8:
            r.uid = ReadU16(bytes, kUidAt);
            r.verify = bytes[kCompactFlagsAt] & 0x0F;
            r.state = bytes[kCompactFlagsAt] >> 4;
            r.packed_time = ReadU32(bytes, kCompactTimeAt);
            break;
    }
    return r;
}

core::Result<Bytes> EncodeAttendanceRecord(const AttendanceRecord& r, AttendanceFormat format) {
    Bytes out(RecordSize(format), 0);
    switch (format) {
        case AttendanceFormat::kExtended40:
        case AttendanceFormat::kExtended49:
            // One byte is kept for the NUL: peers read the PIN as a C string.
            ROLLCALL_CHECK(CheckTextField(r.user_id, kUserIdWidth - 1, "user_id"));
            WriteU16(out, kUidAt, r.uid);
            WriteText(std::span(out).subspan(kUserIdAt, kUserIdWidth), r.user_id);
            out[kVerifyAt] = r.verify;
            WriteU32(out, kTimeAt, r.packed_time);
            out[kStateAt] = r.state;
            break;
        case AttendanceFormat::kNumeric16: {
            ROLLCALL_TRY(const std::uint32_t numeric_id, NumericUserId(r.user_id));
            WriteU32(out, 0, numeric_id);
            WriteU32(out, kNumericTimeAt, r.packed_time);
            out[kNumericVerifyAt] = r.verify;
            out[kNumericStateAt] = r.state;
            WriteU32(out, kNumericWorkCodeAt, r.work_code);
            break;
        }
        case AttendanceFormat::kCompact8:
            if (r.verify > 0x0F || r.state > 0x0F) {
                return MakeError(Errc::kInvalidArgument, "verify and state must be 0-15 in 8-byte records");
            }
            WriteU16(out, kUidAt, r.uid);
            out[kCompactFlagsAt] = static_cast<std::uint8_t>(r.verify | (r.state << 4));
            WriteU32(out, kCompactTimeAt, r.packed_time);
            break;
    }
    return out;
}

core::Result<std::vector<AttendanceRecord>> DecodeAttendanceDataset(ByteView dataset, AttendanceFormat format) {
    ROLLCALL_TRY(const ByteView records, DatasetRecords(dataset));
    const std::size_t size = RecordSize(format);
    if (records.size() % size != 0) {
        return MakeError(Errc::kInvalidArgument,
                         "attendance dataset of " + std::to_string(records.size()) +
                             " bytes is not a whole number of " + std::to_string(size) + "-byte records");
    }
    std::vector<AttendanceRecord> out;
    out.reserve(records.size() / size);
    for (std::size_t at = 0; at < records.size(); at += size) {
        ROLLCALL_TRY(AttendanceRecord record, DecodeAttendanceRecord(records.subspan(at, size), format));
        out.push_back(std::move(record));
    }
    return out;
}

core::Result<Bytes> EncodeAttendanceDataset(std::span<const AttendanceRecord> records, AttendanceFormat format) {
    Bytes body;
    body.reserve(records.size() * RecordSize(format));
    for (std::size_t i = 0; i < records.size(); ++i) {
        auto encoded = EncodeAttendanceRecord(records[i], format);
        if (!encoded) {
            return MakeError(Errc::kInvalidArgument,
                             "attendance record " + std::to_string(i) + ": " + encoded.error().message);
        }
        body.insert(body.end(), encoded->begin(), encoded->end());
    }
    return MakeDataset(body);
}

core::Result<AttendanceFormat> DetectAttendanceFormat(ByteView dataset, std::optional<std::uint32_t> expected_count) {
    ROLLCALL_TRY(const ByteView records, DatasetRecords(dataset));
    ROLLCALL_TRY(const std::size_t size, PickRecordSize(records, kCandidateSizes, expected_count, LooksLikeAttendance));
    // PickRecordSize only returns one of the candidates, each an AttendanceFormat value.
    return static_cast<AttendanceFormat>(size);
}

}  // namespace rollcall::protocol::zk
