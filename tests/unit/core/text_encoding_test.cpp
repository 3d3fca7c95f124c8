#include "core/text_encoding.hpp"

#include <gtest/gtest.h>

namespace rollcall::core {
namespace {

TEST(TextEncoding, Utf8NamesOfEveryScriptAreValid) {
    EXPECT_TRUE(IsValidUtf8(""));
    EXPECT_TRUE(IsValidUtf8("Amina Njeri"));
    EXPECT_TRUE(IsValidUtf8("Zoë Müller-Çelik"));                   // two bytes
    EXPECT_TRUE(IsValidUtf8("\xE2\x82\xAC 李小龍"));                // three bytes
    EXPECT_TRUE(IsValidUtf8("\xF0\x9F\x98\x80 \xF4\x8F\xBF\xBF"));  // four bytes, up to U+10FFFF
}

TEST(TextEncoding, BytesThatAreNotUtf8AreFoundAtTheirOffset) {
    EXPECT_EQ(FirstInvalidUtf8("Zo\xEB"), 2U);            // Windows-1252 "ë"
    EXPECT_EQ(FirstInvalidUtf8("ab\x80"), 2U);            // a continuation byte alone
    EXPECT_EQ(FirstInvalidUtf8("\xC3"), 0U);              // cut short
    EXPECT_EQ(FirstInvalidUtf8("\xC0\xAF"), 0U);          // overlong "/"
    EXPECT_EQ(FirstInvalidUtf8("\xE0\x80\xAF"), 0U);      // overlong, three bytes
    EXPECT_EQ(FirstInvalidUtf8("a\xED\xA0\x80"), 1U);     // a UTF-16 surrogate written as UTF-8
    EXPECT_EQ(FirstInvalidUtf8("\xF4\x90\x80\x80"), 0U);  // above U+10FFFF
    EXPECT_EQ(FirstInvalidUtf8("\xFF\xFE"), 0U);          // a UTF-16 byte order mark
}

TEST(TextEncoding, AUtf8SequenceIsToldFromPlainAscii) {
    EXPECT_FALSE(HasUtf8Sequence("Amina,student"));
    EXPECT_FALSE(HasUtf8Sequence("Zo\xEB"));
    EXPECT_TRUE(HasUtf8Sequence("Zo\xC3\xAB"));
}

TEST(TextEncoding, Windows1252BecomesUtf8WithItsOwnPunctuation) {
    EXPECT_EQ(Windows1252ToUtf8("Zo\xEB M\xFCller-\xC7"
                                "elik"),
              "Zoë Müller-Çelik");
    EXPECT_EQ(Windows1252ToUtf8("\x80 \x8C\x9C \x93quoted\x94 \x96"), "€ Œœ “quoted” –");
    EXPECT_EQ(Windows1252ToUtf8("plain"), "plain");
    for (const char undefined : {'\x81', '\x8D', '\x8F', '\x90', '\x9D'}) {
        EXPECT_FALSE(Windows1252ToUtf8(std::string("a") + undefined)) << static_cast<int>(undefined);
    }
}

TEST(TextEncoding, AsciiLowerFoldsOnlyAsciiLetters) {
    EXPECT_EQ(AsciiLower("Main GATE 2"), "main gate 2");
    EXPECT_EQ(AsciiLower("ÉCOLE Zoë"), "École zoë") << "UTF-8 bytes are left as they are";
}

TEST(TextEncoding, ATerminalsNameBecomesUtf8WhateverItsCodePageAndNothingElseIsLost) {
    EXPECT_EQ(DeviceTextToUtf8("Zoë Müller"), "Zoë Müller") << "UTF-8 as it is";
    EXPECT_EQ(DeviceTextToUtf8("Zo\xEB M\xFCller"), "Zoë Müller") << "a Western code page";
    // A 24-byte field keeps 23 bytes: "Wanjiru Njeri Kamau Zoë" loses half its ë.
    EXPECT_EQ(DeviceTextToUtf8("Wanjiru Njeri Kamau Zo\xC3"), "Wanjiru Njeri Kamau Zo");
    EXPECT_EQ(DeviceTextToUtf8("\xE2\x82"), "") << "a three-byte character cut after two";
    EXPECT_EQ(DeviceTextToUtf8("A\x81"
                               "B"),
              "A\xEF\xBF\xBD"
              "B")
        << "a byte in neither encoding is U+FFFD";
    EXPECT_TRUE(IsValidUtf8(DeviceTextToUtf8("\xC3\x28\xFF\x8D\xC0")));
    EXPECT_EQ(DeviceTextToUtf8(""), "");
}

}  // namespace
}  // namespace rollcall::core
