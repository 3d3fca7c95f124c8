#pragma once

#include "agent/zk_transport.hpp"
#include "core/civil_time.hpp"
#include "core/result.hpp"
#include "protocol/zk/attendance_record.hpp"
#include "protocol/zk/free_sizes.hpp"
#include "protocol/zk/transfer.hpp"
#include "protocol/zk/user_record.hpp"

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace rollcall::agent {

struct ZkOptions {
    std::string host;
    std::uint16_t port = 4370;
    std::uint32_t comm_key = 0;
    std::chrono::milliseconds timeout{5000};
    bool allow_udp = true;  ///< fall back to UDP when TCP is refused or silent
};

struct DeviceInfo {
    std::string serial;
    std::string firmware;
    std::optional<zk::FreeSizes> sizes;  ///< none when the firmware does not report counts
    std::optional<core::LocalDateTime> device_time;
};

/// A punch as read from the terminal.
struct DevicePunch {
    std::string user_id;
    core::LocalDateTime time;
    std::uint8_t state = 0;
    std::uint8_t verify = 0;
};

/// Whether a failed exchange with a terminal is a protocol error: it answered, with something the protocol does not
/// allow (a wrong checksum over UDP, a packet out of place, a record size nothing divides). Silence, a refused or
/// lost connection and a wrong comm key are not.
bool IsProtocolError(const core::Error& error);

/// The agent's side of the ZK protocol (docs/zk-protocol.md): connect over TCP, else UDP; authenticate with
/// the comm key; read info, counts and the attendance log (1503/1504 chunks, or the legacy direct read on
/// firmware without them). Wrong comm keys, timeouts and refusals come back as errors that say which.
class ZkClient {
public:
    static core::Result<std::unique_ptr<ZkClient>> Connect(const ZkOptions& options);
    ~ZkClient();

    std::string transport() const { return transport_->Name(); }
    /// Packets taken although their checksum was wrong (TCP only, ADR 0005): the agent warns about them.
    std::uint64_t checksum_mismatches() const { return transport_->checksum_mismatches(); }
    core::Result<DeviceInfo> ReadInfo();
    /// The whole attendance log, read inside a disable/enable bracket whose enable runs on every path
    /// (a terminal left disabled stops taking punches at the gate). Records with a garbage timestamp are
    /// counted in `skipped`, never returned.
    /// Runs while the terminal is still disabled after a read; true asks for the log to be cleared.
    using ClearIf = std::function<bool(const std::vector<DevicePunch>& punches, std::size_t skipped)>;
    /// With `clear_if`: when it returns true the log is cleared before the enable, and only if the terminal
    /// still holds exactly the records read (nothing punched in between); `cleared` says whether it was.
    core::Result<std::vector<DevicePunch>> ReadAttendance(std::optional<std::uint32_t> expected_count,
                                                          std::size_t& skipped,
                                                          const ClearIf& clear_if = {},
                                                          bool* cleared = nullptr);
    /// The terminal's user table (ID, name, card, privilege; §7.5-§7.7), read without disabling the terminal (the
    /// read takes no punch away, and the gate keeps working). `expected_count` is GET_FREE_SIZES' user count, which
    /// tells the record layouts apart. Names and PINs come as the terminal stores them (bytes of its code page).
    /// Firmware that refuses it answers an error that says so.
    core::Result<std::vector<zk::User>> ReadUsers(std::optional<std::uint32_t> expected_count);
    core::Status SetTime(core::LocalDateTime time);
    /// Asks for realtime attendance events on this connection.
    core::Status RegisterEvents();
    /// The next realtime attendance punch; std::nullopt for another kind of packet; kTimeout when nothing came
    /// within `timeout` (any other error means the connection is lost).
    core::Result<std::optional<DevicePunch>> WaitEvent(std::chrono::milliseconds timeout);
    core::Status ClearAttendance();
    /// EXIT; also done by the destructor.
    void Disconnect();

private:
    ZkClient(std::unique_ptr<ZkTransport> transport, ZkOptions options);
    core::Status Handshake();
    /// Sends one command and returns the device's answer to it (same reply id); stray packets (events, a
    /// late ACK_OK of an earlier transfer) are skipped.
    core::Result<zk::Packet> Command(std::uint16_t command, zk::Bytes data = {});
    core::Result<zk::Packet> ReceiveFor(std::uint16_t reply_id);
    core::Result<zk::Bytes> ReadDataset(zk::Dataset which);
    core::Result<std::string> Option(const std::string& name);

    std::unique_ptr<ZkTransport> transport_;
    ZkOptions options_;
    std::uint16_t session_id_ = 0;
    std::uint16_t reply_id_ = 0;
    bool connected_ = false;
};

}  // namespace rollcall::agent
