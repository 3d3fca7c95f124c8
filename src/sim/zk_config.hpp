#pragma once

// What a simulated ZK terminal is (identity, record layouts, pacing) and which misbehaviours of real terminals it
// reproduces (docs/zk-protocol.md §10). Plain data: the command line fills it, the tests build it directly.

#include "protocol/zk/attendance_record.hpp"
#include "protocol/zk/realtime.hpp"
#include "protocol/zk/user_record.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace rollcall::sim {

enum class Transport { kTcp, kUdp };

/// Faults of §10 item 15. Every one is off by default.
struct ZkFaults {
    /// Delay before the answer to 1503: a real unit needs seconds to build a multi-MB buffer (pyzk#7).
    std::chrono::milliseconds slow_buffer{0};
    /// ACK_ERROR to 1503, as old firmware does ("RWB Not supported"): the client must use the legacy read.
    bool no_buffered_read = false;
    /// Answer 1503 with the whole dataset in one CMD_DATA when it fits 1016 bytes (§6.3 "direct" form).
    bool direct_small_datasets = false;
    /// GET_FREE_SIZES answered with a single u32 0, as WL20 units do (counts unknown, pyzk#76).
    bool short_free_sizes = false;
    /// When non-zero, the trailing ACK_OK of a transfer is written on its own this long after the data
    /// (js_zklib#53 shows it arriving after the client's next request).
    std::chrono::milliseconds late_ack{0};
    /// When non-zero, every Nth DATA datagram of UDP transfers is not sent (counted per session).
    std::uint32_t drop_udp_every = 0;
    /// Punches keep coming while the device is disabled (pyzk#243: some firmware ignores DISABLEDEVICE).
    bool ignore_disable = false;
    /// A new TCP client resets the connections already open (node-zklib#43: "another device is connecting").
    bool reset_on_second_client = false;
    /// The device clock starts this many seconds off the host clock, so an agent has something to correct.
    std::int64_t clock_drift_seconds = 0;
    /// Downloads of the attendance log leave out its last N records while GET_FREE_SIZES still counts them all:
    /// a terminal that says it holds 100 records and sends fewer. An agent must not take such a read as complete.
    std::uint32_t withhold_records = 0;
    /// A legacy read (§6.6) is answered with one bare CMD_DATA holding the whole dataset, without PREPARE_DATA or
    /// ACK_OK, as old firmware does: over TCP in one frame whatever its size, over UDP when it fits one datagram.
    bool legacy_bare_data = false;
    /// A legacy read over TCP sends the whole dataset in one DATA frame, over 64 KiB for a large log (§1.3).
    bool legacy_one_frame = false;
    /// Every packet the terminal sends has a wrong checksum, as from firmware that computes it another way (§1.4).
    bool bad_checksums = false;
    /// The user table cannot be read: ACK_ERROR to 1503 and to the legacy read when they ask for users, as from
    /// firmware that serves the attendance log only. The agent must carry on with the punches.
    bool refuse_user_read = false;
};

/// Output pacing. Clients read TCP one packet per read and UDP through a default-sized socket buffer, so the
/// device must leave them time (§10 items 8 and 9). A client on the same host is waited for until it has read
/// what was sent; the pauses here are what the device waits instead when it cannot see the client's socket.
struct ZkPacing {
    /// After PREPARE_DATA on TCP, so the client reads it on its own: a 64 KB read that caught PREPARE_DATA, DATA and
    /// ACK_OK together would leave node-zklib waiting for a read that never comes.
    std::chrono::milliseconds tcp_prepare_pause{10};
    /// After each answer to 1504 and to a legacy read, before the next request's answer.
    std::chrono::milliseconds tcp_transfer_pause{20};
    /// DATA datagrams sent back to back before the client is waited for.
    std::uint32_t udp_burst = 4;
    std::chrono::milliseconds udp_burst_pause{2};
    /// Added to the pause after a burst for every MiB of the dataset sent before it.
    std::chrono::milliseconds udp_slowdown_per_mib{32};
};

struct ZkDeviceConfig {
    std::string serial_number = "RCSIM00000001";
    /// The communication password; 0 means none (CONNECT is answered ACK_OK).
    std::uint32_t comm_key = 0;
    /// Record layouts; unset means what node-zklib hard-codes per transport: TCP 40/72, UDP 16/28 (§10 item 14).
    std::optional<protocol::zk::AttendanceFormat> attendance_format;
    std::optional<protocol::zk::UserFormat> user_format;
    /// Realtime attendance event payload; unset means 32 bytes, or 10 when the session serves 16-byte records.
    std::optional<protocol::zk::AttendanceEventLayout> event_layout;
    ZkPacing pacing;
    ZkFaults faults;
    /// Seeds the choice of who punches live and the first session id.
    std::uint64_t seed = 1;
};

/// The layouts a session on `transport` serves.
protocol::zk::AttendanceFormat AttendanceFormatFor(const ZkDeviceConfig& config, Transport transport);
protocol::zk::UserFormat UserFormatFor(const ZkDeviceConfig& config, Transport transport);
protocol::zk::AttendanceEventLayout EventLayoutFor(const ZkDeviceConfig& config, Transport transport);

}  // namespace rollcall::sim
