#include "agent/agent.hpp"

#include "agent/spool.hpp"
#include "agent/zk_client.hpp"
#include "net/http_client.hpp"

#include <charconv>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <thread>

#include <boost/json.hpp>
#include <spdlog/spdlog.h>

namespace rollcall::agent {
namespace {

namespace json = boost::json;
using core::Errc;
using core::MakeError;

struct RemoteDevice {
    std::int64_t id = 0;
    std::optional<core::LocalDateTime> local_time;  ///< what its clock should show, when the list came
    std::chrono::steady_clock::time_point listed_at;
    std::string name;
    std::string ip;
    std::uint16_t port = 4370;
    std::uint32_t comm_key = 0;
};

/// The agent's side of the server API (product.md "Agent mode"). Knows when the agent is stopping, so retry
/// waits end early and a service stop does not sit out a backoff.
class ServerApi {
public:
    ServerApi(const AgentConfig& config, const std::atomic<bool>& stop) : config_(config), stop_(stop) {
        options_.timeout = config.http_timeout;
        options_.max_response_body = 1 << 20;
        options_.ca_file = config.ca_file;
    }

    core::Result<json::value> Call(const std::string& method, const std::string& path, const std::string& body = "") {
        std::string base = config_.server;
        while (!base.empty() && base.back() == '/') {
            base.pop_back();
        }
        ROLLCALL_TRY(auto reply,
                     net::Fetch(method,
                                base + path,
                                {{"Authorization", "Bearer " + config_.token},
                                 {"Content-Type", "application/json"},
                                 {"User-Agent", "rollcall-agent/1"}},
                                body,
                                options_));
        boost::system::error_code ec;
        auto doc = json::parse(reply.body, ec);
        if (reply.status != 200) {
            std::string message = "HTTP " + std::to_string(reply.status);
            const auto* error = !ec && doc.is_object() ? doc.as_object().if_contains("error") : nullptr;
            const auto* text =
                error != nullptr && error->is_object() ? error->as_object().if_contains("message") : nullptr;
            if (text != nullptr && text->is_string()) {
                message += ": " + std::string(text->as_string());
            }
            // 4xx will not get better by retrying (a revoked token, a device set to push); 5xx and 429 may.
            const bool permanent = reply.status >= 400 && reply.status < 500 && reply.status != 429;
            return MakeError(permanent ? Errc::kInvalidArgument : Errc::kUnavailable, message);
        }
        if (ec) {
            return MakeError(Errc::kUnavailable, "the server's answer is not JSON");
        }
        return doc;
    }

