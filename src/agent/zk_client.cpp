#include "agent/zk_client.hpp"

#include "protocol/zk/comm_key.hpp"
#include "protocol/zk/commands.hpp"
#include "protocol/zk/dataset.hpp"
#include "protocol/zk/options.hpp"
#include "protocol/zk/realtime.hpp"
#include "protocol/zk/time_codec.hpp"
#include "protocol/zk/transfer.hpp"

#include <spdlog/spdlog.h>

namespace rollcall::agent {
namespace {

using core::Errc;
using core::MakeError;

// A 100,000-record log of 49-byte records is under 5 MB; refuse a device that announces far more.
constexpr std::uint32_t kMaxDatasetSize = 64u << 20;

}  // namespace

bool IsProtocolError(const core::Error& error) {
    return error.code == Errc::kInvalidArgument || error.code == Errc::kPayloadTooLarge;
}

ZkClient::ZkClient(std::unique_ptr<ZkTransport> transport, ZkOptions options)
    : transport_(std::move(transport)), options_(std::move(options)) {}

ZkClient::~ZkClient() {
    Disconnect();
}

core::Result<std::unique_ptr<ZkClient>> ZkClient::Connect(const ZkOptions& options) {
    auto tcp = ConnectTcp(options.host, options.port, options.timeout);
    std::string tcp_error;
    if (tcp) {
        std::unique_ptr<ZkClient> client(new ZkClient(std::move(*tcp), options));
        auto s = client->Handshake();
        if (s) {
            return client;
        }
        // A wrong comm key is the same over UDP, and a terminal that answered over TCP with what the protocol does
        // not allow has said something worth reporting; anything else may be a UDP-only terminal.
        if (s.error().code == Errc::kUnauthorized || IsProtocolError(s.error()) || !options.allow_udp) {
            return s.error();
        }
        tcp_error = s.error().message;
    } else {
        if (!options.allow_udp) {
            return tcp.error();
        }
        tcp_error = tcp.error().message;
    }
    ROLLCALL_TRY(auto udp, OpenUdp(options.host, options.port));
    std::unique_ptr<ZkClient> client(new ZkClient(std::move(udp), options));
    auto s = client->Handshake();
    if (!s) {
        return MakeError(s.error().code, s.error().message + " (over UDP; over TCP: " + tcp_error + ")");
    }
    return client;
}

core::Status ZkClient::Handshake() {
    ROLLCALL_TRY(const auto reply, Command(zk::cmd::kConnect));
    session_id_ = reply.session_id;
    if (reply.command == zk::cmd::kAckUnauth) {
        const auto key = zk::MakeCommKey(options_.comm_key, session_id_);
        ROLLCALL_TRY(const auto auth, Command(zk::cmd::kAuth, zk::Bytes(key.begin(), key.end())));
        if (auth.command != zk::cmd::kAckOk) {
            return MakeError(Errc::kUnauthorized, "wrong comm key: the terminal refused the key configured for it");
        }
    } else if (reply.command != zk::cmd::kAckOk) {
        return MakeError(Errc::kUnavailable,
                         "the terminal refused the connection (reply " + std::to_string(reply.command) + ")");
    }
    connected_ = true;
    // A session that died between its disable and its enable (a crash, a cut cable) left the terminal
    // disabled; enabling on every connect brings the gate back.
    (void)Command(zk::cmd::kEnableDevice);
    return {};
}

void ZkClient::Disconnect() {
    if (connected_) {
        connected_ = false;
        zk::Packet exit{zk::cmd::kExit, session_id_, zk::NextReplyId(reply_id_), {}};
        reply_id_ = exit.reply_id;
        (void)transport_->Send(exit);
        (void)ReceiveFor(exit.reply_id);
    }
}

core::Result<zk::Packet> ZkClient::Command(std::uint16_t command, zk::Bytes data) {
    reply_id_ = zk::NextReplyId(reply_id_);
    ROLLCALL_CHECK(transport_->Send(zk::Packet{command, session_id_, reply_id_, std::move(data)}));
    return ReceiveFor(reply_id_);
}

core::Result<zk::Packet> ZkClient::ReceiveFor(std::uint16_t reply_id) {
    for (;;) {
        ROLLCALL_TRY(auto packet, transport_->Receive(options_.timeout));
        if (packet.command == zk::cmd::kRegEvent || packet.reply_id != reply_id) {
            continue;  // a realtime event, or the late tail of an earlier exchange
        }
        return packet;
    }
}

core::Result<std::string> ZkClient::Option(const std::string& name) {
    ROLLCALL_TRY(auto request, zk::EncodeOptionRequest(name));
    ROLLCALL_TRY(const auto reply, Command(zk::cmd::kOptionsRrq, std::move(request)));
    if (reply.command != zk::cmd::kAckOk) {
        return MakeError(Errc::kNotFound, "option " + name + " not supported");
    }
    ROLLCALL_TRY(const auto option, zk::DecodeOptionValue(reply.data));
    return option.value;
}

core::Result<DeviceInfo> ZkClient::ReadInfo() {
    DeviceInfo info;
    if (auto serial = Option("~SerialNumber")) {
        info.serial = std::move(*serial);
    }
    if (auto version = Command(zk::cmd::kGetVersion); version && version->command == zk::cmd::kAckOk) {
        info.firmware = zk::DecodeText(version->data);
    }
    ROLLCALL_TRY(const auto sizes, Command(zk::cmd::kGetFreeSizes));
    if (sizes.command == zk::cmd::kAckOk) {
        ROLLCALL_TRY(info.sizes, zk::DecodeFreeSizes(sizes.data));
    }
    if (auto time = Command(zk::cmd::kGetTime); time && time->command == zk::cmd::kAckOk) {
        if (auto decoded = zk::DecodeTimeData(time->data)) {
            info.device_time = zk::ToLocalDateTime(*decoded);
        }
    }
    return info;
}

core::Result<zk::Bytes> ZkClient::ReadDataset(zk::Dataset which) {
    const auto request = zk::PrepareBufferRequestFor(which);
    ROLLCALL_TRY(const auto reply, Command(zk::cmd::kPrepareBuffer, zk::EncodePrepareBufferRequest(request)));
    ROLLCALL_TRY(auto prepared, zk::DecodePrepareBufferReply(reply));
    auto collect = [this](zk::TransferAssembler assembler, std::uint16_t reply_id) -> core::Result<zk::Bytes> {
        for (;;) {
            ROLLCALL_TRY(const auto packet, ReceiveFor(reply_id));
            ROLLCALL_TRY(const auto progress, assembler.Feed(packet));
            if (progress != zk::TransferAssembler::Progress::kNeedMore) {
                // On kDataComplete the trailing ACK_OK may still come; ReceiveFor drops it later by its id.
                return assembler.TakeData();
            }
        }
    };
    if (auto* direct = std::get_if<zk::DirectDataset>(&prepared)) {
        return std::move(direct->dataset);
    }
    if (std::holds_alternative<zk::BufferUnsupported>(prepared)) {
        // Old firmware: the legacy direct read streams the whole log at once (§6.6).
        ROLLCALL_TRY(const auto legacy, zk::LegacyReadRequestFor(which));
        reply_id_ = zk::NextReplyId(reply_id_);
        ROLLCALL_CHECK(transport_->Send(zk::Packet{legacy.command, session_id_, reply_id_, legacy.data}));
        return collect(zk::TransferAssembler::ForLegacyRead(kMaxDatasetSize), reply_id_);
    }
    const auto size = std::get<zk::BufferedDataset>(prepared).size;
    if (size > kMaxDatasetSize) {
        return MakeError(Errc::kPayloadTooLarge,
                         "the terminal announced " + std::to_string(size) + " bytes of " +
                             (which == zk::Dataset::kUsers ? "users" : "log"));
    }
    const auto chunk_size = transport_->Name() == "tcp" ? zk::kTcpChunkSize : zk::kUdpChunkSize;
    ROLLCALL_TRY(const auto chunks, zk::PlanChunks(size, chunk_size));
    zk::Bytes dataset;
    dataset.reserve(size);
    for (const auto& chunk : chunks) {
        // One chunk at a time, and a lost datagram costs a retry of that chunk, not the whole read.
        core::Result<zk::Bytes> data = MakeError(Errc::kUnavailable, "not read");
        for (int attempt = 0; attempt < 3; ++attempt) {
            reply_id_ = zk::NextReplyId(reply_id_);
            ROLLCALL_CHECK(transport_->Send(
                zk::Packet{zk::cmd::kReadBuffer, session_id_, reply_id_, zk::EncodeReadBufferRequest(chunk)}));
            data = collect(zk::TransferAssembler::ForChunk(chunk), reply_id_);
            if (data) {
                break;
            }
            spdlog::debug("zk: chunk at {} failed ({}), retrying", chunk.offset, data.error().message);
        }
        ROLLCALL_TRY(const auto bytes, std::move(data));
        dataset.insert(dataset.end(), bytes.begin(), bytes.end());
    }
    (void)Command(zk::cmd::kFreeData);
    return dataset;
}

namespace {

/// The punches of an attendance dataset; records with a garbage time or no PIN are counted, not guessed.
core::Result<std::vector<DevicePunch>> DecodePunches(const zk::Bytes& dataset,
                                                     std::optional<std::uint32_t> expected_count,
                                                     std::size_t& skipped,
                                                     std::size_t& total) {
    std::vector<DevicePunch> out;
    skipped = 0;
    total = 0;
    ROLLCALL_TRY(const auto records_view, zk::DatasetRecords(dataset));
    if (records_view.empty()) {
        return out;
    }
    ROLLCALL_TRY(const auto format, zk::DetectAttendanceFormat(dataset, expected_count));
    ROLLCALL_TRY(const auto records, zk::DecodeAttendanceDataset(dataset, format));
    total = records.size();
    out.reserve(records.size());
    for (const auto& r : records) {
        const auto time = zk::DecodePackedTime(r.packed_time);
        if (!time || r.user_id.empty()) {
            ++skipped;
            continue;
        }
        out.push_back(DevicePunch{r.user_id, zk::ToLocalDateTime(*time), r.state, r.verify});
    }
    return out;
}

}  // namespace

core::Result<std::vector<DevicePunch>> ZkClient::ReadAttendance(std::optional<std::uint32_t> expected_count,
                                                                std::size_t& skipped,
                                                                const ClearIf& clear_if,
                                                                bool* cleared) {
    if (cleared != nullptr) {
        *cleared = false;
    }
    if (auto disabled = Command(zk::cmd::kDisableDevice); !disabled) {
        // The answer may be lost while the terminal did disable itself: the enable still goes out.
        (void)Command(zk::cmd::kEnableDevice);
        return disabled.error();
    }  // an ACK_ERROR answer is fine: some firmware refuses to disable and reads anyway
    std::size_t total = 0;
    auto dataset = ReadDataset(zk::Dataset::kAttendance);
    auto punches = dataset ? DecodePunches(*dataset, expected_count, skipped, total)
                           : core::Result<std::vector<DevicePunch>>(dataset.error());
    if (punches && clear_if && total > 0 && clear_if(*punches, skipped)) {
        // Still disabled, so nobody could punch since the read; the count proves it before anything goes.
        auto sizes = Command(zk::cmd::kGetFreeSizes);
        auto decoded =
            sizes ? zk::DecodeFreeSizes(sizes->data) : core::Result<std::optional<zk::FreeSizes>>(sizes.error());
        if (decoded && *decoded && (*decoded)->records == total) {
            const auto s = ClearAttendance();
            if (cleared != nullptr) {
                *cleared = s.ok();
            }
        } else {
            spdlog::warn("zk: log not cleared: the terminal's record count changed or is unknown");
        }
    }
    // The enable runs whatever happened above: a terminal left disabled stops taking punches at the gate.
    const auto enabled = Command(zk::cmd::kEnableDevice);
    if (!enabled) {
        spdlog::warn("zk: enabling the terminal again failed: {}", enabled.error().message);
    }
    return punches;
}

core::Result<std::vector<zk::User>> ZkClient::ReadUsers(std::optional<std::uint32_t> expected_count) {
    ROLLCALL_TRY(const auto dataset, ReadDataset(zk::Dataset::kUsers));
    ROLLCALL_TRY(const auto records, zk::DatasetRecords(dataset));
    if (records.empty()) {
        return std::vector<zk::User>();
    }
    ROLLCALL_TRY(const auto format, zk::DetectUserFormat(dataset, expected_count));
    return zk::DecodeUserDataset(dataset, format);
}

core::Status ZkClient::SetTime(core::LocalDateTime time) {
    ROLLCALL_TRY(const auto device_time, zk::FromLocalDateTime(time));
    ROLLCALL_TRY(auto data, zk::EncodeTimeData(device_time));
    ROLLCALL_TRY(const auto reply, Command(zk::cmd::kSetTime, std::move(data)));
    if (reply.command != zk::cmd::kAckOk) {
        return MakeError(Errc::kUnavailable, "the terminal refused to set its clock");
    }
    return {};
}

core::Status ZkClient::RegisterEvents() {
    ROLLCALL_TRY(const auto reply, Command(zk::cmd::kRegEvent, zk::EncodeEventMask(zk::event::kAttLog)));
    if (reply.command != zk::cmd::kAckOk) {
        return MakeError(Errc::kUnavailable, "the terminal refused realtime events");
    }
    return {};
}

core::Result<std::optional<DevicePunch>> ZkClient::WaitEvent(std::chrono::milliseconds timeout) {
    ROLLCALL_TRY(const auto packet, transport_->Receive(timeout));
    if (!zk::IsEvent(packet) || zk::EventCode(packet) != zk::event::kAttLog) {
        return std::optional<DevicePunch>();
    }
    (void)transport_->Send(zk::MakeEventAck(session_id_));
    ROLLCALL_TRY(const auto event, zk::DecodeAttendanceEvent(packet.data));
    return std::optional<DevicePunch>(
        DevicePunch{event.user_id, zk::ToLocalDateTime(event.time), event.state, event.verify});
}

core::Status ZkClient::ClearAttendance() {
    ROLLCALL_TRY(const auto reply, Command(zk::cmd::kClearAttLog));
    if (reply.command != zk::cmd::kAckOk) {
        return MakeError(Errc::kUnavailable, "the terminal refused to clear its log");
    }
    return {};
}

}  // namespace rollcall::agent
