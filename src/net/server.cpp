#include "net/server.hpp"

#include "net/request_head.hpp"

#include <atomic>
#include <condition_variable>
#include <limits>
#include <map>
#include <mutex>
#include <thread>
#include <utility>

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

/// What Stop needs to reach a session from another thread: its strand, and whether it is idle or streaming.
struct SessionControl {
    asio::any_io_executor executor;
    beast::tcp_stream* stream = nullptr;
    bool idle = false;
    std::shared_ptr<ResponseStream> body;  ///< the streamed body being written (on the strand)
};

/// What a streamed body's wake reaches on the session's strand; cleared as the stream's writer ends.
struct StreamWake {
    asio::steady_timer* timer = nullptr;
    beast::tcp_stream* stream = nullptr;
    ResponseStream* body = nullptr;
    bool writing = false;
};

/// The bytes of request bodies held by all connections together (Limits::body_budget). A request takes its part
/// before its body is read: a declared Content-Length at once (Beast reserves that much for it), a chunked body
/// as it grows.
class BodyBudget {
public:
    explicit BodyBudget(std::size_t capacity) : capacity_(capacity) {}

    bool TryTake(std::size_t bytes) {
        auto held = held_.load();
        do {
            if (bytes > capacity_ - held) {
                return false;
            }
        } while (!held_.compare_exchange_weak(held, held + bytes));
        return true;
    }
    void Give(std::size_t bytes) { held_ -= bytes; }

private:
    const std::size_t capacity_;
    std::atomic<std::size_t> held_{0};
};

/// What one request holds of the budget, given back when its answer is written.
class BodyReservation {
public:
    explicit BodyReservation(BodyBudget& budget) : budget_(budget) {}
    ~BodyReservation() { budget_.Give(held_); }
    BodyReservation(const BodyReservation&) = delete;
    BodyReservation& operator=(const BodyReservation&) = delete;

    /// Holds `bytes` in all, if the budget has room for what that adds.
    bool GrowTo(std::size_t bytes) {
        if (bytes <= held_) {
            return true;
        }
        if (!budget_.TryTake(bytes - held_)) {
            return false;
        }
        held_ = bytes;
        return true;
    }

private:
    BodyBudget& budget_;
    std::size_t held_ = 0;
};

/// The address the per-address cap counts: an IPv4 address as it is (also when it reaches an IPv6 socket as
/// ::ffff:a.b.c.d), an IPv6 client by its /64, which one host is routinely given whole.
std::string AddressKey(const asio::ip::address& address) {
    if (address.is_v6()) {
        const auto v6 = address.to_v6();
        if (v6.is_v4_mapped()) {
            return asio::ip::make_address_v4(asio::ip::v4_mapped, v6).to_string();
        }
        auto bytes = v6.to_bytes();
        std::fill(bytes.begin() + 8, bytes.end(), 0);
        return asio::ip::address_v6(bytes).to_string() + "/64";
    }
    return address.to_string();
}

/// A refusal the transport makes itself, which the client may send again later.
Response RetryLater(int status, std::string_view code, std::string_view message) {
    auto response = JsonError(status, code, message);
    response.headers.emplace_back("Retry-After", "1");
    return response;
}

