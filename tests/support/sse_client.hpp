#pragma once

// A Server-Sent Events reader over a real socket, as a browser's EventSource reads the live event stream: the
// answer's head, then one block at a time (an event with its name and data, a comment, a retry).

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/json.hpp>

namespace rollcall::test {

/// One block of the stream: what came between two blank lines.
struct SseBlock {
    std::string event;                  ///< the `event:` field; empty for a block of comments only
    std::string data;                   ///< the `data:` lines, joined with "\n"
    std::vector<std::string> comments;  ///< lines starting with ':', without it (and one space)
    std::optional<int> retry;           ///< the `retry:` field
    boost::json::value Json() const;
};

class SseClient {
public:
    struct Options {
        std::map<std::string, std::string> headers;  ///< e.g. Authorization, Cookie
        /// The socket's receive buffer, set before it connects (a slow reader's small window); 0: the default.
        int receive_buffer = 0;
        std::chrono::milliseconds deadline{10'000};  ///< for the answer's head
    };

    /// Connects, sends `GET target` and reads the answer's head (and the body too, for an answer with a length).
    SseClient(std::uint16_t port, const std::string& target, const Options& options);
    ~SseClient();
    SseClient(const SseClient&) = delete;
    SseClient& operator=(const SseClient&) = delete;

    int status() const { return status_; }
    /// A header of the answer by its lower-case name, or "".
    std::string Header(const std::string& lower_name) const;
    /// The body of an answer that is not a stream (an error's JSON).
    const std::string& body() const { return body_; }

    /// The next block, or nullopt when the deadline passes or the server closes the stream first.
    std::optional<SseBlock> Next(std::chrono::milliseconds deadline);
    /// The next event named `name`, skipping other blocks; nullopt at the deadline or the close.
    std::optional<SseBlock> NextEvent(const std::string& name, std::chrono::milliseconds deadline);
    /// True when the server closed the stream within the deadline (what arrives meanwhile is dropped).
    bool WaitClosed(std::chrono::milliseconds deadline);
    /// Closes this end.
    void Close();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
    int status_ = 0;
    std::map<std::string, std::string> headers_;
    std::string body_;
};

}  // namespace rollcall::test