    bool stopping() const { return stop_; }
    /// Waits `how_long`, or less when the agent is stopping.
    void Pause(std::chrono::milliseconds how_long) const {
        const auto until = std::chrono::steady_clock::now() + how_long;
        while (!stop_ && std::chrono::steady_clock::now() < until) {
            std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(
                std::chrono::milliseconds(100), until - std::chrono::steady_clock::now()));
        }
    }

private:
    const AgentConfig& config_;
    const std::atomic<bool>& stop_;
    net::ClientOptions options_;
};

std::uint32_t ParseCommKey(const std::string& text) {
    std::uint32_t key = 0;
    (void)std::from_chars(text.data(), text.data() + text.size(), key);
    return key;
}

/// The devices of a list the server gave ({"items": [...]}); `fresh` when it came just now (the local time in a
/// kept list is stale).
core::Result<std::vector<RemoteDevice>> ParseDeviceList(const json::value& doc, bool fresh) {
    std::vector<RemoteDevice> out;
    try {
        for (const auto& d : doc.at("items").as_array()) {
            RemoteDevice r;
            r.id = d.at("id").as_int64();
            r.name = std::string(d.at("name").as_string());
            r.ip = std::string(d.at("ip").as_string());
            r.port = static_cast<std::uint16_t>(d.at("port").as_int64());
            r.comm_key = ParseCommKey(std::string(d.at("comm_key").as_string()));
            if (const auto* t = d.as_object().if_contains("local_time"); fresh && t != nullptr && t->is_string()) {
                r.local_time = core::ParseLocalDateTime(std::string(t->as_string()));
            }
            r.listed_at = std::chrono::steady_clock::now();
            out.push_back(std::move(r));
        }
    } catch (const std::exception& e) {
        // A proxy's error page or another server: say so instead of dying.
        return MakeError(Errc::kUnavailable, std::string("unexpected device list from the server: ") + e.what());
    }
    return out;
}

/// Keeps the list in the spool directory when it changed (without the local times, which always do).
void KeepDeviceList(const AgentConfig& config, json::value doc) {
    for (auto& d : doc.at("items").as_array()) {
        d.as_object().erase("local_time");
    }
    const auto text = json::serialize(doc);
    if (auto kept = LoadDeviceList(config.spool); kept && *kept == text) {
        return;
    }
    if (auto saved = SaveDeviceList(config.spool, text); !saved) {
        spdlog::warn("cannot keep the device list: {}", saved.error().message);
    }
}

/// The server's list of devices to read. When the server cannot be reached (or fails), the list it gave last
/// time, kept in the spool directory: the terminals are still read into the spool, and everything is uploaded
/// once the server is back. Not after a 4xx: a revoked token is the school's decision.
core::Result<std::vector<RemoteDevice>> ListDevices(ServerApi& api, const AgentConfig& config) {
    auto doc = api.Call("GET", "/api/v1/agent/devices");
    if (doc) {
        ROLLCALL_TRY(auto devices, ParseDeviceList(*doc, true));
        KeepDeviceList(config, std::move(*doc));
        return devices;
    }
    if (doc.error().code != Errc::kUnavailable) {
        return doc.error();
    }
    auto text = LoadDeviceList(config.spool);
    if (!text) {
        return doc.error();
    }
    boost::system::error_code ec;
    const auto kept = json::parse(*text, ec);
    if (ec) {
        return doc.error();
    }
    ROLLCALL_TRY(auto devices, ParseDeviceList(kept, false));
    spdlog::warn("cannot get the device list ({}); reading the {} device(s) of the last list, kept in {}",
                 doc.error().message,
                 devices.size(),
                 config.spool);
    return devices;
}

std::string UtcNow() {
    const auto now =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    return core::FormatUnixUtc(now);
}

/// Uploads the pending records in batches; each batch is acknowledged in the spool only after the server
/// answered 200 for it (it stores them idempotently, so a batch re-sent after a lost answer is harmless).
core::Status Upload(ServerApi& api,
                    const AgentConfig& config,
                    Spool& spool,
                    std::int64_t device_id,
                    const std::string& read_at,
                    DeviceSyncReport& report) {
    auto pending = spool.Pending();
    std::size_t offset = 0;
    do {
        const auto end = std::min(pending.size(), offset + config.upload_batch);
        json::array logs;
        for (std::size_t i = offset; i < end; ++i) {
            const auto& r = pending[i];
            logs.push_back(json::object{{"user_id", r.user_id},
                                        {"timestamp", core::FormatLocalDateTime(r.timestamp)},
                                        {"status", r.status},
                                        {"verify", r.verify}});
        }
        json::object body{{"logs", std::move(logs)}};
        // Only the last batch says when the device was read: until all of it is stored, the server must not
        // take the device as heard from (R16 would finalize absences of children still in the spool).
        if (!read_at.empty() && end == pending.size()) {
            body["read_at"] = read_at;
        }
        const auto text = json::serialize(body);
        auto wait = config.retry_base;
        core::Result<json::value> answer = MakeError(Errc::kUnavailable, "not sent");
        for (int attempt = 1; attempt <= config.upload_attempts && !api.stopping(); ++attempt) {
            answer = api.Call("POST", "/api/v1/agent/devices/" + std::to_string(device_id) + "/logs", text);
            if (answer || answer.error().code != Errc::kUnavailable) {
                break;
            }
            spdlog::warn("upload for device {} failed (attempt {}): {}; retrying in {} ms",
                         device_id,
                         attempt,
                         answer.error().message,
                         wait.count());
            if (attempt < config.upload_attempts) {
                api.Pause(wait);
                wait = std::min<std::chrono::milliseconds>(wait * 2, std::chrono::minutes(5));
            }
        }
        if (!answer) {
            return answer.error();
        }
        ROLLCALL_CHECK(spool.Acknowledge(end - offset));
        report.uploaded += end - offset;
        offset = end;
        spdlog::info("device {}: acknowledged {} of {}", device_id, offset, pending.size());
    } while (offset < pending.size());
    return {};
}

/// Reads the terminal's log over an open connection, spools what is new and reports its info into `status`.
/// Sets the terminal's clock when it is off by more than the threshold (off when 0). The right time comes
/// from the server (the device's zone applied there), advanced by the time since the list came, so neither
/// the PC's clock nor its time zone settings matter.
void SyncClock(ZkClient& client,
               const AgentConfig& config,
               const RemoteDevice& device,
               const DeviceInfo& info,
               json::object& status) {
    if (config.clock_sync_threshold_seconds <= 0 || !device.local_time || !info.device_time) {
        return;
    }
    const auto elapsed =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - device.listed_at).count();
    const core::LocalDateTime now{device.local_time->seconds + elapsed};
    const auto drift = info.device_time->seconds - now.seconds;
    if (drift <= config.clock_sync_threshold_seconds && drift >= -config.clock_sync_threshold_seconds) {
        return;
    }
    if (auto s = client.SetTime(now); !s) {
        spdlog::warn("device {}: clock is {} s off; setting it failed: {}", device.id, drift, s.error().message);
        return;
    }
    spdlog::info("device {}: clock was {} s off; set to {}", device.id, drift, core::FormatLocalDateTime(now));
    status["device_time"] = core::FormatLocalDateTime(now);
}

