#pragma once

#include "core/background_loop.hpp"
#include "core/result.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace rollcall::agent {

struct AgentConfig {
    std::string server;  ///< "https://rollcall.example.org" (no trailing slash needed)
    std::string token;   ///< the school's agent token (rca_...)
    std::string spool = "./spool";
    std::string ca_file;  ///< extra trusted CAs (PEM) for an https server with a private certificate (not on Windows)
    std::size_t upload_batch = 500;
    std::chrono::milliseconds device_timeout{5000};
    std::chrono::milliseconds http_timeout{15000};
    int upload_attempts = 6;                     ///< per batch and round, with exponential backoff
    std::chrono::milliseconds retry_base{1000};  ///< the first wait after a failed upload
    std::chrono::seconds interval{60};           ///< between full rounds (not with --once)
    double safe_clear_percent = 0;               ///< clear a terminal's log above this share of its capacity; 0: never
    std::int64_t clock_sync_threshold_seconds = 0;  ///< set a terminal's clock when it is off by more; 0: never
};

/// What one device's sync did.
struct DeviceSyncReport {
    std::int64_t device_id = 0;
    std::string name;
    bool reachable = false;  ///< the terminal answered, also when what it said was a protocol error
    bool log_read = false;   ///< its log came, whole or short
    /// ... and held at least as many records as the terminal counts (or it does not count them): only a complete
    /// read tells the server the terminal was read through, which lets absences become final (R16).
    bool complete = false;
    std::string transport;
    std::size_t read = 0;                       ///< records in the terminal's log
    std::size_t new_records = 0;                ///< not in the spool before
    std::size_t skipped = 0;                    ///< records with a garbage timestamp
    std::size_t uploaded = 0;                   ///< acknowledged by the server this round
    std::size_t pending = 0;                    ///< still waiting for the server after this round
    bool cleared = false;                       ///< the terminal's log was cleared (safe clear)
    std::optional<std::size_t> terminal_users;  ///< users of the terminal's user table, when it was read
    bool users_uploaded = false;                ///< the server took the user table this round (not sent when unchanged)
    std::string error;  ///< the device's or the upload's last error (or warnings, "; "-separated)
};

/// The sync agent (docs/agent.md): asks the server which devices to read, reads each over the ZK protocol,
/// spools what it read, uploads it and reports the device's health.
class Agent {
public:
    explicit Agent(AgentConfig config);

    /// One full sync of every device. Fails only when the server cannot be asked for the device list;
    /// per-device problems are in the reports.
    core::Result<std::vector<DeviceSyncReport>> SyncOnce();
    /// Rounds every `interval`, one worker per device, until Stop.
    void Run();
    /// Ends Run, from any thread (a signal's, the Windows service's; not a signal handler): every wait ends at
    /// once, a terminal read or an HTTP exchange in flight within its timeout. Also before Run starts.
    void Stop();

private:
    AgentConfig config_;
    core::BackgroundLoop rounds_;
    std::mutex mu_;
    std::function<void()> stop_workers_;  ///< while Run runs: tells its device workers to stop (mu_)
};

}  // namespace rollcall::agent
