#include "service/devices.hpp"

#include "service/audit.hpp"
#include "service/time_zone.hpp"
#include "service/validation.hpp"

#include <algorithm>

namespace rollcall::service {
namespace {

using core::Errc;
using core::MakeError;
using domain::AuditAction;

core::Status ValidateDevice(const storage::Device& d) {
    ROLLCALL_CHECK(CheckText(d.name, "name", true, kMaxNameLength));
    if (d.port < 1 || d.port > 65535) {
        return MakeError(Errc::kInvalidArgument, "port: must be between 1 and 65535");
    }
    if (!d.timezone.empty() && !IsKnownTimeZone(d.timezone)) {
        return MakeError(Errc::kInvalidArgument, "timezone: not an IANA time zone (leave empty for the school's)");
    }
    for (const auto& [value, field] : {std::pair{&d.ip, "ip"}, {&d.serial, "serial"}, {&d.comm_key, "comm_key"}}) {
        ROLLCALL_CHECK(CheckText(*value, field, false, 64));
    }
    return {};
}

void ApplyPatch(storage::Device& d, const DevicePatch& patch) {
    SetIfGiven(d.name, patch.name);
    SetIfGiven(d.sync_mode, patch.sync_mode);
    SetIfGiven(d.direction, patch.direction);
    SetIfGiven(d.status, patch.status);
    SetIfGiven(d.ip, patch.ip);
    if (patch.port) {
        d.port = static_cast<std::int32_t>(std::clamp<std::int64_t>(*patch.port, 0, 70000));
    }
    SetIfGiven(d.serial, patch.serial);
    SetIfGiven(d.comm_key, patch.comm_key);
    SetIfGiven(d.timezone, patch.timezone);
}

std::optional<storage::DeviceStatus> StatusOf(const std::vector<storage::DeviceStatus>& statuses,
                                              std::int64_t device_id) {
    const auto it =
        std::find_if(statuses.begin(), statuses.end(), [&](const auto& s) { return s.device_id == device_id; });
    return it != statuses.end() ? std::optional(*it) : std::nullopt;
}

}  // namespace

Devices::Devices(storage::Store& store, const auth::Crypto& crypto, const core::Clock& clock)
    : store_(store), crypto_(crypto), clock_(clock) {}

core::Result<DeviceWithToken> Devices::CreateDevice(const Principal& by,
                                                    std::int64_t school_id,
                                                    const DevicePatch& input) {
    ROLLCALL_CHECK(store_.GetSchool(school_id));
    storage::Device d;
    d.school_id = school_id;
    ApplyPatch(d, input);
    ROLLCALL_CHECK(ValidateDevice(d));
    DeviceWithToken out;
    out.api_token = auth::Crypto::NewToken(auth::kDeviceTokenPrefix);
    d.token_hash = crypto_.HashToken(out.api_token);
    d.token_encrypted = crypto_.Encrypt(out.api_token);
    d.created_at = clock_.NowUnix();
    auto audit = AuditOf(by, school_id, d.created_at, AuditAction::kCreate, "device");
    audit.new_value = DeviceAuditJson(d);
    ROLLCALL_TRY(out.device, store_.CreateDevice(d, audit));
    return out;
}

core::Result<storage::Device> Devices::UpdateDevice(const Principal& by,
                                                    std::int64_t school_id,
                                                    std::int64_t id,
                                                    const DevicePatch& patch) {
    ROLLCALL_TRY(auto d, store_.GetDevice(school_id, id));
    auto audit = AuditOf(by, school_id, clock_.NowUnix(), AuditAction::kUpdate, "device");
    audit.old_value = DeviceAuditJson(d);
    ApplyPatch(d, patch);
    ROLLCALL_CHECK(ValidateDevice(d));
    audit.new_value = DeviceAuditJson(d);
    // R18: a change of direction or zone marks the device's punch days in the same transaction (the store
    // does); its status decides which devices are waited for (R16), which the sweep re-marks days for.
    return store_.UpdateDevice(d, audit);
}

core::Status Devices::DeleteDevice(const Principal& by, std::int64_t school_id, std::int64_t id) {
    ROLLCALL_TRY(const auto device, store_.GetDevice(school_id, id));
    ROLLCALL_CHECK(store_.MarkDirtyWherePunches(school_id, id, std::nullopt, std::nullopt));
    auto audit = AuditOf(by, school_id, clock_.NowUnix(), AuditAction::kDelete, "device");
    audit.old_value = DeviceAuditJson(device);
    return store_.DeleteDevice(school_id, id, audit);
}

core::Result<std::string> Devices::DeviceToken(std::int64_t school_id, std::int64_t id) {
    ROLLCALL_TRY(const auto d, store_.GetDevice(school_id, id));
    return crypto_.Decrypt(d.token_encrypted);
}

core::Result<std::string> Devices::RotateDeviceToken(const Principal& by, std::int64_t school_id, std::int64_t id) {
    ROLLCALL_TRY(auto d, store_.GetDevice(school_id, id));
    std::string token = auth::Crypto::NewToken(auth::kDeviceTokenPrefix);
    d.token_hash = crypto_.HashToken(token);
    d.token_encrypted = crypto_.Encrypt(token);
    auto audit = AuditOf(by, school_id, clock_.NowUnix(), AuditAction::kRotateToken, "device");
    audit.reason = "the old token stops working";
    ROLLCALL_CHECK(store_.UpdateDevice(d, audit));
    return token;
}

core::Result<storage::Device> Devices::AuthenticatePushDevice(std::string_view token) {
    if (token.empty()) {
        return MakeError(Errc::kUnauthorized, "missing device token: send Authorization: Bearer <device token>");
    }
    const auto unknown = MakeError(Errc::kUnauthorized,
                                   "unknown device token: copy the token from the device page (it may have been "
                                   "rotated)");
    const auto hash = crypto_.HashToken(token);
    auto device = store_.FindDeviceByTokenHash(hash);
    if (!device) {
        return device.error().code == Errc::kNotFound ? unknown : device.error();
    }
    if (!auth::ConstantTimeEqual(device->token_hash, hash)) {
        return unknown;
    }
    if (device->status != domain::ActiveStatus::kActive) {
        return MakeError(Errc::kForbidden, "device is inactive: an admin must set it active");
    }
    if (device->sync_mode != domain::SyncMode::kPush) {
        return MakeError(Errc::kForbidden, "device sync mode is not push: set sync_mode to push or use the agent");
    }
    return device;
}

core::Result<std::vector<DeviceView>> Devices::ListDevices(std::int64_t school_id) {
    ROLLCALL_TRY(auto devices, store_.ListDevices(school_id));
    ROLLCALL_TRY(const auto statuses, store_.ListDeviceStatuses(school_id));
    std::vector<DeviceView> out;
    out.reserve(devices.size());
    for (auto& d : devices) {
        auto status = StatusOf(statuses, d.id);
        out.push_back(DeviceView{std::move(d), std::move(status)});
    }
    return out;
}

core::Result<DeviceView> Devices::GetDevice(std::int64_t school_id, std::int64_t id) {
    ROLLCALL_TRY(auto device, store_.GetDevice(school_id, id));
    ROLLCALL_TRY(const auto statuses, store_.ListDeviceStatuses(school_id));
    return DeviceView{std::move(device), StatusOf(statuses, id)};
}

core::Result<std::vector<storage::DeviceUser>> Devices::DeviceUsers(std::int64_t school_id, std::int64_t id) {
    ROLLCALL_CHECK(store_.GetDevice(school_id, id));
    return store_.ListDeviceUsers(school_id, id);
}

core::Result<std::vector<storage::StoredPunch>> Devices::DevicePunches(std::int64_t school_id,
                                                                       std::int64_t id,
                                                                       std::int64_t limit) {
    ROLLCALL_CHECK(store_.GetDevice(school_id, id));
    return store_.ListDevicePunches(school_id, id, limit);
}

}  // namespace rollcall::service
