// GET /api/v1/schools/{sid}/events, the live event stream, read over a real socket as a browser's EventSource reads
// it, against the real server on port 0 (docs/api.md "Live events").

#include "integration/school_test.hpp"
#include "support/sse_client.hpp"

#include <chrono>
#include <memory>
#include <regex>

#include <gtest/gtest.h>

namespace rollcall::test {
namespace {

namespace json = boost::json;
using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr milliseconds kWait{10'000};

/// A number of /metrics, e.g. "rollcall_event_streams"; -1 when absent.
std::int64_t Metric(std::uint16_t port, const std::string& name) {
    HttpClient http(port);
    const auto body = http.Get("/metrics").body;
    std::smatch m;
    if (std::regex_search(body, m, std::regex("\n" + name + " ([0-9]+)"))) {
        return std::stoll(m[1]);
    }
    return -1;
}

/// Waits, with a deadline, until the metric has the value; its last value.
std::int64_t WaitMetric(std::uint16_t port, const std::string& name, std::int64_t want, milliseconds deadline) {
    const auto end = std::chrono::steady_clock::now() + deadline;
    auto value = Metric(port, name);
    while (value != want && std::chrono::steady_clock::now() < end) {
        value = Metric(port, name);
    }
    return value;
}

class Events : public SchoolTest {
protected:
    explicit Events(const Settings& settings = {}) : SchoolTest(settings) {}

    /// The school's stream as `token` opens it.
    std::unique_ptr<SseClient> Open(const std::string& token, std::int64_t school_id = 0, int receive_buffer = 0) {
        SseClient::Options options;
        options.headers["Authorization"] = "Bearer " + token;
        options.receive_buffer = receive_buffer;
        const auto sid = std::to_string(school_id != 0 ? school_id : s_.school_id);
        return std::make_unique<SseClient>(server_.port(), "/api/v1/schools/" + sid + "/events", options);
    }
    /// Opens the stream and waits for its first event, so the stream is known to be registered.
    std::unique_ptr<SseClient> Connected(const std::string& token, std::int64_t school_id = 0) {
        auto stream = Open(token, school_id);
        EXPECT_EQ(stream->status(), 200) << stream->body();
        const auto ready = stream->Next(kWait);
        EXPECT_TRUE(ready && ready->event == "ready") << "the first event says the stream is connected";
        return stream;
    }
    HttpResponse Push(const std::string& token, const std::vector<std::pair<std::string, std::string>>& punches) {
        return http_.Post("/api/v1/biometric/push-log", PushLogBody(punches), token);
    }
};

TEST_F(Events, TheStreamOpensWithItsRetryAndAReadyEventAtOnce) {
    auto stream = Open(s_.admin_token);
    ASSERT_EQ(stream->status(), 200) << stream->body();
    EXPECT_EQ(stream->Header("content-type"), "text/event-stream");
    EXPECT_EQ(stream->Header("cache-control"), "no-store");
    EXPECT_EQ(stream->Header("x-accel-buffering"), "no") << "nginx must not hold events back";
    EXPECT_EQ(stream->Header("content-length"), "") << "the body ends with the connection";
    const auto first = stream->Next(kWait);
    ASSERT_TRUE(first);
    EXPECT_EQ(first->retry, 3000);
    EXPECT_EQ(first->event, "ready");
    EXPECT_EQ(first->Json().at("school_id").as_int64(), s_.school_id);
    EXPECT_EQ(first->Json().at("heartbeat_seconds").as_int64(), 15);
}

TEST_F(Events, APunchPushedAtTheGateShowsOnTheOpenStreamWithThePersonItBelongsTo) {
    const auto amina = Person("Amina Njeri");
    Map("17", amina);
    auto stream = Connected(server_.SchoolAdminToken(s_.school_id, "head@hill.example"));

    const auto pushed = Push(s_.device_token, {{"17", "2026-03-12 08:05:00"}, {"99", "2026-03-12 08:06:00"}});
    ASSERT_EQ(pushed.status, 200) << pushed.body;
    const auto punch = stream->NextEvent("punch", kWait);
    ASSERT_TRUE(punch) << "the push shows on the open stream";
    const auto e = punch->Json().as_object();
    EXPECT_EQ(e.at("device_id").as_int64(), s_.device_id);
    EXPECT_EQ(e.at("device_name").as_string(), "Main gate");
    EXPECT_EQ(e.at("source").as_string(), "push");
    EXPECT_EQ(e.at("inserted").as_int64(), 2);
    EXPECT_EQ(e.at("duplicates").as_int64(), 0);
    const auto& punches = e.at("punches").as_array();
    ASSERT_EQ(punches.size(), 2U);
    EXPECT_EQ(punches[0].at("user_id").as_string(), "17");
    EXPECT_EQ(punches[0].at("person_id").as_int64(), amina);
    EXPECT_EQ(punches[0].at("person_name").as_string(), "Amina Njeri");
    EXPECT_EQ(punches[0].at("group").as_string(), "5A");
    EXPECT_EQ(punches[0].at("timestamp").as_string(), "2026-03-12 08:05:00");
    EXPECT_FALSE(punches[0].at("duplicate").as_bool());
    EXPECT_EQ(punches[1].at("user_id").as_string(), "99");
    EXPECT_TRUE(punches[1].at("person_id").is_null()) << "nobody is mapped to user 99 (R7)";

    // The device is heard from: its last_seen, once.
    const auto heard = stream->NextEvent("device", kWait);
    ASSERT_TRUE(heard);
    EXPECT_EQ(heard->Json().at("change").as_string(), "heard_from");
    EXPECT_EQ(heard->Json().at("device").at("last_seen").as_string(), "2026-03-12T10:00:00Z");

    // The same punch again is a duplicate: the panel must not count Amina twice.
    ASSERT_EQ(Push(s_.device_token, {{"17", "2026-03-12 08:05:00"}}).status, 200);
    const auto again = stream->NextEvent("punch", kWait);
    ASSERT_TRUE(again);
    EXPECT_EQ(again->Json().at("duplicates").as_int64(), 1);
    EXPECT_TRUE(again->Json().at("punches").as_array()[0].at("duplicate").as_bool());
}

TEST_F(Events, AnotherSchoolsStreamSeesNothingOfAPushAndItsAdminCannotOpenThisOne) {
    const auto other = MakeSchool(server_, "River School");
    const auto hill_admin = server_.SchoolAdminToken(s_.school_id, "head@hill.example");
    const auto river_admin = server_.SchoolAdminToken(other.school_id, "head@river.example");

    auto refused = Open(hill_admin, other.school_id);
    EXPECT_EQ(refused->status(), 404) << "another school's stream is not there for this admin";
    EXPECT_EQ(Open(river_admin)->status(), 404);

    auto river = Connected(river_admin, other.school_id);
    auto hill = Connected(hill_admin);  // Hill School is watched too: its punches do become events
    ASSERT_EQ(Push(s_.device_token, {{"17", "2026-03-12 08:05:00"}}).status, 200);  // Hill School's gate
    ASSERT_TRUE(hill->NextEvent("punch", kWait)) << "Hill School's own stream has it";
    ASSERT_EQ(Push(other.device_token, {{"42", "2026-03-12 08:07:00"}}).status, 200);
    // Events of one school arrive in order, so River's first punch event is River's own if Hill's never came.
    const auto punch = river->NextEvent("punch", kWait);
    ASSERT_TRUE(punch);
    EXPECT_EQ(punch->Json().at("device_id").as_int64(), other.device_id);
    EXPECT_EQ(punch->Json().at("punches").as_array()[0].at("user_id").as_string(), "42");
}

TEST_F(Events, ADeviceDeactivatedByTheAdminShowsAsADeviceEvent) {
    auto stream = Connected(s_.admin_token);
    PatchDevice(s_.device_id, json::object{{"status", "inactive"}});
    const auto device = stream->NextEvent("device", kWait);
    ASSERT_TRUE(device);
    EXPECT_EQ(device->Json().at("change").as_string(), "updated");
    EXPECT_EQ(device->Json().at("device_id").as_int64(), s_.device_id);
    EXPECT_EQ(device->Json().at("device").at("status").as_string(), "inactive");
}

TEST_F(Events, TheRecomputeWorkerStoringAChangedDayShowsAsARegisterEvent) {
    const auto amina = Person("Amina Njeri");
    Map("17", amina);
    server_.app().recompute().RunPending().value();  // what the mapping marked
    auto stream = Connected(s_.admin_token);
    ASSERT_EQ(Push(s_.device_token, {{"17", "2026-03-12 08:05:00"}}).status, 200);
    ASSERT_TRUE(server_.app().recompute().RunPending());
    const auto changed = stream->NextEvent("register", kWait);
    ASSERT_TRUE(changed);
    EXPECT_EQ(changed->Json().at("date").as_string(), "2026-03-12");
    const auto people = changed->Json().at("person_ids").as_array();
    ASSERT_EQ(people.size(), 1U);
    EXPECT_EQ(people[0].as_int64(), amina);
}

class EventsCapped : public Events {
protected:
    EventsCapped() : Events({{"events.max_streams_per_school", "2"}, {"events.heartbeat_seconds", "1"}}) {}
};

TEST_F(EventsCapped, ASchoolOverItsCapOfStreamsIsAnswered429AndAClosedStreamGivesItsPlaceBack) {
    auto first = Connected(s_.admin_token);
    auto second = Connected(s_.admin_token);
    EXPECT_EQ(Metric(server_.port(), "rollcall_event_streams"), 2);
    auto third = Open(s_.admin_token);
    EXPECT_EQ(third->status(), 429) << third->body();
    EXPECT_EQ(third->Header("retry-after"), "1");
    // Another school has a cap of its own.
    const auto other = MakeSchool(server_, "River School");
    const auto river = Open(s_.admin_token, other.school_id);
    EXPECT_EQ(river->status(), 200);
    EXPECT_EQ(WaitMetric(server_.port(), "rollcall_event_streams", 3, kWait), 3);

    // Other admin calls go on while the streams are open.
    EXPECT_EQ(http_.Get(Path("/devices"), s_.admin_token).status, 200);

    first->Close();  // the server learns it as its next heartbeat fails
    ASSERT_EQ(WaitMetric(server_.port(), "rollcall_event_streams", 2, seconds(20)), 2)
        << "the closed stream's place is given back (River School's stream is the other)";
    EXPECT_EQ(Open(s_.admin_token)->status(), 200);
}

class EventsBeating : public Events {
protected:
    // Idle and request timeouts far shorter than the stream lives: neither may cut it.
    EventsBeating()
        : Events({{"events.heartbeat_seconds", "1"},
                  {"http.idle_timeout_ms", "300"},
                  {"http.request_timeout_ms", "300"}}) {}
};

TEST_F(EventsBeating, AHeartbeatCommentComesEveryHeartbeatAndTimeoutsDoNotCutTheStream) {
    auto stream = Connected(s_.admin_token);
    const auto started = std::chrono::steady_clock::now();
    for (int i = 0; i < 3; ++i) {
        const auto beat = stream->Next(kWait);
        ASSERT_TRUE(beat) << "heartbeat " << i << " did not come";
        EXPECT_EQ(beat->event, "");
        ASSERT_EQ(beat->comments.size(), 1U);
        EXPECT_EQ(beat->comments[0], "hb");
    }
    EXPECT_GE(std::chrono::steady_clock::now() - started, milliseconds(1500))
        << "three beats of a second each span two seconds at least";
    ASSERT_EQ(Push(s_.device_token, {{"17", "2026-03-12 08:05:00"}}).status, 200);
    EXPECT_TRUE(stream->NextEvent("punch", kWait)) << "the stream outlived the idle timeout many times over";
}

class EventsSlowReader : public Events {
protected:
    EventsSlowReader() : Events({{"events.queue_depth", "4"}, {"push.rate_burst", "100000"}}) {}
};

TEST_F(EventsSlowReader, AReaderThatStopsReadingIsDroppedWhilePushesAreStillAnsweredAtOnce) {
    // A reader with a small window that never reads: once the socket's buffers are full, its events queue up on
    // the server, and one past events.queue_depth drops it.
    auto slow = Open(s_.admin_token, 0, 4096);
    ASSERT_EQ(slow->status(), 200);
    auto reader = Connected(s_.admin_token);
    ASSERT_EQ(WaitMetric(server_.port(), "rollcall_event_streams", 2, kWait), 2);

    std::vector<std::pair<std::string, std::string>> batch;
    for (int i = 0; i < 50; ++i) {
        batch.emplace_back(std::to_string(1000 + i), "2026-03-12 08:05:00");
    }
    const auto end = std::chrono::steady_clock::now() + seconds(120);
    int pushes = 0;
    auto slowest = milliseconds(0);
    while (Metric(server_.port(), "rollcall_event_streams_dropped_total") < 1 &&
           std::chrono::steady_clock::now() < end) {
        const auto sent = std::chrono::steady_clock::now();
        const auto r = Push(s_.device_token, batch);
        ASSERT_EQ(r.status, 200) << r.body;
        slowest = std::max(slowest, std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - sent));
        ++pushes;
        // The panel's promise is a second; 5 s leaves room for a loaded test machine, and is half what a reader
        // that stopped reading could hold the hub for until http.write_timeout_ms cuts it.
        ASSERT_TRUE(reader->NextEvent("punch", milliseconds(5000)))
            << "the reader that keeps up sees every push at once, after " << pushes << " pushes";
    }
    ASSERT_EQ(Metric(server_.port(), "rollcall_event_streams_dropped_total"), 1)
        << "the slow reader was not dropped after " << pushes << " pushes";
    EXPECT_LT(slowest, milliseconds(2000)) << "no push waited for the slow reader";
    EXPECT_TRUE(slow->WaitClosed(kWait)) << "its connection is closed";
    EXPECT_EQ(WaitMetric(server_.port(), "rollcall_event_streams", 1, kWait), 1);
    // The reader that kept up is still there and sees the next push.
    ASSERT_EQ(Push(s_.device_token, {{"17", "2026-03-12 09:00:00"}}).status, 200);
    const auto after = reader->NextEvent("punch", kWait);
    ASSERT_TRUE(after) << "the push after the drop reached the reader that kept up";
    EXPECT_EQ(after->Json().at("punches").as_array()[0].at("user_id").as_string(), "17");
}

TEST_F(Events, StopWithOpenStreamsReturnsAtOnceAndClosesThem) {
    auto first = Connected(s_.admin_token);
    auto second = Connected(s_.admin_token);
    const auto started = std::chrono::steady_clock::now();
    server_.Stop();
    EXPECT_LT(std::chrono::steady_clock::now() - started, seconds(5))
        << "Stop did not wait for the streams (http.drain_timeout_ms is 10 s)";
    EXPECT_TRUE(first->WaitClosed(kWait));
    EXPECT_TRUE(second->WaitClosed(kWait));
}

TEST_F(Events, TheStreamNeedsALogin) {
    SseClient::Options options;
    SseClient anonymous(server_.port(), Path("/events"), options);
    EXPECT_EQ(anonymous.status(), 401);
}

}  // namespace
}  // namespace rollcall::test
