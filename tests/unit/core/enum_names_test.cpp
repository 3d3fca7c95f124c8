// The name tables of the enums the API speaks: every name is unique, every value round-trips, and the
// messages name the choices the way a school reads them.

#include "core/enum_names.hpp"

#include "domain/attendance.hpp"
#include "domain/notifications.hpp"
#include "domain/punch.hpp"

#include <set>

#include <gtest/gtest.h>

namespace rollcall::core {
namespace {

template <class E>
void ExpectRoundTrips(std::size_t expected_values) {
    const auto& table = EnumNameTable(E{});
    EXPECT_EQ(table.size(), expected_values);
    std::set<std::string_view> names;
    std::set<E> values;
    for (const auto& [value, name] : table) {
        EXPECT_FALSE(name.empty());
        EXPECT_TRUE(names.insert(name).second) << "two values are called " << name;
        EXPECT_TRUE(values.insert(value).second) << name << " names a value named before";
        EXPECT_EQ(NameOf(value), name);
        EXPECT_EQ(ParseEnum<E>(name), value);
    }
}

TEST(EnumNames, EveryTableNamesEachValueOnceAndRoundTrips) {
    ExpectRoundTrips<domain::DeviceDirection>(3);
    ExpectRoundTrips<domain::PunchDirection>(4);
    ExpectRoundTrips<domain::DayStatus>(7);
    ExpectRoundTrips<domain::PunchSource>(5);
    ExpectRoundTrips<domain::EventKind>(4);
}

TEST(EnumNames, ANameIsMatchedExactlyNotByCaseOrPrefix) {
    EXPECT_EQ(ParseEnum<domain::DayStatus>("late"), domain::DayStatus::kLate);
    EXPECT_EQ(ParseEnum<domain::DayStatus>("Late"), std::nullopt);
    EXPECT_EQ(ParseEnum<domain::DayStatus>("lat"), std::nullopt);
    EXPECT_EQ(ParseEnum<domain::DayStatus>(""), std::nullopt);
}

TEST(EnumNames, AFieldWithAnUnknownNameSaysWhichNamesItTakes) {
    const auto bad = ParseField<domain::DeviceDirection>("direction", "sideways");
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().code, Errc::kInvalidArgument);
    EXPECT_EQ(bad.error().message, "direction: must be auto, in or out");
    EXPECT_EQ(ParseField<domain::DeviceDirection>("direction", "in").value(), domain::DeviceDirection::kIn);
    EXPECT_EQ(NamesOf<domain::EventKind>(), "arrival, late, absent or correction");
}

}  // namespace
}  // namespace rollcall::core
