#pragma once

#include "support/tls_files.hpp"

#include <cstdint>
#include <memory>

namespace rollcall::test {

/// A TLS front for a plain HTTP server, as a school's reverse proxy (nginx, IIS, Caddy) would be in front of
/// Rollcall: it accepts https on 127.0.0.1:0 with the given certificate and relays each connection's bytes to
/// 127.0.0.1:upstream_port and back.
class TlsProxy {
public:
    TlsProxy(const TlsFiles& files, std::uint16_t upstream_port);
    ~TlsProxy();
    TlsProxy(const TlsProxy&) = delete;
    TlsProxy& operator=(const TlsProxy&) = delete;

    std::uint16_t port() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace rollcall::test
