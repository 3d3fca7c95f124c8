#include "support/tls_proxy.hpp"

#include <array>
#include <thread>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

namespace rollcall::test {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using TlsStream = asio::ssl::stream<tcp::socket>;

namespace {

/// Copies bytes until either side ends; the exception that ends it is the normal way out.
template <class From, class To>
asio::awaitable<void> Relay(From& from, To& to) {
    std::array<char, 16384> buffer{};
    try {
        for (;;) {
            const auto n = co_await from.async_read_some(asio::buffer(buffer), asio::use_awaitable);
            co_await asio::async_write(to, asio::buffer(buffer.data(), n), asio::use_awaitable);
        }
    } catch (const boost::system::system_error&) {
    }
}

asio::awaitable<void> Serve(tcp::socket client, asio::ssl::context& tls, tcp::endpoint upstream) {
    using namespace asio::experimental::awaitable_operators;
    try {
        TlsStream stream(std::move(client), tls);
        co_await stream.async_handshake(asio::ssl::stream_base::server, asio::use_awaitable);
        tcp::socket server(stream.get_executor());
        co_await server.async_connect(upstream, asio::use_awaitable);
        co_await (Relay(stream, server) || Relay(server, stream));
    } catch (const boost::system::system_error&) {
        // A client that does not trust the certificate ends the handshake: that is what the tests look for.
    }
}

}  // namespace

struct TlsProxy::Impl {
    asio::io_context ioc;
    asio::ssl::context tls{asio::ssl::context::tls_server};
    tcp::acceptor acceptor{ioc, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)};
    tcp::endpoint upstream;
    std::thread thread;

    void Accept() {
        acceptor.async_accept([this](boost::system::error_code ec, tcp::socket socket) {
            if (ec) {
                return;
            }
            asio::co_spawn(ioc, Serve(std::move(socket), tls, upstream), asio::detached);
            Accept();
        });
    }
};

TlsProxy::TlsProxy(const TlsFiles& files, std::uint16_t upstream_port) : impl_(std::make_unique<Impl>()) {
    impl_->tls.use_certificate_chain_file(files.certificate);
    impl_->tls.use_private_key_file(files.private_key, asio::ssl::context::pem);
    impl_->upstream = tcp::endpoint(asio::ip::make_address("127.0.0.1"), upstream_port);
    impl_->Accept();
    impl_->thread = std::thread([this] { impl_->ioc.run(); });
}

TlsProxy::~TlsProxy() {
    impl_->ioc.stop();
    impl_->thread.join();
}

std::uint16_t TlsProxy::port() const {
    return impl_->acceptor.local_endpoint().port();
}

}  // namespace rollcall::test
