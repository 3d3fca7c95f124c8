#include "support/sse_client.hpp"

#include <array>
#include <stdexcept>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>

namespace rollcall::test {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

std::string Lower(std::string s) {
    for (auto& c : s) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return s;
}

std::string Trimmed(std::string s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
        s.erase(s.begin());
    }
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
        s.pop_back();
    }
    return s;
}

SseBlock Parse(const std::string& text) {
    SseBlock block;
    std::size_t pos = 0;
    while (pos < text.size()) {
        const auto end = text.find('\n', pos);
        const auto line = text.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
        pos = end == std::string::npos ? text.size() : end + 1;
        if (line.starts_with(":")) {
            block.comments.push_back(line.substr(line.starts_with(": ") ? 2 : 1));
            continue;
        }
        const auto colon = line.find(':');
        const auto field = line.substr(0, colon);
        auto value = colon == std::string::npos ? std::string() : line.substr(colon + 1);
        if (value.starts_with(" ")) {
            value.erase(0, 1);
        }
        if (field == "event") {
            block.event = value;
        } else if (field == "data") {
            block.data += (block.data.empty() ? "" : "\n") + value;
        } else if (field == "retry") {
            block.retry = std::atoi(value.c_str());
        }
    }
    return block;
}

}  // namespace

boost::json::value SseBlock::Json() const {
    boost::system::error_code ec;
    auto v = boost::json::parse(data, ec);
    if (ec) {
        throw std::runtime_error("event data is not JSON: " + data);
    }
    return v;
}

struct SseClient::Impl {
    asio::io_context ioc;
    tcp::socket socket{ioc};
    std::string buffer;  ///< read, not yet parsed
    bool closed = false;

    /// Reads what arrives by `end` into the buffer; false at the deadline or once the peer closed.
    bool ReadSome(std::chrono::steady_clock::time_point end) {
        if (closed) {
            return false;
        }
        std::array<char, 4096> chunk{};
        bool done = false;
        boost::system::error_code ec;
        std::size_t n = 0;
        socket.async_read_some(asio::buffer(chunk), [&](boost::system::error_code e, std::size_t k) {
            ec = e;
            n = k;
            done = true;
        });
        ioc.restart();
        while (!done && std::chrono::steady_clock::now() < end) {
            ioc.run_one_for(std::chrono::milliseconds(20));
        }
        if (!done) {
            socket.cancel();
            ioc.restart();
            ioc.run_for(std::chrono::seconds(5));
        }
        buffer.append(chunk.data(), n);
        if (ec && ec != asio::error::operation_aborted) {
            closed = true;
        }
        return n > 0;
    }
};

SseClient::SseClient(std::uint16_t port, const std::string& target, const Options& options)
    : impl_(std::make_unique<Impl>()) {
    auto& im = *impl_;
    im.socket.open(tcp::v4());
    if (options.receive_buffer > 0) {
        im.socket.set_option(asio::socket_base::receive_buffer_size(options.receive_buffer));
    }
    im.socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
    std::string request = "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n";
    for (const auto& [name, value] : options.headers) {
        request += name + ": " + value + "\r\n";
    }
    request += "\r\n";
    asio::write(im.socket, asio::buffer(request));

    const auto end = std::chrono::steady_clock::now() + options.deadline;
    std::size_t head_end = std::string::npos;
    while ((head_end = im.buffer.find("\r\n\r\n")) == std::string::npos) {
        if (!im.ReadSome(end) && (im.closed || std::chrono::steady_clock::now() >= end)) {
            throw std::runtime_error("no answer head from the event stream: " + im.buffer);
        }
    }
    const auto head = im.buffer.substr(0, head_end);
    im.buffer.erase(0, head_end + 4);
    status_ = head.size() > 12 ? std::atoi(head.substr(9, 3).c_str()) : 0;
    std::size_t pos = head.find("\r\n");
    while (pos != std::string::npos && pos < head.size()) {
        const auto next = head.find("\r\n", pos + 2);
        const auto line = head.substr(pos + 2, next == std::string::npos ? std::string::npos : next - pos - 2);
        const auto colon = line.find(':');
        if (colon != std::string::npos) {
            headers_[Lower(line.substr(0, colon))] = Trimmed(line.substr(colon + 1));
        }
        pos = next;
    }
    if (const auto length = headers_.find("content-length"); length != headers_.end()) {
        const auto want = static_cast<std::size_t>(std::stoull(length->second));
        while (im.buffer.size() < want &&
               (im.ReadSome(end) || (!im.closed && std::chrono::steady_clock::now() < end))) {
        }
        body_ = im.buffer.substr(0, want);
        im.buffer.erase(0, want);
    }
}

SseClient::~SseClient() = default;

std::string SseClient::Header(const std::string& lower_name) const {
    const auto it = headers_.find(lower_name);
    return it == headers_.end() ? std::string() : it->second;
}

std::optional<SseBlock> SseClient::Next(std::chrono::milliseconds deadline) {
    auto& im = *impl_;
    const auto end = std::chrono::steady_clock::now() + deadline;
    for (;;) {
        if (const auto at = im.buffer.find("\n\n"); at != std::string::npos) {
            auto block = Parse(im.buffer.substr(0, at));
            im.buffer.erase(0, at + 2);
            return block;
        }
        if (im.closed || std::chrono::steady_clock::now() >= end) {
            return std::nullopt;
        }
        im.ReadSome(end);
    }
}

std::optional<SseBlock> SseClient::NextEvent(const std::string& name, std::chrono::milliseconds deadline) {
    const auto end = std::chrono::steady_clock::now() + deadline;
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(end - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            return std::nullopt;
        }
        auto block = Next(left);
        if (!block || block->event == name) {
            return block;
        }
    }
}

bool SseClient::WaitClosed(std::chrono::milliseconds deadline) {
    auto& im = *impl_;
    const auto end = std::chrono::steady_clock::now() + deadline;
    while (!im.closed && std::chrono::steady_clock::now() < end) {
        im.ReadSome(end);
        im.buffer.clear();
    }
    return im.closed;
}

void SseClient::Close() {
    boost::system::error_code ignored;
    impl_->socket.shutdown(tcp::socket::shutdown_both, ignored);
    impl_->socket.close(ignored);
}

}  // namespace rollcall::test
