#pragma once

// The checks every service applies to the free text an admin sends: names, codes and URLs stay one line of
// printable text of bounded length.

#include "core/result.hpp"

#include <cstddef>
#include <string>
#include <string_view>

namespace rollcall::service {

constexpr std::size_t kMaxNameLength = 200;

/// InvalidArgument naming `field` when `value` is required and empty, longer than `max`, or holds a control
/// character.
core::Status CheckText(const std::string& value, std::string_view field, bool required, std::size_t max);

}  // namespace rollcall::service
