#pragma once

// What a session asks the server to do in answer to one request. Timing is part of the protocol for the
// JavaScript clients (§10 item 8: which packets share one TCP write, and the pause after a transfer), so the pure
// session decides it and the server only carries it out, in order.

#include "protocol/zk/packet.hpp"

#include <chrono>
#include <variant>
#include <vector>

namespace rollcall::sim {

/// TCP: the packets' frames in one write. UDP: one datagram per packet, back to back.
struct SendPackets {
    std::vector<protocol::zk::Packet> packets;
};

/// Nothing is sent, and no later request is answered, for this long.
struct Pause {
    std::chrono::milliseconds duration{0};
};

/// Nothing more is sent until the client has read everything sent so far (a client on this host, whose socket
/// the kernel shows), for at most a few seconds; when that cannot be seen, for `fallback`.
struct AwaitClient {
    std::chrono::milliseconds fallback{0};
};

/// After the steps before it: TCP closes the connection, UDP forgets the peer's session.
struct CloseSession {};

using Step = std::variant<SendPackets, Pause, AwaitClient, CloseSession>;
using Steps = std::vector<Step>;

}  // namespace rollcall::sim
