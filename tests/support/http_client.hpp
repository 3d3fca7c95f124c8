#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <boost/json.hpp>

namespace rollcall::test {

struct HttpResponse {
    int status = 0;
    std::map<std::string, std::string> headers;  ///< names lower-cased
    std::string body;
    boost::json::value Json() const;
};

/// A blocking HTTP/1.1 client over one keep-alive connection (Beast), with a deadline per exchange.
class HttpClient {
public:
    explicit HttpClient(std::uint16_t port, std::chrono::milliseconds timeout = std::chrono::seconds(30));
    ~HttpClient();
    HttpClient(const HttpClient&) = delete;
    HttpClient& operator=(const HttpClient&) = delete;

    HttpResponse Request(const std::string& method,
                         const std::string& target,
                         const std::string& body = "",
                         const std::map<std::string, std::string>& headers = {});
    HttpResponse Get(const std::string& target, const std::string& bearer = "");
    HttpResponse Post(const std::string& target, const boost::json::value& body, const std::string& bearer = "");
    HttpResponse Put(const std::string& target, const boost::json::value& body, const std::string& bearer = "");
    HttpResponse Patch(const std::string& target, const boost::json::value& body, const std::string& bearer = "");
    HttpResponse Delete(const std::string& target, const std::string& bearer = "");

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

/// A raw TCP connection for hostile clients: exact bytes, partial requests, trickles.
class RawClient {
public:
    explicit RawClient(std::uint16_t port);
    /// Connects from another loopback address (`from`, e.g. "127.0.0.2"): another client, as the server sees it.
    RawClient(std::uint16_t port, const std::string& from);
    ~RawClient();
    RawClient(const RawClient&) = delete;
    RawClient& operator=(const RawClient&) = delete;

    /// False when the peer closed or reset the connection.
    bool Send(const std::string& bytes);
    /// Reads until the peer closes or the deadline passes; returns what arrived.
    std::string ReadAll(std::chrono::milliseconds deadline);
    /// Reads one whole response (head and Content-Length body) on a connection that stays open; returns what
    /// arrived when the peer closes or the deadline passes first. Interim 1xx answers are returned on their own.
    std::string ReadResponse(std::chrono::milliseconds deadline);
    /// True when the server closed the connection within the deadline (what arrives meanwhile is dropped).
    bool WaitClosed(std::chrono::milliseconds deadline);
    /// True once a read has seen the server close (or reset) the connection; reads then return at once.
    bool Closed() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

/// Status code of the first response line in raw bytes ("HTTP/1.1 413 ..." -> 413), or 0.
int StatusOf(const std::string& raw);

}  // namespace rollcall::test
