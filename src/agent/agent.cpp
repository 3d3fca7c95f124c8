#include "agent/agent.hpp"

#include "agent/spool.hpp"
#include "agent/user_table.hpp"
#include "agent/zk_client.hpp"
#include "net/http_client.hpp"
#include "net/status_error.hpp"
#include "wire/agent_api.hpp"
#include "wire/error_body.hpp"
#include "wire/punches.hpp"

#include <atomic>
#include <charconv>
#include <map>
#include <memory>
#include <mutex>
#include <set>

#include <boost/json.hpp>
#include <spdlog/spdlog.h>

namespace rollcall::agent {
namespace {

namespace json = boost::json;
using core::BackgroundLoop;
using core::Errc;
using core::MakeError;
using Clock = BackgroundLoop::Clock;

struct RemoteDevice {
    std::int64_t id = 0;
    std::optional<core::LocalDateTime> local_time;  ///< what its clock should show, when the list came
    std::chrono::steady_clock::time_point listed_at;
    std::string name;
    std::string ip;
    std::uint16_t port = 4370;
    std::uint32_t comm_key = 0;
};

/// The agent's side of the server API (docs/api.md "Agent side"). Knows the loop it runs in, so retry waits end
/// when the agent stops and a service stop does not sit out a backoff.
class ServerApi {
public:
    ServerApi(const AgentConfig& config, BackgroundLoop& loop) : config_(config), loop_(loop) {
        options_.timeout = config.http_timeout;
        options_.max_response_body = 1 << 20;
        options_.ca_file = config.ca_file;
    }

    core::Result<json::value> Call(const std::string& method, const std::string& path, const std::string& body = "") {
        std::string base = config_.server;
        while (!base.empty() && base.back() == '/') {
            base.pop_back();
        }
        net::ClientRequest request{.method = method,
                                   .url = base + path,
                                   .headers = {{"Authorization", "Bearer " + config_.token},
                                               {"Content-Type", "application/json"},
                                               {"User-Agent", "rollcall-agent/1"}},
                                   .body = body};
        ROLLCALL_TRY(auto reply, net::Fetch(request, options_));
        boost::system::error_code ec;
        auto doc = json::parse(reply.body, ec);
        if (reply.status != 200) {
            // The server's own words when it answered with its error body; a proxy's page says only the status.
            std::string message = "HTTP " + std::to_string(reply.status);
            if (!ec) {
                if (const auto error = wire::Decode<wire::ErrorBody>(doc)) {
                    message += ": " + error->message;
                }
            }
            // A 4xx will not get better by retrying (a revoked token, a device set to push); a 5xx or 429 may.
            return net::StatusError(reply.status, std::move(message));
        }
        if (ec) {
            return MakeError(Errc::kUnavailable, "the server's answer is not JSON");
        }
        return doc;
    }

