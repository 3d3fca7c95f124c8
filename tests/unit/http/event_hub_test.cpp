// The live event stream's hub against a temporary real store: a school's events reach its own streams only, a
// school's streams are capped, and a stream nobody reads is dropped while publishing goes on without waiting.

#include "http/event_hub.hpp"

#include "support/service_world.hpp"

#include <condition_variable>
#include <mutex>

#include <gtest/gtest.h>

namespace rollcall::http {
namespace {

using namespace std::chrono_literals;

/// The transport's side of a stream, read on the test's thread: wakes arrive from the hub's thread.
class Reader {
public:
    explicit Reader(std::shared_ptr<net::ResponseStream> stream) : stream_(std::move(stream)) {
        stream_->Attach([this] {
            std::lock_guard lock(mu_);
            ++wakes_;
            cv_.notify_all();
        });
    }
    ~Reader() { stream_->Ended(); }
    Reader(const Reader&) = delete;
    Reader& operator=(const Reader&) = delete;

    /// The chunks written so far and whatever arrives within the deadline, until one contains `text`.
    std::string ReadUntil(const std::string& text, std::chrono::milliseconds deadline = 10s) {
        const auto end = std::chrono::steady_clock::now() + deadline;
        for (;;) {
            std::vector<std::string> chunks;
            stream_->Take(chunks);
            for (const auto& c : chunks) {
                read_ += c;
            }
            if (read_.find(text) != std::string::npos) {
                return read_;
            }
            std::unique_lock lock(mu_);
            if (!cv_.wait_until(lock, end, [&] { return wakes_ != seen_; })) {
                return read_;
            }
            seen_ = wakes_;
        }
    }
    net::ResponseStream& stream() { return *stream_; }

private:
    std::shared_ptr<net::ResponseStream> stream_;
    std::mutex mu_;
    std::condition_variable cv_;
    int wakes_ = 0;
    int seen_ = 0;
    std::string read_;
};

class EventHubTest : public ::testing::Test {
protected:
    EventHubTest() { hub_.Start(); }

    test::ServiceWorld w_;
    service::Services services_{*w_.store, w_.crypto, w_.clock, w_.metrics, service::ServiceConfig{}};
    std::int64_t hill_ = w_.School("Hill School");
    std::int64_t lake_ = w_.School("Lake School");
    storage::Device hill_gate_ = w_.Gate(hill_, "Main gate", 1);
    storage::Device lake_gate_ = w_.Gate(lake_, "Lake gate", 2);
    EventHub hub_{
        services_, w_.metrics, EventHubConfig{.heartbeat = 15s, .max_streams_per_school = 2, .queue_depth = 4}};

