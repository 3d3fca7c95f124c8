// Agent mode (product.md): a school's agent reads its TCP/IP terminals and uploads what it read. The agent
// authenticates with its school's agent token; everything it may touch belongs to that school.

#include "service/services.hpp"

namespace rollcall::service {
namespace {

using core::Errc;
using core::MakeError;

}  // namespace

core::Status Services::RevokeAgentToken(const Principal& by, std::int64_t school_id, std::int64_t id) {
    const auto now = clock_.NowUnix();
    return store_.RevokeAgentToken(school_id, id, now, AuditOf(by, school_id, now, "revoke", "agent_token"));
}

core::Result<std::int64_t> Services::AuthenticateAgent(std::string_view token) {
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
    return found->school_id;
}

core::Result<std::vector<storage::Device>> Services::AgentDevices(std::int64_t school_id) {
    ROLLCALL_TRY(auto devices, store_.ListDevices(school_id));
    std::erase_if(devices, [](const auto& d) { return d.sync_mode != "agent" || d.status != "active"; });
    return devices;
}

core::Result<storage::Device> Services::AgentDevice(std::int64_t school_id, std::int64_t device_id) {
    ROLLCALL_TRY(auto device, store_.GetDevice(school_id, device_id));
    if (device.status != "active") {
        return MakeError(Errc::kForbidden, "device is inactive: an admin must set it active");
    }
    if (device.sync_mode != "agent") {
        return MakeError(Errc::kForbidden, "device sync mode is not agent: it pushes by itself");
    }
    return device;
}

core::Result<storage::DeviceStatus> Services::SaveAgentStatus(std::int64_t school_id, storage::DeviceStatus status) {
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
    ROLLCALL_CHECK(store_.SaveDeviceStatus(status));
    if (status.reachable && status.read_through) {
        ROLLCALL_CHECK(store_.TouchDevice(device.id, *status.read_through));
    }
    return status;
}

}  // namespace rollcall::service
