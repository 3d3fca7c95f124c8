// Stopping (what SIGTERM does, docs/operations.md "Stopping"): requests in flight finish and get their answer
// within http.drain_timeout_ms; one that takes longer is cut off at the timeout and the stop still returns.
//
// A request is held in flight by real means: its body not yet sent (the server has answered `100 Continue`, so
// it is reading it), or the database write lock held by another SQLite connection.

#include "storage/sqlite/sqlite_db.hpp"
#include "support/test_server.hpp"

#include <filesystem>
#include <future>
#include <optional>

#include <gtest/gtest.h>

namespace rollcall::test {
namespace {

using namespace std::chrono_literals;
using Steady = std::chrono::steady_clock;

const std::string kPunch = R"({"logs":[{"user_id":"7","timestamp":"2026-03-12 07:58:00"}]})";

/// A push whose head is sent and acknowledged with `100 Continue`: from then on the server is reading this
/// request, and a stop treats it as in flight. The body goes when the test says.
class HeldPush {
public:
    HeldPush(std::uint16_t port, const std::string& token) : raw_(port) {
        raw_.Send("POST /api/v1/biometric/push-log HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token +
                  "\r\nContent-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: " +
                  std::to_string(kPunch.size()) + "\r\n\r\n");
        const auto interim = raw_.ReadResponse(30s);
        EXPECT_EQ(StatusOf(interim), 100) << interim;
    }
    void SendBody() { EXPECT_TRUE(raw_.Send(kPunch)); }
    RawClient& raw() { return raw_; }

private:
    RawClient raw_;
};

std::unique_ptr<storage::sqlite::Db> LockDatabase(const TestServer& server) {
    auto db = std::make_unique<storage::sqlite::Db>((std::filesystem::path(server.data_dir()) / "rollcall.db").string(),
                                                    false);
    db->Exec("BEGIN IMMEDIATE");
    return db;
}

std::size_t StoredPunches(TestServer& server, const SchoolFixture& school) {
    return server.app().services().devices.DevicePunches(school.school_id, school.device_id, 100).value().size();
}

/// A push sent whole while another SQLite connection holds the database's write lock: the server handles it, and
/// its commit waits for the lock, which the test ends with `lock->Exec("COMMIT")` or `"ROLLBACK"`.
struct PushWaitingForTheDatabase {
    PushWaitingForTheDatabase(const TestServer& server, const SchoolFixture& school)
        : lock(LockDatabase(server)), push(server.port(), school.device_token) {
        push.SendBody();
    }
    std::unique_ptr<storage::sqlite::Db> lock;
    HeldPush push;
};

/// What arrives on `raw` until the server closes it; nullopt when it is still open after a generous bound.
std::optional<std::string> ReadToClose(RawClient& raw) {
    auto got = raw.ReadAll(30s);
    return raw.Closed() ? std::optional<std::string>(std::move(got)) : std::nullopt;
}

/// Stops the server on another thread (Stop blocks while it drains).
std::future<void> StopInBackground(TestServer& server) {
    return std::async(std::launch::async, [&server] { server.Stop(); });
}

/// Waits until the stop has begun: it closes connections that are idle (or, not yet accepted, refused with the
/// listening socket).
void WaitUntilStopping(RawClient& idle) {
    ASSERT_TRUE(idle.WaitClosed(30s)) << "the stop never closed an idle connection";
}

TEST(Shutdown, ARequestWhoseBodyIsStillArrivingFinishesAndIsAnswered) {
    TestServer server(Settings{{"http.drain_timeout_ms", "60000"}});
    const auto school = MakeSchool(server);
    HeldPush push(server.port(), school.device_token);
    RawClient idle(server.port());
    auto stopped = StopInBackground(server);
    WaitUntilStopping(idle);
    push.SendBody();
    const auto answer = push.raw().ReadAll(30s);  // the server closes after answering: it is stopping
    EXPECT_EQ(StatusOf(answer), 200) << answer;
    EXPECT_NE(answer.find(R"("inserted":1)"), std::string::npos) << answer;
    EXPECT_NE(answer.find("Connection: close"), std::string::npos) << answer;
    ASSERT_EQ(stopped.wait_for(60s), std::future_status::ready);
    EXPECT_EQ(StoredPunches(server, school), 1U);
}

TEST(Shutdown, ARequestWaitingForTheDatabaseFinishesAndIsAnswered) {
    TestServer server(Settings{{"http.drain_timeout_ms", "60000"}});
    const auto school = MakeSchool(server);
    PushWaitingForTheDatabase waiting(server, school);
    RawClient idle(server.port());
    auto stopped = StopInBackground(server);
    WaitUntilStopping(idle);
    EXPECT_NE(stopped.wait_for(0s), std::future_status::ready) << "the stop did not wait for the push";
    waiting.lock->Exec("COMMIT");
    const auto answer = waiting.push.raw().ReadAll(30s);
    EXPECT_EQ(StatusOf(answer), 200) << answer;
    ASSERT_EQ(stopped.wait_for(60s), std::future_status::ready);
    EXPECT_EQ(StoredPunches(server, school), 1U);
}

TEST(Shutdown, ARequestLongerThanTheDrainTimeoutIsCutOffAndTheStopReturns) {
    // The request's own deadline is far away: only the drain timeout can end it.
    TestServer server(Settings{{"http.drain_timeout_ms", "500"}, {"http.request_timeout_ms", "600000"}});
    const auto school = MakeSchool(server);
    HeldPush push(server.port(), school.device_token);  // its body never comes
    const auto start = Steady::now();
    auto stopped = StopInBackground(server);
    const auto answer = ReadToClose(push.raw());
    const auto cut_after = Steady::now() - start;
    ASSERT_TRUE(answer) << "the connection was not closed";
    EXPECT_TRUE(answer->empty()) << *answer;
    EXPECT_GE(cut_after, 500ms) << "cut off before the drain timeout";
    ASSERT_EQ(stopped.wait_for(60s), std::future_status::ready);
    EXPECT_EQ(StoredPunches(server, school), 0U);
}

TEST(Shutdown, AHandlerStuckOnTheDatabaseIsCutOffAndNothingUnansweredIsStored) {
    TestServer server(Settings{{"http.drain_timeout_ms", "500"}});
    const auto school = MakeSchool(server);
    PushWaitingForTheDatabase waiting(server, school);
    const auto start = Steady::now();
    auto stopped = StopInBackground(server);
    // The lock is held throughout: the client sees the cut, and the stop still returns once the writer gives up on
    // the lock (SQLite's busy timeout), so a stuck database cannot hang a shutdown.
    const auto answer = ReadToClose(waiting.push.raw());
    ASSERT_TRUE(answer) << "the connection was not closed";
    EXPECT_TRUE(answer->empty()) << *answer;
    EXPECT_GE(Steady::now() - start, 500ms);
    ASSERT_EQ(stopped.wait_for(60s), std::future_status::ready);
    waiting.lock->Exec("ROLLBACK");
    // The device got no answer and will send the punch again; nothing was acknowledged, nothing is lost.
    EXPECT_EQ(StoredPunches(server, school), 0U);
}

// Issue 12, item 2: the recompute worker never looked at a stop while its queue was long, so a SIGTERM waited for
// the whole queue. The stop returns after the slice in flight (the worker's own test counts it), and the rest
// stays queued for the next start.
TEST(Shutdown, AStopWithTenYearsOfDaysQueuedForRecomputationReturnsAndKeepsThemQueued) {
    TestServer server(Settings{{"engine.worker", "true"}, {"engine.reprocess_max_days", "3660"}});
    const auto school = MakeSchool(server);
    HttpClient http(server.port());
    const auto today = core::DateFromYmd(2026, 3, 12);
    const auto r = http.Post(
        SchoolPath(school, "/recompute"),
        boost::json::object{{"from", core::FormatDate(core::Date{today.days - 3659})}, {"to", core::FormatDate(today)}},
        school.admin_token);
    ASSERT_EQ(r.status, 202) << r.body;
    ASSERT_EQ(r.Json().at("queued_days").as_int64(), 3660);
    auto stopped = StopInBackground(server);
    ASSERT_EQ(stopped.wait_for(60s), std::future_status::ready);
    EXPECT_GT(*server.OpenDatabase()->CountDirty(), 0) << "the stop waited for the whole queue";
}

}  // namespace
}  // namespace rollcall::test
