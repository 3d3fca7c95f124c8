#pragma once

// The checks every name table of the vocabulary (core/enum_names.hpp) must pass: the names a school reads, in the
// order its messages list them, each naming one value and parsed back to it.

#include "core/enum_names.hpp"

#include <set>
#include <string_view>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

namespace rollcall::test {

/// The table of E is exactly `expected` (values and their names, in order), and each name parses back to its value.
template <class E>
void ExpectNameTable(const std::vector<std::pair<E, std::string_view>>& expected) {
    const auto& table = EnumNameTable(E{});
    ASSERT_EQ(table.size(), expected.size()) << "a value was added or left out";
    std::set<std::string_view> names;
    for (std::size_t i = 0; i < table.size(); ++i) {
        EXPECT_TRUE(table[i].first == expected[i].first) << "value " << i << " (" << table[i].second << ")";
        EXPECT_EQ(table[i].second, expected[i].second);
        EXPECT_TRUE(names.insert(table[i].second).second) << "two values are called " << table[i].second;
        EXPECT_EQ(core::NameOf(expected[i].first), expected[i].second);
        EXPECT_TRUE(core::ParseEnum<E>(expected[i].second) == expected[i].first) << expected[i].second;
    }
}

/// A field given `text`, which E does not name, is refused with exactly `message`.
template <class E>
void ExpectRefused(std::string_view field, std::string_view text, std::string_view message) {
    const auto parsed = core::ParseField<E>(field, text);
    ASSERT_FALSE(parsed.ok()) << text;
    EXPECT_EQ(parsed.error().code, core::Errc::kInvalidArgument);
    EXPECT_EQ(parsed.error().message, message);
}

}  // namespace rollcall::test
