#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <typeinfo>
#include <utility>
#include <vector>

namespace rollcall::net {

/// What a dispatcher learned at admission (the authenticated caller), handed back to it with the whole request.
/// Holds one value of any type, and gives it back only as that type: Get<T> is null for another type, so a
/// route never casts blindly. Copies share the value.
class RequestContext {
public:
    RequestContext() = default;
    RequestContext(std::nullptr_t) {}  // NOLINT(google-explicit-constructor): "nothing learned", as in {.., nullptr}

    template <class T>
    static RequestContext Of(T value) {
        RequestContext context;
        context.value_ = std::make_shared<const T>(std::move(value));
        context.type_ = &typeid(T);
        return context;
    }

    /// The value, if there is one and it is a T.
    template <class T>
    const T* Get() const {
        return type_ != nullptr && *type_ == typeid(T) ? static_cast<const T*>(value_.get()) : nullptr;
    }
    explicit operator bool() const { return value_ != nullptr; }

private:
    std::shared_ptr<const void> value_;
    const std::type_info* type_ = nullptr;
};

/// A request as the routes see it: plain strings, no Beast types, so route code compiles fast.
struct Request {
    std::string method;                                        ///< "GET", "POST", ...
    std::string target;                                        ///< path and query as sent
    std::vector<std::pair<std::string, std::string>> headers;  ///< names lower-cased
    std::string body;
    std::string remote_address;
    int version = 11;  ///< 10 or 11
    /// What the dispatcher learned at admission (the authenticated caller), handed back to it with the body.
    RequestContext context;

    /// First header with this lower-case name, if any.
    std::optional<std::string_view> Header(std::string_view lower_name) const;
};

/// The body of a response that stays open (Server-Sent Events). After the head, the transport writes each chunk
/// pushed here on the connection's own io thread, until the stream is closed by the server side (Close), by the
/// client, or by the server's Stop; the body ends with the connection. Push never blocks and never waits for the
/// client: a stream whose queue is full closes, so a reader that fell behind is dropped instead of slowing
/// whoever publishes.
class ResponseStream {
public:
    struct Options {
        std::size_t max_queued = 64;                   ///< chunks waiting to be written; one more closes the stream
        std::string keepalive;                         ///< written every keepalive_every, events or not
        std::chrono::milliseconds keepalive_every{0};  ///< 0: no keepalive
    };
    explicit ResponseStream(Options options);
    /// Runs the end callback if the stream never reached a connection (its answer was never written).
    ~ResponseStream();
    ResponseStream(const ResponseStream&) = delete;
    ResponseStream& operator=(const ResponseStream&) = delete;

    /// Queues a chunk; false when the stream is closed, or closes now because its queue is full.
    bool Push(std::string chunk);
    /// Ends the stream: the transport closes the connection without writing what is still queued.
    void Close();
    bool Closed() const;
    /// True when the stream closed because a chunk found its queue full (the reader fell behind).
    bool Overflowed() const;
    /// Runs once when the stream is over: after its connection ended, or as it is destroyed if it never had one.
    /// Set it before the stream is answered.
    void OnEnd(std::function<void()> fn);
    const Options& options() const { return options_; }

    // The transport's side.
    /// `wake` is called (from the pushing thread, outside any lock of the stream) when chunks are waiting or the
    /// stream closed; once until the next Take.
    void Attach(std::function<void()> wake);
    /// Moves the queued chunks into `out`; false once the stream is closed.
    bool Take(std::vector<std::string>& out);
    /// The connection is over: the stream is closed and the end callback runs.
    void Ended();

private:
    /// Takes the wake callback to call, if one is due (under mu_).
    std::function<void()> DueWake();

    const Options options_;
    mutable std::mutex mu_;
    std::deque<std::string> queue_;
    bool closed_ = false;
    bool overflowed_ = false;
    bool wake_pending_ = false;
    std::function<void()> wake_;
    std::function<void()> on_end_;
};

struct Response {
    int status = 200;
    std::string content_type = "application/json";
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    bool close = false;  ///< close the connection after this response
    /// Set: the body is this stream, written as it comes (`body` is ignored) until either end closes it.
    std::shared_ptr<ResponseStream> stream;
};

/// Answers a request exactly once, from any thread.
class Responder {
public:
    using Fn = std::function<void(Response)>;
    explicit Responder(Fn fn) : state_(std::make_shared<State>(std::move(fn))) {}
    void operator()(Response response) const;

private:
    struct State {
        explicit State(Fn f) : fn(std::move(f)) {}
        State(const State&) = delete;
        State& operator=(const State&) = delete;
        /// A route that lost its responder without answering still answers: a 500, never a hung client.
        ~State();
        Fn fn;
        bool done = false;
    };
    std::shared_ptr<State> state_;
};

/// What to do with a request once its header is read, before any body byte is accepted.
struct Admission {
    std::size_t body_limit = 0;      ///< the route's limit; a larger Content-Length gets 413 unread
    std::optional<Response> reject;  ///< answer now without reading the body (e.g. 401)
    RequestContext context;          ///< passed on as Request::context
    /// The authenticated caller whose connections are capped together (Limits::max_connections_per_caller), e.g.
    /// "device:17"; empty for a caller not capped this way.
    std::string caller;
};

/// The routes, as the transport sees them.
class Dispatcher {
public:
    virtual ~Dispatcher() = default;
    /// Called with the header only (body empty).
    virtual Admission Admit(const Request& head) = 0;
    /// Called with the whole request; must call respond exactly once, from any thread.
    virtual void Handle(Request request, Responder respond) = 0;
    /// A reply the transport made itself (413, 431, 400, 503); for metrics.
    virtual void OnTransportReply(int status) = 0;
    /// A connection the transport cut: "request_timeout", "write_timeout"; for metrics.
    virtual void OnTransportEvent(std::string_view event) = 0;
};

/// The JSON error body of every error answer: {"error": {"code": ..., "message": ...}}.
Response JsonError(int status, std::string_view code, std::string_view message);

}  // namespace rollcall::net
