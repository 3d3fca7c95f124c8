#pragma once

// Agent mode (docs/agent.md): a school's agent reads its TCP/IP terminals and uploads what it read. The agent
// authenticates with its school's agent token; everything it may touch belongs to that school.

#include "auth/crypto.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"
#include "service/principal.hpp"
#include "storage/store.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rollcall::service {

class Agents {
public:
    Agents(storage::Store& store, const auth::Crypto& crypto, const core::Clock& clock);

    /// A new agent token for a school (shown once; only its hash is kept).
    core::Result<std::pair<std::int64_t, std::string>> CreateAgentToken(const Principal& by,
                                                                        std::int64_t school_id);  ///< id, token
    core::Result<std::vector<storage::AgentToken>> ListAgentTokens(std::int64_t school_id);
    core::Status RevokeAgentToken(const Principal& by, std::int64_t school_id, std::int64_t id);
    /// The school an agent token belongs to: Unauthorized when missing, unknown or revoked.
    core::Result<std::int64_t> AuthenticateAgent(std::string_view token);
    /// The active agent-mode devices of the school, which its agent must read.
    core::Result<std::vector<storage::Device>> AgentDevices(std::int64_t school_id);
    /// A device the agent may upload for: NotFound outside the school, Forbidden when inactive or push mode.
    core::Result<storage::Device> AgentDevice(std::int64_t school_id, std::int64_t device_id);
    /// Stores the agent's report on a device; the clock drift is computed against the server's clock, and a
    /// read-through time counts as hearing from the device (R16).
    core::Result<storage::DeviceStatus> SaveAgentStatus(std::int64_t school_id, storage::DeviceStatus status);

private:
    /// Writes the serial the agent read into a device that had none, audited as the sync agent's change.
    core::Status FillSerial(storage::Device device, const std::string& serial, std::int64_t now);

    storage::Store& store_;
    const auth::Crypto& crypto_;
    const core::Clock& clock_;
};

}  // namespace rollcall::service
