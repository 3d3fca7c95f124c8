#include "app/app.hpp"

#include "support/test_server.hpp"

#include <map>
#include <stdexcept>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <gtest/gtest.h>

#include <unistd.h>

namespace rollcall::app {
namespace {

namespace asio = boost::asio;

/// The message of what `fn` throws, or "" when it throws nothing.
template <class Fn>
std::string ThrownBy(Fn&& fn) {
    try {
        fn();
    } catch (const std::exception& e) {
        return e.what();
    }
    return "";
}

TEST(ParseListen, TheFormsAnItPersonTypesAllWork) {
    EXPECT_EQ(ParseListen("127.0.0.1:8080"), (std::pair<std::string, std::uint16_t>{"127.0.0.1", 8080}));
    EXPECT_EQ(ParseListen(":8080"), (std::pair<std::string, std::uint16_t>{"0.0.0.0", 8080}));
    EXPECT_EQ(ParseListen("localhost:8080"), (std::pair<std::string, std::uint16_t>{"127.0.0.1", 8080}));
    EXPECT_EQ(ParseListen("[::1]:8080"), (std::pair<std::string, std::uint16_t>{"::1", 8080}));
    EXPECT_NE(ThrownBy([] { ParseListen("8080"); }).find(":PORT"), std::string::npos);
    EXPECT_NE(ThrownBy([] { ParseListen("localhost:99999"); }).find("bad port"), std::string::npos);
}

TEST(App, APortAlreadyInUseIsNamedWithTheAddressAndTheFlagToChangeIt) {
    asio::io_context io;
    asio::ip::tcp::acceptor taken(io, asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    const auto port = std::to_string(taken.local_endpoint().port());
    const auto message = ThrownBy([&] {
        test::TestServer server(std::map<std::string, std::string>{{"listen", "127.0.0.1:" + port}});
    });
    EXPECT_NE(message.find("127.0.0.1:" + port), std::string::npos) << message;
    EXPECT_NE(message.find("already in use"), std::string::npos) << message;
    EXPECT_NE(message.find("--listen"), std::string::npos) << message;
}

TEST(App, AListenAddressThatIsNoAddressOfThisMachineSaysToCheckListen) {
    const auto message = ThrownBy([] {
        test::TestServer server(std::map<std::string, std::string>{{"listen", "school-server.invalid:8080"}});
    });
    EXPECT_NE(message.find("school-server.invalid:8080"), std::string::npos) << message;
    EXPECT_NE(message.find("check --listen"), std::string::npos) << message;
}

TEST(App, ASecondServerOnTheSameDataDirectoryRefusesAndNamesTheFirst) {
    test::TestServer first;
    const auto message = ThrownBy([&] {
        test::TestServer second(std::map<std::string, std::string>{{"data_dir", first.data_dir()}});
    });
    EXPECT_NE(message.find("already using the database"), std::string::npos) << message;
    EXPECT_NE(message.find("pid " + std::to_string(getpid())), std::string::npos) << message;
    first.Stop();
}

}  // namespace
}  // namespace rollcall::app
