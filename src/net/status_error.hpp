#pragma once

#include "core/error.hpp"

#include <string>

namespace rollcall::net {

/// The error an HTTP answer with `status` stands for when the caller expected another (2xx) one, with `message`
/// as its text: the one place a client turns a status into an Errc and a retryable flag. 4xx are permanent (only a
/// change on either side helps: a revoked token, a device switched to push) except 408 and 429; 5xx and anything
/// unexpected may pass, so they are retryable.
core::Error StatusError(int status, std::string message);

}  // namespace rollcall::net