    service::PunchesStored Batch(const storage::Device& gate, const std::string& user) const {
        service::PunchesStored b;
        b.school_id = gate.school_id;
        b.device_id = gate.id;
        b.source = "push";
        b.received_at = test::kWorldNow;
        b.received = 1;
        b.inserted = 1;
        b.punches.push_back(
            service::LivePunch{user, *core::ParseLocalDateTime("2026-03-12 08:05:00"), 0, std::nullopt, false});
        return b;
    }
};

TEST_F(EventHubTest, AStreamOpensWithItsRetryAndReadyEvent) {
    Reader reader(hub_.Open(hill_).value());
    const auto text = reader.ReadUntil("\n\n");
    EXPECT_TRUE(text.starts_with("retry: 3000\nevent: ready\ndata: {\"school_id\":" + std::to_string(hill_))) << text;
    EXPECT_EQ(reader.stream().options().keepalive, ": hb\n\n");
    EXPECT_EQ(reader.stream().options().keepalive_every, 15s);
}

TEST_F(EventHubTest, APunchReachesTheStreamsOfItsSchoolOnlyWithThePersonItBelongsTo) {
    storage::Person amina;
    amina.school_id = hill_;
    amina.name = "Amina Njeri";
    amina.group = "5A";
    amina = w_.store->CreatePerson(amina).value();
    storage::Mapping m;
    m.school_id = hill_;
    m.user_id = "17";
    m.person_id = amina.id;
    ASSERT_TRUE(w_.store->CreateMapping(m));

    Reader hill(hub_.Open(hill_).value());
    Reader lake(hub_.Open(lake_).value());
    EXPECT_TRUE(hub_.Watched(hill_));
    hub_.PunchesStored(Batch(hill_gate_, "17"));
    hub_.PunchesStored(Batch(lake_gate_, "42"));

    const auto at_hill = hill.ReadUntil("event: punch");
    EXPECT_NE(at_hill.find("\"person_name\":\"Amina Njeri\""), std::string::npos) << at_hill;
    EXPECT_EQ(at_hill.find("\"42\""), std::string::npos) << "Lake School's punch reached Hill School: " << at_hill;
    const auto at_lake = lake.ReadUntil("\"user_id\":\"42\"");
    EXPECT_NE(at_lake.find("\"device_name\":\"Lake gate\""), std::string::npos) << at_lake;
    EXPECT_EQ(at_lake.find("Amina"), std::string::npos) << "Hill School's punch reached Lake School: " << at_lake;
}

TEST_F(EventHubTest, ASchoolHasAtMostItsCapOfStreamsAndAnEndedStreamGivesItsPlaceBack) {
    auto first = hub_.Open(hill_).value();
    auto second = hub_.Open(hill_).value();
    const auto third = hub_.Open(hill_);
    ASSERT_FALSE(third);
    EXPECT_EQ(third.error().code, core::Errc::kTooManyRequests);
    const auto lake = hub_.Open(lake_);
    EXPECT_TRUE(lake) << "another school's cap is its own";
    EXPECT_EQ(hub_.OpenStreams(hill_), 2U);
    EXPECT_EQ(w_.metrics.EventStreams(), 3);

    first->Ended();  // its connection closed
    EXPECT_EQ(hub_.OpenStreams(hill_), 1U);
    EXPECT_TRUE(hub_.Open(hill_));
}

TEST_F(EventHubTest, NobodyWatchesASchoolWithoutStreamsSoNothingIsBuiltForIt) {
    EXPECT_FALSE(hub_.Watched(hill_));
    auto stream = hub_.Open(hill_).value();
    EXPECT_TRUE(hub_.Watched(hill_));
    EXPECT_FALSE(hub_.Watched(lake_));
    stream.reset();  // never answered: destroyed, it gives its place back
    EXPECT_FALSE(hub_.Watched(hill_));
}

TEST_F(EventHubTest, AStreamNobodyReadsIsDroppedWhileTheOthersGetEveryEvent) {
    auto stuck = hub_.Open(hill_).value();  // its transport never takes: a client that stopped reading
    Reader reader(hub_.Open(hill_).value());
    for (int i = 0; i < 6; ++i) {
        const auto before = std::chrono::steady_clock::now();
        hub_.PunchesStored(Batch(hill_gate_, "u" + std::to_string(i)));
        EXPECT_LT(std::chrono::steady_clock::now() - before, 1s) << "publishing is a hand-off";
        // The reader keeps up: each event is read before the next is published.
        reader.ReadUntil("\"user_id\":\"u" + std::to_string(i) + "\"");
    }
    EXPECT_TRUE(stuck->Closed());
    EXPECT_TRUE(stuck->Overflowed())
        << "its queue of 4 filled: ready, the first punch and its device's heard_from, a punch, then no room";
    EXPECT_EQ(w_.metrics.EventStreamsDropped(), 1U);
    EXPECT_FALSE(reader.stream().Closed()) << "the reader that kept up is still there";
    EXPECT_NE(reader.ReadUntil("\"u5\"").find("\"u5\""), std::string::npos);
}

TEST_F(EventHubTest, StopClosesEveryStreamAndRefusesNewOnes) {
    auto stream = hub_.Open(hill_).value();
    hub_.Stop();
    EXPECT_TRUE(stream->Closed());
    const auto after = hub_.Open(hill_);
    ASSERT_FALSE(after);
    EXPECT_EQ(after.error().code, core::Errc::kUnavailable);
    hub_.PunchesStored(Batch(hill_gate_, "17"));  // after Stop: dropped, no crash
}

}  // namespace
}  // namespace rollcall::http
