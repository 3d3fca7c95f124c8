// libFuzzer target for the request head as the server reads it (net/request_head.hpp): Beast's request parser fed
// the bytes as they arrive, the framing checks (RFC 9112 6.3), then the body the head announces. The first input
// byte picks how the bytes arrive (the size of each read) and the header limit; the rest is what a client sent.
// Besides crashes and sanitizer reports it checks what the server relies on: the head reads the same however the
// bytes arrive, and a head that passes the checks has one unambiguous body framing.

#include "net/request_head.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string_view>

#include <boost/beast/core/string.hpp>

namespace net = rollcall::net;

namespace {

// A broken invariant is a bug: stop so libFuzzer saves the input.
void Require(bool condition) {
    if (!condition) {
        __builtin_trap();
    }
}

/// Feeds `bytes` to a fresh parser `step` bytes at a time, as the server's reads would.
net::HeadRead ReadHead(net::RequestParser& parser, std::string_view bytes, std::size_t step, std::uint32_t limit) {
    parser.header_limit(limit);
    parser.body_limit(std::numeric_limits<std::uint64_t>::max());
    net::HeadReader reader;
    net::HeadRead head;
    for (std::size_t have = 0; have < bytes.size();) {
        have = std::min(bytes.size(), have + step);
        head = reader.Feed(parser, bytes.substr(0, have));
        if (head.state != net::HeadRead::State::kNeedMore) {
            break;
        }
    }
    return head;
}

/// What a head that passed the framing check promises about its body.
void CheckSoundFraming(std::string_view raw, const net::Request& request, const net::RequestParser& parser) {
    Require(raw.find("\n ") == std::string_view::npos && raw.find("\n\t") == std::string_view::npos);
    std::size_t transfer_encodings = 0;
    std::size_t content_lengths = 0;
    for (const auto& [name, value] : request.headers) {
        if (name == "transfer-encoding") {
            ++transfer_encodings;
            Require(boost::beast::iequals(value, "chunked"));
        }
        content_lengths += name == "content-length" ? 1 : 0;
    }
    Require(transfer_encodings <= 1 && content_lengths <= 1 && transfer_encodings + content_lengths <= 1);
    Require(parser.chunked() == (transfer_encodings == 1));
    Require(parser.content_length().has_value() == (content_lengths == 1));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) {
        return 0;
    }
    const std::size_t step = std::size_t{data[0]} % 64 + 1;
    const std::uint32_t limit = (data[0] & 0x80) != 0 ? 8192 : 256;
    const std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);

    net::RequestParser whole;
    const auto at_once = ReadHead(whole, bytes, std::max<std::size_t>(bytes.size(), 1), limit);
    net::RequestParser parser;
    const auto head = ReadHead(parser, bytes, step, limit);
    // A head is read the same however the client's bytes were cut into reads. Only a refusal may differ: it may
    // come later when they arrive piecemeal (Beast then waits for the empty line before it looks at a bad line
    // ending), a head both malformed and too large is 400 or 431 depending on which Beast meets first, and a head
    // near the header limit may be within it or not (Beast measures what it has not yet taken, so its start line
    // counts when it arrives with the fields and not when it came first).
    using State = net::HeadRead::State;
    if (head.state == State::kDone && at_once.state == State::kDone) {
        Require(head.used == at_once.used);
    } else if (head.state == State::kDone || at_once.state == State::kDone) {
        const auto& other = head.state == State::kDone ? at_once : head;
        Require(other.state == State::kRefused && other.status == 431);
    }
    if (head.state == State::kRefused) {
        Require(head.status == 400 || head.status == 431);
        return 0;
    }
    if (head.state != State::kDone) {
        return 0;
    }
    Require(head.used <= bytes.size());
    const auto raw = bytes.substr(0, head.used);
    Require(raw.ends_with("\r\n\r\n"));
    const auto request = net::HeadFrom(parser, "192.0.2.1");
    if (net::FramingProblem(raw, request)) {
        return 0;  // answered 400 and closed: nothing after the head is read
    }
    CheckSoundFraming(raw, request, parser);

    // The body as the server then reads it, under a route's limit, the bytes arriving as before. Beast checks a
    // declared length against the body limit only as the head ends (when there was none), and then sets aside
    // that much memory at once: the server refuses a declared length over the route's limit itself (413).
    constexpr std::uint64_t kRouteLimit = std::uint64_t{1} << 16;
    if (parser.content_length() && *parser.content_length() > kRouteLimit) {
        return 0;
    }
    parser.body_limit(kRouteLimit);
    parser.eager(true);
    auto rest = bytes.substr(head.used);
    for (std::size_t have = 0; !parser.is_done() && have < rest.size();) {
        have = std::min(rest.size(), have + step);
        while (!parser.is_done()) {
            boost::system::error_code ec;
            const auto used = parser.put(boost::asio::const_buffer(rest.data(), have), ec);
            rest.remove_prefix(used);
            have -= used;
            if (ec == boost::beast::http::error::need_more) {
                break;
            }
            if (ec) {
                return 0;  // answered 400 or 413 and closed
            }
            if (used == 0) {
                break;
            }
        }
    }
    if (parser.is_done() && parser.content_length()) {
        Require(parser.get().body().size() == *parser.content_length());
    }
    return 0;
}