/// Reads the terminal's log over an open connection, spools what is new and reports its info into `status`.
void ReadIntoSpool(ZkClient& client,
                   const AgentConfig& config,
                   const RemoteDevice& device,
                   Spool& spool,
                   DeviceSyncReport& report,
                   json::object& status,
                   std::string& read_at) {
    report.transport = client.transport();
    auto info = client.ReadInfo();
    if (!info) {
        report.error = info.error().message;
        return;
    }
    std::optional<std::uint32_t> expected;
    if (info->sizes) {
        expected = info->sizes->records;
    }
    std::size_t skipped = 0;
    const auto started = UtcNow();
    // Safe clear (off by default): above the capacity threshold, and only once the server acknowledged
    // every record read, all while the terminal is still disabled.
    ZkClient::ClearIf clear_if;
    if (config.safe_clear_percent > 0 && info->sizes && info->sizes->record_capacity > 0 &&
        100.0 * info->sizes->records / info->sizes->record_capacity >= config.safe_clear_percent) {
        // Inside the disabled window only a check: every record read is spooled and acknowledged already
        // (a round that uploads them comes first), so the gate is blocked for milliseconds, not an upload.
        clear_if = [&](const std::vector<DevicePunch>& read, std::size_t corrupt) {
            std::vector<SpoolRecord> records;
            for (const auto& p : read) {
                records.push_back(SpoolRecord{p.user_id, p.time, p.state, p.verify});
            }
            const auto fresh = corrupt == 0 ? spool.Append(records) : core::Result<std::size_t>(std::size_t{1});
            return fresh && *fresh == 0 && spool.Pending().empty();
        };
    }
    auto punches = client.ReadAttendance(expected, skipped, clear_if, &report.cleared);
    if (report.cleared) {
        spdlog::info("device {}: log cleared after the server acknowledged all {} records",
                     device.id,
                     punches ? punches->size() : 0);
    }
    if (!punches) {
        report.error = punches.error().message;
        return;
    }
    report.reachable = true;
    report.read = punches->size();
    report.skipped = skipped;
    std::vector<SpoolRecord> records;
    records.reserve(punches->size());
    for (const auto& p : *punches) {
        records.push_back(SpoolRecord{p.user_id, p.time, p.state, p.verify});
    }
    // Spooled before anything else: from here on a crash or a dead server loses nothing.
    auto fresh = spool.Append(records);
    if (!fresh) {
        report.error = fresh.error().message;
    } else {
        report.new_records = *fresh;
        read_at = started;
    }
    status["reachable"] = true;
    status["serial"] = info->serial;
    status["firmware"] = info->firmware;
    if (info->sizes) {
        status["users"] = info->sizes->users;
        status["records"] = info->sizes->records;
        status["user_capacity"] = info->sizes->user_capacity;
        status["record_capacity"] = info->sizes->record_capacity;
    }
    if (info->device_time) {
        status["device_time"] = core::FormatLocalDateTime(*info->device_time);
    }
    SyncClock(client, config, device, *info, status);
    if (!read_at.empty()) {
        status["read_through"] = read_at;
    }
    if (skipped > 0) {
        report.error = std::to_string(skipped) + " records with an invalid timestamp were skipped";
    }
}

void UploadAndReport(ServerApi& api,
                     const AgentConfig& config,
                     Spool& spool,
                     std::int64_t device_id,
                     const std::string& read_at,
                     json::object& status,
                     DeviceSyncReport& report) {
    if (!spool.Pending().empty()) {
        if (auto s = Upload(api, config, spool, device_id, read_at, report); !s) {
            report.error = "upload: " + s.error().message;
        }
    }
    report.pending = spool.Pending().size();
    if (report.pending > 0) {
        status.erase("read_through");  // the server hears the device was read only once it has the punches
    }
    status["last_error"] = report.error;
    if (auto s =
            api.Call("POST", "/api/v1/agent/devices/" + std::to_string(device_id) + "/status", json::serialize(status));
        !s) {
        spdlog::warn("status for device {}: {}", device_id, s.error().message);
    }
}

