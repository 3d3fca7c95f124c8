// What connections may hold (issue 12 item 5): the body bytes of every request in flight together
// (http.body_budget_bytes), and the connections of one client address or one push device
// (http.max_connections_per_address, http.max_connections_per_device). Held over real sockets against the real
// server; a request is known to hold its part once the server said "100 Continue" to it (admission and the
// budget come before), and a finished one to have given it back once the server closed its connection.

#include "support/test_server.hpp"

#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace rollcall::test {
namespace {

using namespace std::chrono_literals;

const std::string kHealth = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
const std::string kHealthThenClose = "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";

/// A push body of exactly `size` bytes holding one punch of `user`.
std::string PushBodyOfSize(const std::string& user, std::size_t size) {
    std::string body = R"({"logs":[{"user_id":")" + user + R"(","timestamp":"2026-03-12 08:00:00"}],"pad":")";
    body += std::string(size - body.size() - 2, 'x') + "\"}";
    return body;
}

/// The head of a push announcing `length` body bytes; the server closes the connection after its answer.
std::string PushHead(const std::string& token, std::size_t length, bool expect_continue) {
    return "POST /api/v1/biometric/push-log HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer " +
           token + "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(length) + "\r\n" +
           (expect_continue ? "Expect: 100-continue\r\n" : "") + "\r\n";
}

/// A push whose head was admitted (the server said 100 Continue) and whose body is half sent: it holds its
/// announced size of the body budget and its device's connection until the rest is sent.
class HeldPush {
public:
    HeldPush(std::uint16_t port, const std::string& token, std::string body) : raw_(port), body_(std::move(body)) {
        EXPECT_TRUE(raw_.Send(PushHead(token, body_.size(), true)));
        const auto interim = raw_.ReadResponse(30s);
        admitted_ = StatusOf(interim) == 100;
        EXPECT_TRUE(raw_.Send(body_.substr(0, body_.size() / 2)));
    }
    bool admitted() const { return admitted_; }
    /// Sends the rest of the body; returns the whole answer, read up to the server's close.
    std::string Finish() {
        EXPECT_TRUE(raw_.Send(body_.substr(body_.size() / 2)));
        return raw_.ReadAll(30s);
    }

private:
    RawClient raw_;
    std::string body_;
    bool admitted_ = false;
};

/// The answer to a push of `body` on a connection of its own.
std::string PushOnce(std::uint16_t port, const std::string& token, const std::string& body) {
    RawClient raw(port);
    raw.Send(PushHead(token, body.size(), false) + body);
    return raw.ReadAll(30s);
}

TEST(BodyBudget, BodiesHeldHalfSentFillTheBudgetAndTheNextBodyIs503UntilOneOfThemEnds) {
    TestServer server(Settings{{"http.body_budget_bytes", "8192"},
                               {"http.body_limit.preauth", "1024"},
                               {"http.body_limit.api", "4096"},
                               {"http.body_limit.push", "4096"},
                               {"http.body_limit.import", "4096"}});
    auto school = MakeSchool(server);
    // The probe's attack, scaled down: connections announce large bodies and send them slowly. Two of 4000 bytes
    // hold 8000 of the 8192.
    std::vector<std::unique_ptr<HeldPush>> held;
    for (const std::string user : {"1", "2"}) {
        held.push_back(std::make_unique<HeldPush>(server.port(), school.device_token, PushBodyOfSize(user, 4000)));
        ASSERT_TRUE(held.back()->admitted());
    }

    const auto refused = PushOnce(server.port(), school.device_token, PushBodyOfSize("3", 1000));
    EXPECT_EQ(StatusOf(refused), 503) << refused;
    EXPECT_NE(refused.find("Retry-After: 1"), std::string::npos) << refused;
    EXPECT_NE(refused.find("too many request bodies in flight"), std::string::npos) << refused;

    // Meanwhile requests without a body, and a body that fits in what is left, are served.
    HttpClient http(server.port());
    EXPECT_EQ(http.Get("/healthz").status, 200);
    EXPECT_EQ(http.Get(SchoolPath(school, "/people"), school.admin_token).status, 200);
    EXPECT_EQ(StatusOf(PushOnce(server.port(), school.device_token, R"({"logs":[]})")), 200);

    // One held push ends: it is stored, and its part of the budget is free for the push that was refused.
    const auto first = held[0]->Finish();
    EXPECT_EQ(StatusOf(first), 200) << first;
    EXPECT_NE(first.find(R"("inserted":1)"), std::string::npos) << first;
    const auto again = PushOnce(server.port(), school.device_token, PushBodyOfSize("3", 1000));
    EXPECT_EQ(StatusOf(again), 200) << again;
    EXPECT_EQ(StatusOf(held[1]->Finish()), 200);

    const auto logs =
        http.Get(SchoolPath(school, "/devices/" + std::to_string(school.device_id) + "/logs"), school.admin_token);
    EXPECT_EQ(logs.Json().at("items").as_array().size(), 3U) << "every accepted punch is stored once";
}

TEST(BodyBudget, ABudgetSmallerThanTheLargestBodyLimitStopsTheServerFromStarting) {
    // Such a body could never be read: the server would answer it 503 for ever.
    try {
        TestServer server(Settings{{"http.body_budget_bytes", "65536"}});
        ADD_FAILURE() << "the server started with a budget below http.body_limit.import";
    } catch (const std::exception& e) {
        EXPECT_NE(std::string(e.what()).find("http.body_budget_bytes"), std::string::npos) << e.what();
    }
}

