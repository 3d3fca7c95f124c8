#include "sim/zk_config.hpp"

namespace rollcall::sim {

using protocol::zk::AttendanceEventLayout;
using protocol::zk::AttendanceFormat;
using protocol::zk::UserFormat;

AttendanceFormat AttendanceFormatFor(const ZkDeviceConfig& config, Transport transport) {
    return config.attendance_format.value_or(transport == Transport::kTcp ? AttendanceFormat::kExtended40
                                                                          : AttendanceFormat::kNumeric16);
}

UserFormat UserFormatFor(const ZkDeviceConfig& config, Transport transport) {
    return config.user_format.value_or(transport == Transport::kTcp ? UserFormat::kExtended72 : UserFormat::kCompact28);
}

AttendanceEventLayout EventLayoutFor(const ZkDeviceConfig& config, Transport transport) {
    if (config.event_layout) {
        return *config.event_layout;
    }
    // BW units that store 16-byte records send the 10-byte event; node-zklib's UDP path accepts nothing else.
    return AttendanceFormatFor(config, transport) == AttendanceFormat::kNumeric16 ? AttendanceEventLayout::kShort10
                                                                                  : AttendanceEventLayout::kText32;
}

}  // namespace rollcall::sim