    bool stopping() const { return loop_.stopping(); }
    /// Waits `how_long`, or less when the agent is stopping.
    void Pause(std::chrono::milliseconds how_long) const { (void)loop_.SleepFor(how_long); }

private:
    const AgentConfig& config_;
    BackgroundLoop& loop_;
    net::ClientOptions options_;
};

std::uint32_t ParseCommKey(const std::string& text) {
    std::uint32_t key = 0;
    (void)std::from_chars(text.data(), text.data() + text.size(), key);
    return key;
}

/// A device list the server gave; a proxy's error page or another server is said so instead of dying.
core::Result<wire::AgentDeviceList> DecodeDeviceList(const json::value& doc) {
    auto list = wire::Decode<wire::AgentDeviceList>(doc);
    if (!list) {
        return MakeError(Errc::kUnavailable, "unexpected device list from the server: " + list.error().message);
    }
    return list;
}

/// The devices to read; the local times only of a list that came just now (in a kept list they are stale).
std::vector<RemoteDevice> DevicesOf(const wire::AgentDeviceList& list) {
    std::vector<RemoteDevice> out;
    for (const auto& d : list.items) {
        RemoteDevice r;
        r.id = d.id;
        r.name = d.name;
        r.ip = d.ip;
        r.port = static_cast<std::uint16_t>(d.port);
        r.comm_key = ParseCommKey(d.comm_key);
        r.local_time = d.local_time;
        r.listed_at = std::chrono::steady_clock::now();
        out.push_back(std::move(r));
    }
    return out;
}

/// Keeps the list in the spool directory when it changed (without the local times, which always do).
void KeepDeviceList(const AgentConfig& config, wire::AgentDeviceList list) {
    for (auto& d : list.items) {
        d.local_time.reset();
    }
    const auto text = json::serialize(json::value_from(list));
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
        ROLLCALL_TRY(auto list, DecodeDeviceList(*doc));
        auto devices = DevicesOf(list);
        KeepDeviceList(config, std::move(list));
        return devices;
    }
    if (!doc.error().retryable) {
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
    ROLLCALL_TRY(const auto list, DecodeDeviceList(kept));
    const auto devices = DevicesOf(list);
    spdlog::warn("cannot get the device list ({}); reading the {} device(s) of the last list, kept in {}",
                 doc.error().message,
                 devices.size(),
                 config.spool);
    return devices;
}

std::int64_t UnixNow() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

/// What the server refused for good (R3): those records are acknowledged like the rest, so say which.
void LogRejects(std::int64_t device_id, const json::value& answer) {
    const auto report = wire::Decode<wire::IngestReport>(answer);
    if (report && !report->rejected.empty()) {
        spdlog::warn("device {}: the server refused {} of {} records (record {}: {})",
                     device_id,
                     report->rejected.size(),
                     report->received,
                     report->rejected.front().index,
                     report->rejected.front().reason);
    }
}

/// Uploads the pending records in batches; each batch is acknowledged in the spool only after the server
/// answered 200 for it (it stores them idempotently, so a batch re-sent after a lost answer is harmless).
core::Status Upload(ServerApi& api,
                    const AgentConfig& config,
                    Spool& spool,
                    std::int64_t device_id,
                    const std::optional<std::int64_t>& read_at,
                    DeviceSyncReport& report) {
    auto pending = spool.Pending();
    std::size_t offset = 0;
    do {
        const auto end = std::min(pending.size(), offset + config.upload_batch);
        wire::AgentUpload upload;
        for (std::size_t i = offset; i < end; ++i) {
            const auto& r = pending[i];
            upload.batch.logs.push_back(
                wire::PunchRecord{r.user_id, core::FormatLocalDateTime(r.timestamp), r.status, r.verify});
        }
        // Only the last batch says when the device was read: until all of it is stored, the server must not
        // take the device as heard from (R16 would finalize absences of children still in the spool).
        if (end == pending.size()) {
            upload.read_at = read_at;
        }
        const auto text = json::serialize(json::value_from(upload));
        auto wait = config.retry_base;
        core::Result<json::value> answer = MakeError(Errc::kUnavailable, "not sent");
        for (int attempt = 1; attempt <= config.upload_attempts && !api.stopping(); ++attempt) {
            answer = api.Call("POST", "/api/v1/agent/devices/" + std::to_string(device_id) + "/logs", text);
            if (answer || !answer.error().retryable) {
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
        ROLLCALL_CHECK(answer);
        ROLLCALL_CHECK(spool.Acknowledge(end - offset));
        LogRejects(device_id, *answer);
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
               wire::DeviceStatusReport& status) {
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
    status.device_time = now;
}

/// What the device status says about a failed exchange with a terminal. A protocol error (a wrong checksum over UDP,
/// a packet out of place) is said so, and the terminal counts as reachable: it answered. Only silence, a refused or
/// lost connection and a wrong comm key leave it unreachable.
void ReportZkError(DeviceSyncReport& report, const core::Error& error) {
    if (IsProtocolError(error)) {
        report.reachable = true;
        report.error = "protocol error: " + error.message;
    } else {
        report.error = error.message;
    }
}

/// Adds a warning or an error to what the report says already.
void AddNote(DeviceSyncReport& report, const std::string& note) {
    report.error += (report.error.empty() ? "" : "; ") + note;
}

/// Reads the terminal's log over an open connection, spools what is new and reports its info into `status`. The
/// read is certified (`read_at`, and later `read_through`) only when it is complete: when the terminal sent at least
/// as many records as it counts. A terminal that sends fewer still has every record it sent uploaded, but its
/// absences stay provisional (R16) and the shortfall is the device's error.
void ReadIntoSpool(ZkClient& client,
                   const AgentConfig& config,
                   const RemoteDevice& device,
                   Spool& spool,
                   DeviceSyncReport& report,
                   wire::DeviceStatusReport& status,
                   std::optional<std::int64_t>& read_at) {
    report.transport = client.transport();
    auto info = client.ReadInfo();
    if (!info) {
        ReportZkError(report, info.error());
        return;
    }
    std::optional<std::uint32_t> expected;
    if (info->sizes) {
        expected = info->sizes->records;
    }
    std::size_t skipped = 0;
    const auto started = UnixNow();
    // Safe clear (off by default): above the capacity threshold, and only once the server acknowledged
    // every record read, all while the terminal is still disabled.
    ZkClient::ClearIf clear_if;
    if (config.safe_clear_percent > 0 && info->sizes && info->sizes->record_capacity > 0 &&
        100.0 * info->sizes->records / info->sizes->record_capacity >= config.safe_clear_percent) {
        // Inside the disabled window only a check: every record read is spooled and acknowledged already
        // (a round that uploads them comes first), so the gate is blocked for milliseconds, not an upload.
        clear_if = [&](const std::vector<DevicePunch>& read, std::size_t corrupt) {
            std::vector<SpoolRecord> records;
            records.reserve(read.size());
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
        ReportZkError(report, punches.error());
        return;
    }
    report.reachable = true;
    report.log_read = true;
    report.read = punches->size();
    report.skipped = skipped;
    // The terminal's own count says how many records a complete read brings; records with a garbage time count
    // as brought. More is fine (a punch between the count and the read), fewer is a read to certify nothing by.
    const std::size_t received = punches->size() + skipped;
    report.complete = !expected || received >= *expected;
    if (!report.complete) {
        spdlog::error("device {}: the terminal counts {} records but sent {}; not reported as read",
                      device.id,
                      *expected,
                      received);
        AddNote(report,
                "incomplete read: the terminal counts " + std::to_string(*expected) + " records but sent " +
                    std::to_string(received) + "; its absences stay pending (R16)");
    }
    std::vector<SpoolRecord> records;
    records.reserve(punches->size());
    for (const auto& p : *punches) {
        records.push_back(SpoolRecord{p.user_id, p.time, p.state, p.verify});
    }
    // Spooled before anything else: from here on a crash or a dead server loses nothing.
    auto fresh = spool.Append(records);
    if (!fresh) {
        AddNote(report, fresh.error().message);
    } else {
        report.new_records = *fresh;
        if (report.complete) {
            read_at = started;
        }
    }
    status.serial = info->serial;
    status.firmware = info->firmware;
    if (info->sizes) {
        status.users = info->sizes->users;
        status.records = info->sizes->records;
        status.user_capacity = info->sizes->user_capacity;
        status.record_capacity = info->sizes->record_capacity;
    }
    status.device_time = info->device_time;
    SyncClock(client, config, device, *info, status);
    status.read_through = read_at;
    if (skipped > 0) {
        AddNote(report, std::to_string(skipped) + " records with an invalid timestamp were skipped");
    }
    if (const auto mismatches = client.checksum_mismatches(); mismatches > 0) {
        spdlog::warn("device {}: {} packets came with a wrong checksum; taken, since TCP checked them (ADR 0005)",
                     device.id,
                     mismatches);
        AddNote(report,
                std::to_string(mismatches) +
                    " packets had a wrong checksum (accepted over TCP; see the terminal's firmware)");
    }
}

/// Reads the terminal's user table after its log. Firmware that refuses it, or a table that cannot be read, costs
/// the names only: the punches were read before and go up as ever, and the note says why the names are missing.
std::optional<wire::TerminalUserUpload> ReadUserTable(ZkClient& client,
                                                      const RemoteDevice& device,
                                                      const wire::DeviceStatusReport& status,
                                                      DeviceSyncReport& report) {
    std::optional<std::uint32_t> expected;
    if (status.users && *status.users > 0) {
        expected = static_cast<std::uint32_t>(*status.users);
    }
    const auto started = UnixNow();
    auto users = client.ReadUsers(expected);
    if (!users) {
        spdlog::warn("device {}: its user table was not read ({}); its punches are read as before",
                     device.id,
                     users.error().message);
        AddNote(report, "user table not read: " + users.error().message);
        return std::nullopt;
    }
    std::size_t left_out = 0;
    auto table = UserTableOf(*users, started, left_out);
    if (left_out > 0) {
        spdlog::warn(
            "device {}: {} users of its table have no PIN, a PIN that is not text, or one used before; "
            "left out",
            device.id,
            left_out);
    }
    report.terminal_users = table.items.size();
    return table;
}

/// Uploads a terminal's user table unless it is the one uploaded last (`last_digest`, when the caller keeps one).
void UploadUserTable(ServerApi& api,
                     const AgentConfig& config,
                     std::int64_t device_id,
                     const wire::TerminalUserUpload& table,
                     std::string* last_digest,
                     DeviceSyncReport& report) {
    const auto digest = UserTableDigest(table);
    if (last_digest != nullptr && *last_digest == digest) {
        spdlog::debug("device {}: user table unchanged; not uploaded", device_id);
        return;
    }
    const auto text = json::serialize(json::value_from(table));
    auto wait = config.retry_base;
    core::Result<json::value> answer = MakeError(Errc::kUnavailable, "not sent");
    for (int attempt = 1; attempt <= config.upload_attempts && !api.stopping(); ++attempt) {
        answer = api.Call("PUT", "/api/v1/agent/devices/" + std::to_string(device_id) + "/users", text);
        if (answer || !answer.error().retryable) {
            break;
        }
        if (attempt < config.upload_attempts) {
            api.Pause(wait);
            wait = std::min<std::chrono::milliseconds>(wait * 2, std::chrono::minutes(5));
        }
    }
    if (!answer) {
        spdlog::warn("device {}: user table upload failed: {}", device_id, answer.error().message);
        AddNote(report, "user table upload: " + answer.error().message);
        return;
    }
    report.users_uploaded = true;
    if (last_digest != nullptr) {
        *last_digest = digest;
    }
    const auto saved = wire::Decode<wire::TerminalUserReport>(*answer);
    if (saved && !saved->rejected.empty()) {
        spdlog::warn("device {}: the server refused {} of {} users of its table (user {}: {})",
                     device_id,
                     saved->rejected.size(),
                     saved->received,
                     saved->rejected.front().index,
                     saved->rejected.front().reason);
    }
    spdlog::info("device {}: user table of {} users uploaded", device_id, table.items.size());
}

void UploadAndReport(ServerApi& api,
                     const AgentConfig& config,
                     Spool& spool,
                     std::int64_t device_id,
                     const std::optional<std::int64_t>& read_at,
                     const std::optional<wire::TerminalUserUpload>& users,
                     std::string* users_digest,
                     wire::DeviceStatusReport& status,
                     DeviceSyncReport& report) {
    if (!spool.Pending().empty()) {
        if (auto s = Upload(api, config, spool, device_id, read_at, report); !s) {
            report.error = "upload: " + s.error().message;
        }
    }
    if (users) {
        UploadUserTable(api, config, device_id, *users, users_digest, report);
    }
    report.pending = spool.Pending().size();
    if (report.pending > 0) {
        status.read_through.reset();  // the server hears the device was read only once it has the punches
    }
    status.reachable = report.reachable;
    status.last_error = report.error;
    if (auto s = api.Call("POST",
                          "/api/v1/agent/devices/" + std::to_string(device_id) + "/status",
                          json::serialize(json::value_from(status)));
        !s) {
        spdlog::warn("status for device {}: {}", device_id, s.error().message);
    }
}

void LogReport(const RemoteDevice& device, const DeviceSyncReport& report) {
    spdlog::info("device {} ({}): {}{} read {}, new {}, uploaded {}, pending {}{}{}",
                 device.id,
                 device.name,
                 report.reachable ? "reachable" : "UNREACHABLE",
                 report.transport.empty() ? "" : " over " + report.transport,
                 report.read,
                 report.new_records,
                 report.uploaded,
                 report.pending,
                 report.terminal_users ? ", terminal users " + std::to_string(*report.terminal_users) : "",
                 report.error.empty() ? "" : "; " + report.error);
}

/// One full sync of one device over `client` (connected, or the error of connecting): its log, then its user table.
/// `users_digest`, when the caller keeps one, is the user table uploaded last: an unchanged table is not sent again.
DeviceSyncReport SyncDevice(ServerApi& api,
                            const AgentConfig& config,
                            const RemoteDevice& device,
                            Spool& spool,
                            core::Result<std::unique_ptr<ZkClient>>& client,
                            std::string* users_digest = nullptr) {
    DeviceSyncReport report;
    report.device_id = device.id;
    report.name = device.name;
    wire::DeviceStatusReport status;
    std::optional<std::int64_t> read_at;
    std::optional<wire::TerminalUserUpload> users;
    if (!client) {
        ReportZkError(report, client.error());
    } else {
        ReadIntoSpool(**client, config, device, spool, report, status, read_at);
        if (report.log_read) {
            users = ReadUserTable(**client, device, status, report);
        }
    }
    UploadAndReport(api, config, spool, device.id, read_at, users, users_digest, status, report);
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
    /// True when the version changed.
    bool Update(const RemoteDevice& device) {
        std::lock_guard lock(mutex_);
        const bool changed = device.ip != device_.ip || device.port != device_.port ||
                             device.comm_key != device_.comm_key || device.name != device_.name;
        device_ = device;
        if (changed) {
            ++version_;
        }
        return changed;
    }
    /// Off the server's list (deleted, inactive or switched to push): the worker ends.
    void Unlist() { listed_ = false; }
    /// Listed again before the worker noticed: it carries on (or, if it was already ending, finishes and the
    /// round loop starts a new one).
    void Relist() { listed_ = true; }
    bool listed() const { return listed_; }

private:
    mutable std::mutex mutex_;
    RemoteDevice device_;
    std::atomic<std::uint64_t> version_{0};
    std::atomic<bool> listed_{true};
};

ZkOptions OptionsFor(const AgentConfig& config, const RemoteDevice& device) {
    return ZkOptions{device.ip, device.port, device.comm_key, config.device_timeout, true};
}

/// The long-running mode for one device, on a loop of its own: one connection that does a full read every
/// `interval` and, in between, listens for realtime attendance events so a punch reaches the server within
/// seconds. The full read is the safety net for any event missed while disconnected.
class DeviceWorker {
public:
    DeviceWorker(const AgentConfig& config, RemoteDevice device)
        : config_(config), slot_(std::move(device)), api_(config, loop_) {}

    void Start() {
        loop_.Start([this] { return Pass(); });
    }
    /// Ends the worker's waits at once; its read or exchange in flight ends within its timeout.
    void RequestStop() { loop_.RequestStop(); }
    /// The worker ended on its own (dropped from the list, or no spool): a new one takes the device if listed.
    bool finished() const { return loop_.finished(); }
    /// The server's latest word on the device: a changed one is reconnected at once, even from a backoff.
    void Update(const RemoteDevice& device) {
        if (slot_.Update(device)) {
            loop_.Wake();
        }
        slot_.Relist();
    }
    void Unlist() {
        slot_.Unlist();
        loop_.Wake();
    }

private:
    /// A full read, then realtime events until the next one is due: the next pass at once. Unreachable: the
    /// next try after a backoff that grows.
    std::optional<Clock::time_point> Pass() {
        const auto id = slot_.Get().id;
        if (!spool_) {
            auto spool = Spool::Open(config_.spool, id);
            if (!spool) {
                spdlog::error("device {}: {}", id, spool.error().message);
                return std::nullopt;
            }
            spool_.emplace(std::move(*spool));
        }
        if (!slot_.listed()) {
            spdlog::info("device {}: no longer on the server's list; not read any more", id);
            return std::nullopt;
        }
        const auto version = slot_.version();
        const auto device = slot_.Get();
        auto client = ZkClient::Connect(OptionsFor(config_, device));
        const auto report = SyncDevice(api_, config_, device, *spool_, client, &users_digest_);
        const auto next_full = Clock::now() + config_.interval;
        if (client && report.log_read) {
            backoff_ = std::chrono::seconds(1);
            if (auto s = (*client)->RegisterEvents(); !s) {
                spdlog::warn("device {}: realtime events refused ({}); full reads only", device.id, s.error().message);
            } else {
                Listen(**client, device, version, next_full, report.complete);
            }
            return Clock::now();
        }
        // Unreachable: try again soon, then less often (sooner when the server changed or dropped the device).
        const auto wait = std::min<Clock::duration>(backoff_, config_.interval);
        backoff_ = std::min<std::chrono::seconds>(backoff_ * 2, std::chrono::seconds(300));
        return Clock::now() + wait;
    }

    /// Spools and uploads each realtime punch until `until`, or sooner when the server changed the device or
    /// dropped it, or the agent stops. A live punch says the terminal is read through now only after a complete
    /// full read (`certify`): after an incomplete one, records the terminal did not send may be missing.
    void Listen(
        ZkClient& client, const RemoteDevice& device, std::uint64_t version, Clock::time_point until, bool certify) {
        const auto carry_on = [&] { return !loop_.stopping() && slot_.listed() && slot_.version() == version; };
        while (carry_on() && Clock::now() < until) {
            auto event = client.WaitEvent(std::chrono::milliseconds(500));
            if (!event) {
                if (event.error().code == Errc::kTimeout) {
                    continue;  // nobody punched in this half second
                }
                spdlog::warn("device {}: realtime connection lost: {}", device.id, event.error().message);
                return;
            }
            if (!*event) {
                continue;
            }
            const auto& p = **event;
            DeviceSyncReport live;
            live.device_id = device.id;
            if (auto fresh = spool_->Append({SpoolRecord{p.user_id, p.time, p.state, p.verify}}); fresh && *fresh > 0) {
                spdlog::info(
                    "device {}: live punch of user {} at {}", device.id, p.user_id, core::FormatLocalDateTime(p.time));
                const auto read_at = certify ? std::optional<std::int64_t>(UnixNow()) : std::nullopt;
                if (auto sent = Upload(api_, config_, *spool_, device.id, read_at, live); !sent) {
                    spdlog::warn(
                        "device {}: live upload failed ({}); the next round retries", device.id, sent.error().message);
                }
            }
        }
    }

    const AgentConfig& config_;
    DeviceSlot slot_;
    std::optional<Spool> spool_;  ///< opened by the first pass
    std::chrono::seconds backoff_{1};
    std::string users_digest_;  ///< the user table uploaded last: sent again only when it changed
    ServerApi api_;
    BackgroundLoop loop_;  ///< last: its thread is stopped and joined before the members its passes use go
};

/// The device workers of a running agent: changed by the round loop, told to stop by Agent::Stop.
struct Workers {
    std::mutex mu;
    std::map<std::int64_t, std::unique_ptr<DeviceWorker>> by_id;  ///< mu

    /// Every worker at once, so they wind down together.
    void RequestStop() {
        std::lock_guard lock(mu);
        for (auto& [id, worker] : by_id) {
            worker->RequestStop();
        }
    }
};

/// One round of the round loop: the device list, and a worker for each device on it. A device added on the
/// server gets a worker, a changed one is reconnected with its new address or comm key, a dropped one's worker
/// ends.
void UpdateWorkers(ServerApi& api, const AgentConfig& config, const BackgroundLoop& rounds, Workers& workers) {
    auto devices = ListDevices(api, config);
    std::lock_guard lock(workers.mu);
    if (!devices) {
        spdlog::error("sync: cannot get the device list: {}", devices.error().message);
        if (!devices.error().retryable) {
            // A 4xx (a revoked token): the school took this agent off; its workers stop too.
            for (auto& [id, worker] : workers.by_id) {
                worker->Unlist();
            }
        }
        return;
    }
    if (rounds.stopping()) {
        return;  // Agent::Stop told the workers already: none is started after that
    }
    std::set<std::int64_t> listed;
    for (const auto& device : *devices) {
        listed.insert(device.id);
        auto it = workers.by_id.find(device.id);
        if (it != workers.by_id.end() && !it->second->finished()) {
            it->second->Update(device);
            continue;
        }
        if (it != workers.by_id.end()) {  // ended after being dropped, and listed again: a fresh worker
            workers.by_id.erase(it);
        }
        auto worker = std::make_unique<DeviceWorker>(config, device);
        worker->Start();
        workers.by_id.emplace(device.id, std::move(worker));
    }
    for (auto& [id, worker] : workers.by_id) {
        if (!listed.contains(id)) {
            worker->Unlist();
        }
    }
}

}  // namespace

Agent::Agent(AgentConfig config) : config_(std::move(config)) {}

core::Result<std::vector<DeviceSyncReport>> Agent::SyncOnce() {
    BackgroundLoop never_stopped;  // --once ends when its round does
    ServerApi api(config_, never_stopped);
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

void Agent::Run() {
    Workers workers;
    {
        std::lock_guard lock(mu_);
        stop_workers_ = [&workers] { workers.RequestStop(); };
    }
    ServerApi api(config_, rounds_);
    rounds_.Run([&]() -> std::optional<Clock::time_point> {
        UpdateWorkers(api, config_, rounds_, workers);
        return Clock::now() + config_.interval;
    });
    {
        std::lock_guard lock(mu_);
        stop_workers_ = nullptr;
    }
    workers.RequestStop();
    workers.by_id.clear();  // each worker's loop joins its thread as it goes
}

void Agent::Stop() {
    // The round loop and every worker at once: a worker's retry wait does not sit out the round's HTTP exchange.
    rounds_.RequestStop();
    std::lock_guard lock(mu_);
    if (stop_workers_) {
        stop_workers_();
    }
}

}  // namespace rollcall::agent
