#pragma once

// The state of one simulated ZK terminal that every client session shares: its users and attendance log, clock,
// options, enabled flag and session ids. Pure: the sessions (zk_session.hpp) change it in answer to requests, the
// server (zk_server.hpp) owns the sockets and calls everything from one thread.

#include "core/civil_time.hpp"
#include "core/clock.hpp"
#include "protocol/zk/attendance_record.hpp"
#include "protocol/zk/free_sizes.hpp"
#include "protocol/zk/user_record.hpp"
#include "sim/split_mix.hpp"
#include "sim/zk_config.hpp"
#include "sim/zk_population.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rollcall::sim {

/// GET_VERSION answer of an F18 on firmware 6.60, the unit most captures come from.
inline constexpr std::string_view kFirmwareVersion = "Ver 6.60 Apr 28 2015";

class ZkDevice {
public:
    /// `clock` is the host clock read as the device's wall clock (UTC); it must outlive the device.
    ZkDevice(ZkDeviceConfig config, ZkPopulation population, const core::Clock& clock);

    const ZkDeviceConfig& config() const { return config_; }
    const std::vector<protocol::zk::User>& users() const { return users_; }
    const std::vector<protocol::zk::AttendanceRecord>& records() const { return records_; }

    /// The device clock: the host clock plus the drift fault, until SET_TIME replaces the offset.
    core::LocalDateTime Now() const;
    void SetTime(core::LocalDateTime now);

    bool enabled() const { return enabled_; }
    void SetEnabled(bool enabled) { enabled_ = enabled; }
    /// Whether someone at the reader gets a punch: not while disabled ("Working..."), unless the fault says so.
    bool AcceptsPunches() const { return enabled_ || config_.faults.ignore_disable; }

    /// OPTIONS_RRQ: the value of a known option, std::nullopt for an unknown name (the device answers ACK_ERROR).
    std::optional<std::string> Option(std::string_view name) const;
    void SetOption(const std::string& name, const std::string& value);

    /// GET_FREE_SIZES: counts of what the datasets hold, so clients that divide dataset length by count get the
    /// record size right (§10 item 6).
    protocol::zk::FreeSizes Sizes() const;

    void ClearRecords() { records_.clear(); }
    void ClearUsers() { users_.clear(); }
    /// CLEAR_ADMIN: every user becomes an ordinary user.
    void ClearAdmins();
    /// USER_WRQ: replaces the user with the same uid, or adds it.
    void PutUser(protocol::zk::User user);
    /// DELETE_USER: false when no user has that uid.
    bool DeleteUser(std::uint16_t uid);

    /// A fresh non-zero session id for CONNECT.
    std::uint16_t NewSessionId();

    /// Someone punches at the reader: a user picked from the seed, stamped with the device clock (one second after
    /// the last record at the earliest, so (user, time) stays unique) and appended to the log. std::nullopt when
    /// there are no users, punches are not accepted, or the clock is outside what the device can store.
    std::optional<protocol::zk::AttendanceRecord> AddLivePunch();

private:
    ZkDeviceConfig config_;
    std::vector<protocol::zk::User> users_;
    std::vector<protocol::zk::AttendanceRecord> records_;
    const core::Clock& clock_;
    std::int64_t clock_offset_seconds_;
    bool enabled_ = true;
    std::map<std::string, std::string, std::less<>> options_;
    std::uint16_t next_session_id_;
    SplitMix64 live_rng_;
    std::map<std::uint16_t, std::uint32_t> live_punches_by_uid_;
    std::optional<core::LocalDateTime> last_punch_time_;
};

}  // namespace rollcall::sim
