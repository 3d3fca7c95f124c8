#pragma once

// Command and reply codes of the ZK standalone protocol (port 4370), the 1503 data-type selectors, the
// realtime event bits, option names and privilege values: the vocabulary both the agent (client) and the
// device simulator (server) speak. Codes are plain u16 constants rather than an enum because a packet may
// carry any code (unknown ones must round-trip and be answered with ACK_ERROR_UNKNOWN).

#include <cstdint>
#include <string_view>

namespace rollcall::protocol::zk {

namespace cmd {

// Requests, client -> device.
inline constexpr std::uint16_t kDbRrq = 7;  ///< inner command of 1503 for fingerprint templates
inline constexpr std::uint16_t kUserWrq = 8;
inline constexpr std::uint16_t kUserTempRrq = 9;  ///< legacy user read (data 0x05); inner command of 1503
inline constexpr std::uint16_t kOptionsRrq = 11;
inline constexpr std::uint16_t kOptionsWrq = 12;
inline constexpr std::uint16_t kAttLogRrq = 13;  ///< legacy attendance read; inner command of 1503
inline constexpr std::uint16_t kClearData = 14;
inline constexpr std::uint16_t kClearAttLog = 15;
inline constexpr std::uint16_t kDeleteUser = 18;
inline constexpr std::uint16_t kDeleteUserTemp = 19;
inline constexpr std::uint16_t kClearAdmin = 20;
inline constexpr std::uint16_t kUnlock = 31;
inline constexpr std::uint16_t kClearOpLog = 33;
inline constexpr std::uint16_t kOpLogRrq = 34;
inline constexpr std::uint16_t kGetFreeSizes = 50;
inline constexpr std::uint16_t kStartVerify = 60;
inline constexpr std::uint16_t kStartEnroll = 61;
inline constexpr std::uint16_t kCancelCapture = 62;
inline constexpr std::uint16_t kStateRrq = 64;
inline constexpr std::uint16_t kWriteLcd = 66;
inline constexpr std::uint16_t kClearLcd = 67;
inline constexpr std::uint16_t kGetPinWidth = 69;
inline constexpr std::uint16_t kDoorStateRrq = 75;
inline constexpr std::uint16_t kVerifyWrq = 79;
inline constexpr std::uint16_t kVerifyRrq = 80;
inline constexpr std::uint16_t kGetTime = 201;
inline constexpr std::uint16_t kSetTime = 202;
inline constexpr std::uint16_t kRegEvent = 500;  ///< also the command of every realtime event packet
inline constexpr std::uint16_t kConnect = 1000;
inline constexpr std::uint16_t kExit = 1001;
inline constexpr std::uint16_t kEnableDevice = 1002;
inline constexpr std::uint16_t kDisableDevice = 1003;
inline constexpr std::uint16_t kRestart = 1004;
inline constexpr std::uint16_t kPowerOff = 1005;
inline constexpr std::uint16_t kSleep = 1006;
inline constexpr std::uint16_t kResume = 1007;
inline constexpr std::uint16_t kRefreshData = 1013;
inline constexpr std::uint16_t kRefreshOption = 1014;
inline constexpr std::uint16_t kTestVoice = 1017;
inline constexpr std::uint16_t kGetVersion = 1100;
inline constexpr std::uint16_t kChangeSpeed = 1101;
inline constexpr std::uint16_t kAuth = 1102;
inline constexpr std::uint16_t kPrepareData = 1500;  ///< both directions: "n bytes follow"
inline constexpr std::uint16_t kData = 1501;         ///< both directions: a data payload
inline constexpr std::uint16_t kFreeData = 1502;
inline constexpr std::uint16_t kPrepareBuffer = 1503;  ///< pyzk's name; CMD_DATA_WRRQ in adrobinoga/node-zklib
inline constexpr std::uint16_t kReadBuffer = 1504;     ///< pyzk's name; CMD_DATA_RDY in adrobinoga/node-zklib

// Replies, device -> client (ACK_OK is also sent by a client to acknowledge an event).
inline constexpr std::uint16_t kAckOk = 2000;
inline constexpr std::uint16_t kAckError = 2001;
inline constexpr std::uint16_t kAckData = 2002;
inline constexpr std::uint16_t kAckRetry = 2003;
inline constexpr std::uint16_t kAckRepeat = 2004;
inline constexpr std::uint16_t kAckUnauth = 2005;
inline constexpr std::uint16_t kAckErrorData = 65531;
inline constexpr std::uint16_t kAckErrorInit = 65532;
inline constexpr std::uint16_t kAckErrorCmd = 65533;
inline constexpr std::uint16_t kAckUnknown = 65535;  ///< the device does not know the command

}  // namespace cmd

/// "CMD_CONNECT", "CMD_ACK_OK", ... for logs; "CMD_UNKNOWN" for codes not listed above.
std::string_view CommandName(std::uint16_t code);

/// Data-type selectors ("fct") of the 1503 request. Note that the attendance log is requested with fct 0,
/// not kAttLog (§6.2): these are the values of the SDK's tables, not always what goes on the wire.
namespace fct {
inline constexpr std::uint32_t kAttLog = 1;
inline constexpr std::uint32_t kFingerTmp = 2;
inline constexpr std::uint32_t kOpLog = 4;
inline constexpr std::uint32_t kUser = 5;
inline constexpr std::uint32_t kSms = 6;
inline constexpr std::uint32_t kUData = 7;
inline constexpr std::uint32_t kWorkCode = 8;
}  // namespace fct

/// Bits of the CMD_REG_EVENT mask and, for an event packet, the code carried in its session field.
namespace event {
inline constexpr std::uint32_t kAttLog = 1;
inline constexpr std::uint32_t kFinger = 2;
inline constexpr std::uint32_t kEnrollUser = 4;
inline constexpr std::uint32_t kEnrollFinger = 8;
inline constexpr std::uint32_t kButton = 16;
inline constexpr std::uint32_t kUnlock = 32;
inline constexpr std::uint32_t kVerify = 128;
inline constexpr std::uint32_t kFpFtr = 256;
inline constexpr std::uint32_t kAlarm = 512;
}  // namespace event

/// Option names for CMD_OPTIONS_RRQ / CMD_OPTIONS_WRQ.
namespace option {
inline constexpr std::string_view kSerialNumber = "~SerialNumber";
inline constexpr std::string_view kPlatform = "~Platform";
inline constexpr std::string_view kDeviceName = "~DeviceName";
inline constexpr std::string_view kOemVendor = "~OEMVendor";
inline constexpr std::string_view kProductTime = "~ProductTime";
inline constexpr std::string_view kMac = "MAC";
inline constexpr std::string_view kFpVersion = "~ZKFPVersion";
inline constexpr std::string_view kFaceVersion = "ZKFaceVersion";
inline constexpr std::string_view kOs = "~OS";
inline constexpr std::string_view kPinWidth = "~PIN2Width";
inline constexpr std::string_view kWorkCode = "WorkCode";
/// Written right after CONNECT by the official SDK and pyzk's tools ("SDKBuild=1").
inline constexpr std::string_view kSdkBuild = "SDKBuild";
}  // namespace option

/// Optional data byte of CMD_CLEAR_DATA (no byte clears everything).
namespace clear_data {
inline constexpr std::uint8_t kAttendance = 1;
inline constexpr std::uint8_t kTemplates = 2;
inline constexpr std::uint8_t kOpLog = 4;
inline constexpr std::uint8_t kUsers = 5;
}  // namespace clear_data

/// Machine state carried in the session field of the CMD_STATE_RRQ reply.
namespace machine_state {
inline constexpr std::uint16_t kIdle = 0;
inline constexpr std::uint16_t kEnrolling = 1;
inline constexpr std::uint16_t kIdentifying = 2;
inline constexpr std::uint16_t kMenu = 3;
inline constexpr std::uint16_t kBusy = 4;
inline constexpr std::uint16_t kCardWrite = 5;
}  // namespace machine_state

}  // namespace rollcall::protocol::zk
