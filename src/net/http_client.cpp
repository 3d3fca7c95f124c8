#include "net/http_client.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <initializer_list>
#include <iterator>
#include <optional>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/url/parse.hpp>

namespace rollcall::net {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

struct Target {
    bool tls = false;
    std::string host;
    std::string port;
    std::string path;
};

// The webhook address filter denies by default: an IPv4 address is public unless it is in a block of the IANA
// IPv4 Special-Purpose Address Registry (or multicast, or reserved); an IPv6 address only when it is global unicast
// (2000::/3) outside the blocks of the IANA IPv6 Special-Purpose Address Registry. An IPv6 address that carries an
// IPv4 address (mapped, compatible, translated, NAT64, 6to4, Teredo) reaches that IPv4 address, and is judged as it.

struct V4Block {
    std::uint32_t base;
    int bits;
};

constexpr std::uint32_t V4(std::uint32_t a, std::uint32_t b, std::uint32_t c, std::uint32_t d) {
    return (a << 24) | (b << 16) | (c << 8) | d;
}

constexpr V4Block kSpecialV4[] = {
    {V4(0, 0, 0, 0), 8},        // "this network"
    {V4(10, 0, 0, 0), 8},       // private
    {V4(100, 64, 0, 0), 10},    // shared address space (carrier-grade NAT)
    {V4(127, 0, 0, 0), 8},      // loopback
    {V4(169, 254, 0, 0), 16},   // link local (cloud metadata services)
    {V4(172, 16, 0, 0), 12},    // private
    {V4(192, 0, 0, 0), 24},     // IETF protocol assignments
    {V4(192, 0, 2, 0), 24},     // documentation (TEST-NET-1)
    {V4(192, 31, 196, 0), 24},  // AS112-v4
    {V4(192, 52, 193, 0), 24},  // AMT
    {V4(192, 88, 99, 0), 24},   // deprecated 6to4 relay anycast
    {V4(192, 168, 0, 0), 16},   // private
    {V4(192, 175, 48, 0), 24},  // direct delegation AS112 service
    {V4(198, 18, 0, 0), 15},    // benchmarking (reached a live service in the probe of issue 12)
    {V4(198, 51, 100, 0), 24},  // documentation (TEST-NET-2)
    {V4(203, 0, 113, 0), 24},   // documentation (TEST-NET-3)
    {V4(224, 0, 0, 0), 4},      // multicast
    {V4(240, 0, 0, 0), 4},      // reserved, and the limited broadcast 255.255.255.255
};

bool IsPublicV4(std::uint32_t a) {
    return std::none_of(std::begin(kSpecialV4), std::end(kSpecialV4), [&](const V4Block& block) {
        const std::uint32_t mask = ~std::uint32_t{0} << (32 - block.bits);
        return (a & mask) == block.base;
    });
}

using V6Bytes = asio::ip::address_v6::bytes_type;

/// Whether the first `bits` bits of `a` are those of the address whose leading 16-bit groups are `groups`.
bool HasPrefix(const V6Bytes& a, std::initializer_list<std::uint16_t> groups, int bits) {
    V6Bytes prefix{};
    std::size_t i = 0;
    for (const auto g : groups) {
        prefix[i++] = static_cast<unsigned char>(g >> 8);
        prefix[i++] = static_cast<unsigned char>(g & 0xff);
    }
    for (int bit = 0; bit < bits; ++bit) {
        const auto byte = static_cast<std::size_t>(bit / 8);
        const int mask = 0x80 >> (bit % 8);
        if ((a[byte] & mask) != (prefix[byte] & mask)) {
            return false;
        }
    }
    return true;
}

/// The IPv4 address held in four bytes of `a`, at these positions.
std::uint32_t V4At(const V6Bytes& a, std::array<std::size_t, 4> at) {
    return V4(a[at[0]], a[at[1]], a[at[2]], a[at[3]]);
}

bool IsPublicV6(const V6Bytes& a) {
    // IPv4-mapped ::ffff:a.b.c.d, IPv4-compatible ::a.b.c.d (which covers :: and ::1: 0.0.0.0/8), IPv4-translated
    // ::ffff:0:a.b.c.d, NAT64 64:ff9b::a.b.c.d: the last 32 bits.
    if (HasPrefix(a, {0, 0, 0, 0, 0, 0xffff}, 96) || HasPrefix(a, {0, 0, 0, 0, 0, 0}, 96) ||
        HasPrefix(a, {0, 0, 0, 0, 0xffff, 0}, 96) || HasPrefix(a, {0x64, 0xff9b, 0, 0, 0, 0}, 96)) {
        return IsPublicV4(V4At(a, {12, 13, 14, 15}));
    }
    // Local-use NAT64 64:ff9b:1::/48: the network chooses the prefix length (/48 to /96), so the IPv4 address may
    // be in any of the places RFC 6052 puts it for those; every candidate must be public.
    if (HasPrefix(a, {0x64, 0xff9b, 1}, 48)) {
        return IsPublicV4(V4At(a, {6, 7, 9, 10})) && IsPublicV4(V4At(a, {7, 9, 10, 11})) &&
               IsPublicV4(V4At(a, {9, 10, 11, 12})) && IsPublicV4(V4At(a, {12, 13, 14, 15}));
    }
    if (HasPrefix(a, {0x2002}, 16)) {  // 6to4: the relay's IPv4 address follows the prefix
        return IsPublicV4(V4At(a, {2, 3, 4, 5}));
    }
    if (HasPrefix(a, {0x2001, 0}, 32)) {  // Teredo: the server's IPv4 address, and the client's (inverted)
        return IsPublicV4(V4At(a, {4, 5, 6, 7})) && IsPublicV4(~V4At(a, {12, 13, 14, 15}));
    }
    // Everything outside global unicast is refused: loopback, unspecified, discard-only 100::/64, unique local
    // fc00::/7, link-local fe80::/10, site-local fec0::/10, multicast ff00::/8, and what is not allocated.
    if (!HasPrefix(a, {0x2000}, 3)) {
        return false;
    }
    // Inside it: IETF protocol assignments 2001::/23 (benchmarking, ORCHID, AMT, AS112-v6), documentation
    // 2001:db8::/32 and 3fff::/20, and the direct delegation AS112 service 2620:4f:8000::/48.
    return !(HasPrefix(a, {0x2001, 0}, 23) || HasPrefix(a, {0x2001, 0xdb8}, 32) || HasPrefix(a, {0x3fff}, 20) ||
             HasPrefix(a, {0x2620, 0x4f, 0x8000}, 48));
}

bool IsPublic(const asio::ip::address& a) {
    return a.is_v6() ? IsPublicV6(a.to_v6().to_bytes()) : IsPublicV4(a.to_v4().to_uint());
}

}  // namespace

