#pragma once

#include "support/tls_files.hpp"

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <boost/json.hpp>

namespace rollcall::test {

struct ReceivedRequest {
    std::string target;
    std::map<std::string, std::string> headers;  ///< names lower-cased
    std::string body;
    boost::json::value Json() const;
};

/// A real HTTP server on 127.0.0.1:0 standing in for a school's messaging gateway: it records every
/// request and answers with the statuses it was told to (200 when none are queued).
class WebhookReceiver {
public:
    WebhookReceiver();
    /// Serves https with this certificate instead of http.
    explicit WebhookReceiver(const TlsFiles& tls);
    ~WebhookReceiver();
    WebhookReceiver(const WebhookReceiver&) = delete;
    WebhookReceiver& operator=(const WebhookReceiver&) = delete;

    std::string Url(const std::string& path = "/hook") const;
    /// The next answers, in order; afterwards 200 again.
    void AnswerNext(std::vector<int> statuses);
    /// Waits until at least `count` requests arrived, or the deadline; returns what arrived.
    std::vector<ReceivedRequest> WaitFor(std::size_t count,
                                         std::chrono::milliseconds deadline = std::chrono::seconds(30));
    std::vector<ReceivedRequest> Received() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace rollcall::test
