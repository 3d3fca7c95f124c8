#include "net/http_client.hpp"

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

bool IsPublic(const asio::ip::address& a) {
    if (a.is_loopback() || a.is_unspecified() || a.is_multicast()) {
        return false;
    }
    if (a.is_v6()) {
        const auto v6 = a.to_v6();
        if (v6.is_v4_mapped()) {
            return IsPublic(asio::ip::make_address_v4(asio::ip::v4_mapped, v6));
        }
        const auto b = v6.to_bytes();
        return !v6.is_link_local() && !v6.is_site_local() && (b[0] & 0xfe) != 0xfc;  // fc00::/7 unique local
    }
    const auto b = a.to_v4().to_bytes();
    return !(b[0] == 10 || b[0] == 0 || (b[0] == 172 && (b[1] & 0xf0) == 16) || (b[0] == 192 && b[1] == 168) ||
             (b[0] == 169 && b[1] == 254) || (b[0] == 100 && (b[1] & 0xc0) == 64) || b[0] >= 240);
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
