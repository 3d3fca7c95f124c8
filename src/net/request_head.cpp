#include "net/request_head.hpp"

#include <algorithm>
#include <cctype>

#include <boost/beast/core/string.hpp>
#include <boost/beast/http/error.hpp>

namespace rollcall::net {
namespace {

namespace http = boost::beast::http;

HeadRead Refused(int status, std::string code, std::string message) {
    return HeadRead{HeadRead::State::kRefused, 0, status, std::move(code), std::move(message)};
}

bool IsDigits(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

HeadRead HeadReader::Feed(RequestParser& parser, std::string_view received) {
    // The caller consumes nothing until the head is done, so the bytes Beast took as the head stay where the
    // framing check can read them. Beast takes the start line as soon as it is whole, the fields once they are.
    boost::system::error_code ec;
    const auto rest = received.substr(std::min(used_, received.size()));
    used_ += parser.put(boost::asio::const_buffer(rest.data(), rest.size()), ec);
    if (ec == http::error::need_more) {
        return HeadRead{};
    }
    if (ec == http::error::header_limit) {
        return Refused(431, "header_too_large", "request header fields too large");
    }
    if (ec || !parser.is_header_done()) {
        return Refused(400, "bad_request", "malformed HTTP request");
    }
    HeadRead done;
    done.state = HeadRead::State::kDone;
    done.used = used_;
    return done;
}

std::optional<std::string> FramingProblem(std::string_view raw_head, const Request& head) {
    // obs-fold (RFC 9112 5.2): a header line continued on the next line, which starts with a space or a tab.
    // Beast joins the lines; a hop that does not would read another field, or none.
    for (std::size_t at = raw_head.find('\n'); at != std::string_view::npos; at = raw_head.find('\n', at + 1)) {
        if (at + 1 < raw_head.size() && (raw_head[at + 1] == ' ' || raw_head[at + 1] == '\t')) {
            return "a header line continued on the next line (obsolete line folding)";
        }
    }
    std::size_t transfer_encodings = 0;
    std::size_t content_lengths = 0;
    bool chunked = false;
    for (const auto& [name, value] : head.headers) {
        if (name == "transfer-encoding") {
            ++transfer_encodings;
            chunked = boost::beast::iequals(value, "chunked");
        } else if (name == "content-length") {
            ++content_lengths;
            // Beast takes "5, 5" and repeated equal lines as 5; a hop may take the first, the last, or refuse.
            if (!IsDigits(value)) {
                return "Content-Length must be one decimal number";
            }
        }
    }
    if (content_lengths > 1) {
        return "more than one Content-Length";
    }
    if (transfer_encodings == 0) {
        return std::nullopt;
    }
    // Any other coding, a list, or two lines: Beast reads no chunked body (unless chunked is last) and takes the
    // body for the next request, while a hop that decodes it forwards it as this request's body.
    if (transfer_encodings > 1 || !chunked) {
        return "Transfer-Encoding must be exactly \"chunked\"";
    }
    if (content_lengths > 0) {
        return "Transfer-Encoding and Content-Length together";
    }
    if (head.version < 11) {
        return "Transfer-Encoding in an HTTP/1.0 request";
    }
    return std::nullopt;
}

Request HeadFrom(const RequestParser& parser, const std::string& remote) {
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

}  // namespace rollcall::net
