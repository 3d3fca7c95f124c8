// The real binary as a child process: kill -9 while devices push, restart, and every punch that was
// acknowledged is still there. Also the command line and a clean SIGTERM.

#include "support/child_process.hpp"
#include "support/exit_status.hpp"
#include "support/http_client.hpp"
#include "support/temp_dir.hpp"
#include "support/webhook_receiver.hpp"

#include <atomic>
#include <condition_variable>
#include <future>
#include <mutex>
#include <set>
#include <thread>

#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>

namespace rollcall::test {
namespace {

namespace json = boost::json;

struct Deployment {
    TempDir dir;
    std::string token;

    Deployment() {
        auto init = Cli({"init"});
        EXPECT_EQ(init.exit_code, 0) << init.err;
        auto school = Cli({"school", "create", "--name", "Crash School", "--timezone", "Africa/Nairobi"});
        EXPECT_EQ(school.exit_code, 0) << school.err;
        auto device = Cli({"device", "create", "--school", "1", "--name", "Gate", "--sync-mode", "push"});
        EXPECT_EQ(device.exit_code, 0) << device.err;
        token = std::string(json::parse(device.out).at("api_token").as_string());
    }
    CommandResult Cli(std::vector<std::string> args, const std::string& input = "") const {
        args.insert(args.begin(), ROLLCALL_BINARY);
        args.emplace_back("--data-dir");
        args.emplace_back(dir.path());
        return RunCommand(args, input);
    }
    std::unique_ptr<ServerProcess> Start(const std::vector<std::string>& settings = {}) const {
        std::vector<std::string> args{"--data-dir", dir.path(), "--set", "log.level=warn"};
        for (const auto& s : settings) {
            args.emplace_back("--set");
            args.push_back(s);
        }
        return std::make_unique<ServerProcess>(ROLLCALL_BINARY, args);
    }
};

json::object Batch(int client, int seq, int size) {
    json::array logs;
    for (int i = 0; i < size; ++i) {
        const int n = seq * size + i;
        char ts[32];
        std::snprintf(
            ts, sizeof ts, "2026-03-%02d %02d:%02d:%02d", 1 + n / 86400 % 28, n / 3600 % 24, n / 60 % 60, n % 60);
        logs.push_back(json::object{{"user_id", std::to_string(client)}, {"timestamp", ts}});
    }
    return json::object{{"logs", std::move(logs)}};
}

TEST(Crash, KillNineLosesNoAcknowledgedPunch) {
    Deployment d;
    auto server = d.Start();
    constexpr int kClients = 4;
    constexpr int kBatch = 50;
    constexpr int kAckedBeforeKill = 40;  // batches acknowledged before the kill

    std::mutex mu;
    std::condition_variable cv;
    std::vector<std::pair<int, int>> acked;  // (client, seq)
    std::atomic<bool> stop{false};
    std::vector<std::thread> clients;
    clients.reserve(kClients);
    const int port = server->port();
    for (int c = 0; c < kClients; ++c) {
        clients.emplace_back([&, c] {
            try {
                HttpClient http(static_cast<std::uint16_t>(port), std::chrono::seconds(10));
                for (int seq = 0; !stop; ++seq) {
                    auto r = http.Post("/api/v1/biometric/push-log", Batch(c, seq, kBatch), d.token);
                    if (r.status != 200) {
                        continue;
                    }
                    std::lock_guard lock(mu);
                    acked.emplace_back(c, seq);
                    cv.notify_all();
                }
            } catch (const std::exception&) {
                // The server died mid-request: that request was never acknowledged.
            }
        });
    }
    {
        std::unique_lock lock(mu);
        ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(120), [&] { return acked.size() >= kAckedBeforeKill; }));
    }
    server->Signal(SIGKILL);
    stop = true;
    for (auto& t : clients) {
        t.join();
    }

