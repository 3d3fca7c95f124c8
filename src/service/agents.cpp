#include "service/agents.hpp"

#include "service/audit.hpp"
#include "service/time_zone.hpp"
#include "service/validation.hpp"

namespace rollcall::service {

using core::Errc;
using core::MakeError;
using domain::AuditAction;

Agents::Agents(storage::Store& store, const auth::Crypto& crypto, const core::Clock& clock)
    : store_(store), crypto_(crypto), clock_(clock) {}

core::Result<std::pair<std::int64_t, std::string>> Agents::CreateAgentToken(const Principal& by,
                                                                            std::int64_t school_id) {
    ROLLCALL_TRY(auto school, store_.GetSchool(school_id));
    std::string token = auth::Crypto::NewToken(auth::kAgentTokenPrefix);
    const auto now = clock_.NowUnix();
    ROLLCALL_TRY(const auto id,
                 store_.CreateAgentToken(school.id,
                                         crypto_.HashToken(token),
                                         now,
                                         AuditOf(by, school.id, now, AuditAction::kCreate, "agent_token")));
    return std::pair{id, std::move(token)};
}

core::Result<std::vector<storage::AgentToken>> Agents::ListAgentTokens(std::int64_t school_id) {
    return store_.ListAgentTokens(school_id);
}

core::Status Agents::RevokeAgentToken(const Principal& by, std::int64_t school_id, std::int64_t id) {
    const auto now = clock_.NowUnix();
    return store_.RevokeAgentToken(
        school_id, id, now, AuditOf(by, school_id, now, AuditAction::kRevoke, "agent_token"));
}

core::Result<std::int64_t> Agents::AuthenticateAgent(std::string_view token) {
    if (token.empty()) {
        return MakeError(Errc::kUnauthorized, "missing agent token: send Authorization: Bearer <agent token>");
    }
    const auto unknown =
        MakeError(Errc::kUnauthorized, "unknown or revoked agent token: create one with `rollcall agent-token create`");
    const auto hash = crypto_.HashToken(token);
    auto found = store_.FindAgentTokenByHash(hash);
    if (!found) {
        return found.error().code == Errc::kNotFound ? unknown : found.error();
    }
    if (!auth::ConstantTimeEqual(found->token_hash, hash) || found->revoked_at) {
        return unknown;
    }
    ROLLCALL_TRY(const auto school, store_.GetSchool(found->school_id));
    if (school.status != domain::ActiveStatus::kActive) {
        return MakeError(Errc::kForbidden, "the agent's school is deactivated: a super admin must set it active");
    }
    return found->school_id;
}

core::Result<std::vector<storage::Device>> Agents::AgentDevices(std::int64_t school_id) {
    ROLLCALL_TRY(auto devices, store_.ListDevices(school_id));
    std::erase_if(devices, [](const auto& d) {
        return d.sync_mode != domain::SyncMode::kAgent || d.status != domain::ActiveStatus::kActive;
    });
    return devices;
}

core::Result<storage::Device> Agents::AgentDevice(std::int64_t school_id, std::int64_t device_id) {
    ROLLCALL_TRY(auto device, store_.GetDevice(school_id, device_id));
    if (device.status != domain::ActiveStatus::kActive) {
        return MakeError(Errc::kForbidden, "device is inactive: an admin must set it active");
    }
    if (device.sync_mode != domain::SyncMode::kAgent) {
        return MakeError(Errc::kForbidden, "device sync mode is not agent: it pushes by itself");
    }
    return device;
}

core::Status Agents::FillSerial(storage::Device device, const std::string& serial, std::int64_t now) {
    Principal agent;
    agent.email = "sync agent";
    auto audit = AuditOf(agent, device.school_id, now, AuditAction::kUpdate, "device");
    audit.old_value = DeviceAuditJson(device);
    device.serial = serial;
    audit.new_value = DeviceAuditJson(device);
    audit.reason = "serial number read from the terminal by the sync agent";
    Label(audit);
    ROLLCALL_CHECK(store_.UpdateDevice(device, audit));
    return {};
}

core::Result<storage::DeviceStatus> Agents::SaveAgentStatus(std::int64_t school_id, storage::DeviceStatus status) {
    ROLLCALL_TRY(const auto device, AgentDevice(school_id, status.device_id));
    ROLLCALL_TRY(const auto school, store_.GetSchool(school_id));
    const auto now = clock_.NowUnix();
    status.school_id = school_id;
    status.reported_at = now;
    status.clock_drift_seconds.reset();
    if (status.device_time) {
        // The device keeps wall-clock time in its zone (R5); the agent reports right after reading it.
        ROLLCALL_TRY(const auto local_now, ToLocal(device.timezone.empty() ? school.timezone : device.timezone, now));
        status.clock_drift_seconds = status.device_time->seconds - local_now.seconds;
    }
    if (status.read_through && *status.read_through > now) {
        status.read_through = now;  // an agent PC clock ahead of ours does not make a device look newer
    }
    if (!status.serial.empty() && status.serial != device.serial) {
        if (device.serial.empty() && status.serial.size() <= kMaxSerialLength) {
            ROLLCALL_CHECK(FillSerial(device, status.serial, now));
        } else if (!device.serial.empty()) {
            // The admin's serial stays; the difference is shown, since the address may now reach another terminal.
            status.last_error = (status.last_error.empty() ? "" : status.last_error + "; ") +
                                "the terminal at this address reports serial " + status.serial + ", not " +
                                device.serial + ": check the device's IP address";
        }
    }
    ROLLCALL_CHECK(store_.SaveDeviceStatus(status));
    if (status.reachable && status.read_through) {
        ROLLCALL_CHECK(store_.TouchDevice(device.id, *status.read_through));
    }
    return status;
}

}  // namespace rollcall::service