bool IsPublicAddress(const std::string& address) {
    boost::system::error_code ec;
    const auto parsed = asio::ip::make_address(address, ec);
    return !ec && IsPublic(parsed);
}

namespace {

core::Result<Target> ParseTarget(const std::string& url) {
    auto parsed = boost::urls::parse_uri(url);
    if (!parsed) {
        return core::MakeError(core::Errc::kInvalidArgument, "url: not a valid URL");
    }
    Target t;
    const auto scheme = parsed->scheme();
    if (scheme != "http" && scheme != "https") {
        return core::MakeError(core::Errc::kInvalidArgument, "url: must be http or https");
    }
    t.tls = scheme == "https";
    t.host = std::string(parsed->host_address());
    if (t.host.empty()) {
        return core::MakeError(core::Errc::kInvalidArgument, "url: a host is missing");
    }
    t.port = parsed->has_port() ? std::string(parsed->port()) : (t.tls ? "443" : "80");
    t.path = std::string(parsed->encoded_target());
    if (t.path.empty()) {
        t.path = "/";
    }
    return t;
}

template <class Stream>
asio::awaitable<ClientReply> Exchange(Stream& stream,
                                      http::request<http::string_body>& request,
                                      std::size_t body_limit) {
    co_await http::async_write(stream, request, asio::use_awaitable);
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(body_limit);
    co_await http::async_read(stream, buffer, parser, asio::use_awaitable);
    co_return ClientReply{static_cast<int>(parser.get().result_int()), std::move(parser.get().body())};
}

}  // namespace

