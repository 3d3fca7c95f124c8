#pragma once

#include "core/result.hpp"

#include <chrono>
#include <string>
#include <utility>
#include <vector>

namespace rollcall::net {

struct ClientOptions {
    /// The whole exchange: resolve, connect, TLS, write, read (WinHTTP, on Windows: each of these steps).
    std::chrono::milliseconds timeout{5000};
    std::string ca_file;                    ///< extra trusted CAs (PEM) for https; the system's are always used
    std::size_t max_response_body = 65536;  ///< a gateway's answer is read only for its status
    /// False for webhooks: a URL that resolves only to loopback, private, link-local or otherwise
    /// non-public addresses is refused, so a school admin cannot make the server probe its own network.
    bool allow_private_addresses = true;
};

/// The webhook address filter (allow_private_addresses = false): true only for an address a school's gateway
/// may have on the internet, denying by default. IPv4: every address outside the blocks of the IANA IPv4
/// Special-Purpose Address Registry (this network 0/8, private 10/8, 172.16/12, 192.168/16, carrier-grade NAT
/// 100.64/10, loopback 127/8, link-local 169.254/16, 192.0.0/24, the TEST-NETs, benchmarking 198.18/15, the AS112,
/// AMT and 6to4-relay blocks), multicast 224/4 and reserved 240/4. IPv6: global unicast 2000::/3 only, outside the
/// IANA IPv6 special-purpose blocks (2001::/23, documentation 2001:db8::/32 and 3fff::/20, 2620:4f:8000::/48).
/// An IPv6 address that carries an IPv4 address is judged as that IPv4 address: IPv4-mapped ::ffff:a.b.c.d,
/// IPv4-compatible ::a.b.c.d, IPv4-translated ::ffff:0:a.b.c.d, NAT64 64:ff9b::/96 and 64:ff9b:1::/48 (each place
/// the IPv4 address may be), 6to4 2002::/16, Teredo 2001::/32 (server and client). An unparsable address is
/// refused. (Asio client only: the WinHTTP client refuses to filter at all.)
bool IsPublicAddress(const std::string& address);

struct ClientReply {
    int status = 0;
    std::string body;
};

/// Request headers, sent in this order.
using Headers = std::vector<std::pair<std::string, std::string>>;

/// One request to send: GET, POST, ... to an http:// or https:// URL.
struct ClientRequest {
    std::string method;
    std::string url;
    Headers headers;
    std::string body;
};

/// One HTTP/1.1 exchange; the status and the body (at most max_response_body bytes). Same verification and
/// errors as Post. (Each platform has its definition: Beast with OpenSSL, WinHTTP on Windows.)
core::Result<ClientReply> Fetch(const ClientRequest& call, const ClientOptions& options);

/// One HTTP/1.1 POST to an http:// or https:// URL (certificate and host name verified); returns the
/// response status. Blocking: call it off the io threads (the webhook dispatcher has its own thread).
/// Errors are values: kTimeout when no answer came within the timeout, kUnavailable with a one-line reason for
/// DNS, connect and TLS failures (both retryable); kInvalidArgument for a URL that cannot work. A status is an
/// answer, not an error: StatusError (net/status_error.hpp) says what an unexpected one means.
inline core::Result<int> Post(const std::string& url,
                              const Headers& headers,
                              const std::string& body,
                              const ClientOptions& options) {
    ROLLCALL_TRY(const auto reply, Fetch({.method = "POST", .url = url, .headers = headers, .body = body}, options));
    return reply.status;
}

}  // namespace rollcall::net
