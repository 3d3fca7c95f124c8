#pragma once

// The checks every service applies to what an admin sends: names, codes and URLs stay one line of printable
// UTF-8 text of bounded length; a patch changes only the fields it gives; an id names a row of the school or is 404.

#include "core/result.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rollcall::service {

constexpr std::size_t kMaxNameLength = 200;
/// A device's address, serial number and comm key.
constexpr std::size_t kMaxSerialLength = 64;

/// InvalidArgument naming `field` when `value` is required and empty, longer than `max` (bytes), not valid UTF-8,
/// or holds a control character.
core::Status CheckText(const std::string& value, std::string_view field, bool required, std::size_t max);

/// A patch's field: `target` takes the value when the patch gives one, and keeps its own otherwise.
template <class T, class U>
void SetIfGiven(T& target, const std::optional<U>& given) {
    if (given) {
        target = *given;
    }
}

/// The row of `rows` with this id (a school's list), or not_found with `missing` ("holiday not found").
template <class Row>
core::Result<Row> FindById(const std::vector<Row>& rows, std::int64_t id, std::string_view missing) {
    const auto it = std::find_if(rows.begin(), rows.end(), [&](const Row& r) { return r.id == id; });
    if (it == rows.end()) {
        return core::MakeError(core::Errc::kNotFound, std::string(missing));
    }
    return *it;
}

}  // namespace rollcall::service