constexpr const char* kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
    "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

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
    // The School Panel's pages and every other answer alike: only the server's own scripts and styles run (no
    // inline script or style), nothing frames it, and no address of it leaks to another site.
    res.set("Content-Security-Policy", kContentSecurityPolicy);
    res.set("X-Frame-Options", "DENY");
    res.set("Referrer-Policy", "no-referrer");
    res.set("Cross-Origin-Opener-Policy", "same-origin");
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
    Impl(Limits l, Dispatcher& d) : limits(l), dispatcher(d), budget(l.body_budget), ioc(l.io_threads), acceptor(ioc) {}

    Limits limits;
    Dispatcher& dispatcher;
    BodyBudget budget;
    std::atomic<std::size_t> connections{0};
    std::atomic<bool> stopping{false};

    // Declared before the io_context, so they outlive it: a session still in flight at destruction (cut off by
    // the drain timeout) unregisters itself while the io_context destroys its coroutine.
    std::mutex mu;
    std::condition_variable cv;
    std::map<std::uint64_t, std::shared_ptr<SessionControl>> sessions;
    std::uint64_t next_session_id = 0;
    std::map<std::string, std::size_t> by_address;  ///< open connections per AddressKey (under mu)
    std::map<std::string, std::size_t> by_caller;   ///< connections per Admission::caller (under mu)

    asio::io_context ioc;
    tcp::acceptor acceptor;
    std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
    std::vector<std::thread> threads;

    asio::awaitable<void> AcceptLoop();
    /// Counts one more connection from the address, unless it holds its share already.
    bool TakeAddressSlot(const std::string& address);
    /// Moves the connection from one caller's count to another's, unless the new one holds its share already.
    bool TakeCallerSlot(const std::string& caller, std::string& held);
    void Release(const std::string& address, const std::string& caller);
    asio::awaitable<void> Refuse(tcp::socket socket, Response response);
    asio::awaitable<void> Session(tcp::socket socket, std::string address);
    asio::awaitable<bool> WriteResponse(
        beast::tcp_stream& stream, Response response, unsigned version, bool keep_alive, bool head = false);
    asio::awaitable<void> WriteError(beast::tcp_stream& stream, Response response);
    /// Writes a streamed response: its head, then its chunks and keepalives as they come, until it closes.
    asio::awaitable<void> WriteStream(beast::tcp_stream& stream,
                                      Response response,
                                      unsigned version,
                                      SessionControl& control);
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
            asio::co_spawn(
                executor,
                Refuse(std::move(socket), RetryLater(503, "unavailable", "too many connections; retry later")),
                asio::detached);
            continue;
        }
        boost::system::error_code no_peer;
        const auto peer = socket.remote_endpoint(no_peer);
        // An empty key is uncapped: a trusted proxy's connections carry many clients.
        std::string address = no_peer || limits.trusted_proxies.Contains(peer.address().to_string())
                                  ? std::string()
                                  : AddressKey(peer.address());
        if (!TakeAddressSlot(address)) {
            asio::co_spawn(
                executor,
                Refuse(std::move(socket),
                       RetryLater(429, "too_many_requests", "too many connections from this address; retry later")),
                asio::detached);
            continue;
        }
        ++connections;
        asio::co_spawn(executor, Session(std::move(socket), std::move(address)), [this](const std::exception_ptr& e) {
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

bool Server::Impl::TakeAddressSlot(const std::string& address) {
    if (limits.max_connections_per_address == 0 || address.empty()) {
        return true;
    }
    std::lock_guard lock(mu);
    auto& open = by_address[address];
    if (open >= limits.max_connections_per_address) {
        return false;
    }
    ++open;
    return true;
}

bool Server::Impl::TakeCallerSlot(const std::string& caller, std::string& held) {
    if (limits.max_connections_per_caller == 0 || caller.empty() || caller == held) {
        return true;
    }
    std::lock_guard lock(mu);
    if (const auto it = by_caller.find(caller);
        it != by_caller.end() && it->second >= limits.max_connections_per_caller) {
        return false;
    }
    ++by_caller[caller];
    if (!held.empty()) {
        if (const auto it = by_caller.find(held); it != by_caller.end() && --it->second == 0) {
            by_caller.erase(it);
        }
    }
    held = caller;
    return true;
}

void Server::Impl::Release(const std::string& address, const std::string& caller) {
    std::lock_guard lock(mu);
    if (limits.max_connections_per_address != 0 && !address.empty()) {
        if (const auto it = by_address.find(address); it != by_address.end() && --it->second == 0) {
            by_address.erase(it);
        }
    }
    if (!caller.empty()) {
        if (const auto it = by_caller.find(caller); it != by_caller.end() && --it->second == 0) {
            by_caller.erase(it);
        }
    }
}

asio::awaitable<void> Server::Impl::Refuse(tcp::socket socket, Response response) {
    dispatcher.OnTransportReply(response.status);
    beast::tcp_stream stream(std::move(socket));
    co_await WriteError(stream, std::move(response));
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

asio::awaitable<void> Server::Impl::WriteError(beast::tcp_stream& stream, Response response) {
    co_await WriteResponse(stream, std::move(response), 11, false);
    boost::system::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
}

asio::awaitable<void> Server::Impl::WriteError(beast::tcp_stream& stream,
                                               int status,
                                               std::string_view code,
                                               std::string_view message) {
    co_await WriteError(stream, JsonError(status, code, message));
}

asio::awaitable<void> Server::Impl::Session(tcp::socket socket, std::string address) {
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
    // The connection's places in the per-address and per-caller counts, given back before the client sees the
    // close (so a client that saw it may connect again at once), or as the frame dies if it dies first.
    struct Slots {
        Impl* impl;
        std::string address;
        std::string caller;
        bool held = true;
        void Release() {
            if (std::exchange(held, false)) {
                impl->Release(address, caller);
            }
        }
        ~Slots() { Release(); }
    } slots{this, std::move(address), {}};

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
        // No body limit yet: the route's is known once the caller is (admission). Beast would otherwise refuse a
        // large Content-Length with 413 before an unknown token could be answered 401.
        parser.body_limit(std::numeric_limits<std::uint64_t>::max());
        HeadReader reader;
        HeadRead head = reader.Feed(parser, {static_cast<const char*>(buffer.data().data()), buffer.size()});
        bool lost = false;
        while (head.state == HeadRead::State::kNeedMore) {
            auto [ec, n] = co_await stream.async_read_some(buffer.prepare(4096), kTuple);
            if (ec) {
                if (ec == beast::error::timeout) {
                    dispatcher.OnTransportEvent("request_timeout");  // the deadline closed the socket
                }
                lost = true;  // closed, reset or cut off mid-head: nobody to answer
                break;
            }
            buffer.commit(n);
            head = reader.Feed(parser, {static_cast<const char*>(buffer.data().data()), buffer.size()});
        }
        if (lost) {
            break;
        }
        if (head.state == HeadRead::State::kRefused) {
            dispatcher.OnTransportReply(head.status);
            co_await WriteError(stream, head.status, head.code, head.message);
            break;
        }
        Request request = HeadFrom(parser, remote);
        if (const auto problem = FramingProblem({static_cast<const char*>(buffer.data().data()), head.used}, request)) {
            // The body's extent is unclear, so nothing after this head can be read as the next request.
            dispatcher.OnTransportReply(400);
            co_await WriteError(stream, 400, "bad_request", "ambiguous request framing: " + *problem);
            break;
        }
        buffer.consume(head.used);

        Admission admission = dispatcher.Admit(request);
        if (admission.reject) {
            // The body is unread, so the connection cannot be reused.
            co_await WriteResponse(stream, std::move(*admission.reject), parser.get().version(), false);
            break;
        }
        if (!TakeCallerSlot(admission.caller, slots.caller)) {
            dispatcher.OnTransportReply(429);
            co_await WriteError(
                stream, RetryLater(429, "too_many_requests", "too many connections for this caller; retry later"));
            break;
        }
        const auto declared = parser.content_length();
        if (declared && *declared > admission.body_limit) {
            dispatcher.OnTransportReply(413);
            co_await WriteError(stream, 413, "payload_too_large", "request body too large for this endpoint");
            break;
        }
        // Beast reserves a declared body whole as the body starts, before its bytes arrive.
        BodyReservation reservation(budget);
        if (declared && !reservation.GrowTo(static_cast<std::size_t>(*declared))) {
            dispatcher.OnTransportReply(503);
            co_await WriteError(stream,
                                RetryLater(503, "unavailable", "too many request bodies in flight; retry later"));
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
            parser.eager(true);
            bool failed = false;
            while (!failed && !parser.is_done()) {
                auto [bec, bn] = co_await http::async_read_some(stream, buffer, parser, kTuple);
                failed = true;
                if (bec == http::error::body_limit) {
                    dispatcher.OnTransportReply(413);
                    co_await WriteError(stream, 413, "payload_too_large", "request body too large for this endpoint");
                } else if (bec == beast::error::timeout) {
                    dispatcher.OnTransportEvent("request_timeout");
                } else if (bec == asio::error::eof || bec == asio::error::connection_reset) {
                    // The client went away mid-body: nobody to answer.
                } else if (bec) {
                    dispatcher.OnTransportReply(400);
                    co_await WriteError(stream, 400, "bad_request", "malformed HTTP request body");
                } else if (!reservation.GrowTo(parser.chunked() ? parser.get().body().capacity() : 0)) {
                    // A chunked body takes its part of the budget as it grows, in the string Beast appends it to.
                    dispatcher.OnTransportReply(503);
                    co_await WriteError(
                        stream, RetryLater(503, "unavailable", "too many request bodies in flight; retry later"));
                } else {
                    failed = false;
                }
            }
            if (failed) {
                break;
            }
        }
        const bool client_keep_alive = parser.keep_alive();
        const unsigned version = parser.get().version();
        request.body = std::move(parser.get().body());
        const bool head_only = request.method == "HEAD";

        // The handler may take a while (group commit); no deadline applies while it works.
        stream.expires_never();
        DispatchInitiation initiation{&dispatcher, std::move(request), stream.get_executor()};
        Response response = co_await asio::async_initiate<const asio::use_awaitable_t<>, void(Response)>(
            std::move(initiation), asio::use_awaitable);

        if (response.stream) {
            // A streamed body ends with the connection.
            co_await WriteStream(stream, std::move(response), version, *control);
            break;
        }
        const bool keep_alive = client_keep_alive && !response.close && !stopping;
        if (!co_await WriteResponse(stream, std::move(response), version, keep_alive, head_only) || !keep_alive) {
            break;
        }
    }
    slots.Release();
    boost::system::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream.socket().close(ignored);
}

asio::awaitable<void> Server::Impl::WriteStream(beast::tcp_stream& stream,
                                                Response response,
                                                unsigned version,
                                                SessionControl& control) {
    const auto body = std::move(response.stream);
    http::response<http::empty_body> head;
    head.version(version);
    head.result(static_cast<unsigned>(response.status));
    head.set(http::field::server, "rollcall");
    head.set(http::field::content_type, response.content_type);
    head.set(http::field::cache_control, "no-store");
    head.set("X-Content-Type-Options", "nosniff");
    for (auto& [name, value] : response.headers) {
        head.set(name, value);
    }
    // No Content-Length and no chunking: the body is whatever comes until the connection closes.
    head.keep_alive(false);

    asio::steady_timer timer(stream.get_executor());
    auto wake = std::make_shared<StreamWake>(StreamWake{&timer, &stream, body.get(), false});
    control.body = body;
    // Whichever thread pushed, the wake runs here on the strand: it ends the wait, and a closed stream's write.
    body->Attach([wake, executor = stream.get_executor()] {
        asio::post(executor, [wake] {
            if (wake->timer != nullptr) {
                wake->timer->cancel();
            }
            if (wake->writing && wake->body != nullptr && wake->body->Closed()) {
                wake->stream->cancel();  // dropped while its client is not reading: the write gives up now
            }
        });
    });

    stream.expires_after(limits.write_timeout);
    http::response_serializer<http::empty_body> serializer(head);
    auto [hec, hn] = co_await http::async_write_header(stream, serializer, kTuple);
    stream.expires_never();
    const auto every = body->options().keepalive_every;
    auto next_beat = std::chrono::steady_clock::now() + every;
    std::vector<std::string> chunks;
    bool ok = !hec;
    while (ok && !stopping) {
        chunks.clear();
        if (!body->Take(chunks)) {
            break;
        }
        if (chunks.empty() && every.count() > 0 && std::chrono::steady_clock::now() >= next_beat) {
            chunks.push_back(body->options().keepalive);
            next_beat = std::chrono::steady_clock::now() + every;
        }
        if (chunks.empty()) {
            // Until the next keepalive, or a wake (chunks, a close); a wake that came since Take ends it at once.
            timer.expires_at(every.count() > 0 ? next_beat : asio::steady_timer::time_point::max());
            co_await timer.async_wait(kTuple);
            continue;
        }
        std::vector<asio::const_buffer> buffers;
        buffers.reserve(chunks.size());
        for (const auto& chunk : chunks) {
            buffers.push_back(asio::buffer(chunk));
        }
        stream.expires_after(limits.write_timeout);
        wake->writing = true;
        auto [ec, n] = co_await asio::async_write(stream, buffers, kTuple);
        wake->writing = false;
        stream.expires_never();
        if (ec == beast::error::timeout) {
            dispatcher.OnTransportEvent("write_timeout");  // the client stopped reading
        }
        ok = !ec;
    }
    *wake = StreamWake{};
    control.body.reset();
    body->Ended();
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
                if (control->body) {
                    control->body->Close();  // a stream never finishes by itself: it ends now
                }
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