void LogReport(const RemoteDevice& device, const DeviceSyncReport& report) {
    spdlog::info("device {} ({}): {}{} read {}, new {}, uploaded {}, pending {}{}",
                 device.id,
                 device.name,
                 report.reachable ? "reachable" : "UNREACHABLE",
                 report.transport.empty() ? "" : " over " + report.transport,
                 report.read,
                 report.new_records,
                 report.uploaded,
                 report.pending,
                 report.error.empty() ? "" : "; " + report.error);
}

/// One full sync of one device over `client` (connected, or the error of connecting).
DeviceSyncReport SyncDevice(ServerApi& api,
                            const AgentConfig& config,
                            const RemoteDevice& device,
                            Spool& spool,
                            core::Result<std::unique_ptr<ZkClient>>& client) {
    DeviceSyncReport report;
    report.device_id = device.id;
    report.name = device.name;
    json::object status{{"reachable", false}};
    std::string read_at;
    if (!client) {
        report.error = client.error().message;
    } else {
        ReadIntoSpool(**client, config, device, spool, report, status, read_at);
    }
    UploadAndReport(api, config, spool, device.id, read_at, status, report);
    LogReport(device, report);
    return report;
}

/// The latest word from the server on one device, shared by the round loop (which lists the devices every
/// interval) and the device's worker, so a new IP, port or comm key is used without restarting the agent.
class DeviceSlot {
public:
    explicit DeviceSlot(RemoteDevice device) : device_(std::move(device)) {}

    RemoteDevice Get() const {
        std::lock_guard lock(mutex_);
        return device_;
    }
    /// Changes when the device's address, comm key or name changed: the worker reconnects.
    std::uint64_t version() const { return version_; }
    void Update(const RemoteDevice& device) {
        std::lock_guard lock(mutex_);
        const bool changed = device.ip != device_.ip || device.port != device_.port ||
                             device.comm_key != device_.comm_key || device.name != device_.name;
        device_ = device;
        if (changed) {
            ++version_;
        }
    }
    /// Off the server's list (deleted, inactive or switched to push): the worker ends.
    void Unlist() { listed_ = false; }
    /// Listed again before the worker noticed: it carries on (or, if it was already ending, finishes and the
    /// round loop starts a new one).
    void Relist() { listed_ = true; }
    bool listed() const { return listed_; }
    /// The worker's last act: its thread can be joined without waiting.
    void Finish() { finished_ = true; }
    bool finished() const { return finished_; }

private:
    mutable std::mutex mutex_;
    RemoteDevice device_;
    std::atomic<std::uint64_t> version_{0};
    std::atomic<bool> listed_{true};
    std::atomic<bool> finished_{false};
};

ZkOptions OptionsFor(const AgentConfig& config, const RemoteDevice& device) {
    return ZkOptions{device.ip, device.port, device.comm_key, config.device_timeout, true};
}

