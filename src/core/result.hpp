#pragma once

#include "core/error.hpp"

#include <cassert>
#include <utility>
#include <variant>

namespace rollcall::core {

/// A value or an expected Error. g++ 12 has no std::expected, and boost::system::result cannot carry a
/// message for the client, so this is the project's own small version.
template <class T>
class [[nodiscard]] Result {
public:
    Result(T value) : v_(std::move(value)) {}      // NOLINT(google-explicit-constructor)
    Result(Error error) : v_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

    bool ok() const { return v_.index() == 0; }
    explicit operator bool() const { return ok(); }

    T& value() & {
        assert(ok());
        return std::get<0>(v_);
    }
    const T& value() const& {
        assert(ok());
        return std::get<0>(v_);
    }
    T&& value() && {
        assert(ok());
        return std::get<0>(std::move(v_));
    }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }

    const Error& error() const {
        assert(!ok());
        return std::get<1>(v_);
    }

private:
    std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT(google-explicit-constructor)

    bool ok() const { return ok_; }
    explicit operator bool() const { return ok_; }
    const Error& error() const {
        assert(!ok_);
        return error_;
    }

private:
    Error error_;
    bool ok_ = true;
};

using Status = Result<void>;

}  // namespace rollcall::core

#define ROLLCALL_CONCAT_INNER(a, b) a##b
#define ROLLCALL_CONCAT(a, b) ROLLCALL_CONCAT_INNER(a, b)

/// `ROLLCALL_TRY(auto x, Expr());` declares x from a Result's value, or returns its error from the
/// enclosing function (which must return a Result or Status). `lhs` is a declaration or an lvalue, so it
/// cannot be parenthesised: hence the NOLINT on its line.
#define ROLLCALL_TRY(lhs, expr)                                  \
    auto ROLLCALL_CONCAT(rollcall_try_, __LINE__) = (expr);      \
    if (!ROLLCALL_CONCAT(rollcall_try_, __LINE__).ok()) {        \
        return ROLLCALL_CONCAT(rollcall_try_, __LINE__).error(); \
    }                                                            \
    lhs = std::move(ROLLCALL_CONCAT(rollcall_try_, __LINE__)).value() /* NOLINT(bugprone-macro-parentheses) */

/// `ROLLCALL_CHECK(status);` returns the error of a failed Status from the enclosing function. A named Result
/// is looked at in place, not copied.
#define ROLLCALL_CHECK(expr)                                        \
    do {                                                            \
        if (auto&& rollcall_check = (expr); !rollcall_check.ok()) { \
            return rollcall_check.error();                          \
        }                                                           \
    } while (false)
