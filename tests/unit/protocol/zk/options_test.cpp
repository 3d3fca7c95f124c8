#include "protocol/zk/options.hpp"

#include "support/hex.hpp"

#include <gtest/gtest.h>

namespace rollcall::protocol::zk {
namespace {

using testing::Hex;
using testing::ToHex;

TEST(ZkOptions, RequestIsTheNameAndANul) {
    const auto data = EncodeOptionRequest("~SerialNumber");
    ASSERT_TRUE(data.ok());
    EXPECT_EQ(ToHex(*data), "7e 53 65 72 69 61 6c 4e 75 6d 62 65 72 00");
}

TEST(ZkOptions, DeviceAcceptsTheNameWithOrWithoutNul) {
    EXPECT_EQ(*DecodeOptionRequest(ToBytes(std::string_view("~SerialNumber\0", 14))), "~SerialNumber");
    EXPECT_EQ(*DecodeOptionRequest(ToBytes("~SerialNumber")), "~SerialNumber");  // zkteco-js
}

TEST(ZkOptions, EmptyRequestIsRejected) {
    EXPECT_FALSE(DecodeOptionRequest(ByteView()).ok());
    EXPECT_FALSE(DecodeOptionRequest(Hex("00")).ok());
    EXPECT_FALSE(EncodeOptionRequest("").ok());
    EXPECT_FALSE(EncodeOptionRequest("a=b").ok());
}

TEST(ZkOptions, ReplyIsNameEqualsValueAndANul) {
    const auto data = EncodeOptionValue({"~SerialNumber", "AIOR192960031"});
    ASSERT_TRUE(data.ok());
    EXPECT_EQ(*data, ToBytes(std::string_view("~SerialNumber=AIOR192960031\0", 28)));
}

TEST(ZkOptions, ReplyDecodesAtTheFirstEqualsSign) {
    const auto option = DecodeOptionValue(ToBytes(std::string_view("MAC=00:17:61:11:45:08\0junk\0", 27)));
    ASSERT_TRUE(option.ok());
    EXPECT_EQ(*option, (OptionValue{"MAC", "00:17:61:11:45:08"}));
    const auto with_equals = DecodeOptionValue(ToBytes("~ProductTime=a=b"));
    ASSERT_TRUE(with_equals.ok());
    EXPECT_EQ(with_equals->value, "a=b");
}

TEST(ZkOptions, ReplyWithoutNameOrEqualsIsRejected) {
    EXPECT_FALSE(DecodeOptionValue(ToBytes("novalue")).ok());
    EXPECT_FALSE(DecodeOptionValue(ToBytes("=1")).ok());
    EXPECT_FALSE(DecodeOptionValue(ByteView()).ok());
}

TEST(ZkOptions, WriteRequestUsesTheSameFormat) {
    const auto data = EncodeOptionValue({"SDKBuild", "1"});
    ASSERT_TRUE(data.ok());
    EXPECT_EQ(*data, ToBytes(std::string_view("SDKBuild=1\0", 11)));
    EXPECT_FALSE(EncodeOptionValue({"SDKBuild", std::string("1\0", 2)}).ok());
}

TEST(ZkOptions, VersionTextStopsAtTheNul) {
    EXPECT_EQ(DecodeText(ToBytes(std::string_view("Ver 6.60 Apr 28 2015\0", 21))), "Ver 6.60 Apr 28 2015");
    EXPECT_EQ(DecodeText(ToBytes("Ver 6.60")), "Ver 6.60");
    EXPECT_EQ(*EncodeText("Ver 6.60"), ToBytes(std::string_view("Ver 6.60\0", 9)));
    EXPECT_FALSE(EncodeText(std::string_view("a\0b", 3)).ok());
}

}  // namespace
}  // namespace rollcall::protocol::zk
