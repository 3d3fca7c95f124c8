#pragma once

// A terminal's user table as the agent uploads it (docs/api.md "Agent side", docs/agent.md): the users the ZK
// protocol read (§7.5-§7.7), with their names made UTF-8 whatever code page the terminal keeps them in.

#include "protocol/zk/user_record.hpp"
#include "wire/agent_api.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace rollcall::agent {

/// The upload of `users`, read at `read_at` (Unix seconds). Names become UTF-8 (core::DeviceTextToUtf8: UTF-8 as it
/// is, a character cut off by the name field dropped, else Windows-1252) with the spaces around them trimmed. A user
/// without a PIN, or whose PIN is not UTF-8 text (its punches could not be uploaded either), is left out and counted
/// in `left_out`; so is a second user with the same PIN.
wire::TerminalUserUpload UserTableOf(const std::vector<protocol::zk::User>& users,
                                     std::optional<std::int64_t> read_at,
                                     std::size_t& left_out);

/// What identifies the table's content (its users, not when it was read): an agent uploads a table only when this
/// changed since its last upload.
std::string UserTableDigest(const wire::TerminalUserUpload& table);

}  // namespace rollcall::agent
