#include "http/event_hub.hpp"

#include "wire/live_events.hpp"

#include <set>

#include <spdlog/spdlog.h>

namespace rollcall::http {
namespace {

namespace json = boost::json;

/// What EventSource waits before it reconnects a stream that ended (the SSE `retry:` field), in milliseconds.
constexpr std::string_view kRetry = "retry: 3000\n";
/// The heartbeat: an SSE comment, which EventSource ignores and every proxy on the way sees as traffic.
constexpr std::string_view kHeartbeat = ": hb\n\n";

/// The person each punch of the batch belongs to (R6: a mapping of its device beats a school-wide one).
std::vector<std::optional<storage::Person>> PeopleOf(service::Services& services, const service::PunchesStored& batch) {
    std::vector<std::optional<storage::Person>> people(batch.punches.size());
    auto mappings = services.people.ListMappings(batch.school_id);
    if (!mappings) {
        spdlog::warn("events: mappings of school {}: {}", batch.school_id, mappings.error().message);
        return people;
    }
    std::set<std::string> users;
    for (const auto& p : batch.punches) {
        users.insert(p.user_id);
    }
    std::map<std::string, std::int64_t> of_device;
    std::map<std::string, std::int64_t> of_school;
    for (const auto& m : *mappings) {
        if (!users.contains(m.user_id)) {
            continue;
        }
        if (m.device_id == batch.device_id) {
            of_device[m.user_id] = m.person_id;
        } else if (!m.device_id) {
            of_school[m.user_id] = m.person_id;
        }
    }
    std::map<std::int64_t, std::optional<storage::Person>> read;
    for (std::size_t i = 0; i < batch.punches.size(); ++i) {
        const auto& user = batch.punches[i].user_id;
        const auto device = of_device.find(user);
        const auto school = of_school.find(user);
        if (device == of_device.end() && school == of_school.end()) {
            continue;
        }
        const auto person_id = device != of_device.end() ? device->second : school->second;
        auto [it, fresh] = read.try_emplace(person_id);
        if (fresh) {
            if (auto person = services.people.GetPerson(batch.school_id, person_id)) {
                it->second = std::move(*person);
            }
        }
        people[i] = it->second;
    }
    return people;
}

}  // namespace

std::string EventHub::Frame(std::string_view name, std::string_view json) {
    std::string out;
    out.reserve(name.size() + json.size() + 16);
    out.append("event: ").append(name).append("\ndata: ").append(json).append("\n\n");
    return out;
}

void EventHub::Registry::Remove(std::int64_t school_id, std::uint64_t id) {
    std::lock_guard lock(mu);
    const auto it = by_school.find(school_id);
    if (it == by_school.end()) {
        return;
    }
    auto& list = it->second;
    for (auto s = list.begin(); s != list.end(); ++s) {
        if (s->id == id) {
            list.erase(s);
            --open;
            metrics.SetEventStreams(static_cast<std::int64_t>(open));
            break;
        }
    }
    if (list.empty()) {
        by_school.erase(it);
    }
}

EventHub::EventHub(service::Services& services, core::Metrics& metrics, EventHubConfig config)
    : services_(services), metrics_(metrics), config_(config), registry_(std::make_shared<Registry>(metrics)) {}

EventHub::~EventHub() {
    Stop();
}

void EventHub::Start() {
    loop_.Start([this]() -> std::optional<core::BackgroundLoop::Clock::time_point> {
        Pass();
        return core::BackgroundLoop::Clock::time_point::max();
    });
}

void EventHub::Stop() {
    {
        std::lock_guard lock(mu_);
        stopped_ = true;
        inbox_.clear();
    }
    loop_.Stop();
    CloseAll();
}

core::Result<std::shared_ptr<net::ResponseStream>> EventHub::Open(std::int64_t school_id) {
    {
        std::lock_guard lock(mu_);
        if (stopped_) {
            return core::MakeError(core::Errc::kUnavailable, "the server is stopping; retry");
        }
    }
    auto stream = std::make_shared<net::ResponseStream>(net::ResponseStream::Options{
        .max_queued = config_.queue_depth, .keepalive = std::string(kHeartbeat), .keepalive_every = config_.heartbeat});
    std::uint64_t id = 0;
    {
        auto& r = *registry_;
        std::lock_guard lock(r.mu);
        auto& list = r.by_school[school_id];
        if (list.size() >= config_.max_streams_per_school) {
            return core::MakeError(core::Errc::kTooManyRequests,
                                   "this school has " + std::to_string(list.size()) +
                                       " live event streams open already (events.max_streams_per_school); close one");
        }
        id = ++r.next_id;
        list.push_back(Stream{id, stream});
        ++r.open;
        metrics_.SetEventStreams(static_cast<std::int64_t>(r.open));
    }
    stream->OnEnd([registry = std::weak_ptr<Registry>(registry_), school_id, id] {
        if (const auto r = registry.lock()) {
            r->Remove(school_id, id);
        }
    });
    const auto ready = json::serialize(json::object{
        {"school_id", school_id},
        {"heartbeat_seconds", std::chrono::duration_cast<std::chrono::seconds>(config_.heartbeat).count()}});
    stream->Push(std::string(kRetry) + Frame("ready", ready));
    return stream;
}

std::size_t EventHub::OpenStreams(std::optional<std::int64_t> school_id) const {
    const auto& r = *registry_;
    std::lock_guard lock(r.mu);
    if (!school_id) {
        return r.open;
    }
    const auto it = r.by_school.find(*school_id);
    return it == r.by_school.end() ? 0 : it->second.size();
}

bool EventHub::Watched(std::int64_t school_id) const {
    const auto& r = *registry_;
    std::lock_guard lock(r.mu);
    return r.by_school.contains(school_id);
}

void EventHub::PunchesStored(service::PunchesStored batch) {
    Hand(std::move(batch));
}

void EventHub::RegisterChanged(std::int64_t school_id, core::Date date, std::vector<std::int64_t> person_ids) {
    Hand(RegisterNote{school_id, date, std::move(person_ids)});
}

void EventHub::DeviceChanged(std::int64_t school_id, std::int64_t device_id, std::string_view change) {
    if (Watched(school_id)) {
        Hand(DeviceNote{school_id, device_id, std::string(change)});
    }
}

void EventHub::Hand(Note note) {
    {
        std::lock_guard lock(mu_);
        if (stopped_) {
            return;
        }
        if (inbox_.size() >= config_.inbox_depth) {
            behind_ = true;
            inbox_.clear();
        } else {
            inbox_.push_back(std::move(note));
        }
    }
    loop_.Wake();
}

void EventHub::Pass() {
    std::deque<Note> notes;
    bool behind = false;
    {
        std::lock_guard lock(mu_);
        notes.swap(inbox_);
        behind = std::exchange(behind_, false);
    }
    if (behind) {
        // Events were lost: every client reconnects and reads the state afresh, instead of trusting a gap.
        spdlog::warn("events: the hub fell behind; closing every live event stream");
        CloseAll();
    }
    for (const auto& note : notes) {
        try {
            std::visit([this](const auto& n) { Publish(n); }, note);
        } catch (const std::exception& e) {
            spdlog::error("events: {}", e.what());
        }
    }
}

void EventHub::Publish(const service::PunchesStored& batch) {
    if (!Watched(batch.school_id)) {
        return;
    }
    auto device = services_.devices.GetDevice(batch.school_id, batch.device_id);
    wire::PunchEvent event{batch, device ? device->device.name : std::string(), PeopleOf(services_, batch)};
    Send(batch.school_id, Frame("punch", json::serialize(json::value_from(event))));
    if (!device) {
        return;
    }
    // The first batch after a quiet spell says the device is alive (its last_seen), at most once a minute.
    const auto now = std::chrono::steady_clock::now();
    auto [it, fresh] = heard_from_.try_emplace(batch.device_id, now);
    if (!fresh && now - it->second < config_.heard_from_every) {
        return;
    }
    it->second = now;
    const wire::DeviceEvent heard{"heard_from", batch.device_id, std::move(*device)};
    Send(batch.school_id, Frame("device", json::serialize(json::value_from(heard))));
}

void EventHub::Publish(const RegisterNote& note) {
    if (!Watched(note.school_id)) {
        return;
    }
    const wire::RegisterEvent event{note.date, note.person_ids};
    Send(note.school_id, Frame("register", json::serialize(json::value_from(event))));
}

void EventHub::Publish(const DeviceNote& note) {
    if (!Watched(note.school_id)) {
        return;
    }
    wire::DeviceEvent event{note.change, note.device_id, std::nullopt};
    if (note.change != "deleted") {
        auto device = services_.devices.GetDevice(note.school_id, note.device_id);
        if (!device) {
            return;  // gone meanwhile: its deletion says so
        }
        event.device = std::move(*device);
    }
    Send(note.school_id, Frame("device", json::serialize(json::value_from(event))));
}

std::vector<std::shared_ptr<net::ResponseStream>> EventHub::Alive(std::optional<std::int64_t> school_id) const {
    std::vector<std::shared_ptr<net::ResponseStream>> out;
    const auto& r = *registry_;
    std::lock_guard lock(r.mu);
    for (const auto& [school, list] : r.by_school) {
        if (school_id && school != *school_id) {
            continue;
        }
        for (const auto& s : list) {
            if (auto stream = s.stream.lock()) {
                out.push_back(std::move(stream));
            }
        }
    }
    return out;
}

void EventHub::Send(std::int64_t school_id, const std::string& frame) {
    // Pushed outside the registry's lock: a stream released here may end, and its end takes that lock.
    for (const auto& stream : Alive(school_id)) {
        if (stream->Closed()) {
            continue;  // ending: its connection closes and the registry lets it go
        }
        if (!stream->Push(frame) && stream->Overflowed()) {
            metrics_.CountEventStreamDropped();
            spdlog::info("events: school {}: a live event stream fell {} events behind and was closed",
                         school_id,
                         config_.queue_depth);
        }
    }
}

void EventHub::CloseAll() {
    for (const auto& stream : Alive(std::nullopt)) {
        stream->Close();
    }
}

}  // namespace rollcall::http
