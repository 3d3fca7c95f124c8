#pragma once

// How a wire type is decoded. Encoding is Boost.JSON's own `value_from` through each type's
// `tag_invoke(json::value_from_tag, ...)`. Decoding a request must answer a 400 naming the bad field, never
// throw, so each type declares `tag_invoke(DecodeTag<T>, const json::value&, extra...)` returning a
// core::Result; `Decode<T>` calls it. Boost's `value_to<T>` works too (it throws the error's message), for
// code and tests that want the plain conversion.

#include "core/result.hpp"
#include "wire/fields.hpp"

#include <concepts>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <utility>

namespace rollcall::wire {

template <class T>
struct DecodeTag {};

/// A wire type: one with a decoder found by `tag_invoke`.
template <class T, class... Extra>
concept Decodable = requires(const json::value& v, Extra&&... extra) {
    { tag_invoke(DecodeTag<T>{}, v, std::forward<Extra>(extra)...) } -> std::same_as<core::Result<T>>;
};

/// `v` as a T; the error names the field that is missing or of the wrong type.
template <class T, class... Extra>
requires Decodable<T, Extra...> core::Result<T> Decode(const json::value& v, Extra&&... extra) {
    return tag_invoke(DecodeTag<T>{}, v, std::forward<Extra>(extra)...);
}

/// A request body as a T: 400 when it is not a JSON object, then as Decode.
template <class T, class... Extra>
requires Decodable<T, Extra...> core::Result<T> DecodeBody(std::string_view body, Extra&&... extra) {
    ROLLCALL_TRY(auto object, ParseObject(body));
    return Decode<T>(json::value(std::move(object)), std::forward<Extra>(extra)...);
}

/// One field of an object type T: its JSON name, the member it fills and the reader that checks it (a field
/// reader of wire/fields.hpp, or one of the same form).
template <class T, class M>
struct Field {
    std::string_view name;
    M T::*member;
    core::Result<M> (*read)(const json::object&, std::string_view);
};

// C++20 deduces an aggregate's template arguments by itself; clang before 17 (the parser of clang-tidy 14) does
// not, so `Field{"email", &Login::email, RequiredString}` says it here.
template <class T, class M>
Field(std::string_view, M T::*, core::Result<M> (*)(const json::object&, std::string_view)) -> Field<T, M>;

/// A T from the fields of a JSON object, read in the order given, so the error is the first field missing or
/// malformed: `DecodeFields(v, Field{"email", &Login::email, RequiredString}, ...)`.
template <class T, class... M>
core::Result<T> DecodeFields(const json::value& v, const Field<T, M>&... fields) {
    if (!v.is_object()) {
        return Invalid("body must be a JSON object");
    }
    T out{};
    std::optional<core::Error> error;
    const auto read = [&](const auto& field) {
        auto value = field.read(v.as_object(), field.name);
        if (!value) {
            error = value.error();
            return false;
        }
        out.*(field.member) = std::move(value).value();
        return true;
    };
    if (!(read(fields) && ...)) {
        return *error;
    }
    return out;
}

/// Boost.JSON's `value_to<T>` for every wire type; throws std::invalid_argument with the decoder's message.
template <class T>
requires Decodable<T> T tag_invoke(json::value_to_tag<T>, const json::value& v) {
    auto decoded = Decode<T>(v);
    if (!decoded) {
        throw std::invalid_argument(decoded.error().message);
    }
    return std::move(decoded).value();
}

}  // namespace rollcall::wire
