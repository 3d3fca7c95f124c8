// The checks every service applies to an admin's text: what is stored is one line of UTF-8 of bounded length.

#include "service/validation.hpp"

#include <gtest/gtest.h>

namespace rollcall::service {
namespace {

TEST(CheckText, ANameInAnyScriptIsAcceptedAndOneInAnotherEncodingIsRefusedByItsField) {
    EXPECT_TRUE(CheckText("Zoë Müller", "name", true, 200).ok());
    EXPECT_TRUE(CheckText("李小龍", "name", true, 200).ok());
    EXPECT_EQ(CheckText("Zo\xEB M\xFCller", "name", true, 200).error().message, "name: not valid UTF-8 text");
    EXPECT_EQ(CheckText("\xC3", "group", false, 64).error().message, "group: not valid UTF-8 text");
}

TEST(CheckText, RequiredLengthAndControlCharactersAreNamed) {
    EXPECT_EQ(CheckText("", "name", true, 200).error().message, "name: required");
    EXPECT_TRUE(CheckText("", "group", false, 64).ok());
    EXPECT_EQ(CheckText(std::string(65, 'a'), "group", false, 64).error().message, "group: too long (max 64)");
    EXPECT_EQ(CheckText("two\nlines", "name", true, 200).error().message, "name: control characters are not allowed");
}

}  // namespace
}  // namespace rollcall::service