core::Result<ClientReply> Fetch(const ClientRequest& call, const ClientOptions& options) {
    ROLLCALL_TRY(const auto target, ParseTarget(call.url));
    const auto verb = http::string_to_verb(call.method);
    if (verb == http::verb::unknown) {
        return core::MakeError(core::Errc::kInvalidArgument, "unknown HTTP method " + call.method);
    }
    http::request<http::string_body> request{verb, target.path, 11};
    // RFC 9110: the port when it is not the scheme's, and an IPv6 literal in brackets.
    std::string host = target.host.find(':') != std::string::npos ? "[" + target.host + "]" : target.host;
    if (target.port != (target.tls ? "443" : "80")) {
        host += ":" + target.port;
    }
    request.set(http::field::host, host);
    for (const auto& [name, value] : call.headers) {
        request.set(name, value);
    }
    request.body() = call.body;
    request.keep_alive(false);  // one exchange per attempt
    if (!call.body.empty() || verb == http::verb::post || verb == http::verb::put) {
        request.prepare_payload();
    }

    asio::io_context ioc;
    ssl::context tls(ssl::context::tls_client);
    tls.set_default_verify_paths();
    boost::system::error_code ec;
    if (!options.ca_file.empty()) {
        tls.load_verify_file(options.ca_file, ec);
        if (ec) {
            return core::MakeError(core::Errc::kUnavailable, "ca_file " + options.ca_file + ": " + ec.message());
        }
    }
    tls.set_verify_mode(ssl::verify_peer);
    tcp::resolver resolver(ioc);
    beast::ssl_stream<beast::tcp_stream> stream(ioc, tls);
    std::optional<ClientReply> status;
    std::string error;
    bool timed_out = false;

    asio::steady_timer deadline(ioc, options.timeout);
    deadline.async_wait([&](boost::system::error_code wait_ec) {
        if (!wait_ec) {
            timed_out = true;
            resolver.cancel();
            beast::get_lowest_layer(stream).close();
        }
    });
    auto exchange = [&]() -> asio::awaitable<void> {
        const auto resolved = co_await resolver.async_resolve(target.host, target.port, asio::use_awaitable);
        std::vector<tcp::endpoint> endpoints;
        for (const auto& entry : resolved) {
            if (options.allow_private_addresses || IsPublic(entry.endpoint().address())) {
                endpoints.push_back(entry.endpoint());
            }
        }
        if (endpoints.empty()) {
            throw std::runtime_error("refused: " + target.host +
                                     " is a private or local address (webhooks.allow_private_addresses)");
        }
        co_await beast::get_lowest_layer(stream).async_connect(endpoints, asio::use_awaitable);
        if (target.tls) {
            // SNI, and the certificate must name the host we asked for.
            if (!SSL_set_tlsext_host_name(stream.native_handle(), target.host.c_str())) {
                throw std::runtime_error("TLS: cannot set the server name");
            }
            stream.set_verify_callback(ssl::host_name_verification(target.host));
            co_await stream.async_handshake(ssl::stream_base::client, asio::use_awaitable);
            status = co_await Exchange(stream, request, options.max_response_body);
        } else {
            status = co_await Exchange(beast::get_lowest_layer(stream), request, options.max_response_body);
        }
    };
    asio::co_spawn(ioc, exchange(), [&](const std::exception_ptr& e) {
        deadline.cancel();
        if (e) {
            try {
                std::rethrow_exception(e);
            } catch (const boost::system::system_error& se) {
                error = se.code().message();
            } catch (const std::exception& ex) {
                error = ex.what();
            }
        }
    });
    ioc.run();
    if (status) {
        return std::move(*status);
    }
    if (timed_out) {
        return core::MakeError(core::Errc::kTimeout,
                               "no answer within " + std::to_string(options.timeout.count()) + " ms");
    }
    return core::MakeError(core::Errc::kUnavailable, error.empty() ? std::string("no answer") : error);
}

}  // namespace rollcall::net
