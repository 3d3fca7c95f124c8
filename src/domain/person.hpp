#pragma once

#include "core/enum_names.hpp"

#include <array>
#include <string_view>
#include <utility>

namespace rollcall::domain {

/// Who a person of a school is; settings may differ by kind (R21, scope "kind:staff").
enum class PersonKind { kStudent, kStaff };
inline constexpr std::array<std::pair<PersonKind, std::string_view>, 2> kPersonKindNames{{
    {PersonKind::kStudent, "student"},
    {PersonKind::kStaff, "staff"},
}};
constexpr const auto& EnumNameTable(PersonKind) {
    return kPersonKindNames;
}

}  // namespace rollcall::domain
