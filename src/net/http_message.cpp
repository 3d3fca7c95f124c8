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