TEST(ConnectionCaps, OneAddressHoldingItsShareIsAnswered429WhileAnotherAddressIsServed) {
    TestServer server(Settings{{"http.max_connections_per_address", "3"}});
    // 127.0.0.2 opens its three connections and keeps them (each answered, so each is counted).
    std::vector<std::unique_ptr<RawClient>> held;
    for (int i = 0; i < 3; ++i) {
        held.push_back(std::make_unique<RawClient>(server.port(), "127.0.0.2"));
        ASSERT_TRUE(held.back()->Send(kHealth));
        ASSERT_EQ(StatusOf(held.back()->ReadResponse(30s)), 200);
    }
    RawClient fourth(server.port(), "127.0.0.2");
    const auto refused = fourth.ReadAll(30s);  // answered at once, before it sends anything
    EXPECT_EQ(StatusOf(refused), 429) << refused;
    EXPECT_NE(refused.find("Retry-After: 1"), std::string::npos) << refused;
    EXPECT_TRUE(fourth.Closed());

    // Another client (127.0.0.1) is served meanwhile, and can push.
    auto school = MakeSchool(server);
    HttpClient http(server.port());
    EXPECT_EQ(http.Get("/healthz").status, 200);
    EXPECT_EQ(http.Post("/api/v1/biometric/push-log", PushLogBody({{"17", "2026-03-12 08:05:00"}}), school.device_token)
                  .status,
              200);

    // When 127.0.0.2 closes one of its connections, it may open another.
    ASSERT_TRUE(held[0]->Send(kHealthThenClose));
    EXPECT_EQ(StatusOf(held[0]->ReadAll(30s)), 200);
    ASSERT_TRUE(held[0]->Closed());
    RawClient next(server.port(), "127.0.0.2");
    ASSERT_TRUE(next.Send(kHealth));
    EXPECT_EQ(StatusOf(next.ReadResponse(30s)), 200);
}

TEST(ConnectionCaps, ATrustedReverseProxyCarryingManyClientsIsNotHeldToOneAddressesShare) {
    TestServer server(Settings{{"http.max_connections_per_address", "3"}, {"http.trusted_proxies", "127.0.0.2"}});
    // The school's proxy at 127.0.0.2 opens a connection per client it relays: more than one address's share.
    std::vector<std::unique_ptr<RawClient>> relayed;
    for (int i = 0; i < 6; ++i) {
        relayed.push_back(std::make_unique<RawClient>(server.port(), "127.0.0.2"));
        ASSERT_TRUE(relayed.back()->Send(kHealth));
        EXPECT_EQ(StatusOf(relayed.back()->ReadResponse(30s)), 200) << "connection " << i + 1;
    }
    // Any other address still has its share only.
    std::vector<std::unique_ptr<RawClient>> direct;
    for (int i = 0; i < 3; ++i) {
        direct.push_back(std::make_unique<RawClient>(server.port(), "127.0.0.3"));
        ASSERT_TRUE(direct.back()->Send(kHealth));
        ASSERT_EQ(StatusOf(direct.back()->ReadResponse(30s)), 200);
    }
    RawClient fourth(server.port(), "127.0.0.3");
    EXPECT_EQ(StatusOf(fourth.ReadAll(30s)), 429);
}

TEST(ConnectionCaps, OneDeviceHoldingItsShareIsAnswered429WhileAnotherDeviceIsServed) {
    TestServer server(Settings{{"http.max_connections_per_device", "2"}});
    auto school = MakeSchool(server);
    HttpClient http(server.port());
    const auto gate = http.Post(SchoolPath(school, "/devices"),
                                boost::json::object{{"name", "Back gate"}, {"sync_mode", "push"}},
                                school.admin_token);
    ASSERT_EQ(gate.status, 201) << gate.body;
    const std::string other_token(gate.Json().at("api_token").as_string());

    // The main gate's token holds two connections with pushes under way.
    std::vector<std::unique_ptr<HeldPush>> held;
    for (const std::string user : {"1", "2"}) {
        held.push_back(std::make_unique<HeldPush>(server.port(), school.device_token, PushBodyOfSize(user, 200)));
        ASSERT_TRUE(held.back()->admitted());
    }
    // A third connection with that token is refused after its head, its body unread.
    RawClient third(server.port());
    ASSERT_TRUE(third.Send(PushHead(school.device_token, 200, false)));
    const auto refused = third.ReadAll(30s);
    EXPECT_EQ(StatusOf(refused), 429) << refused;
    EXPECT_NE(refused.find("Retry-After: 1"), std::string::npos) << refused;

    // The back gate, from the same address, is served.
    EXPECT_EQ(StatusOf(PushOnce(server.port(), other_token, PushBodyOfSize("9", 200))), 200);

    // Once one of the main gate's pushes ends, its next connection is served.
    EXPECT_EQ(StatusOf(held[0]->Finish()), 200);
    EXPECT_EQ(StatusOf(PushOnce(server.port(), school.device_token, PushBodyOfSize("3", 200))), 200);
    EXPECT_EQ(StatusOf(held[1]->Finish()), 200);
}

}  // namespace
}  // namespace rollcall::test
