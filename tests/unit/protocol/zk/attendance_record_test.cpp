#include "protocol/zk/attendance_record.hpp"

#include "protocol/zk/dataset.hpp"
#include "protocol/zk/time_codec.hpp"
#include "support/hex.hpp"
#include "support/value_of.hpp"

#include <vector>

#include <gtest/gtest.h>

namespace rollcall::protocol::zk {
namespace {

using testing::Hex;
using testing::ToHex;
using testing::ValueOf;

constexpr std::uint32_t kMarch15 = 0x2E5EF9B5;  // 2024-03-15 08:30:45

// The §7.2 example: uid 1, "101", fingerprint, 2024-03-15 08:30:45, check-in.
const Bytes kExample40 =
    Hex("01 00 31 30 31 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00"
        "01 b5 f9 5e 2e 00 00 00 00 00 00 00 00 00");

/// `n` distinct, valid records as a device would hold them.
std::vector<AttendanceRecord> Sample(std::size_t n) {
    std::vector<AttendanceRecord> out;
    for (std::size_t i = 0; i < n; ++i) {
        AttendanceRecord r;
        r.uid = static_cast<std::uint16_t>(i + 1);
        r.user_id = std::to_string(1000 + i);
        r.packed_time = kMarch15 + static_cast<std::uint32_t>(i * 61);
        r.verify = 1;
        r.state = static_cast<std::uint8_t>(i % 2);
        out.push_back(r);
    }
    return out;
}

Bytes Dataset(const std::vector<AttendanceRecord>& records, AttendanceFormat format) {
    return ValueOf(EncodeAttendanceDataset(records, format));
}

TEST(ZkAttendanceRecord, Example40Decodes) {
    const auto r = DecodeAttendanceRecord(kExample40, AttendanceFormat::kExtended40);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->uid, 1);
    EXPECT_EQ(r->user_id, "101");
    EXPECT_EQ(r->verify, 1);
    EXPECT_EQ(r->packed_time, kMarch15);
    EXPECT_EQ(r->state, 0);
}

TEST(ZkAttendanceRecord, Example40EncodesByteExact) {
    AttendanceRecord r;
    r.uid = 1;
    r.user_id = "101";
    r.verify = 1;
    r.packed_time = kMarch15;
    r.state = 0;
    const auto bytes = EncodeAttendanceRecord(r, AttendanceFormat::kExtended40);
    ASSERT_TRUE(bytes.ok()) << bytes.error().message;
    EXPECT_EQ(ToHex(*bytes), ToHex(kExample40));
}

TEST(ZkAttendanceRecord, CaptureRecordWithReservedBytesDecodes) {
    // uid 0x000D, "999111333", verify 1, time 0x2368B36B, state 0, reserved 00 00 00 00 ff 00 00 00.
    const Bytes bytes =
        Hex("0d 00 39 39 39 31 31 31 33 33 33 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00"
            "01 6b b3 68 23 00 00 00 00 00 ff 00 00 00");
    const auto r = DecodeAttendanceRecord(bytes, AttendanceFormat::kExtended40);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->uid, 0x0D);
    EXPECT_EQ(r->user_id, "999111333");
    EXPECT_EQ(r->verify, 1);
    EXPECT_EQ(r->packed_time, 0x2368B36Bu);
    EXPECT_EQ(*DecodePackedTime(r->packed_time), (DeviceTime{2018, 6, 25, 17, 50, 35}));
}

TEST(ZkAttendanceRecord, StateIsByte31AndVerifyByte26) {
    Bytes bytes = kExample40;
    bytes[26] = 15;  // face
    bytes[31] = 1;   // check-out
    const auto r = DecodeAttendanceRecord(bytes, AttendanceFormat::kExtended40);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->verify, 15);
    EXPECT_EQ(r->state, 1);
}

TEST(ZkAttendanceRecord, Record49ReadsThe40ByteFieldsAndIgnoresTheTail) {
    Bytes bytes = kExample40;
    bytes.resize(49, 0xEE);
    const auto r = DecodeAttendanceRecord(bytes, AttendanceFormat::kExtended49);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->user_id, "101");
    EXPECT_EQ(r->packed_time, kMarch15);
}

TEST(ZkAttendanceRecord, Example16Decodes) {
    const auto r =
        DecodeAttendanceRecord(Hex("65 00 00 00 b5 f9 5e 2e 01 00 00 00 00 00 00 00"), AttendanceFormat::kNumeric16);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->user_id, "101");
    EXPECT_EQ(r->packed_time, kMarch15);
    EXPECT_EQ(r->verify, 1);
    EXPECT_EQ(r->state, 0);
    EXPECT_EQ(r->work_code, 0u);
}

TEST(ZkAttendanceRecord, Example16EncodesByteExact) {
    AttendanceRecord r;
    r.user_id = "101";
    r.packed_time = kMarch15;
    r.verify = 1;
    const auto bytes = EncodeAttendanceRecord(r, AttendanceFormat::kNumeric16);
    ASSERT_TRUE(bytes.ok()) << bytes.error().message;
    EXPECT_EQ(ToHex(*bytes), "65 00 00 00 b5 f9 5e 2e 01 00 00 00 00 00 00 00");
}

