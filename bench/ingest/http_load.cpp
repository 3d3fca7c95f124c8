#include "http_load.hpp"

#include <algorithm>
#include <chrono>
#include <exception>
#include <stdexcept>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/json/parse.hpp>

namespace rollcall::bench {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace json = boost::json;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

// Concrete executor types instead of Asio's type-erased any_io_executor: one client thread needs no
// erasure, and GCC 12 at -O2 reports a false -Wnull-dereference inside any_executor's comparison.
using Executor = asio::io_context::executor_type;
using Stream = beast::basic_stream<tcp, Executor>;
constexpr asio::use_awaitable_t<Executor> kAwait;

// Generous: a stalled server shows up as failures rather than a hung benchmark.
constexpr auto kIoTimeout = std::chrono::seconds(30);

struct Shared {
    LoadResult& result;
    std::int64_t expected_inserted;

    void Fail(std::size_t count, std::string what) {
        result.failures += count;
        if (result.first_error.empty()) {
            result.first_error = std::move(what);
        }
    }
};

/// Empty when the answer is the expected one, else what was wrong with it.
std::string CheckAnswer(const http::response<http::string_body>& res, std::int64_t expected_inserted) {
    if (res.result_int() != 200) {
        return "HTTP " + std::to_string(res.result_int()) + ": " + res.body();
    }
    boost::system::error_code ec;
    const auto v = json::parse(res.body(), ec);
    const auto* inserted = !ec && v.is_object() ? v.as_object().if_contains("inserted") : nullptr;
    if (inserted == nullptr || !inserted->is_int64() || inserted->as_int64() != expected_inserted) {
        return "unexpected answer: " + res.body();
    }
    return {};
}

asio::awaitable<void, Executor> Connection(tcp::endpoint endpoint,
                                           const std::vector<std::string>& requests,
                                           Shared& shared) {
    Stream stream(co_await asio::this_coro::executor);
    beast::flat_buffer buffer;
    std::size_t next = 0;
    try {
        stream.expires_after(kIoTimeout);
        co_await stream.async_connect(endpoint, kAwait);
        stream.socket().set_option(tcp::no_delay(true));
        for (; next < requests.size(); ++next) {
            const auto start = Clock::now();
            stream.expires_after(kIoTimeout);
            co_await asio::async_write(stream, asio::buffer(requests[next]), kAwait);
            http::response_parser<http::string_body> parser;
            co_await http::async_read(stream, buffer, parser, kAwait);
            shared.result.latencies_ms.push_back(
                std::chrono::duration<double, std::milli>(Clock::now() - start).count());
            const auto& res = parser.get();
            if (auto wrong = CheckAnswer(res, shared.expected_inserted); !wrong.empty()) {
                shared.Fail(1, std::move(wrong));
            } else {
                ++shared.result.requests;
            }
            if (!res.keep_alive()) {
                // Devices keep their connection; a server that closes it is a failure of this phase.
                ++next;
                shared.Fail(requests.size() - next, "server closed a keep-alive connection");
                co_return;
            }
        }
    } catch (const std::exception& e) {
        shared.Fail(requests.size() - next, std::string("connection failed: ") + e.what());
    }
}

}  // namespace

std::string PushRequest(const std::string& token, const std::string& body) {
    return "POST /api/v1/biometric/push-log HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token +
           "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

std::string HttpGet(std::uint16_t port, const std::string& target) {
    asio::io_context ioc(1);
    std::string body;
    std::exception_ptr error;
    auto get = [&]() -> asio::awaitable<void, Executor> {
        Stream stream(co_await asio::this_coro::executor);
        stream.expires_after(kIoTimeout);
        co_await stream.async_connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), kAwait);
        const std::string request = "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
        co_await asio::async_write(stream, asio::buffer(request), kAwait);
        beast::flat_buffer buffer;
        http::response<http::string_body> res;
        co_await http::async_read(stream, buffer, res, kAwait);
        if (res.result_int() != 200) {
            throw std::runtime_error("GET " + target + ": HTTP " + std::to_string(res.result_int()));
        }
        body = std::move(res.body());
    };
    asio::co_spawn(ioc.get_executor(), get(), [&](std::exception_ptr e) { error = e; });
    ioc.run();
    if (error) {
        std::rethrow_exception(error);
    }
    return body;
}

LoadResult RunLoad(std::uint16_t port,
                   const std::vector<std::vector<std::string>>& connections,
                   std::int64_t expected_inserted) {
    LoadResult result;
    std::size_t total = 0;
    for (const auto& c : connections) {
        total += c.size();
    }
    result.latencies_ms.reserve(total);
    Shared shared{result, expected_inserted};
    asio::io_context ioc(1);
    const tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), port);
    for (const auto& requests : connections) {
        asio::co_spawn(ioc.get_executor(), Connection(endpoint, requests, shared), asio::detached);
    }
    const auto start = Clock::now();
    ioc.run();
    result.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    return result;
}

double Quantile(std::vector<double>& values, double q) {
    if (values.empty()) {
        return 0;
    }
    const auto k = static_cast<std::size_t>(q * static_cast<double>(values.size() - 1) + 0.5);
    std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(k), values.end());
    return values[k];
}

}  // namespace rollcall::bench
