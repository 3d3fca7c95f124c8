#include "support/http_client.hpp"

#include <array>
#include <cstdlib>
#include <stdexcept>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace rollcall::test {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

/// Runs the context until `done` or the deadline; false on timeout.
bool RunUntil(asio::io_context& ioc, const bool& done, std::chrono::milliseconds deadline) {
    ioc.restart();
    const auto end = std::chrono::steady_clock::now() + deadline;
    while (!done && std::chrono::steady_clock::now() < end) {
        ioc.run_one_for(std::chrono::milliseconds(50));
    }
    return done;
}

}  // namespace

boost::json::value HttpResponse::Json() const {
    boost::system::error_code ec;
    auto v = boost::json::parse(body, ec);
    if (ec) {
        throw std::runtime_error("response is not JSON: " + body);
    }
    return v;
}

struct HttpClient::Impl {
    asio::io_context ioc;
    tcp::socket socket{ioc};
    beast::flat_buffer buffer;
    std::uint16_t port;
    std::chrono::milliseconds timeout;
    bool connected = false;

    void Connect() {
        socket = tcp::socket(ioc);
        socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
        socket.set_option(tcp::no_delay(true));
        buffer.clear();
        connected = true;
    }

    void Disconnect() {
        connected = false;
        boost::system::error_code ignored;
        socket.close(ignored);
    }

    /// True when the server closed (or reset) this idle connection: a peek that would block means it is open.
    /// Bytes the server sent without being asked belong to no request: that is a failure, not a reason to reconnect.
    bool PeerClosed() {
        boost::system::error_code ec;
        socket.non_blocking(true, ec);
        std::array<char, 1> probe{};
        const auto n = socket.receive(asio::buffer(probe), tcp::socket::message_peek, ec);
        boost::system::error_code ignored;
        socket.non_blocking(false, ignored);
        if (buffer.size() != 0 || (!ec && n > 0)) {
            throw std::runtime_error("the server sent bytes on an idle keep-alive connection");
        }
        return ec != asio::error::would_block;
    }
};

HttpClient::HttpClient(std::uint16_t port, std::chrono::milliseconds timeout) : impl_(std::make_unique<Impl>()) {
    impl_->port = port;
    impl_->timeout = timeout;
}

HttpClient::~HttpClient() = default;