TEST(ZkAttendanceRecord, Record16KeepsBytes8And9AndTheWorkCode) {
    const auto r =
        DecodeAttendanceRecord(Hex("65 00 00 00 b5 f9 5e 2e 04 05 00 00 2a 00 00 00"), AttendanceFormat::kNumeric16);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->verify, 4);
    EXPECT_EQ(r->state, 5);
    EXPECT_EQ(r->work_code, 42u);
}

TEST(ZkAttendanceRecord, Record8ReadsTheTimeAtOffset4) {
    // pyzk#56/#92/#99: reading at offset 3 gives years like 2087; offset 4 gives the real time.
    const auto r = DecodeAttendanceRecord(Hex("07002800a8eba71e"), AttendanceFormat::kCompact8);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->uid, 7);
    EXPECT_EQ(r->packed_time, 0x1EA7EBA8u);
    EXPECT_EQ(*DecodePackedTime(r->packed_time), (DeviceTime{2016, 1, 1, 19, 2, 0}));
    EXPECT_EQ(r->verify, 0x8);
    EXPECT_EQ(r->state, 0x2);
    EXPECT_EQ(r->user_id, "");
}

TEST(ZkAttendanceRecord, Record8EncodesByteExact) {
    AttendanceRecord r;
    r.uid = 7;
    r.verify = 8;
    r.state = 2;
    r.packed_time = 0x1EA7EBA8;
    const auto bytes = EncodeAttendanceRecord(r, AttendanceFormat::kCompact8);
    ASSERT_TRUE(bytes.ok()) << bytes.error().message;
    EXPECT_EQ(ToHex(*bytes), ToHex(Hex("07002800a8eba71e")));
}

TEST(ZkAttendanceRecord, WrongRecordLengthIsRejected) {
    EXPECT_FALSE(DecodeAttendanceRecord(ByteView(kExample40).first(39), AttendanceFormat::kExtended40).ok());
    EXPECT_FALSE(DecodeAttendanceRecord(kExample40, AttendanceFormat::kExtended49).ok());
    EXPECT_FALSE(DecodeAttendanceRecord(Hex("07002800a8eba7"), AttendanceFormat::kCompact8).ok());
}

TEST(ZkAttendanceRecord, EncodeRefusesWhatTheLayoutCannotHold) {
    AttendanceRecord r = Sample(1)[0];
    r.user_id = std::string(24, '9');
    EXPECT_FALSE(EncodeAttendanceRecord(r, AttendanceFormat::kExtended40).ok());
    r.user_id = std::string(23, '9');
    EXPECT_TRUE(EncodeAttendanceRecord(r, AttendanceFormat::kExtended40).ok());
    r.user_id = std::string(
        "1\0"
        "2",
        3);
    EXPECT_FALSE(EncodeAttendanceRecord(r, AttendanceFormat::kExtended40).ok());
    r.user_id = "A12";
    EXPECT_FALSE(EncodeAttendanceRecord(r, AttendanceFormat::kNumeric16).ok());
    r.user_id = "4294967296";
    EXPECT_FALSE(EncodeAttendanceRecord(r, AttendanceFormat::kNumeric16).ok());
    r.user_id = "007";  // would come back as "7"
    EXPECT_FALSE(EncodeAttendanceRecord(r, AttendanceFormat::kNumeric16).ok());
    r.user_id = "4294967295";
    EXPECT_TRUE(EncodeAttendanceRecord(r, AttendanceFormat::kNumeric16).ok());
    r.verify = 16;
    EXPECT_FALSE(EncodeAttendanceRecord(r, AttendanceFormat::kCompact8).ok());
}

TEST(ZkAttendanceRecord, RoundTripKeepsTheFieldsEachLayoutCarries) {
    AttendanceRecord full;
    full.uid = 513;
    full.user_id = "4711";
    full.packed_time = kMarch15;
    full.verify = 2;
    full.state = 3;
    full.work_code = 99;
    const auto project = [&](AttendanceFormat f) {
        AttendanceRecord r = full;
        if (f == AttendanceFormat::kNumeric16) {
            r.uid = 0;
        } else {
            r.work_code = 0;
        }
        if (f == AttendanceFormat::kCompact8) {
            r.user_id = "";
        }
        return r;
    };
    for (const auto f : {AttendanceFormat::kCompact8,
                         AttendanceFormat::kNumeric16,
                         AttendanceFormat::kExtended40,
                         AttendanceFormat::kExtended49}) {
        const auto bytes = EncodeAttendanceRecord(full, f);
        ASSERT_TRUE(bytes.ok()) << bytes.error().message;
        ASSERT_EQ(bytes->size(), RecordSize(f));
        const auto back = DecodeAttendanceRecord(*bytes, f);
        ASSERT_TRUE(back.ok()) << back.error().message;
        EXPECT_EQ(*back, project(f)) << RecordSize(f);
    }
}

