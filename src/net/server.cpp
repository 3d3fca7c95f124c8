#include "net/server.hpp"

#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <spdlog/spdlog.h>

namespace rollcall::net {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

/// What Stop needs to reach a session from another thread: its strand, and whether it is idle.
struct SessionControl {
    asio::any_io_executor executor;
    beast::tcp_stream* stream = nullptr;
    bool idle = false;
};

Request HeadFrom(const http::request_parser<http::string_body>& parser, const std::string& remote) {
    const auto& msg = parser.get();
    Request r;
    r.method = std::string(msg.method_string());
    r.target = std::string(msg.target());
    r.version = static_cast<int>(msg.version());
    r.remote_address = remote;
    r.headers.reserve(8);
    for (const auto& field : msg) {
        std::string name(field.name_string());
        for (auto& c : name) {
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
        r.headers.emplace_back(std::move(name), std::string(field.value()));
    }
    return r;
}

/// The response as written. Every answer carries tokens, secrets or a school's personal data, or may: no cache
/// keeps it and no browser guesses another type for it. The answer to a HEAD request has the head of the GET's,
/// its Content-Length included, and no body (RFC 9110 9.3.2).
http::response<http::string_body> ToBeast(Response&& response, unsigned version, bool keep_alive, bool head) {
    http::response<http::string_body> res;
    res.version(version);
    res.result(static_cast<unsigned>(response.status));
    res.set(http::field::server, "rollcall");
    res.set(http::field::content_type, response.content_type);
    res.set(http::field::cache_control, "no-store");
    res.set("X-Content-Type-Options", "nosniff");
    for (auto& [name, value] : response.headers) {
        res.set(name, value);
    }
    res.keep_alive(keep_alive);
    const auto length = response.body.size();
    if (!head) {
        res.body() = std::move(response.body);
    }
    res.prepare_payload();
    if (head) {
        res.content_length(length);
    }
    return res;
}

/// Hands a request to the dispatcher and resumes the session when the responder is called, on the
/// session's own executor, whichever thread answered. A named type rather than a lambda: g++ 12
/// miscompiles a capturing lambda in the same full-expression as co_await.
struct DispatchInitiation {
    Dispatcher* dispatcher;
    Request request;
    asio::any_io_executor executor;

    template <class Handler>
    void operator()(Handler&& handler) {
        auto shared = std::make_shared<std::decay_t<Handler>>(std::forward<Handler>(handler));
        auto ex = executor;
        dispatcher->Handle(std::move(request), Responder([shared, ex](Response response) {
                               asio::post(ex, [shared, r = std::move(response)]() mutable { (*shared)(std::move(r)); });
                           }));
    }
};

}  // namespace

struct Server::Impl {
    Impl(Limits l, Dispatcher& d) : limits(l), dispatcher(d), ioc(l.io_threads), acceptor(ioc) {}

    Limits limits;
    Dispatcher& dispatcher;
    std::atomic<std::size_t> connections{0};
    std::atomic<bool> stopping{false};

    // Declared before the io_context, so they outlive it: a session still in flight at destruction (cut off by
    // the drain timeout) unregisters itself while the io_context destroys its coroutine.
    std::mutex mu;
    std::condition_variable cv;
    std::map<std::uint64_t, std::shared_ptr<SessionControl>> sessions;
    std::uint64_t next_session_id = 0;

    asio::io_context ioc;
    tcp::acceptor acceptor;
    std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
    std::vector<std::thread> threads;

