#include "sim/zk_device.hpp"

#include "protocol/zk/commands.hpp"
#include "protocol/zk/time_codec.hpp"

#include <algorithm>
#include <utility>

namespace rollcall::sim {
namespace {

using protocol::zk::AttendanceRecord;
using protocol::zk::User;
namespace option = protocol::zk::option;

// Capacities of an F18 (pyzk#111); raised when a simulation holds more, so "remaining" never goes negative.
constexpr std::uint32_t kFingerCapacity = 3000;
constexpr std::uint32_t kUserCapacity = 5000;
constexpr std::uint32_t kRecordCapacity = 100000;

// The first session id is drawn from the seed so two simulators do not hand out the same ids.
std::uint16_t FirstSessionId(std::uint64_t seed) {
    SplitMix64 rng(seed ^ 0x5E5510ULL);
    return static_cast<std::uint16_t>(0x1000 + rng.Below(0xE000));
}

std::optional<core::LocalDateTime> LastRecordTime(const std::vector<AttendanceRecord>& records) {
    std::optional<core::LocalDateTime> last;
    for (const auto& r : records) {
        if (const auto t = protocol::zk::DecodePackedTime(r.packed_time); t.ok()) {
            const auto local = protocol::zk::ToLocalDateTime(*t);
            if (!last || local > *last) {
                last = local;
            }
        }
    }
    return last;
}

}  // namespace

ZkDevice::ZkDevice(ZkDeviceConfig config, ZkPopulation population, const core::Clock& clock)
    : config_(std::move(config)),
      users_(std::move(population.users)),
      records_(std::move(population.records)),
      clock_(clock),
      clock_offset_seconds_(config_.faults.clock_drift_seconds),
      next_session_id_(FirstSessionId(config_.seed)),
      live_rng_(config_.seed ^ 0x11FE9ULL),
      last_punch_time_(LastRecordTime(records_)) {
    // The values of a TFT unit as pyzk and zkteco-js print them; clients only display them.
    options_ = {
        {std::string(option::kSerialNumber), config_.serial_number},
        {std::string(option::kPlatform), "ZMM220_TFT"},
        {std::string(option::kDeviceName), "F18/ID"},
        {std::string(option::kOemVendor), "ZKTeco Inc."},
        {std::string(option::kProductTime), "2025-01-15 10:00:00"},
        {std::string(option::kMac), "00:17:61:12:34:56"},
        {std::string(option::kFpVersion), "10"},
        {std::string(option::kFaceVersion), "0"},
        {std::string(option::kOs), "1"},
        {std::string(option::kPinWidth), "9"},
        {std::string(option::kWorkCode), "0"},
        {"~SSR", "1"},
        {"~ExtendFmt", "0"},
        {"~UserExtFmt", "0"},
        {"ExtendOPLog", "1"},
        {"FaceFunOn", "0"},
        {"FingerFunOn", "1"},
        {"CompatOldFirmware", "0"},
        {"~IsOnlyRFMachine", "0"},
        {"~RFCardOn", "1"},
        {"IPAddress", "192.168.1.201"},
        {"NetMask", "255.255.255.0"},
        {"GATEIPAddress", "192.168.1.1"},
    };
}

core::LocalDateTime ZkDevice::Now() const {
    return core::LocalDateTime{clock_.NowUnix() + clock_offset_seconds_};
}

void ZkDevice::SetTime(core::LocalDateTime now) {
    clock_offset_seconds_ = now.seconds - clock_.NowUnix();
}

std::optional<std::string> ZkDevice::Option(std::string_view name) const {
    const auto it = options_.find(name);
    if (it == options_.end()) {
        return std::nullopt;
    }
    return it->second;
}

void ZkDevice::SetOption(const std::string& name, const std::string& value) {
    options_[name] = value;
}

protocol::zk::FreeSizes ZkDevice::Sizes() const {
    protocol::zk::FreeSizes s;
    s.users = static_cast<std::uint32_t>(users_.size());
    s.records = static_cast<std::uint32_t>(records_.size());
    s.admins = static_cast<std::uint32_t>(
        std::count_if(users_.begin(), users_.end(), [](const User& u) { return u.privilege != 0; }));
    s.passwords = static_cast<std::uint32_t>(
        std::count_if(users_.begin(), users_.end(), [](const User& u) { return !u.password.empty(); }));
    s.finger_capacity = kFingerCapacity;
    s.user_capacity = std::max(kUserCapacity, s.users);
    s.record_capacity = std::max(kRecordCapacity, s.records);
    s.fingers_free = s.finger_capacity;
    s.users_free = s.user_capacity - s.users;
    s.records_free = s.record_capacity - s.records;
    s.faces = protocol::zk::FaceSizes{0, 0};
    return s;
}

void ZkDevice::ClearAdmins() {
    for (User& u : users_) {
        u.privilege = protocol::zk::privilege::kUser;
    }
}

void ZkDevice::PutUser(User user) {
    const auto it = std::find_if(users_.begin(), users_.end(), [&](const User& u) { return u.uid == user.uid; });
    if (it != users_.end()) {
        *it = std::move(user);
    } else {
        users_.push_back(std::move(user));
    }
}

bool ZkDevice::DeleteUser(std::uint16_t uid) {
    return std::erase_if(users_, [&](const User& u) { return u.uid == uid; }) > 0;
}

std::uint16_t ZkDevice::NewSessionId() {
    if (next_session_id_ == 0) {
        next_session_id_ = 1;
    }
    return next_session_id_++;
}

std::optional<AttendanceRecord> ZkDevice::AddLivePunch() {
    if (users_.empty() || !AcceptsPunches()) {
        return std::nullopt;
    }
    core::LocalDateTime when = Now();
    if (last_punch_time_ && when <= *last_punch_time_) {
        when = core::LocalDateTime{last_punch_time_->seconds + 1};
    }
    const auto device_time = protocol::zk::FromLocalDateTime(when);
    if (!device_time.ok()) {
        return std::nullopt;
    }
    const auto packed = protocol::zk::EncodePackedTime(*device_time);
    if (!packed.ok()) {
        return std::nullopt;
    }
    const User& user = users_[live_rng_.Below(users_.size())];
    // A user's live punches alternate in and out, starting with in.
    const std::uint32_t nth = live_punches_by_uid_[user.uid]++;
    AttendanceRecord r;
    r.uid = user.uid;
    r.user_id = user.user_id;
    r.packed_time = *packed;
    r.verify = 1;
    r.state = static_cast<std::uint8_t>(nth % 2);
    records_.push_back(r);
    last_punch_time_ = when;
    return r;
}

}  // namespace rollcall::sim