TEST(ZkAttendanceRecord, DatasetRoundTrip) {
    const auto records = Sample(7);
    const Bytes dataset = Dataset(records, AttendanceFormat::kExtended40);
    EXPECT_EQ(dataset.size(), 4u + 7 * 40);
    EXPECT_EQ(ToHex(Bytes(dataset.begin(), dataset.begin() + 4)), "18 01 00 00");  // 280
    const auto back = DecodeAttendanceDataset(dataset, AttendanceFormat::kExtended40);
    ASSERT_TRUE(back.ok()) << back.error().message;
    EXPECT_EQ(*back, records);
}

TEST(ZkAttendanceRecord, DatasetNotAWholeNumberOfRecordsIsRejected) {
    const Bytes dataset = Dataset(Sample(2), AttendanceFormat::kExtended40);  // 80 bytes
    const auto as49 = DecodeAttendanceDataset(dataset, AttendanceFormat::kExtended49);
    ASSERT_FALSE(as49.ok());
    EXPECT_EQ(as49.error().code, core::Errc::kInvalidArgument);
}

TEST(ZkAttendanceRecord, EmptyDatasetHasNoRecords) {
    const auto prefix_only = DecodeAttendanceDataset(Hex("00 00 00 00"), AttendanceFormat::kExtended40);
    ASSERT_TRUE(prefix_only.ok());
    EXPECT_TRUE(prefix_only->empty());
    const auto nothing = DecodeAttendanceDataset(ByteView(), AttendanceFormat::kExtended40);
    ASSERT_TRUE(nothing.ok());
    EXPECT_TRUE(nothing->empty());
}

TEST(ZkAttendanceRecord, DetectTrustsTheRecordsOverACountThatNoLongerMatches) {
    // 1960 bytes are 49 records of 40 bytes or 40 records of 49 bytes: read at 49 bytes they are garbage.
    const Bytes dataset = Dataset(Sample(49), AttendanceFormat::kExtended40);
    EXPECT_EQ(ValueOf(DetectAttendanceFormat(dataset, 49)), AttendanceFormat::kExtended40);
    EXPECT_EQ(ValueOf(DetectAttendanceFormat(dataset, 40)), AttendanceFormat::kExtended40);
}

TEST(ZkAttendanceRecord, DetectIsNotFooledByADownloadThatCameShort) {
    // The terminal counts 100 records and sends 40 of 40 bytes: 1600 bytes, exactly 100 records of 16 bytes.
    // Decoded at 16 bytes the download would look complete and be garbage; at 40 it is 40 records, 60 short.
    const Bytes dataset = Dataset(Sample(40), AttendanceFormat::kExtended40);
    EXPECT_EQ(ValueOf(DetectAttendanceFormat(dataset, 100)), AttendanceFormat::kExtended40);
}

TEST(ZkAttendanceRecord, DetectLetsTheCountBreakATieBetweenEquallySaneSizes) {
    // 8-byte records read as 16 bytes look just as sane (each pair starts aligned): the count tells them apart.
    const Bytes dataset = Dataset(Sample(12), AttendanceFormat::kCompact8);
    EXPECT_EQ(ValueOf(DetectAttendanceFormat(dataset, 12)), AttendanceFormat::kCompact8);
    EXPECT_EQ(ValueOf(DetectAttendanceFormat(dataset, 6)), AttendanceFormat::kNumeric16);
}

TEST(ZkAttendanceRecord, DetectPicksTheClosestCountWhenAPunchLandedMeanwhile) {
    const Bytes dataset = Dataset(Sample(12), AttendanceFormat::kNumeric16);  // 192 = 24 x 8 = 12 x 16
    const auto format = DetectAttendanceFormat(dataset, 11);
    ASSERT_TRUE(format.ok());
    EXPECT_EQ(*format, AttendanceFormat::kNumeric16);
}

TEST(ZkAttendanceRecord, DetectWithoutCountsUsesFieldSanity) {
    struct Case {
        AttendanceFormat format;
        std::size_t records;
    };
    // Each length is divisible by more than one candidate size.
    for (const Case c : {Case{AttendanceFormat::kExtended40, 49},
                         Case{AttendanceFormat::kExtended49, 40},
                         Case{AttendanceFormat::kExtended40, 2},
                         Case{AttendanceFormat::kNumeric16, 5},
                         Case{AttendanceFormat::kCompact8, 10},
                         Case{AttendanceFormat::kCompact8, 6}}) {
        const Bytes dataset = Dataset(Sample(c.records), c.format);
        for (const std::optional<std::uint32_t> unknown : {std::optional<std::uint32_t>(), std::optional(0u)}) {
            const auto format = DetectAttendanceFormat(dataset, unknown);
            ASSERT_TRUE(format.ok()) << format.error().message;
            EXPECT_EQ(*format, c.format) << RecordSize(c.format) << " x " << c.records;
        }
    }
}

TEST(ZkAttendanceRecord, DetectRejectsALengthNoSizeDivides) {
    const Bytes dataset = MakeDataset(Bytes(41, 0));
    const auto format = DetectAttendanceFormat(dataset, std::nullopt);
    ASSERT_FALSE(format.ok());
    EXPECT_EQ(format.error().code, core::Errc::kInvalidArgument);
}

}  // namespace
}  // namespace rollcall::protocol::zk