    asio::awaitable<void> AcceptLoop();
    asio::awaitable<void> RefuseBusy(tcp::socket socket);
    asio::awaitable<void> Session(tcp::socket socket);
    asio::awaitable<bool> WriteResponse(
        beast::tcp_stream& stream, Response response, unsigned version, bool keep_alive, bool head = false);
    asio::awaitable<void> WriteError(beast::tcp_stream& stream,
                                     int status,
                                     std::string_view code,
                                     std::string_view message);
};

asio::awaitable<void> Server::Impl::AcceptLoop() {
    for (;;) {
        auto [ec, socket] = co_await acceptor.async_accept(asio::make_strand(ioc), kTuple);
        if (ec) {
            if (stopping || ec == asio::error::operation_aborted) {
                co_return;
            }
            // Out of descriptors and the like: back off briefly instead of spinning.
            spdlog::warn("accept failed: {}", ec.message());
            asio::steady_timer timer(acceptor.get_executor(), std::chrono::milliseconds(50));
            co_await timer.async_wait(kTuple);
            continue;
        }
        boost::system::error_code ignored;
        socket.set_option(tcp::no_delay(true), ignored);
        socket.set_option(asio::socket_base::keep_alive(true), ignored);
        auto executor = socket.get_executor();
        if (connections.load() >= limits.max_connections) {
            asio::co_spawn(executor, RefuseBusy(std::move(socket)), asio::detached);
            continue;
        }
        ++connections;
        asio::co_spawn(executor, Session(std::move(socket)), [this](const std::exception_ptr& e) {
            if (e) {
                try {
                    std::rethrow_exception(e);
                } catch (const std::exception& ex) {
                    spdlog::error("session ended by exception: {}", ex.what());
                }
            }
            --connections;
            std::lock_guard lock(mu);
            cv.notify_all();
        });
    }
}

asio::awaitable<void> Server::Impl::RefuseBusy(tcp::socket socket) {
    dispatcher.OnTransportReply(503);
    beast::tcp_stream stream(std::move(socket));
    co_await WriteError(stream, 503, "unavailable", "too many connections; retry later");
}

asio::awaitable<bool> Server::Impl::WriteResponse(
    beast::tcp_stream& stream, Response response, unsigned version, bool keep_alive, bool head) {
    auto res = ToBeast(std::move(response), version, keep_alive, head);
    stream.expires_after(limits.write_timeout);
    auto [ec, n] = co_await http::async_write(stream, res, kTuple);
    if (ec == beast::error::timeout) {
        dispatcher.OnTransportEvent("write_timeout");  // the client stopped reading
    }
    co_return !ec;
}

asio::awaitable<void> Server::Impl::WriteError(beast::tcp_stream& stream,
                                               int status,
                                               std::string_view code,
                                               std::string_view message) {
    co_await WriteResponse(stream, JsonError(status, code, message), 11, false);
    boost::system::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
}

asio::awaitable<void> Server::Impl::Session(tcp::socket socket) {
    boost::system::error_code ec_remote;
    const auto endpoint = socket.remote_endpoint(ec_remote);
    const std::string remote = ec_remote ? std::string() : endpoint.address().to_string();
    beast::tcp_stream stream(std::move(socket));
    beast::flat_buffer buffer;

    auto control = std::make_shared<SessionControl>();
    control->executor = stream.get_executor();
    control->stream = &stream;
    std::uint64_t id = 0;
    {
        std::lock_guard lock(mu);
        id = next_session_id++;
        sessions.emplace(id, control);
    }
    // Runs on the session's strand as the frame dies, so a close posted by Stop after this sees no stream.
    struct Unregister {
        Impl* impl;
        std::uint64_t id;
        SessionControl* control;
        ~Unregister() {
            control->stream = nullptr;
            std::lock_guard lock(impl->mu);
            impl->sessions.erase(id);
        }
    } unregister{this, id, control.get()};

    for (;;) {
        if (buffer.size() == 0) {
            // Idle between requests: the keep-alive timeout applies until the first byte arrives.
            control->idle = true;
            if (stopping) {
                break;
            }
            stream.expires_after(limits.idle_timeout);
            auto [ec, n] = co_await stream.async_read_some(buffer.prepare(4096), kTuple);
            control->idle = false;
            if (ec) {
                break;
            }
            buffer.commit(n);
        }

        // One deadline for header and body together, so trickling bytes cannot extend it.
        stream.expires_after(limits.request_timeout);
        http::request_parser<http::string_body> parser;
        parser.header_limit(static_cast<std::uint32_t>(limits.header_limit));
        // Must be set before the header is read: Beast checks Content-Length against it only then.
        parser.body_limit(limits.max_body_limit);
        auto [ec, n] = co_await http::async_read_header(stream, buffer, parser, kTuple);
        if (ec) {
            if (ec == http::error::header_limit) {
                dispatcher.OnTransportReply(431);
                co_await WriteError(stream, 431, "header_too_large", "request header fields too large");
            } else if (ec == http::error::body_limit) {
                dispatcher.OnTransportReply(413);
                co_await WriteError(stream, 413, "payload_too_large", "request body too large");
            } else if (ec == beast::error::timeout) {
                dispatcher.OnTransportEvent("request_timeout");  // the deadline closed the socket
            } else if (ec != http::error::end_of_stream && ec != asio::error::eof &&
                       ec != asio::error::connection_reset && ec != asio::error::operation_aborted) {
                dispatcher.OnTransportReply(400);
                co_await WriteError(stream, 400, "bad_request", "malformed HTTP request");
            }
            break;
        }

        Request request = HeadFrom(parser, remote);
        Admission admission = dispatcher.Admit(request);
        if (admission.reject) {
            // The body is unread, so the connection cannot be reused.
            co_await WriteResponse(stream, std::move(*admission.reject), parser.get().version(), false);
            break;
        }
        const auto declared = parser.content_length();
        if (declared && *declared > admission.body_limit) {
            dispatcher.OnTransportReply(413);
            co_await WriteError(stream, 413, "payload_too_large", "request body too large for this endpoint");
            break;
        }
        parser.body_limit(admission.body_limit);  // enforced as chunked bodies arrive
        request.context = std::move(admission.context);
        if (!parser.is_done()) {
            if (parser.get()[http::field::expect] == "100-continue") {
                http::response<http::empty_body> cont{http::status::continue_, parser.get().version()};
                auto [wec, wn] = co_await http::async_write(stream, cont, kTuple);
                if (wec) {
                    break;
                }
            }
            auto [bec, bn] = co_await http::async_read(stream, buffer, parser, kTuple);
            if (bec) {
                if (bec == http::error::body_limit) {
                    dispatcher.OnTransportReply(413);
                    co_await WriteError(stream, 413, "payload_too_large", "request body too large for this endpoint");
                } else if (bec == beast::error::timeout) {
                    dispatcher.OnTransportEvent("request_timeout");
                } else if (bec != asio::error::eof && bec != asio::error::connection_reset) {
                    dispatcher.OnTransportReply(400);
                    co_await WriteError(stream, 400, "bad_request", "malformed HTTP request body");
                }
                break;
            }
        }
        const bool client_keep_alive = parser.keep_alive();
        const unsigned version = parser.get().version();
        request.body = std::move(parser.get().body());
        const bool head = request.method == "HEAD";

        // The handler may take a while (group commit); no deadline applies while it works.
        stream.expires_never();
        DispatchInitiation initiation{&dispatcher, std::move(request), stream.get_executor()};
        Response response = co_await asio::async_initiate<const asio::use_awaitable_t<>, void(Response)>(
            std::move(initiation), asio::use_awaitable);

        const bool keep_alive = client_keep_alive && !response.close && !stopping;
        if (!co_await WriteResponse(stream, std::move(response), version, keep_alive, head) || !keep_alive) {
            break;
        }
    }
    boost::system::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream.socket().close(ignored);
}

Server::Server(Limits limits, Dispatcher& dispatcher) : impl_(std::make_unique<Impl>(limits, dispatcher)) {}

// Stop() throws only when the process is out of resources (an allocation, a thread join); terminating then is
// right, so the destructor stays noexcept.
Server::~Server() {  // NOLINT(bugprone-exception-escape)
    Stop();
}

std::uint16_t Server::Start(const std::string& host, std::uint16_t port) {
    auto& im = *impl_;
    const tcp::endpoint endpoint(asio::ip::make_address(host), port);
    im.acceptor.open(endpoint.protocol());
    im.acceptor.set_option(asio::socket_base::reuse_address(true));
    im.acceptor.bind(endpoint);
    im.acceptor.listen(asio::socket_base::max_listen_connections);
    const auto bound = im.acceptor.local_endpoint().port();
    im.work.emplace(im.ioc.get_executor());
    asio::co_spawn(im.acceptor.get_executor(), im.AcceptLoop(), asio::detached);
    for (int i = 0; i < std::max(1, im.limits.io_threads); ++i) {
        im.threads.emplace_back([&im] { im.ioc.run(); });
    }
    return bound;
}

void Server::Stop() {
    auto& im = *impl_;
    if (im.threads.empty() || im.stopping.exchange(true)) {
        return;
    }
    asio::post(im.acceptor.get_executor(), [&im] {
        boost::system::error_code ignored;
        im.acceptor.close(ignored);
    });
    {
        std::lock_guard lock(im.mu);
        // Not a structured binding: clang 14 (clang-tidy's parser) cannot capture one in a lambda.
        for (const auto& session : im.sessions) {
            asio::post(session.second->executor, [control = session.second] {
                if (control->idle && control->stream != nullptr) {
                    boost::system::error_code ignored;
                    control->stream->socket().close(ignored);
                }
            });
        }
    }
    {
        std::unique_lock lock(im.mu);
        im.cv.wait_for(lock, im.limits.drain_timeout, [&im] { return im.connections.load() == 0; });
    }
    im.work.reset();
    im.ioc.stop();
    for (auto& t : im.threads) {
        t.join();
    }
    im.threads.clear();
    // Requests still in flight after the drain timeout are cut off now, not when the process exits or the server
    // is destroyed: their clients see the connection close and retry. No io thread runs any more, so the sockets
    // can be closed from here; a handler still working answers into the stopped context, which drops it.
    std::lock_guard lock(im.mu);
    for (auto& [id, control] : im.sessions) {
        if (control->stream != nullptr) {
            boost::system::error_code ignored;
            control->stream->socket().shutdown(tcp::socket::shutdown_both, ignored);
            control->stream->socket().close(ignored);
        }
    }
}

std::size_t Server::ActiveConnections() const {
    return impl_->connections.load();
}

}  // namespace rollcall::net
