#pragma once

// The head of a request as the server reads it: Beast's parser over the bytes received so far, then the framing
// checks Beast leaves to its user. Kept apart from the sockets so that the fuzz target (tests/fuzz/
// request_head_fuzz.cpp) runs exactly what the server runs.

#include "net/http_message.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

namespace rollcall::net {

using RequestParser = boost::beast::http::request_parser<boost::beast::http::string_body>;

/// What the bytes received so far come to.
struct HeadRead {
    enum class State { kNeedMore, kDone, kRefused };
    State state = State::kNeedMore;
    std::size_t used = 0;  ///< kDone: the bytes of the head, to be consumed; the body (if any) follows them
    int status = 0;        ///< kRefused: 400 or 431; the connection is closed after the answer
    std::string code;      ///< kRefused: the error code of the answer
    std::string message;   ///< kRefused: what to fix
};

/// Reads one request head from the start of the bytes received so far, fed again with more bytes until it is
/// no longer kNeedMore. The parser is fresh, with its header limit set and no body limit: the body's limit is
/// the route's, known only once admission has seen the head.
class HeadReader {
public:
    /// `received` starts where the head starts and holds every byte received since: nothing of it is consumed
    /// before the head is done, so it only grows between calls.
    HeadRead Feed(RequestParser& parser, std::string_view received);

private:
    std::size_t used_ = 0;  ///< the bytes Beast took so far (the start line, once it is whole)
};

/// Why a head that Beast parsed is still refused: its body's framing is ambiguous, so another HTTP hop (a
/// reverse proxy in front of this server) could see a body where Beast sees none, and the body would run as a
/// second request (RFC 9112 6.3). Null when the framing is sound. `raw_head` is the head as received, `head`
/// its parsed fields.
std::optional<std::string> FramingProblem(std::string_view raw_head, const Request& head);

/// The request as the routes see it, from a parsed head: header names lower-cased, the body still empty.
Request HeadFrom(const RequestParser& parser, const std::string& remote);

}  // namespace rollcall::net
