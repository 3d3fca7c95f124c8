#pragma once

#include "auth/crypto.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"
#include "domain/attendance.hpp"
#include "domain/device.hpp"
#include "service/principal.hpp"
#include "service/push_watch.hpp"
#include "storage/store.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rollcall::service {

/// Fields of a device create or PATCH; unset fields keep their value.
struct DevicePatch {
    std::optional<std::string> name;
    std::optional<domain::SyncMode> sync_mode;
    std::optional<domain::DeviceDirection> direction;
    std::optional<domain::ActiveStatus> status;
    std::optional<std::string> ip;
    std::optional<std::int64_t> port;
    std::optional<std::string> serial;
    std::optional<std::string> comm_key;
    std::optional<std::string> timezone;
};

struct DeviceWithToken {
    storage::Device device;
    std::string api_token;
};

/// A device as the admin sees it: in agent mode, with what the agent last reported about it; and its last
/// refused push, if this server refused one.
struct DeviceView {
    storage::Device device;
    std::optional<storage::DeviceStatus> agent_status;
    std::optional<RefusedPush> last_refused;
};

/// A school's terminals, their tokens, and what they sent (docs/api.md "Devices").
class Devices {
public:
    /// `unknown_token_sources`: the addresses of unknown-token pushes kept at once (push.unknown_token_sources).
    Devices(storage::Store& store,
            const auth::Crypto& crypto,
            const core::Clock& clock,
            std::size_t unknown_token_sources = 1000);

    core::Result<DeviceWithToken> CreateDevice(const Principal& by, std::int64_t school_id, const DevicePatch& input);
    core::Result<std::vector<DeviceView>> ListDevices(std::int64_t school_id);
    core::Result<DeviceView> GetDevice(std::int64_t school_id, std::int64_t id);
    core::Result<storage::Device> UpdateDevice(const Principal& by,
                                               std::int64_t school_id,
                                               std::int64_t id,
                                               const DevicePatch& patch);
    /// Deletes a device; the days of its punches are recomputed without them.
    core::Status DeleteDevice(const Principal& by, std::int64_t school_id, std::int64_t id);
    core::Result<std::string> DeviceToken(std::int64_t school_id, std::int64_t id);
    core::Result<std::string> RotateDeviceToken(const Principal& by, std::int64_t school_id, std::int64_t id);
    /// The device a push token belongs to: Unauthorized when unknown, Forbidden when inactive or not push. A refusal
    /// is noted for the panel with the push's source `address`: on the device (last_refused), or for an unknown token
    /// among the unknown-token pushes.
    core::Result<storage::Device> AuthenticatePushDevice(std::string_view token, const std::string& address = {});
    /// Notes a push of the device refused for its rate (429), for the panel.
    void NoteRateLimited(const storage::Device& device, const std::string& address, const std::string& message);
    /// The unknown-token pushes of the last hour: all of them (the super admin's view, no school), or those from
    /// addresses the school's devices use: where their pushes came from, and their configured `ip`.
    core::Result<std::vector<UnknownPushSource>> UnknownPushes(std::optional<std::int64_t> school_id);

    /// The user ids a device has sent punches for; NotFound when the device is not the school's.
    core::Result<std::vector<storage::DeviceUser>> DeviceUsers(std::int64_t school_id, std::int64_t id);
    /// The newest `limit` punches of a device; NotFound when the device is not the school's.
    core::Result<std::vector<storage::StoredPunch>> DevicePunches(std::int64_t school_id,
                                                                  std::int64_t id,
                                                                  std::int64_t limit);

private:
    storage::Store& store_;
    const auth::Crypto& crypto_;
    const core::Clock& clock_;
    PushWatch watch_;
};

}  // namespace rollcall::service