HttpResponse HttpClient::Request(const std::string& method,
                                 const std::string& target,
                                 const std::string& body,
                                 const std::map<std::string, std::string>& headers) {
    auto& im = *impl_;
    // Never re-send: a request that failed after it was written may have been processed (a POST twice), and a
    // server that drops connections must show up as a failure. The only reconnect is before writing, onto a
    // kept-alive connection that the server had already closed while it was idle.
    if (im.connected && im.PeerClosed()) {
        im.Disconnect();
    }
    if (!im.connected) {
        im.Connect();
    }
    http::request<http::string_body> req{http::string_to_verb(method), target, 11};
    req.set(http::field::host, "127.0.0.1");
    for (const auto& [k, v] : headers) {
        req.set(k, v);
    }
    if (!body.empty() && req[http::field::content_type].empty()) {
        req.set(http::field::content_type, "application/json");
    }
    req.body() = body;
    req.prepare_payload();

    bool done = false;
    boost::system::error_code ec;
    http::async_write(im.socket, req, [&](boost::system::error_code e, std::size_t) {
        ec = e;
        done = true;
    });
    if (!RunUntil(im.ioc, done, im.timeout)) {
        im.Disconnect();
        throw std::runtime_error("HTTP write timed out: " + method + " " + target);
    }
    http::response_parser<http::string_body> parser;
    parser.body_limit(std::uint64_t{64} * 1024 * 1024);
    parser.skip(method == "HEAD");  // the answer to a HEAD has the GET's Content-Length and no body
    if (!ec) {
        done = false;
        http::async_read(im.socket, im.buffer, parser, [&](boost::system::error_code e, std::size_t) {
            ec = e;
            done = true;
        });
        if (!RunUntil(im.ioc, done, im.timeout)) {
            im.Disconnect();
            throw std::runtime_error("HTTP read timed out: " + method + " " + target);
        }
    }
    if (ec) {
        im.Disconnect();
        throw std::runtime_error("HTTP exchange failed (" + method + " " + target + "): " + ec.message());
    }
    auto res = parser.release();
    HttpResponse out;
    out.status = static_cast<int>(res.result_int());
    for (const auto& f : res) {
        std::string name(f.name_string());
        for (auto& c : name) {
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
        out.headers[name] = std::string(f.value());
    }
    out.body = std::move(res.body());
    if (!res.keep_alive()) {
        im.Disconnect();
    }
    return out;
}

namespace {
std::map<std::string, std::string> Auth(const std::string& bearer) {
    if (bearer.empty()) {
        return {};
    }
    return {{"Authorization", "Bearer " + bearer}};
}
}  // namespace

HttpResponse HttpClient::Get(const std::string& target, const std::string& bearer) {
    return Request("GET", target, "", Auth(bearer));
}
HttpResponse HttpClient::Post(const std::string& target, const boost::json::value& body, const std::string& bearer) {
    return Request("POST", target, boost::json::serialize(body), Auth(bearer));
}
HttpResponse HttpClient::Put(const std::string& target, const boost::json::value& body, const std::string& bearer) {
    return Request("PUT", target, boost::json::serialize(body), Auth(bearer));
}
HttpResponse HttpClient::Patch(const std::string& target, const boost::json::value& body, const std::string& bearer) {
    return Request("PATCH", target, boost::json::serialize(body), Auth(bearer));
}
HttpResponse HttpClient::Delete(const std::string& target, const std::string& bearer) {
    return Request("DELETE", target, "", Auth(bearer));
}

struct RawClient::Impl {
    asio::io_context ioc;
    tcp::socket socket{ioc};
    bool closed = false;  ///< the peer closed or reset the connection: reads return at once from then on

    /// What arrives by `end`, at most the buffer's size; 0 when the deadline passed or the peer closed. A read
    /// after the close would wait out its deadline, so `closed` remembers it.
    std::size_t ReadSome(asio::mutable_buffer buffer, std::chrono::steady_clock::time_point end) {
        if (closed) {
            return 0;
        }
        bool done = false;
        boost::system::error_code ec;
        std::size_t n = 0;
        socket.async_read_some(buffer, [&](boost::system::error_code e, std::size_t k) {
            ec = e;
            n = k;
            done = true;
        });
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(end - std::chrono::steady_clock::now());
        if (!RunUntil(ioc, done, std::max(left, std::chrono::milliseconds(1)))) {
            socket.cancel();
            RunUntil(ioc, done, std::chrono::seconds(5));  // what arrived as the deadline passed still counts
        }
        if (!done || ec == asio::error::operation_aborted) {
            return 0;
        }
        closed = static_cast<bool>(ec);
        return n;
    }
};

RawClient::RawClient(std::uint16_t port) : impl_(std::make_unique<Impl>()) {
    impl_->socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
}

RawClient::RawClient(std::uint16_t port, const std::string& from) : impl_(std::make_unique<Impl>()) {
    // Every 127.x.y.z is the loopback interface on Linux: a second client address without a second machine.
    impl_->socket.open(asio::ip::tcp::v4());
    impl_->socket.bind(tcp::endpoint(asio::ip::make_address(from), 0));
    impl_->socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
}

RawClient::~RawClient() = default;

bool RawClient::Send(const std::string& bytes) {
    boost::system::error_code ec;
    asio::write(impl_->socket, asio::buffer(bytes), ec);
    return !ec;
}

std::string RawClient::ReadAll(std::chrono::milliseconds deadline) {
    auto& im = *impl_;
    std::string out;
    std::array<char, 4096> chunk{};
    const auto end = std::chrono::steady_clock::now() + deadline;
    while (!im.closed && std::chrono::steady_clock::now() < end) {
        out.append(chunk.data(), im.ReadSome(asio::buffer(chunk), end));
    }
    return out;
}

std::string RawClient::ReadResponse(std::chrono::milliseconds deadline) {
    auto& im = *impl_;
    std::string out;
    std::array<char, 1> byte{};
    const auto end = std::chrono::steady_clock::now() + deadline;
    std::size_t body_left = 0;
    bool in_body = false;
    // One byte at a time, so nothing of a later response is taken from the socket.
    while (!(in_body && body_left == 0)) {
        if (im.ReadSome(asio::buffer(byte), end) == 0) {
            break;
        }
        out.push_back(byte[0]);
        if (in_body) {
            --body_left;
        } else if (out.ends_with("\r\n\r\n")) {
            in_body = true;
            std::string head = out;
            for (auto& c : head) {
                c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            }
            const auto at = head.find("\r\ncontent-length:");
            body_left = at == std::string::npos ? 0 : std::strtoull(head.c_str() + at + 17, nullptr, 10);
        }
    }
    return out;
}

bool RawClient::WaitClosed(std::chrono::milliseconds deadline) {
    auto& im = *impl_;
    std::array<char, 4096> chunk{};
    const auto end = std::chrono::steady_clock::now() + deadline;
    while (!im.closed && std::chrono::steady_clock::now() < end) {
        im.ReadSome(asio::buffer(chunk), end);
    }
    return im.closed;
}

bool RawClient::Closed() const {
    return impl_->closed;
}

int StatusOf(const std::string& raw) {
    if (raw.size() < 12 || raw.compare(0, 5, "HTTP/") != 0) {
        return 0;
    }
    return std::atoi(raw.substr(9, 3).c_str());
}

}  // namespace rollcall::test
