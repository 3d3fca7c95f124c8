#pragma once

// What the command-line tools share: the services over an existing database, without the HTTP server, and the
// way a command reports (JSON on stdout, one line on stderr and exit 1 on failure, thrown as runtime_error).

#include "app/app.hpp"

#include <memory>
#include <stdexcept>

#include <boost/json.hpp>

namespace rollcall::app {

/// Storage and the use cases over the database the settings name, which must exist (`rollcall init`).
struct Offline {
    explicit Offline(const config::Config& config);
    std::shared_ptr<core::Clock> clock;
    core::Metrics metrics;
    std::unique_ptr<storage::Store> store;
    auth::Crypto crypto;
    service::Services services;
};

/// The value, or the error's message thrown for the command line to print.
template <class T>
T OrThrow(core::Result<T> r) {
    if (!r) {
        throw std::runtime_error(r.error().message);
    }
    return std::move(*r);
}

inline void OrThrow(const core::Status& s) {
    if (!s) {
        throw std::runtime_error(s.error().message);
    }
}

void PrintJson(const boost::json::value& v);

}  // namespace rollcall::app
