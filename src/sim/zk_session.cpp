#include "sim/zk_session.hpp"

#include "protocol/zk/comm_key.hpp"
#include "protocol/zk/commands.hpp"
#include "protocol/zk/dataset.hpp"
#include "protocol/zk/free_sizes.hpp"
#include "protocol/zk/options.hpp"
#include "protocol/zk/realtime.hpp"
#include "protocol/zk/tcp_frame.hpp"
#include "protocol/zk/time_codec.hpp"
#include "protocol/zk/user_record.hpp"
#include "sim/zk_names.hpp"

#include <algorithm>
#include <span>
#include <utility>

namespace rollcall::sim {
namespace {

// GET_PINWIDTH: PINs of up to 9 digits, the width of the TFT units.
constexpr std::uint8_t kPinWidth = 9;

Steps Send(Packet packet) {
    Steps steps;
    steps.push_back(SendPackets{{std::move(packet)}});
    return steps;
}

Steps Reply(const Packet& request, std::uint16_t code, Bytes data = {}) {
    return Send(zk::MakeReply(request, code, std::move(data)));
}

void AddPause(Steps& steps, std::chrono::milliseconds duration) {
    if (duration.count() > 0) {
        steps.push_back(Pause{duration});
    }
}

// Replies the client sends itself: ACK_OK to an event (§8), never to be answered.
bool IsAcknowledgement(std::uint16_t command) {
    return command >= cmd::kAckOk && command <= cmd::kAckUnauth;
}

// Commands a simulator accepts without doing anything visible: the terminal's screen, sounds, door and enrolment.
bool IsPlainAcknowledged(std::uint16_t command) {
    switch (command) {
        case cmd::kRefreshData:
        case cmd::kRefreshOption:
        case cmd::kCancelCapture:
        case cmd::kStartVerify:
        case cmd::kStartEnroll:
        case cmd::kTestVoice:
        case cmd::kUnlock:
        case cmd::kWriteLcd:
        case cmd::kClearLcd:
        case cmd::kDoorStateRrq:
        case cmd::kClearOpLog:
        case cmd::kDeleteUserTemp:
        case cmd::kRestart:
        case cmd::kPowerOff:
        case cmd::kSleep:
        case cmd::kResume:
        case cmd::kChangeSpeed:
            return true;
        default:
            return false;
    }
}

}  // namespace

ZkSession::ZkSession(ZkDevice& device, Transport transport) : device_(device), transport_(transport) {}

Steps ZkSession::Handle(const Packet& request) {
    if (IsAcknowledgement(request.command)) {
        return {};
    }
    switch (request.command) {
        case cmd::kConnect:
            return Connect(request);
        case cmd::kExit: {
            phase_ = Phase::kNew;
            buffer_.reset();
            event_mask_ = 0;
            Steps steps = Reply(request, cmd::kAckOk);
            steps.push_back(CloseSession{});
            return steps;
        }
        case cmd::kAuth:
            return Authenticate(request);
        default:
            break;
    }
    if (phase_ != Phase::kReady) {
        return Reply(request, cmd::kAckUnauth);
    }
    return HandleReady(request);
}

Steps ZkSession::Connect(const Packet& request) {
    session_id_ = device_.NewSessionId();
    buffer_.reset();
    event_mask_ = 0;
    phase_ = device_.config().comm_key != 0 ? Phase::kUnauthenticated : Phase::kReady;
    // The reply carries the new session id, not the request's 0 (§1.5).
    return Send(Packet{phase_ == Phase::kReady ? cmd::kAckOk : cmd::kAckUnauth, session_id_, request.reply_id, {}});
}

Steps ZkSession::Authenticate(const Packet& request) {
    if (phase_ == Phase::kNew) {
        return Reply(request, cmd::kAckUnauth);
    }
    const std::uint32_t key = device_.config().comm_key;
    if (key == 0 || zk::VerifyCommKey(request.data, key, session_id_)) {
        phase_ = Phase::kReady;
        return Reply(request, cmd::kAckOk);
    }
    phase_ = Phase::kUnauthenticated;
    return Reply(request, cmd::kAckUnauth);
}

Steps ZkSession::HandleReady(const Packet& request) {
    if (IsPlainAcknowledged(request.command)) {
        return Reply(request, cmd::kAckOk);
    }
    if (const auto legacy = zk::LegacyReadDataset(request)) {
        return LegacyRead(request, *legacy);
    }
    switch (request.command) {
        case cmd::kEnableDevice:
            device_.SetEnabled(true);
            return Reply(request, cmd::kAckOk);
        case cmd::kDisableDevice:
            device_.SetEnabled(false);
            return Reply(request, cmd::kAckOk);
        case cmd::kGetFreeSizes:
            if (device_.config().faults.short_free_sizes) {
                return Reply(request, cmd::kAckOk, Bytes(4, 0));
            }
            return Reply(request, cmd::kAckOk, zk::EncodeFreeSizes(device_.Sizes()));
        case cmd::kGetVersion:
            return Reply(request, cmd::kAckOk, *zk::EncodeText(kFirmwareVersion));
        case cmd::kOptionsRrq:
            return ReadOption(request);
        case cmd::kOptionsWrq:
            return WriteOption(request);
        case cmd::kGetTime:
            return GetTime(request);
        case cmd::kSetTime:
            return SetTime(request);
        case cmd::kRegEvent:
            return RegisterEvents(request);
        case cmd::kFreeData:
            buffer_.reset();
            return Reply(request, cmd::kAckOk);
        case cmd::kPrepareBuffer:
            return PrepareBuffer(request);
        case cmd::kReadBuffer:
            return ReadBuffer(request);
        case cmd::kClearAttLog:
            device_.ClearRecords();
            return Reply(request, cmd::kAckOk);
        case cmd::kClearData:
            return ClearData(request);
        case cmd::kClearAdmin:
            device_.ClearAdmins();
            return Reply(request, cmd::kAckOk);
        case cmd::kUserWrq:
            return WriteUser(request);
        case cmd::kDeleteUser:
            return DeleteUser(request);
        case cmd::kStateRrq:
            // The state travels in the session field (§2.1).
            return Send(Packet{cmd::kAckOk, zk::machine_state::kIdle, request.reply_id, {}});
        case cmd::kGetPinWidth:
            return Reply(request, cmd::kAckOk, Bytes{kPinWidth});
        default:
            return Reply(request, cmd::kAckUnknown);
    }
}

Steps ZkSession::ReadOption(const Packet& request) {
    const auto name = zk::DecodeOptionRequest(request.data);
    if (!name.ok()) {
        return Reply(request, cmd::kAckError);
    }
    const auto value = device_.Option(*name);
    if (!value) {
        return Reply(request, cmd::kAckError);
    }
    auto text = zk::EncodeOptionValue({*name, *value});
    if (!text.ok()) {
        return Reply(request, cmd::kAckError);
    }
    return Reply(request, cmd::kAckOk, std::move(*text));
}

Steps ZkSession::WriteOption(const Packet& request) {
    const auto option = zk::DecodeOptionValue(request.data);
    if (!option.ok()) {
        return Reply(request, cmd::kAckError);
    }
    device_.SetOption(option->name, option->value);
    return Reply(request, cmd::kAckOk);
}

Steps ZkSession::GetTime(const Packet& request) {
    const auto now = zk::FromLocalDateTime(device_.Now());
    if (!now.ok()) {
        return Reply(request, cmd::kAckError);
    }
    auto data = zk::EncodeTimeData(*now);
    if (!data.ok()) {
        return Reply(request, cmd::kAckError);
    }
    return Reply(request, cmd::kAckOk, std::move(*data));
}

Steps ZkSession::SetTime(const Packet& request) {
    const auto time = zk::DecodeTimeData(request.data);
    if (!time.ok()) {
        return Reply(request, cmd::kAckError);
    }
    device_.SetTime(zk::ToLocalDateTime(*time));
    return Reply(request, cmd::kAckOk);
}

Steps ZkSession::RegisterEvents(const Packet& request) {
    const auto mask = zk::DecodeEventMask(request.data);
    if (!mask.ok()) {
        return Reply(request, cmd::kAckError);
    }
    event_mask_ = *mask;
    return Reply(request, cmd::kAckOk);
}

Steps ZkSession::ClearData(const Packet& request) {
    if (request.data.empty()) {
        device_.ClearRecords();
        device_.ClearUsers();
        return Reply(request, cmd::kAckOk);
    }
    switch (request.data[0]) {
        case zk::clear_data::kAttendance:
            device_.ClearRecords();
            break;
        case zk::clear_data::kUsers:
            device_.ClearUsers();
            break;
        default:
            // No templates or operation log are simulated.
            break;
    }
    return Reply(request, cmd::kAckOk);
}

Steps ZkSession::WriteUser(const Packet& request) {
    // zkteco-js always sends 72 bytes; pyzk sends 28 to units that serve 28-byte users.
    const auto format = request.data.size() == zk::RecordSize(zk::UserFormat::kCompact28) ? zk::UserFormat::kCompact28
                                                                                          : zk::UserFormat::kExtended72;
    auto user = zk::DecodeUser(request.data, format);
    if (!user.ok()) {
        return Reply(request, cmd::kAckError);
    }
    device_.PutUser(std::move(*user));
    return Reply(request, cmd::kAckOk);
}

Steps ZkSession::DeleteUser(const Packet& request) {
    if (request.data.size() < 2) {
        return Reply(request, cmd::kAckError);
    }
    device_.DeleteUser(zk::ReadU16(request.data, 0));
    return Reply(request, cmd::kAckOk);
}

core::Result<Bytes> ZkSession::EncodeDataset(zk::Dataset dataset) const {
    switch (dataset) {
        case zk::Dataset::kAttendance: {
            // The withhold fault leaves the last records out of every download; GET_FREE_SIZES still counts them.
            const auto& records = device_.records();
            const std::size_t withheld =
                std::min<std::size_t>(device_.config().faults.withhold_records, records.size());
            return zk::EncodeAttendanceDataset(std::span(records).first(records.size() - withheld),
                                               AttendanceFormatFor(device_.config(), transport_));
        }
        case zk::Dataset::kUsers:
            return zk::EncodeUserDataset(device_.users(), UserFormatFor(device_.config(), transport_));
        case zk::Dataset::kFingerTemplates:
        case zk::Dataset::kOpLog:
            break;
    }
    // Neither templates nor the operation log are simulated: an empty dataset, which is still prefixed (§10
    // item 11).
    return zk::MakeDataset({});
}

Steps ZkSession::PrepareBuffer(const Packet& request) {
    const ZkFaults& faults = device_.config().faults;
    if (faults.no_buffered_read) {
        return Reply(request, cmd::kAckError);
    }
    const auto decoded = zk::DecodePrepareBufferRequest(request.data);
    if (!decoded.ok()) {
        return Reply(request, cmd::kAckError);
    }
    const auto dataset = zk::RequestedDataset(*decoded);
    if (!dataset || (*dataset == zk::Dataset::kUsers && faults.refuse_user_read)) {
        return Reply(request, cmd::kAckError);
    }
    auto bytes = EncodeDataset(*dataset);
    if (!bytes.ok()) {
        return Reply(request, cmd::kAckError);
    }
    Steps steps;
    AddPause(steps, faults.slow_buffer);
    if (faults.direct_small_datasets && bytes->size() <= kMaxDirectDatasetSize) {
        buffer_.reset();
        steps.push_back(SendPackets{{zk::MakeDirectDatasetReply(request, std::move(*bytes))}});
        return steps;
    }
    const auto size = static_cast<std::uint32_t>(bytes->size());
    buffer_ = std::move(*bytes);
    steps.push_back(SendPackets{{zk::MakeBufferStatReply(request, size)}});
    return steps;
}

Steps ZkSession::ReadBuffer(const Packet& request) {
    const auto chunk = zk::DecodeReadBufferRequest(request.data);
    if (!chunk.ok() || !buffer_) {
        return Reply(request, cmd::kAckError);
    }
    const auto slice = zk::SliceChunk(*buffer_, *chunk);
    if (!slice.ok()) {
        return Reply(request, cmd::kAckError);
    }
    return Transfer(request, *slice, chunk->offset);
}

Steps ZkSession::LegacyRead(const Packet& request, zk::Dataset dataset) {
    auto bytes = EncodeDataset(dataset);
    if (!bytes.ok() || (dataset == zk::Dataset::kUsers && device_.config().faults.refuse_user_read)) {
        return Reply(request, cmd::kAckError);
    }
    const ZkDeviceConfig& config = device_.config();
    const bool tcp = transport_ == Transport::kTcp;
    if (config.faults.legacy_bare_data && (tcp || bytes->size() <= zk::kMaxUdpTransferData)) {
        // Old firmware: the whole dataset in one CMD_DATA, no PREPARE_DATA, no ACK_OK (§6.6).
        Steps steps = Send(zk::MakeReply(request, cmd::kData, std::move(*bytes)));
        steps.push_back(AwaitClient{tcp ? config.pacing.tcp_transfer_pause : config.pacing.udp_burst_pause});
        return steps;
    }
    if (config.faults.legacy_one_frame && tcp) {
        // Old firmware again: PREPARE_DATA, then the whole dataset in one DATA frame, over 64 KiB for a large log.
        return Transfer(request, *bytes, 0, std::max<std::size_t>(1, bytes->size()));
    }
    return Transfer(request, *bytes, 0);
}

Steps ZkSession::Transfer(const Packet& request,
                          zk::ByteView data,
                          std::uint32_t offset,
                          std::optional<std::size_t> data_per_packet) {
    const std::size_t per_packet =
        data_per_packet.value_or(transport_ == Transport::kTcp ? zk::kMaxTcpTransferData : zk::kMaxUdpTransferData);
    auto packets = zk::MakeTransferReplies(request, data, per_packet);
    if (!packets.ok()) {
        return Reply(request, cmd::kAckError);
    }
    return transport_ == Transport::kTcp ? TcpTransfer(std::move(*packets)) : UdpTransfer(std::move(*packets), offset);
}

// node-zklib and zkteco-js take one packet out of each socket read and drop what is left of the read once a chunk is
// complete. So PREPARE_DATA must come in a read of its own, the trailing ACK_OK rides with the data (and is dropped
// with it), and the next transfer's PREPARE_DATA must not share the data's read (node-zklib asks for every chunk at
// once). Hence one write each, and the client reads everything before the next (§10 item 8).
Steps ZkSession::TcpTransfer(std::vector<Packet> packets) {
    const ZkDeviceConfig& config = device_.config();
    Steps steps;
    steps.push_back(SendPackets{{std::move(packets.front())}});
    steps.push_back(AwaitClient{config.pacing.tcp_prepare_pause});
    Packet ack = std::move(packets.back());
    std::vector<Packet> data(std::make_move_iterator(packets.begin() + 1), std::make_move_iterator(packets.end() - 1));
    if (config.faults.late_ack.count() > 0) {
        if (!data.empty()) {
            steps.push_back(SendPackets{std::move(data)});
        }
        steps.push_back(Pause{config.faults.late_ack});
        steps.push_back(SendPackets{{std::move(ack)}});
    } else {
        data.push_back(std::move(ack));
        steps.push_back(SendPackets{std::move(data)});
    }
    steps.push_back(AwaitClient{config.pacing.tcp_transfer_pause});
    return steps;
}

// Nothing retransmits a datagram, and a client's default receive buffer holds only about 75 of them, so the data
// goes out in short bursts, each once the client has read the one before (§10 item 9). When that cannot be seen
// the pauses grow with the bytes already sent: the npm clients append every datagram to one buffer of everything
// received so far, so each datagram costs them more than the one before (about 3 ms each near 800 KB), and a steady
// pace that suits the start overflows them at the end.
Steps ZkSession::UdpTransfer(std::vector<Packet> packets, std::uint32_t offset) {
    const ZkPacing& pacing = device_.config().pacing;
    const ZkFaults& faults = device_.config().faults;
    const std::uint32_t burst_size = std::max<std::uint32_t>(1, pacing.udp_burst);
    std::uint64_t sent = offset;
    const auto await_client = [&] {
        constexpr std::uint64_t kMiB = std::uint64_t{1024} * 1024;
        return AwaitClient{pacing.udp_burst_pause + std::chrono::milliseconds(static_cast<std::int64_t>(
                                                        sent * pacing.udp_slowdown_per_mib.count() / kMiB))};
    };
    Steps steps;
    steps.push_back(SendPackets{{std::move(packets.front())}});
    std::vector<Packet> burst;
    for (std::size_t i = 1; i + 1 < packets.size(); ++i) {
        ++udp_data_packets_;
        sent += packets[i].data.size();
        if (faults.drop_udp_every != 0 && udp_data_packets_ % faults.drop_udp_every == 0) {
            continue;
        }
        burst.push_back(std::move(packets[i]));
        if (burst.size() == burst_size) {
            steps.push_back(SendPackets{std::move(burst)});
            burst.clear();
            steps.push_back(await_client());
        }
    }
    if (!burst.empty()) {
        steps.push_back(SendPackets{std::move(burst)});
    }
    AddPause(steps, faults.late_ack);
    steps.push_back(SendPackets{{std::move(packets.back())}});
    steps.push_back(await_client());
    return steps;
}

std::optional<Packet> ZkSession::EventFor(const zk::AttendanceRecord& record) const {
    if (phase_ != Phase::kReady || event_mask_ == 0) {
        return std::nullopt;
    }
    const auto time = zk::DecodePackedTime(record.packed_time);
    if (!time.ok()) {
        return std::nullopt;
    }
    const zk::AttendanceEvent event{record.user_id, record.verify, record.state, *time};
    auto payload = zk::EncodeAttendanceEvent(event, EventLayoutFor(device_.config(), transport_));
    if (!payload.ok()) {
        return std::nullopt;
    }
    return zk::MakeEventPacket(static_cast<std::uint16_t>(zk::event::kAttLog), std::move(*payload));
}

}  // namespace rollcall::sim