    // After restart, re-sending every acknowledged batch must find only duplicates (R1): nothing was lost.
    auto again = d.Start();
    HttpClient http(static_cast<std::uint16_t>(again->port()));
    std::size_t duplicates = 0;
    for (const auto& [c, seq] : acked) {
        auto r = http.Post("/api/v1/biometric/push-log", Batch(c, seq, kBatch), d.token);
        ASSERT_EQ(r.status, 200);
        EXPECT_EQ(r.Json().at("inserted").as_int64(), 0) << "acknowledged batch " << c << "/" << seq << " was lost";
        duplicates += static_cast<std::size_t>(r.Json().at("duplicates").as_int64());
    }
    EXPECT_EQ(duplicates, acked.size() * kBatch);
    EXPECT_TRUE(Exited(again->Signal(SIGTERM), 0));
}

TEST(Crash, KillNineRightAfterAPushLosesNoRegisterUpdate) {
    Deployment d;
    ASSERT_EQ(
        d.Cli({"user", "create", "--email", "root@example.org", "--role", "super_admin"}, "long enough pw\n").exit_code,
        0);
    // The first run has no recompute worker, so the kill surely comes between the push and its
    // recomputation; the punch is two days old, out of reach of the sweep (which looks at today only
    // here), so only the mark stored with the punch can bring its day back to the worker.
    const std::vector<std::string> settings{"clock.fixed=2026-03-12T10:00:00Z",
                                            "webhooks.max_event_age_days=30",
                                            "engine.sweep_days=1",
                                            "webhooks.allow_private_addresses=true"};
    auto first_run = settings;
    first_run.emplace_back("engine.worker=false");
    auto server = d.Start(first_run);
    WebhookReceiver gateway;
    HttpClient http(server->port());
    auto login =
        http.Post("/api/v1/auth/login", json::object{{"email", "root@example.org"}, {"password", "long enough pw"}});
    const std::string token(login.Json().at("token").as_string());
    auto person =
        http.Post("/api/v1/schools/1/people", json::object{{"name", "Amina"}, {"active_from", "2026-01-01"}}, token);
    const auto person_id = person.Json().at("id").as_int64();
    ASSERT_EQ(http.Post("/api/v1/schools/1/webhooks", json::object{{"url", gateway.Url()}}, token).status, 201);
    ASSERT_EQ(
        http.Post("/api/v1/schools/1/mappings", json::object{{"user_id", "7"}, {"person_id", person_id}}, token).status,
        201);
    auto push = http.Post(
        "/api/v1/biometric/push-log",
        json::object{{"logs", json::array{json::object{{"user_id", "7"}, {"timestamp", "2026-03-10 07:40:00"}}}}},
        d.token);
    ASSERT_EQ(push.status, 200);
    server->Signal(SIGKILL);  // the instant the push was acknowledged

    // The register is a function of the stored punches (R18): nothing was pending in memory to lose.
    auto again = d.Start(settings);
    HttpClient http2(again->port());
    auto reg = http2.Get("/api/v1/schools/1/attendance?date=2026-03-10", token);
    ASSERT_EQ(reg.status, 200) << reg.body;
    const auto row = reg.Json().at("rows").as_array().at(0);
    EXPECT_EQ(row.at("status").as_string(), "present");
    EXPECT_EQ(row.at("in_time").as_string(), "07:40:00");
    // And the recomputation the kill interrupted runs after the restart: its event reaches the gateway.
    const auto received = gateway.WaitFor(1);
    ASSERT_EQ(received.size(), 1U);
    const auto event = received[0].Json();
    EXPECT_EQ(event.at("type").as_string(), "arrival");
    EXPECT_EQ(event.at("date").as_string(), "2026-03-10");
    EXPECT_EQ(event.at("person").at("id").as_int64(), person_id);
}

