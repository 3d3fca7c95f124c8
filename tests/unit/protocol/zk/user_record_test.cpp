#include "protocol/zk/user_record.hpp"

#include "protocol/zk/dataset.hpp"
#include "support/hex.hpp"
#include "support/value_of.hpp"

#include <vector>

#include <gtest/gtest.h>

namespace rollcall::protocol::zk {
namespace {

using testing::Hex;
using testing::ToHex;
using testing::ValueOf;

std::vector<User> Sample(std::size_t n) {
    std::vector<User> out;
    for (std::size_t i = 0; i < n; ++i) {
        User u;
        u.uid = static_cast<std::uint16_t>(i + 1);
        u.privilege = i == 0 ? privilege::kSuperAdmin : privilege::kUser;
        u.password = i % 2 == 0 ? "" : "1234";
        u.name = "Pupil " + std::to_string(i);
        u.card = static_cast<std::uint32_t>(i * 1000);
        u.group = 1;
        u.user_id = std::to_string(2000 + i);
        out.push_back(u);
    }
    return out;
}

Bytes Dataset(const std::vector<User>& users, UserFormat format) {
    return ValueOf(EncodeUserDataset(users, format));
}

// uid 3, admin (14), password "12", name "Ann Lee", card 0x00BC614E, group 1, group id "1", PIN "1042".
const Bytes kUser72 =
    Hex("03 00 0e 31 32 00 00 00 00 00 00 41 6e 6e 20 4c 65 65 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00"
        "4e 61 bc 00 01 31 00 00 00 00 00 00 00 31 30 34 32 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00"
        "00 00");

// uid 3, admin, password "12345" (fills its field), name "Ann Lee", card 0x00BC614E, group 1, tz 2, PIN 1042.
const Bytes kUser28 = Hex("03 00 0e 31 32 33 34 35 41 6e 6e 20 4c 65 65 00 4e 61 bc 00 00 01 02 00 12 04 00 00");

/// Ann Lee as both golden vectors carry her; each format adds its own fields and keeps its own password.
User AnnLee(const std::string& password) {
    User u;
    u.uid = 3;
    u.privilege = privilege::kSuperAdmin;
    u.password = password;
    u.name = "Ann Lee";
    u.card = 0x00BC614E;
    u.group = 1;
    u.user_id = "1042";
    return u;
}

/// The fields of AnnLee(password), one by one, so that a failure names the field.
void ExpectAnnLee(const User& u, const std::string& password) {
    EXPECT_EQ(u.uid, 3);
    EXPECT_EQ(u.privilege, privilege::kSuperAdmin);
    EXPECT_EQ(u.password, password);
    EXPECT_EQ(u.name, "Ann Lee");
    EXPECT_EQ(u.card, 0x00BC614Eu);
    EXPECT_EQ(u.group, 1);
    EXPECT_EQ(u.user_id, "1042");
}

TEST(ZkUserRecord, User72DecodesEveryField) {
    ASSERT_EQ(kUser72.size(), 72u);
    const auto u = DecodeUser(kUser72, UserFormat::kExtended72);
    ASSERT_TRUE(u.ok()) << u.error().message;
    ExpectAnnLee(*u, "12");
    EXPECT_EQ(u->group_id, "1");
}

TEST(ZkUserRecord, User72EncodesByteExact) {
    User u = AnnLee("12");
    u.group_id = "1";
    const auto bytes = EncodeUser(u, UserFormat::kExtended72);
    ASSERT_TRUE(bytes.ok()) << bytes.error().message;
    EXPECT_EQ(ToHex(*bytes), ToHex(kUser72));
}

TEST(ZkUserRecord, PasswordJunkAfterTheNulIsDropped) {
    Bytes bytes = kUser72;
    bytes[6] = 0x7A;  // after "12\0"
    const auto u = DecodeUser(bytes, UserFormat::kExtended72);
    ASSERT_TRUE(u.ok());
    EXPECT_EQ(u->password, "12");
}

TEST(ZkUserRecord, User28DecodesEveryField) {
    ASSERT_EQ(kUser28.size(), 28u);
    const auto u = DecodeUser(kUser28, UserFormat::kCompact28);
    ASSERT_TRUE(u.ok()) << u.error().message;
    ExpectAnnLee(*u, "12345");
    EXPECT_EQ(u->time_zone, 2);
}

TEST(ZkUserRecord, User28EncodesByteExact) {
    User u = AnnLee("12345");
    u.time_zone = 2;
    const auto bytes = EncodeUser(u, UserFormat::kCompact28);
    ASSERT_TRUE(bytes.ok()) << bytes.error().message;
    EXPECT_EQ(ToHex(*bytes), ToHex(kUser28));
}

TEST(ZkUserRecord, User28NameMayFillAllEightBytes) {
    User u = Sample(1)[0];
    u.name = "ABCDEFGH";
    const auto bytes = EncodeUser(u, UserFormat::kCompact28);
    ASSERT_TRUE(bytes.ok());
    const auto back = DecodeUser(*bytes, UserFormat::kCompact28);
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(back->name, "ABCDEFGH");
}

TEST(ZkUserRecord, NegativeTimeZoneRoundTrips) {
    User u = Sample(1)[0];
    u.time_zone = -1;
    const auto back = DecodeUser(*EncodeUser(u, UserFormat::kCompact28), UserFormat::kCompact28);
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(back->time_zone, -1);
}

TEST(ZkUserRecord, EncodeRefusesWhatTheLayoutCannotHold) {
    User u = Sample(1)[0];
    u.name = std::string(24, 'x');
    EXPECT_FALSE(EncodeUser(u, UserFormat::kExtended72).ok());
    u.name = std::string(23, 'x');
    EXPECT_TRUE(EncodeUser(u, UserFormat::kExtended72).ok());
    EXPECT_FALSE(EncodeUser(u, UserFormat::kCompact28).ok());
    u.name = "x";
    u.password = "12345678";
    EXPECT_FALSE(EncodeUser(u, UserFormat::kExtended72).ok());
    u.password = "123456";
    EXPECT_FALSE(EncodeUser(u, UserFormat::kCompact28).ok());
    u.password = "";
    u.group_id = "1234567";
    EXPECT_FALSE(EncodeUser(u, UserFormat::kExtended72).ok());
    u.group_id = "";
    u.user_id = "A7";
    EXPECT_TRUE(EncodeUser(u, UserFormat::kExtended72).ok());
    EXPECT_FALSE(EncodeUser(u, UserFormat::kCompact28).ok());
    u.user_id = std::string(24, '1');
    EXPECT_FALSE(EncodeUser(u, UserFormat::kExtended72).ok());
}

TEST(ZkUserRecord, WrongRecordLengthIsRejected) {
    EXPECT_FALSE(DecodeUser(ByteView(kUser72).first(71), UserFormat::kExtended72).ok());
    EXPECT_FALSE(DecodeUser(kUser72, UserFormat::kCompact28).ok());
    EXPECT_FALSE(DecodeUser(ByteView(), UserFormat::kCompact28).ok());
}

TEST(ZkUserRecord, DatasetOfThreeUsersHasPrefix216) {
    const Bytes dataset = Dataset(Sample(3), UserFormat::kExtended72);
    EXPECT_EQ(dataset.size(), 220u);
    EXPECT_EQ(ToHex(Bytes(dataset.begin(), dataset.begin() + 4)), "d8 00 00 00");
}

TEST(ZkUserRecord, DatasetRoundTripInBothFormats) {
    const auto users = Sample(5);
    for (const auto f : {UserFormat::kExtended72, UserFormat::kCompact28}) {
        const auto back = DecodeUserDataset(Dataset(users, f), f);
        ASSERT_TRUE(back.ok()) << back.error().message;
        EXPECT_EQ(*back, users) << RecordSize(f);
    }
}

TEST(ZkUserRecord, DetectTrustsTheRecordsOverACountThatNoLongerMatches) {
    const Bytes dataset = Dataset(Sample(7), UserFormat::kExtended72);  // 504 = 7 x 72 = 18 x 28
    EXPECT_EQ(*DetectUserFormat(dataset, 7), UserFormat::kExtended72);
    // A count of 18 fits 28-byte users, but read at 28 bytes these are garbage: the records win (§7.1).
    EXPECT_EQ(*DetectUserFormat(dataset, 18), UserFormat::kExtended72);
}

TEST(ZkUserRecord, DetectWithoutCountsUsesFieldSanity) {
    const Bytes as72 = Dataset(Sample(7), UserFormat::kExtended72);
    const auto f72 = DetectUserFormat(as72, std::nullopt);
    ASSERT_TRUE(f72.ok()) << f72.error().message;
    EXPECT_EQ(*f72, UserFormat::kExtended72);
    const Bytes as28 = Dataset(Sample(18), UserFormat::kCompact28);
    const auto f28 = DetectUserFormat(as28, std::nullopt);
    ASSERT_TRUE(f28.ok()) << f28.error().message;
    EXPECT_EQ(*f28, UserFormat::kCompact28);
}

TEST(ZkUserRecord, DetectRejectsALengthNoSizeDivides) {
    EXPECT_FALSE(DetectUserFormat(MakeDataset(Bytes(100, 0)), 3).ok());
}

}  // namespace
}  // namespace rollcall::protocol::zk
