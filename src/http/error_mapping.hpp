#pragma once

#include "core/error.hpp"
#include "net/http_message.hpp"

namespace rollcall::http {

/// The one place an expected error becomes an HTTP answer. Internal errors never show their detail.
int StatusOf(core::Errc code);
net::Response ErrorResponse(const core::Error& error);

}  // namespace rollcall::http
