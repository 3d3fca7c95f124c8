#include "net/http_message.hpp"

namespace rollcall::net {
namespace {

void AppendJsonString(std::string& out, std::string_view s) {
    out.push_back('"');
    for (const char c : s) {
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            default:
                if (static_cast<unsigned char>(c) < 0x20) {
                    out += ' ';
                } else {
                    out.push_back(c);
                }
        }
    }
    out.push_back('"');
}

}  // namespace

std::optional<std::string_view> Request::Header(std::string_view lower_name) const {
    for (const auto& [name, value] : headers) {
        if (name == lower_name) {
            return std::string_view(value);
        }
    }
    return std::nullopt;
}

Responder::State::~State() {
    if (!done && fn) {
        done = true;
        fn(JsonError(500, "internal", "internal error"));
    }
}

void Responder::operator()(Response response) const {
    if (state_->done) {
        return;
    }
    state_->done = true;
    state_->fn(std::move(response));
}

ResponseStream::ResponseStream(Options options) : options_(std::move(options)) {}

ResponseStream::~ResponseStream() {
    if (on_end_) {
        on_end_();
    }
}

std::function<void()> ResponseStream::DueWake() {
    if (!wake_ || wake_pending_) {
        return nullptr;
    }
    wake_pending_ = true;
    return wake_;
}

bool ResponseStream::Push(std::string chunk) {
    std::function<void()> wake;
    bool accepted = false;
    {
        std::lock_guard lock(mu_);
        if (closed_) {
            return false;
        }
        if (queue_.size() >= options_.max_queued) {
            closed_ = true;
            overflowed_ = true;
            queue_.clear();
        } else {
            queue_.push_back(std::move(chunk));
            accepted = true;
        }
        wake = DueWake();
    }
    if (wake) {
        wake();
    }
    return accepted;
}

void ResponseStream::Close() {
    std::function<void()> wake;
    {
        std::lock_guard lock(mu_);
        if (closed_) {
            return;
        }
        closed_ = true;
        queue_.clear();
        wake = DueWake();
    }
    if (wake) {
        wake();
    }
}

bool ResponseStream::Closed() const {
    std::lock_guard lock(mu_);
    return closed_;
}

bool ResponseStream::Overflowed() const {
    std::lock_guard lock(mu_);
    return overflowed_;
}

void ResponseStream::OnEnd(std::function<void()> fn) {
    std::lock_guard lock(mu_);
    on_end_ = std::move(fn);
}

void ResponseStream::Attach(std::function<void()> wake) {
    std::lock_guard lock(mu_);
    wake_ = std::move(wake);
    wake_pending_ = false;
}

bool ResponseStream::Take(std::vector<std::string>& out) {
    std::lock_guard lock(mu_);
    wake_pending_ = false;
    if (closed_) {
        return false;
    }
    for (auto& chunk : queue_) {
        out.push_back(std::move(chunk));
    }
    queue_.clear();
    return true;
}

void ResponseStream::Ended() {
    std::function<void()> on_end;
    {
        std::lock_guard lock(mu_);
        closed_ = true;
        queue_.clear();
        wake_ = nullptr;
        on_end = std::move(on_end_);
        on_end_ = nullptr;
    }
    if (on_end) {
        on_end();
    }
}

Response JsonError(int status, std::string_view code, std::string_view message) {
    Response r;
    r.status = status;
    r.body = "{\"error\":{\"code\":";
    AppendJsonString(r.body, code);
    r.body += ",\"message\":";
    AppendJsonString(r.body, message);
    r.body += "}}";
    return r;
}

}  // namespace rollcall::net