/// The long-running mode for one device: one connection that does a full read every `interval` and, in
/// between, listens for realtime attendance events so a punch reaches the server within seconds. The full
/// read is the safety net for any event missed while disconnected.
void RunDevice(const AgentConfig& config, DeviceSlot& slot, const std::atomic<bool>& stop) {
    struct FinishOnExit {
        DeviceSlot& slot;
        ~FinishOnExit() { slot.Finish(); }
    } finish_on_exit{slot};
    ServerApi api(config, stop);
    const auto id = slot.Get().id;
    auto spool = Spool::Open(config.spool, id);
    if (!spool) {
        spdlog::error("device {}: {}", id, spool.error().message);
        return;
    }
    auto backoff = std::chrono::seconds(1);
    while (!stop && slot.listed()) {
        const auto version = slot.version();
        const auto device = slot.Get();
        // Until the next full read, or sooner when the server changed the device or dropped it.
        const auto carry_on = [&] { return !stop && slot.listed() && slot.version() == version; };
        auto client = ZkClient::Connect(OptionsFor(config, device));
        const auto report = SyncDevice(api, config, device, *spool, client);
        const auto next_full = std::chrono::steady_clock::now() + config.interval;
        if (client && report.reachable) {
            backoff = std::chrono::seconds(1);
            if (auto s = (*client)->RegisterEvents(); !s) {
                spdlog::warn("device {}: realtime events refused ({}); full reads only", device.id, s.error().message);
            } else {
                while (carry_on() && std::chrono::steady_clock::now() < next_full) {
                    auto event = (*client)->WaitEvent(std::chrono::milliseconds(500));
                    if (!event) {
                        if (event.error().code == core::Errc::kUnavailable &&
                            event.error().message.starts_with("timeout")) {
                            continue;  // nobody punched in this half second
                        }
                        spdlog::warn("device {}: realtime connection lost: {}", device.id, event.error().message);
                        break;
                    }
                    if (!*event) {
                        continue;
                    }
                    const auto& p = **event;
                    DeviceSyncReport live;
                    live.device_id = device.id;
                    if (auto fresh = spool->Append({SpoolRecord{p.user_id, p.time, p.state, p.verify}});
                        fresh && *fresh) {
                        spdlog::info("device {}: live punch of user {} at {}",
                                     device.id,
                                     p.user_id,
                                     core::FormatLocalDateTime(p.time));
                        if (auto sent = Upload(api, config, *spool, device.id, UtcNow(), live); !sent) {
                            spdlog::warn("device {}: live upload failed ({}); the next round retries",
                                         device.id,
                                         sent.error().message);
                        }
                    }
                }
            }
            continue;
        }
        // Unreachable: try again soon, then less often.
        const auto until =
            std::chrono::steady_clock::now() + std::min<std::chrono::steady_clock::duration>(backoff, config.interval);
        while (carry_on() && std::chrono::steady_clock::now() < until) {
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        backoff = std::min<std::chrono::seconds>(backoff * 2, std::chrono::seconds(300));
    }
    if (!slot.listed()) {
        spdlog::info("device {}: no longer on the server's list; not read any more", id);
    }
}

}  // namespace

Agent::Agent(AgentConfig config) : config_(std::move(config)) {}

core::Result<std::vector<DeviceSyncReport>> Agent::SyncOnce() {
    static const std::atomic<bool> kNeverStops{false};
    ServerApi api(config_, kNeverStops);
    ROLLCALL_TRY(const auto devices, ListDevices(api, config_));
    std::vector<DeviceSyncReport> reports;
    for (const auto& device : devices) {
        auto spool = Spool::Open(config_.spool, device.id);
        if (!spool) {
            DeviceSyncReport report;
            report.device_id = device.id;
            report.error = spool.error().message;
            reports.push_back(std::move(report));
            continue;
        }
        auto client = ZkClient::Connect(OptionsFor(config_, device));
        reports.push_back(SyncDevice(api, config_, device, *spool, client));
    }
    return reports;
}

void Agent::Run(const std::atomic<bool>& stop) {
    // One worker per device. The device list is asked for every interval: a device added on the server gets a
    // worker, a changed one is reconnected with its new address or comm key, a dropped one's worker ends.
    struct Worker {
        std::shared_ptr<DeviceSlot> slot;
        std::thread thread;
    };
    std::map<std::int64_t, Worker> workers;
    ServerApi api(config_, stop);
    while (!stop) {
        auto devices = ListDevices(api, config_);
        if (!devices) {
            spdlog::error("sync: cannot get the device list: {}", devices.error().message);
            if (devices.error().code != Errc::kUnavailable) {
                // A 4xx (a revoked token): the school took this agent off; its workers stop too.
                for (auto& [id, worker] : workers) {
                    worker.slot->Unlist();
                }
            }
        } else {
            std::set<std::int64_t> listed;
            for (const auto& device : *devices) {
                listed.insert(device.id);
                auto it = workers.find(device.id);
                if (it != workers.end() && !it->second.slot->finished()) {
                    it->second.slot->Update(device);
                    it->second.slot->Relist();
                    continue;
                }
                if (it != workers.end()) {  // ended after being dropped, and listed again: a fresh worker
                    it->second.thread.join();
                    workers.erase(it);
                }
                auto slot = std::make_shared<DeviceSlot>(device);
                std::thread thread([this, slot, &stop] { RunDevice(config_, *slot, stop); });
                workers.emplace(device.id, Worker{std::move(slot), std::move(thread)});
            }
            for (auto& [id, worker] : workers) {
                if (!listed.contains(id)) {
                    worker.slot->Unlist();
                }
            }
        }
        const auto until = std::chrono::steady_clock::now() + config_.interval;
        while (!stop && std::chrono::steady_clock::now() < until) {
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
        }
    }
    for (auto& [id, worker] : workers) {
        worker.thread.join();
    }
}

}  // namespace rollcall::agent