TEST(Cli, CreatesPrintsJsonAndFailsWithOneLine) {
    Deployment d;
    auto user = d.Cli({"user", "create", "--email", "root@example.org", "--role", "super_admin"}, "long enough pw\n");
    ASSERT_EQ(user.exit_code, 0) << user.err;
    EXPECT_EQ(json::parse(user.out).at("email").as_string(), "root@example.org");
    auto bad_zone = d.Cli({"school", "create", "--name", "X", "--timezone", "Nowhere/City"});
    EXPECT_TRUE(Exited(bad_zone, 1));
    EXPECT_TRUE(bad_zone.out.empty());
    EXPECT_NE(bad_zone.err.find("timezone"), std::string::npos);
    EXPECT_EQ(std::count(bad_zone.err.begin(), bad_zone.err.end(), '\n'), 1);
    auto short_pw = d.Cli({"user", "create", "--email", "a@example.org", "--role", "super_admin"}, "short\n");
    EXPECT_TRUE(Exited(short_pw, 1));
    // Global options may come before the command too.
    auto before = RunCommand(
        {ROLLCALL_BINARY, "--data-dir", d.dir.path(), "school", "create", "--name", "Y", "--timezone", "UTC"});
    EXPECT_EQ(before.exit_code, 0) << before.err;
    auto agent = d.Cli({"agent-token", "create", "--school", "1"});
    ASSERT_EQ(agent.exit_code, 0) << agent.err;
    EXPECT_TRUE(std::string(json::parse(agent.out).at("token").as_string()).starts_with("rca_"));
    auto no_school = d.Cli({"agent-token", "create", "--school", "99"});
    EXPECT_TRUE(Exited(no_school, 1));
    EXPECT_NE(no_school.err.find("school not found"), std::string::npos);
    auto config = RunCommand({ROLLCALL_BINARY, "serve", "--print-config", "--set", "http.max_connections=7"});
    EXPECT_EQ(config.exit_code, 0);
    EXPECT_NE(config.out.find("http.max_connections = 7"), std::string::npos);
    auto unknown = RunCommand({ROLLCALL_BINARY, "serve", "--print-config", "--set", "http.no_such=1"});
    EXPECT_TRUE(Exited(unknown, 1));
    EXPECT_NE(unknown.err.find("http.no_such"), std::string::npos);
}

TEST(Serve, SigtermDrainsAndExitsCleanly) {
    Deployment d;
    auto server = d.Start();
    HttpClient http(static_cast<std::uint16_t>(server->port()));
    auto r = http.Post("/api/v1/biometric/push-log", Batch(0, 0, 10), d.token);
    ASSERT_EQ(r.status, 200);
    EXPECT_TRUE(Exited(server->Signal(SIGTERM), 0));
}

TEST(Serve, SigtermLetsAPushInFlightFinishWithItsAnswer) {
    using namespace std::chrono_literals;
    Deployment d;
    auto server = d.Start({"http.drain_timeout_ms=60000"});
    const auto port = static_cast<std::uint16_t>(server->port());
    // The head is acknowledged with 100 Continue: the server is reading this push when SIGTERM comes.
    const auto body = json::serialize(Batch(0, 0, 3));
    RawClient push(port);
    push.Send("POST /api/v1/biometric/push-log HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + d.token +
              "\r\nContent-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: " +
              std::to_string(body.size()) + "\r\n\r\n");
    ASSERT_EQ(StatusOf(push.ReadResponse(30s)), 100);
    RawClient idle(port);
    auto exited = std::async(std::launch::async, [&server] { return server->Signal(SIGTERM); });
    ASSERT_TRUE(idle.WaitClosed(30s)) << "SIGTERM did not start the drain";  // idle connections go first
    push.Send(body);
    const auto answer = push.ReadAll(30s);
    EXPECT_EQ(StatusOf(answer), 200) << answer;
    EXPECT_NE(answer.find(R"("inserted":3)"), std::string::npos) << answer;
    ASSERT_EQ(exited.wait_for(60s), std::future_status::ready);
    EXPECT_TRUE(Exited(exited.get(), 0));
    // The acknowledged punches are there after a restart.
    auto again = d.Start();
    HttpClient http(static_cast<std::uint16_t>(again->port()));
    const auto retry = http.Post("/api/v1/biometric/push-log", Batch(0, 0, 3), d.token);
    EXPECT_EQ(retry.Json().at("duplicates").as_int64(), 3) << retry.body;
    EXPECT_TRUE(Exited(again->Signal(SIGTERM), 0));
}

}  // namespace
}  // namespace rollcall::test
