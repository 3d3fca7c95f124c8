#include "support/webhook_receiver.hpp"

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <thread>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace rollcall::test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

boost::json::value ReceivedRequest::Json() const {
    return boost::json::parse(body);
}

struct WebhookReceiver::Impl {
    asio::io_context ioc;
    std::unique_ptr<asio::ssl::context> tls;
    tcp::acceptor acceptor{ioc, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)};
    std::thread thread;
    mutable std::mutex mu;
    std::condition_variable cv;
    std::vector<ReceivedRequest> received;
    std::deque<int> answers;

    void Accept() {
        acceptor.async_accept([this](boost::system::error_code ec, tcp::socket socket) {
            if (ec) {
                return;
            }
            if (tls) {
                asio::ssl::stream<tcp::socket> stream(std::move(socket), *tls);
                boost::system::error_code hs;
                stream.handshake(asio::ssl::stream_base::server, hs);
                if (!hs) {
                    Serve(stream);
                }
            } else {
                Serve(socket);
            }
            Accept();
        });
    }

    // One connection at a time is enough: the dispatcher sends one delivery after the other.
    template <class Stream>
    void Serve(Stream& socket) {
        beast::flat_buffer buffer;
        boost::system::error_code ec;
        for (;;) {
            http::request<http::string_body> req;
            http::read(socket, buffer, req, ec);
            if (ec) {
                return;
            }
            ReceivedRequest r;
            r.target = std::string(req.target());
            for (const auto& field : req) {
                std::string name(field.name_string());
                std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
                r.headers[name] = std::string(field.value());
            }
            r.body = req.body();
            int status = 200;
            {
                std::lock_guard lock(mu);
                if (!answers.empty()) {
                    status = answers.front();
                    answers.pop_front();
                }
                received.push_back(std::move(r));
            }
            cv.notify_all();
            http::response<http::string_body> res{static_cast<http::status>(status), 11};
            res.body() = "{}";
            res.keep_alive(req.keep_alive());
            res.prepare_payload();
            http::write(socket, res, ec);
            if (ec || !req.keep_alive()) {
                return;
            }
        }
    }
};

WebhookReceiver::WebhookReceiver(const TlsFiles& tls) : impl_(std::make_unique<Impl>()) {
    impl_->tls = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_server);
    impl_->tls->use_certificate_chain_file(tls.certificate);
    impl_->tls->use_private_key_file(tls.private_key, asio::ssl::context::pem);
    impl_->Accept();
    impl_->thread = std::thread([this] { impl_->ioc.run(); });
}

WebhookReceiver::WebhookReceiver() : impl_(std::make_unique<Impl>()) {
    impl_->Accept();
    impl_->thread = std::thread([this] { impl_->ioc.run(); });
}

WebhookReceiver::~WebhookReceiver() {
    impl_->ioc.stop();
    impl_->thread.join();
}

std::string WebhookReceiver::Url(const std::string& path) const {
    return std::string(impl_->tls ? "https" : "http") +
           "://127.0.0.1:" + std::to_string(impl_->acceptor.local_endpoint().port()) + path;
}

void WebhookReceiver::AnswerNext(std::vector<int> statuses) {
    std::lock_guard lock(impl_->mu);
    impl_->answers.assign(statuses.begin(), statuses.end());
}

std::vector<ReceivedRequest> WebhookReceiver::WaitFor(std::size_t count, std::chrono::milliseconds deadline) {
    std::unique_lock lock(impl_->mu);
    impl_->cv.wait_for(lock, deadline, [&] { return impl_->received.size() >= count; });
    return impl_->received;
}

std::vector<ReceivedRequest> WebhookReceiver::Received() const {
    std::lock_guard lock(impl_->mu);
    return impl_->received;
}

}  // namespace rollcall::test
