#pragma once

// The live event stream's hub (docs/api.md "Live events"): each school's open streams, and the thread that turns
// what the services announce into their events. Announcing is a hand-off: the writer thread and the recompute
// worker append to a bounded inbox and go on. The hub's thread reads what an event shows (the device's name, the
// people punches belong to) and queues the event on each stream of its school, never waiting for one: a stream
// whose queue is full is closed (net::ResponseStream), and the transport writes on the connection's io thread.

#include "core/background_loop.hpp"
#include "core/clock.hpp"
#include "core/metrics.hpp"
#include "core/result.hpp"
#include "net/http_message.hpp"
#include "service/live_events.hpp"
#include "service/services.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace rollcall::http {

struct EventHubConfig {
    std::chrono::milliseconds heartbeat{15'000};  ///< events.heartbeat_seconds
    std::size_t max_streams_per_school = 20;      ///< events.max_streams_per_school
    std::size_t queue_depth = 64;                 ///< events.queue_depth: a stream's events not yet written
    /// Announcements waiting for the hub's thread; past it the hub is behind, and every stream is closed so that
    /// its client reconnects and reads the state afresh rather than miss an event unknowingly.
    std::size_t inbox_depth = 4096;
    /// A device's `heard_from` event at most this often: the panel shows last_seen to the minute.
    std::chrono::seconds heard_from_every{60};
};

class EventHub final : public service::LiveEvents {
public:
    /// The SSE text of one event: "event: NAME\ndata: JSON\n\n".
    static std::string Frame(std::string_view name, std::string_view json);

    EventHub(service::Services& services, core::Metrics& metrics, EventHubConfig config);
    ~EventHub() override;
    EventHub(const EventHub&) = delete;
    EventHub& operator=(const EventHub&) = delete;

    void Start();
    /// Closes every stream and stops the thread; announcements after it are dropped.
    void Stop();

    /// A new stream of the school's events, with its first event (`ready`) queued; TooManyRequests when the school
    /// has its events.max_streams_per_school open already.
    core::Result<std::shared_ptr<net::ResponseStream>> Open(std::int64_t school_id);
    /// Streams open now, of one school or of all.
    std::size_t OpenStreams(std::optional<std::int64_t> school_id = std::nullopt) const;

    bool Watched(std::int64_t school_id) const override;
    void PunchesStored(service::PunchesStored batch) override;
    void RegisterChanged(std::int64_t school_id, core::Date date, std::vector<std::int64_t> person_ids) override;
    void DeviceChanged(std::int64_t school_id, std::int64_t device_id, std::string_view change) override;

private:
    struct RegisterNote {
        std::int64_t school_id = 0;
        core::Date date;
        std::vector<std::int64_t> person_ids;
    };
    struct DeviceNote {
        std::int64_t school_id = 0;
        std::int64_t device_id = 0;
        std::string change;
    };
    using Note = std::variant<service::PunchesStored, RegisterNote, DeviceNote>;
    struct Stream {
        std::uint64_t id = 0;
        std::weak_ptr<net::ResponseStream> stream;
    };
    /// The open streams. Shared with each stream's end callback, which may run after the hub is gone (a stream
    /// whose answer was still in the transport when the server stopped).
    struct Registry {
        explicit Registry(core::Metrics& m) : metrics(m) {}
        core::Metrics& metrics;
        mutable std::mutex mu;
        std::map<std::int64_t, std::vector<Stream>> by_school;
        std::size_t open = 0;  ///< streams of all schools
        std::uint64_t next_id = 0;
        void Remove(std::int64_t school_id, std::uint64_t id);
    };

    /// Appends to the inbox without waiting; a full inbox marks the hub behind.
    void Hand(Note note);
    /// The hub thread's pass: every note of the inbox becomes events.
    void Pass();
    void Publish(const service::PunchesStored& batch);
    void Publish(const RegisterNote& note);
    void Publish(const DeviceNote& note);
    /// Queues the frame on every stream of the school; a stream that cannot take it is closed.
    void Send(std::int64_t school_id, const std::string& frame);
    void CloseAll();
    /// The streams of one school (all: nullopt) that are still alive.
    std::vector<std::shared_ptr<net::ResponseStream>> Alive(std::optional<std::int64_t> school_id) const;

    service::Services& services_;
    core::Metrics& metrics_;
    const EventHubConfig config_;
    const std::shared_ptr<Registry> registry_;

    mutable std::mutex mu_;   ///< the inbox
    std::deque<Note> inbox_;  ///< (mu_)
    bool behind_ = false;     ///< the inbox overflowed since the last pass (mu_)
    bool stopped_ = false;    ///< (mu_)
    /// When each device's last heard_from event went out (the hub thread only).
    std::map<std::int64_t, std::chrono::steady_clock::time_point> heard_from_;
    core::BackgroundLoop loop_;  ///< last: stopped before the members its passes use
};

}  // namespace rollcall::http
