#pragma once

#include "core/civil_time.hpp"
#include "core/result.hpp"

#include <cstdint>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace rollcall::agent {

/// A punch kept in the spool, as it is uploaded (a push-log record, docs/api.md "Device side").
struct SpoolRecord {
    std::string user_id;
    core::LocalDateTime timestamp;
    int status = 0;
    int verify = 0;
    friend bool operator==(const SpoolRecord&, const SpoolRecord&) = default;
};

/// The agent's durable local copy of what it read from one device, written before anything is uploaded so
/// a crash, a dead server or a cleared terminal loses nothing. Two files per device in the spool directory:
/// `device-<id>.jsonl`, every record ever read, appended and fsynced; `device-<id>.ack`, how many of them
/// (in file order) the server has acknowledged, replaced atomically. A record is appended once (the
/// terminal's log is read in full each time); a torn last line from a crash is dropped on open.
class Spool {
public:
    static core::Result<Spool> Open(const std::string& directory, std::int64_t device_id);

    /// Appends the records not spooled before; returns how many were new.
    core::Result<std::size_t> Append(const std::vector<SpoolRecord>& records);
    /// The records the server has not acknowledged yet, oldest first.
    std::vector<SpoolRecord> Pending() const;
    /// The first `count` pending records were acknowledged by the server.
    core::Status Acknowledge(std::size_t count);

    std::size_t size() const { return records_.size(); }
    std::size_t acknowledged() const { return acknowledged_; }

private:
    Spool(std::string log_path, std::string ack_path)
        : log_path_(std::move(log_path)), ack_path_(std::move(ack_path)) {}

    std::string log_path_;
    std::string ack_path_;
    std::vector<SpoolRecord> records_;
    std::set<std::pair<std::string, std::int64_t>> seen_;
    std::size_t acknowledged_ = 0;
};

std::string SpoolLine(const SpoolRecord& record);

/// The device list the server last gave (its JSON), kept as `devices.json` in the spool directory so the agent
/// can go on reading its terminals into the spool while the server is unreachable, even after a restart.
core::Status SaveDeviceList(const std::string& directory, const std::string& json_text);
/// What SaveDeviceList kept; NotFound when nothing was kept yet.
core::Result<std::string> LoadDeviceList(const std::string& directory);

}  // namespace rollcall::agent
