#pragma once

// One name table per enum, and everything else derived from it: the name of a value, the value of a name, and
// the "must be a, b or c" message of a field that takes one. An enum takes part by declaring, next to itself,
//
//     inline constexpr std::array<std::pair<DayStatus, std::string_view>, 7> kDayStatusNames{{...}};
//     constexpr const auto& EnumNameTable(DayStatus) { return kDayStatusNames; }
//
// (found by argument-dependent lookup), so adding a value means adding one line, and a value left out of the
// table is caught by the tests that walk it (tests/unit/core/enum_names_test.cpp and the enum's own tests).

#include "core/result.hpp"

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace rollcall::core {

/// The name of `value`; empty when the table lacks it (a defect the enum's tests catch).
template <class E>
constexpr std::string_view NameOf(E value) {
    for (const auto& [v, name] : EnumNameTable(E{})) {
        if (v == value) {
            return name;
        }
    }
    return {};
}

/// The value named `text` exactly, or nullopt.
template <class E>
constexpr std::optional<E> ParseEnum(std::string_view text) {
    for (const auto& [v, name] : EnumNameTable(E{})) {
        if (name == text) {
            return v;
        }
    }
    return std::nullopt;
}

/// The names of the table as a school reads them: "push or agent", "auto, in or out".
template <class E>
std::string NamesOf() {
    const auto& table = EnumNameTable(E{});
    std::string out;
    for (std::size_t i = 0; i < table.size(); ++i) {
        if (i > 0) {
            out += i + 1 == table.size() ? " or " : ", ";
        }
        out += table[i].second;
    }
    return out;
}

/// The value of a field that must name one of E: otherwise invalid_argument "field: must be a, b or c".
template <class E>
Result<E> ParseField(std::string_view field, std::string_view text) {
    if (const auto v = ParseEnum<E>(text)) {
        return *v;
    }
    return MakeError(Errc::kInvalidArgument, std::string(field) + ": must be " + NamesOf<E>());
}

}  // namespace rollcall::core
