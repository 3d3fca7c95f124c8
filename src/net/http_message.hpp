#pragma once

#include <cstddef>
#include <functional>
#include <memory>
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

struct Response {
    int status = 200;
    std::string content_type = "application/json";
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    bool close = false;  ///< close the connection after this response
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
