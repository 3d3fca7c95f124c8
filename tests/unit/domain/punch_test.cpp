#include "domain/punch.hpp"

#include <cstdint>
#include <optional>
#include <string>

#include <gtest/gtest.h>

namespace rollcall::domain {
namespace {

RawRecord Good() {
    return RawRecord{"1042", "2026-03-12 07:45:09", std::nullopt, std::nullopt};
}

/// Validates `r` with the default limits and returns the reason, or "" when the record is valid.
std::string Reason(const RawRecord& r, const RecordLimits& limits = {}) {
    const auto v = ValidateRecord(r, limits);
    if (v.ok()) {
        return "";
    }
    EXPECT_EQ(v.error().code, core::Errc::kInvalidArgument);
    return v.error().message;
}

TEST(ValidateRecord, R3_GoodRecordIsKept) {
    RawRecord r = Good();
    r.status = 1;
    r.verify = 15;
    const auto v = ValidateRecord(r, {});
    ASSERT_TRUE(v.ok()) << v.error().message;
    EXPECT_EQ(v->user_id, "1042");
    EXPECT_EQ(v->timestamp, core::AtTime(core::DateFromYmd(2026, 3, 12), 7 * 3600 + 45 * 60 + 9));
    EXPECT_EQ(v->status, 1);
    EXPECT_EQ(v->verify, 15);
}

TEST(ValidateRecord, R3_StatusAndVerifyAreOptional) {
    const auto v = ValidateRecord(Good(), {});
    ASSERT_TRUE(v.ok());
    EXPECT_FALSE(v->status);
    EXPECT_FALSE(v->verify);
}

TEST(ValidateRecord, R3_MissingUserId) {
    RawRecord r = Good();
    r.user_id.reset();
    EXPECT_EQ(Reason(r), "missing user_id");
}

TEST(ValidateRecord, R3_EmptyUserId) {
    RawRecord r = Good();
    r.user_id = "";
    EXPECT_EQ(Reason(r), "user_id is empty");
}

TEST(ValidateRecord, R3_UserIdAtMaxLengthIsAccepted) {
    RawRecord r = Good();
    r.user_id = std::string(32, '7');
    const auto v = ValidateRecord(r, {});
    ASSERT_TRUE(v.ok()) << v.error().message;
    EXPECT_EQ(v->user_id, std::string(32, '7'));
}

TEST(ValidateRecord, R3_UserIdOneOverMaxLengthIsRefused) {
    RawRecord r = Good();
    r.user_id = std::string(33, '7');
    EXPECT_EQ(Reason(r), "user_id too long (max 32 characters)");
}

TEST(ValidateRecord, R3_MaxLengthIsALimit) {
    const RecordLimits limits{4};
    RawRecord r = Good();
    r.user_id = "1234";
    EXPECT_EQ(Reason(r, limits), "");
    r.user_id = "12345";
    EXPECT_EQ(Reason(r, limits), "user_id too long (max 4 characters)");
}

TEST(ValidateRecord, R3_ControlCharactersAreRefused) {
    for (const std::string& uid : {std::string("12\x01"),
                                   std::string("\t12"),
                                   std::string("1\n2"),
                                   std::string("12\r"),
                                   std::string("12\x1f"),
                                   std::string("12\x7f"),
                                   std::string("1\0002", 3)}) {
        RawRecord r = Good();
        r.user_id = uid;
        EXPECT_EQ(Reason(r), "user_id contains control characters") << static_cast<int>(uid.back());
    }
}

TEST(ValidateRecord, R3_PrintableAndNonAsciiUserIdsAreAccepted) {
    for (const std::string& uid : {std::string("A 12"), std::string("~!@#"), std::string("\xc3\xa9l\xc3\xa8ve")}) {
        RawRecord r = Good();
        r.user_id = uid;
        EXPECT_EQ(Reason(r), "") << uid;
    }
}

TEST(ValidateRecord, R3_MissingTimestamp) {
    RawRecord r = Good();
    r.timestamp.reset();
    EXPECT_EQ(Reason(r), "missing timestamp");
}

TEST(ValidateRecord, R3_UserIdIsCheckedBeforeTimestamp) {
    RawRecord r;
    EXPECT_EQ(Reason(r), "missing user_id");
}

TEST(ValidateRecord, R3_BadTimestampFormats) {
    for (const char* ts : {"",
                           "2026-03-12",
                           "2026-03-12 ",
                           "12/03/2026 08:00:00",
                           "2026-03-12 24:00:00",
                           "2026-03-12 08:60:00",
                           "2026-03-12 08:00:60",
                           "2026-02-30 08:00:00",
                           "2026-13-01 08:00:00",
                           "2026-03-12 8:00:00",
                           "2026-03-12  08:00:00",
                           "2026-03-12 08:00:00Z",
                           "2026-03-12 08:00:00.123",
                           "2026-03-12_08:00:00",
                           "1773309600",
                           "2026-03-12 08:00:0"}) {
        RawRecord r = Good();
        r.timestamp = ts;
        EXPECT_EQ(Reason(r), "bad timestamp format (expected YYYY-MM-DD HH:MM:SS)") << '"' << ts << '"';
    }
}

TEST(ValidateRecord, R3_AcceptedTimestampFormats) {
    const auto expected = core::AtTime(core::DateFromYmd(2026, 3, 12), 8 * 3600 + 5 * 60);
    for (const char* ts : {"2026-03-12 08:05:00", "2026-03-12T08:05:00", "2026-03-12 08:05"}) {
        RawRecord r = Good();
        r.timestamp = ts;
        const auto v = ValidateRecord(r, {});
        ASSERT_TRUE(v.ok()) << ts << ": " << v.error().message;
        EXPECT_EQ(v->timestamp, expected) << ts;
    }
}

TEST(ValidateRecord, R3_StatusRange) {
    for (const std::int64_t ok : {0, 1, 255}) {
        RawRecord r = Good();
        r.status = ok;
        const auto v = ValidateRecord(r, {});
        ASSERT_TRUE(v.ok()) << ok;
        EXPECT_EQ(v->status, static_cast<std::int32_t>(ok));
    }
    for (const std::int64_t bad : {std::int64_t{-1}, std::int64_t{256}, std::int64_t{1} << 40, INT64_MIN, INT64_MAX}) {
        RawRecord r = Good();
        r.status = bad;
        EXPECT_EQ(Reason(r), "status out of range (0-255)") << bad;
    }
}

TEST(ValidateRecord, R3_VerifyRange) {
    for (const std::int64_t ok : {0, 1, 255}) {
        RawRecord r = Good();
        r.verify = ok;
        const auto v = ValidateRecord(r, {});
        ASSERT_TRUE(v.ok()) << ok;
        EXPECT_EQ(v->verify, static_cast<std::int32_t>(ok));
    }
    for (const std::int64_t bad : {std::int64_t{-1}, std::int64_t{256}, std::int64_t{1} << 40, INT64_MIN, INT64_MAX}) {
        RawRecord r = Good();
        r.verify = bad;
        EXPECT_EQ(Reason(r), "verify out of range (0-255)") << bad;
    }
}

TEST(ValidateRecord, R3_StatusIsCheckedBeforeVerify) {
    RawRecord r = Good();
    r.status = 300;
    r.verify = 300;
    EXPECT_EQ(Reason(r), "status out of range (0-255)");
}

TEST(PunchSource, R2_Names) {
    EXPECT_EQ(PunchSourceName(PunchSource::kPush), "push");
    EXPECT_EQ(PunchSourceName(PunchSource::kAgent), "agent");
    EXPECT_EQ(PunchSourceName(PunchSource::kAdms), "adms");
    EXPECT_EQ(PunchSourceName(PunchSource::kImport), "import");
    EXPECT_EQ(PunchSourceName(PunchSource::kManual), "manual");
}

}  // namespace
}  // namespace rollcall::domain
