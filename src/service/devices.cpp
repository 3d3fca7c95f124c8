#include "service/devices.hpp"

#include "core/text_encoding.hpp"
#include "service/audit.hpp"
#include "service/time_zone.hpp"
#include "service/validation.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <set>
#include <string_view>

#include <arpa/inet.h>

namespace rollcall::service {
namespace {

using core::Errc;
using core::MakeError;
using domain::AuditAction;

/// A host name of letters, digits and hyphens in dot-separated labels (RFC 1123), or an IPv4 or IPv6 address.
/// Four numbers that are no IPv4 address ("192.168.1.300") are refused, not looked up as a name.
bool IsHostOrAddress(const std::string& text) {
    if (text.empty() || text.size() > 253) {
        return false;
    }
    std::array<unsigned char, sizeof(in6_addr)> buf{};
    if (inet_pton(AF_INET, text.c_str(), buf.data()) == 1 || inet_pton(AF_INET6, text.c_str(), buf.data()) == 1) {
        return true;
    }
    bool all_numeric = true;
    std::size_t start = 0;
    while (start <= text.size()) {
        const auto dot = std::min(text.find('.', start), text.size());
        const std::string_view label(text.data() + start, dot - start);
        const bool good_chars = std::all_of(label.begin(), label.end(), [](char c) {
            return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-';
        });
        if (label.empty() || label.size() > 63 || !good_chars || label.front() == '-' || label.back() == '-') {
            return false;
        }
        all_numeric = all_numeric && std::all_of(label.begin(), label.end(), [](char c) {
                          return std::isdigit(static_cast<unsigned char>(c)) != 0;
                      });
        start = dot + 1;
    }
    return !all_numeric;
}

core::Status ValidateDevice(const storage::Device& d) {
    ROLLCALL_CHECK(CheckText(d.name, "name", true, kMaxNameLength));
    // The agent connects to ip:port; a push device's address is only for the admin's notes, but it must be an
    // address too when given.
    if (d.sync_mode == domain::SyncMode::kAgent && d.ip.empty()) {
        return MakeError(Errc::kInvalidArgument,
                         "ip: a device the sync agent reads needs the terminal's IP address or host name");
    }
    if (!d.ip.empty() && !IsHostOrAddress(d.ip)) {
        return MakeError(
            Errc::kInvalidArgument,
            "ip: '" + d.ip + "' is not an IP address or host name (e.g. 192.168.1.201 or gate1.school.lan)");
    }
    if (d.port < 1 || d.port > 65535) {
        return MakeError(Errc::kInvalidArgument, "port: must be between 1 and 65535");
    }
    if (!d.timezone.empty() && !IsKnownTimeZone(d.timezone)) {
        return MakeError(Errc::kInvalidArgument, "timezone: not an IANA time zone (leave empty for the school's)");
    }
    for (const auto& [value, field] : {std::pair{&d.ip, "ip"}, {&d.serial, "serial"}, {&d.comm_key, "comm_key"}}) {
        ROLLCALL_CHECK(CheckText(*value, field, false, kMaxSerialLength));
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

/// Conflict when another device of the school already has this name (case-insensitive): the register, the
/// reports and the ignored-punches list name devices, and two "Gate"s would make them ambiguous.
core::Status CheckUniqueName(storage::Store& store, const storage::Device& d) {
    ROLLCALL_TRY(const auto devices, store.ListDevices(d.school_id));
    const auto name = core::AsciiLower(d.name);
    for (const auto& other : devices) {
        if (other.id != d.id && core::AsciiLower(other.name) == name) {
            return MakeError(Errc::kConflict, "name: the school already has a device called '" + other.name + "'");
        }
    }
    return {};
}

std::optional<storage::DeviceStatus> StatusOf(const std::vector<storage::DeviceStatus>& statuses,
                                              std::int64_t device_id) {
    const auto it =
        std::find_if(statuses.begin(), statuses.end(), [&](const auto& s) { return s.device_id == device_id; });
    return it != statuses.end() ? std::optional(*it) : std::nullopt;
}

}  // namespace

Devices::Devices(storage::Store& store,
                 const auth::Crypto& crypto,
                 const core::Clock& clock,
                 std::size_t unknown_token_sources)
    : store_(store), crypto_(crypto), clock_(clock), watch_(clock, unknown_token_sources) {}

core::Result<DeviceWithToken> Devices::CreateDevice(const Principal& by,
                                                    std::int64_t school_id,
                                                    const DevicePatch& input) {
    ROLLCALL_CHECK(store_.GetSchool(school_id));
    storage::Device d;
    d.school_id = school_id;
    ApplyPatch(d, input);
    ROLLCALL_CHECK(ValidateDevice(d));
    ROLLCALL_CHECK(CheckUniqueName(store_, d));
    DeviceWithToken out;
    out.api_token = auth::Crypto::NewToken(auth::kDeviceTokenPrefix);
    d.token_hash = crypto_.HashToken(out.api_token);
    d.token_encrypted = crypto_.Encrypt(out.api_token);
    d.created_at = clock_.NowUnix();
    auto audit = AuditOf(by, school_id, d.created_at, AuditAction::kCreate, "device");
    audit.new_value = DeviceAuditJson(d);
    Label(audit);
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
    ROLLCALL_CHECK(CheckUniqueName(store_, d));
    audit.new_value = DeviceAuditJson(d);
    Label(audit);
    // R18: a change of direction or zone marks the device's punch days in the same transaction (the store
    // does); its status decides which devices are waited for (R16), which the sweep re-marks days for.
    return store_.UpdateDevice(d, audit);
}

core::Status Devices::DeleteDevice(const Principal& by, std::int64_t school_id, std::int64_t id) {
    ROLLCALL_CHECK(store_.GetDevice(school_id, id));
    ROLLCALL_CHECK(store_.MarkDirtyWherePunches(school_id, id, std::nullopt, std::nullopt));
    // The mappings that go with the device name their people in the trail.
    ROLLCALL_TRY(const auto people, store_.ListPeople(school_id));
    const auto now = clock_.NowUnix();
    return store_.DeleteDevice(school_id, id, [&](const storage::DeviceRemoval& removed) {
        std::vector<storage::AuditEntry> lines;
        auto own = AuditOf(by, school_id, now, AuditAction::kDelete, "device");
        own.entity_id = removed.device.id;
        own.old_value = DeviceAuditJson(removed.device);
        Label(own);
        lines.push_back(std::move(own));
        const auto why = "deleted with the device " + removed.device.name;
        for (const auto& m : removed.mappings) {
            auto line = AuditOf(by, school_id, now, AuditAction::kDelete, "mapping");
            line.entity_id = m.id;
            line.old_value = MappingAuditJson(m);
            line.reason = why;
            const auto person = std::find_if(
                people.begin(), people.end(), [&](const storage::Person& p) { return p.id == m.person_id; });
            Label(line, person != people.end() ? person->name : std::string());
            lines.push_back(std::move(line));
        }
        for (const auto& c : removed.corrections) {
            auto line = AuditOf(by, school_id, now, AuditAction::kDelete, "clock_correction");
            line.entity_id = c.id;
            line.old_value = ClockCorrectionAuditJson(c);
            line.reason = why;
            Label(line, removed.device.name);
            lines.push_back(std::move(line));
        }
        return lines;
    });
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
    Label(audit, d.name);
    ROLLCALL_CHECK(store_.UpdateDevice(d, audit));
    return token;
}

core::Result<storage::Device> Devices::AuthenticatePushDevice(std::string_view token, const std::string& address) {
    if (token.empty()) {
        watch_.Unknown(address);
        return MakeError(Errc::kUnauthorized, "missing device token: send Authorization: Bearer <device token>");
    }
    const auto unknown = MakeError(Errc::kUnauthorized,
                                   "unknown device token: copy the device's current token from the panel's Edit "
                                   "Device page or from GET /api/v1/schools/{school_id}/devices/{id}/token (a "
                                   "rotated token stops working at once)");
    const auto hash = crypto_.HashToken(token);
    auto device = store_.FindDeviceByTokenHash(hash);
    if (!device) {
        if (device.error().code != Errc::kNotFound) {
            return device.error();
        }
        watch_.Unknown(address);
        return unknown;
    }
    if (!auth::ConstantTimeEqual(device->token_hash, hash)) {
        watch_.Unknown(address);
        return unknown;
    }
    const auto refuse = [&](std::string reason, std::string message) -> core::Error {
        watch_.Refused(device->id, RefusedPush{clock_.NowUnix(), std::move(reason), message, 403, address});
        return MakeError(Errc::kForbidden, std::move(message));
    };
    if (device->status != domain::ActiveStatus::kActive) {
        return refuse("device_inactive", "device is inactive: an admin must set it active");
    }
    if (device->sync_mode != domain::SyncMode::kPush) {
        return refuse("not_push_mode", "device sync mode is not push: set sync_mode to push or use the agent");
    }
    ROLLCALL_TRY(const auto school, store_.GetSchool(device->school_id));
    if (school.status != domain::ActiveStatus::kActive) {
        return refuse("school_inactive", "the device's school is deactivated: a super admin must set it active");
    }
    watch_.Accepted(device->id, address);
    return device;
}

void Devices::NoteRateLimited(const storage::Device& device, const std::string& address, const std::string& message) {
    watch_.Refused(device.id, RefusedPush{clock_.NowUnix(), "rate_limited", message, 429, address});
}

core::Result<std::vector<UnknownPushSource>> Devices::UnknownPushes(std::optional<std::int64_t> school_id) {
    if (!school_id) {
        return watch_.UnknownSources(std::nullopt);
    }
    ROLLCALL_TRY(const auto devices, store_.ListDevices(*school_id));
    std::vector<std::int64_t> ids;
    std::set<std::string> addresses;
    for (const auto& d : devices) {
        ids.push_back(d.id);
        if (!d.ip.empty()) {
            addresses.insert(d.ip);
        }
    }
    addresses.merge(watch_.SourcesOf(ids));
    return watch_.UnknownSources(addresses);
}

core::Result<std::vector<DeviceView>> Devices::ListDevices(std::int64_t school_id) {
    ROLLCALL_TRY(auto devices, store_.ListDevices(school_id));
    ROLLCALL_TRY(const auto statuses, store_.ListDeviceStatuses(school_id));
    std::vector<DeviceView> out;
    out.reserve(devices.size());
    for (auto& d : devices) {
        auto status = StatusOf(statuses, d.id);
        auto refused = watch_.LastRefused(d.id);
        out.push_back(DeviceView{std::move(d), std::move(status), std::move(refused)});
    }
    return out;
}

core::Result<DeviceView> Devices::GetDevice(std::int64_t school_id, std::int64_t id) {
    ROLLCALL_TRY(auto device, store_.GetDevice(school_id, id));
    ROLLCALL_TRY(const auto statuses, store_.ListDeviceStatuses(school_id));
    return DeviceView{std::move(device), StatusOf(statuses, id), watch_.LastRefused(id)};
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
