#pragma once

// The simulator speaks one protocol, so its sources and tests call the protocol's namespace, its command
// table and its two basic types by the same short names, declared here once.

#include "protocol/zk/bytes.hpp"
#include "protocol/zk/commands.hpp"
#include "protocol/zk/packet.hpp"

namespace rollcall::sim {

namespace zk = protocol::zk;
namespace cmd = zk::cmd;
using zk::Bytes;
using zk::Packet;

}  // namespace rollcall::sim
