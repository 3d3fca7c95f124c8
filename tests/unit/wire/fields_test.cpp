// The field readers every codec is made of: an absent field is "not given", a field of the wrong type is named
// in the error the API answers (400).

#include "wire/fields.hpp"

#include <gtest/gtest.h>

namespace rollcall::wire {
namespace {

json::object Object(std::string_view text) {
    return json::parse(text).as_object();
}

TEST(Fields, ABodyMustBeAJsonObject) {
    EXPECT_EQ(ParseObject("{not json").error().message, "body is not valid JSON");
    EXPECT_EQ(ParseObject("[1, 2]").error().message, "body must be a JSON object");
    EXPECT_EQ(ParseObject(std::string(20, '[') + std::string(20, ']')).error().message, "body is not valid JSON")
        << "nesting deeper than 16 is refused before it costs anything";
    EXPECT_EQ(ParseObject(R"({"a": 1})")->at("a").as_int64(), 1);
}

TEST(Fields, ABodyWhoseTextIsNotUtf8IsRefusedBeforeAnyFieldIsRead) {
    // Boost.JSON checks the bytes of every string and the escapes that name UTF-16 halves, so no text field of a
    // JSON body can carry what the API could not answer back as JSON.
    EXPECT_EQ(ParseObject("{\"name\": \"Zo\xEB\"}").error().message, "body is not valid JSON");
    EXPECT_EQ(ParseObject(R"({"name": "half \ud800 of a pair"})").error().message, "body is not valid JSON");
    EXPECT_EQ(ParseObject(R"({"name": "\udc00"})").error().message, "body is not valid JSON");
    EXPECT_EQ(ParseObject("{\"name\": \"Zo\xC3\xAB \\u00e9\"}")->at("name").as_string(), "Zo\xC3\xAB \xC3\xA9");
}

TEST(Fields, AbsentAndNullAreNotGivenAndAWrongTypeIsNamed) {
    const auto o = Object(R"({"name": "Gate", "port": 4370, "none": null, "big": 18446744073709551615})");
    EXPECT_EQ(OptString(o, "name").value(), "Gate");
    EXPECT_EQ(OptString(o, "missing").value(), std::nullopt);
    EXPECT_EQ(OptString(o, "none").value(), std::nullopt);
    EXPECT_EQ(OptString(o, "port").error().message, "port: expected a string");
    EXPECT_EQ(OptInt(o, "port").value(), 4370);
    EXPECT_EQ(OptInt(o, "name").error().message, "name: expected an integer");
    EXPECT_EQ(OptInt(o, "big").error().message, "big: expected an integer") << "beyond int64";
    EXPECT_EQ(RequiredString(o, "missing").error().message, "missing: required");
    EXPECT_EQ(RequiredInt(o, "none").error().message, "none: required");
}

TEST(Fields, ADateMayBeClearedWithNull) {
    const auto o = Object(R"({"from": "2026-03-12", "to": null, "bad": "12/03/2026"})");
    EXPECT_EQ(OptNullableDate(o, "from").value(), std::optional(core::ParseDate("2026-03-12")));
    EXPECT_EQ(OptNullableDate(o, "to").value(), std::optional<std::optional<core::Date>>(std::optional<core::Date>()));
    EXPECT_EQ(OptNullableDate(o, "missing").value(), std::nullopt);
    EXPECT_EQ(OptNullableDate(o, "bad").error().message, "bad: expected \"YYYY-MM-DD\" or null");
}

TEST(Fields, TimesReadAndWriteInTheirTwoForms) {
    const auto o = Object(R"({"at": "2026-03-12T08:00:00Z", "wall": "2026-03-12 08:00:00", "local": "08:00"})");
    EXPECT_EQ(OptUtc(o, "at").value(), 1773302400);
    EXPECT_EQ(OptUtc(o, "wall").error().message, "wall: expected YYYY-MM-DDTHH:MM:SSZ (UTC)");
    EXPECT_EQ(OptUtcValue(1773302400).as_string(), "2026-03-12T08:00:00Z");
    EXPECT_TRUE(OptUtcValue(std::nullopt).is_null());
    EXPECT_EQ(OptLocalTime(o, "wall", "wall: the device's clock").value(),
              core::ParseLocalDateTime("2026-03-12 08:00:00"));
    EXPECT_EQ(OptLocalTime(o, "local", "local: the device's clock").error().message, "local: the device's clock");
    EXPECT_EQ(OptLocalTime(o, "missing", "unused").value(), std::nullopt);
}

}  // namespace
}  // namespace rollcall::wire
