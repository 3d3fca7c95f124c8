#include "protocol/zk/transfer.hpp"

#include "protocol/zk/commands.hpp"

#include <algorithm>
#include <string>

namespace rollcall::protocol::zk {
namespace {

using core::Errc;
using core::MakeError;

constexpr std::size_t kPrepareBufferRequestSize = 11;
constexpr std::uint8_t kPrepareBufferMarker = 1;
constexpr std::size_t kBufferStatSize = 13;
// Clients read the size at data[1..4] and ignore the rest of the stat.
constexpr std::size_t kBufferStatMinSize = 5;
constexpr std::size_t kReadBufferRequestSize = 8;
constexpr std::uint8_t kLegacyUserReadMarker = 5;

}  // namespace

PrepareBufferRequest PrepareBufferRequestFor(Dataset dataset) {
    switch (dataset) {
        case Dataset::kAttendance:
            return {cmd::kAttLogRrq, 0, 0};
        case Dataset::kUsers:
            return {cmd::kUserTempRrq, fct::kUser, 0};
        case Dataset::kFingerTemplates:
            return {cmd::kDbRrq, fct::kFingerTmp, 0};
        case Dataset::kOpLog:
            return {cmd::kOpLogRrq, 0, 0};
    }
    return {cmd::kAttLogRrq, 0, 0};
}

Bytes EncodePrepareBufferRequest(const PrepareBufferRequest& request) {
    Bytes out{kPrepareBufferMarker};
    AppendU16(out, request.inner_command);
    AppendU32(out, request.fct);
    AppendU32(out, request.ext);
    return out;
}

core::Result<PrepareBufferRequest> DecodePrepareBufferRequest(ByteView data) {
    if (data.size() != kPrepareBufferRequestSize) {
        return MakeError(Errc::kInvalidArgument,
                         "1503 request of " + std::to_string(data.size()) + " bytes, expected 11");
    }
    if (data[0] != kPrepareBufferMarker) {
        return MakeError(Errc::kInvalidArgument, "1503 request does not start with 01");
    }
    return PrepareBufferRequest{ReadU16(data, 1), ReadU32(data, 3), ReadU32(data, 7)};
}

std::optional<Dataset> RequestedDataset(const PrepareBufferRequest& request) {
    switch (request.inner_command) {
        case cmd::kAttLogRrq:
            return Dataset::kAttendance;
        case cmd::kUserTempRrq:
            return Dataset::kUsers;
        case cmd::kDbRrq:
            return Dataset::kFingerTemplates;
        case cmd::kOpLogRrq:
            return Dataset::kOpLog;
        default:
            return std::nullopt;
    }
}

Packet MakeBufferStatReply(const Packet& request, std::uint32_t dataset_size) {
    Bytes stat;
    stat.reserve(kBufferStatSize);
    stat.push_back(0);
    AppendU32(stat, dataset_size);
    AppendU32(stat, dataset_size);
    AppendU32(stat, 0);
    return MakeReply(request, cmd::kAckOk, std::move(stat));
}

Packet MakeDirectDatasetReply(const Packet& request, Bytes dataset) {
    return MakeReply(request, cmd::kData, std::move(dataset));
}

core::Result<PrepareBufferReply> DecodePrepareBufferReply(const Packet& reply) {
    switch (reply.command) {
        case cmd::kData:
            return PrepareBufferReply(DirectDataset{reply.data});
        case cmd::kAckOk:
            if (reply.data.size() < kBufferStatMinSize) {
                return MakeError(
                    Errc::kInvalidArgument,
                    "1503 ACK_OK without the dataset size (" + std::to_string(reply.data.size()) + " data bytes)");
            }
            return PrepareBufferReply(BufferedDataset{ReadU32(reply.data, 1)});
        case cmd::kAckError:
            return PrepareBufferReply(BufferUnsupported{});
        case cmd::kAckUnauth:
            return MakeError(Errc::kUnauthorized, "device requires authentication (ACK_UNAUTH)");
        default:
            return MakeError(Errc::kInvalidArgument,
                             "unexpected " + std::string(CommandName(reply.command)) + " in reply to 1503");
    }
}

core::Result<std::vector<ChunkRequest>> PlanChunks(std::uint32_t dataset_size, std::uint32_t chunk_size) {
    if (chunk_size == 0) {
        return MakeError(Errc::kInvalidArgument, "chunk size must be positive");
    }
    std::vector<ChunkRequest> chunks;
    chunks.reserve(dataset_size / chunk_size + 1);
    for (std::uint32_t offset = 0; offset < dataset_size;) {
        const std::uint32_t size = std::min(chunk_size, dataset_size - offset);
        chunks.push_back({offset, size});
        offset += size;
    }
    return chunks;
}

Bytes EncodeReadBufferRequest(const ChunkRequest& chunk) {
    Bytes out;
    AppendU32(out, chunk.offset);
    AppendU32(out, chunk.size);
    return out;
}

core::Result<ChunkRequest> DecodeReadBufferRequest(ByteView data) {
    if (data.size() != kReadBufferRequestSize) {
        return MakeError(Errc::kInvalidArgument,
                         "1504 request of " + std::to_string(data.size()) + " bytes, expected 8");
    }
    return ChunkRequest{ReadU32(data, 0), ReadU32(data, 4)};
}

core::Result<ByteView> SliceChunk(ByteView dataset, const ChunkRequest& chunk) {
    // 64-bit sum: offset + size can exceed 2^32 in a hostile request.
    if (std::uint64_t{chunk.offset} + chunk.size > dataset.size()) {
        return MakeError(Errc::kInvalidArgument,
                         "chunk " + std::to_string(chunk.offset) + "+" + std::to_string(chunk.size) +
                             " reaches past the " + std::to_string(dataset.size()) + "-byte dataset");
    }
    return dataset.subspan(chunk.offset, chunk.size);
}

core::Result<CommandRequest> LegacyReadRequestFor(Dataset dataset) {
    switch (dataset) {
        case Dataset::kAttendance:
            return CommandRequest{cmd::kAttLogRrq, {}};
        case Dataset::kUsers:
            return CommandRequest{cmd::kUserTempRrq, {kLegacyUserReadMarker}};
        case Dataset::kFingerTemplates:
        case Dataset::kOpLog:
            break;
    }
    return MakeError(Errc::kInvalidArgument, "only attendance and users have a legacy read command");
}

std::optional<Dataset> LegacyReadDataset(const Packet& request) {
    if (request.command == cmd::kAttLogRrq) {
        return Dataset::kAttendance;
    }
    if (request.command == cmd::kUserTempRrq && request.data.size() == 1 && request.data[0] == kLegacyUserReadMarker) {
        return Dataset::kUsers;
    }
    return std::nullopt;
}

Bytes EncodePrepareData(std::uint32_t size) {
    Bytes out;
    AppendU32(out, size);
    AppendU32(out, 0);
    return out;
}

core::Result<std::uint32_t> DecodePrepareData(ByteView data) {
    if (data.size() < 4) {
        return MakeError(Errc::kInvalidArgument,
                         "PREPARE_DATA of " + std::to_string(data.size()) + " bytes has no size");
    }
    return ReadU32(data, 0);
}

core::Result<std::vector<Packet>> MakeTransferReplies(const Packet& request,
                                                      ByteView data,
                                                      std::size_t max_data_per_packet) {
    if (max_data_per_packet == 0) {
        return MakeError(Errc::kInvalidArgument, "DATA packets must carry at least one byte");
    }
    std::vector<Packet> out;
    out.reserve(data.size() / max_data_per_packet + 3);
    out.push_back(MakeReply(request, cmd::kPrepareData, EncodePrepareData(static_cast<std::uint32_t>(data.size()))));
    for (std::size_t at = 0; at < data.size(); at += max_data_per_packet) {
        const ByteView piece = data.subspan(at, std::min(max_data_per_packet, data.size() - at));
        out.push_back(MakeReply(request, cmd::kData, Bytes(piece.begin(), piece.end())));
    }
    out.push_back(MakeReply(request, cmd::kAckOk));
    return out;
}

TransferAssembler::TransferAssembler(std::uint32_t max_size, bool exact) : max_size_(max_size), exact_(exact) {}

TransferAssembler TransferAssembler::ForChunk(const ChunkRequest& chunk) {
    return TransferAssembler(chunk.size, true);
}

TransferAssembler TransferAssembler::ForLegacyRead(std::uint32_t max_size) {
    return TransferAssembler(max_size, false);
}

core::Error TransferAssembler::Fail(core::Error error) {
    state_ = State::kFailed;
    failure_ = error;
    return error;
}

core::Result<TransferAssembler::Progress> TransferAssembler::Feed(const Packet& packet) {
    if (state_ == State::kFailed) {
        return failure_;
    }
    if (packet.command == cmd::kAckUnauth) {
        return Fail(MakeError(Errc::kUnauthorized, "device requires authentication (ACK_UNAUTH)"));
    }
    if (packet.command == cmd::kAckError) {
        return Fail(MakeError(Errc::kUnavailable, "device refused the read (ACK_ERROR)"));
    }
    const auto unexpected = [&] {
        return Fail(MakeError(Errc::kInvalidArgument,
                              "unexpected " + std::string(CommandName(packet.command)) + " after " +
                                  std::to_string(data_.size()) + " of " + std::to_string(announced_) +
                                  " transfer bytes"));
    };
    switch (state_) {
        case State::kExpectPrepare: {
            if (packet.command == cmd::kData && !exact_) {
                // Old firmware answers a legacy read with the whole dataset in one bare CMD_DATA (§6.6).
                if (packet.data.size() > max_size_) {
                    return Fail(MakeError(Errc::kPayloadTooLarge,
                                          "CMD_DATA of " + std::to_string(packet.data.size()) + " bytes, limit " +
                                              std::to_string(max_size_)));
                }
                data_ = packet.data;
                announced_ = static_cast<std::uint32_t>(data_.size());
                state_ = State::kDataComplete;
                return Progress::kDataComplete;
            }
            if (packet.command != cmd::kPrepareData) {
                return unexpected();
            }
            auto size = DecodePrepareData(packet.data);
            if (!size) {
                return Fail(size.error());
            }
            if (exact_ && *size != max_size_) {
                return Fail(MakeError(Errc::kInvalidArgument,
                                      "PREPARE_DATA announces " + std::to_string(*size) + " bytes for a chunk of " +
                                          std::to_string(max_size_)));
            }
            if (*size > max_size_) {
                return Fail(MakeError(
                    Errc::kPayloadTooLarge,
                    "PREPARE_DATA announces " + std::to_string(*size) + " bytes, limit " + std::to_string(max_size_)));
            }
            announced_ = *size;
            data_.reserve(announced_);
            state_ = announced_ == 0 ? State::kDataComplete : State::kReceiving;
            return state_ == State::kDataComplete ? Progress::kDataComplete : Progress::kNeedMore;
        }
        case State::kReceiving:
            if (packet.command == cmd::kAckOk) {
                // Over UDP a datagram was lost: asking for the chunk again may help.
                return Fail(MakeError(Errc::kUnavailable,
                                      "transfer ended after " + std::to_string(data_.size()) + " of " +
                                          std::to_string(announced_) + " bytes"));
            }
            if (packet.command != cmd::kData) {
                return unexpected();
            }
            if (packet.data.size() > announced_ - data_.size()) {
                return Fail(MakeError(Errc::kInvalidArgument,
                                      "DATA overruns the " + std::to_string(announced_) + " announced bytes"));
            }
            data_.insert(data_.end(), packet.data.begin(), packet.data.end());
            if (data_.size() == announced_) {
                state_ = State::kDataComplete;
                return Progress::kDataComplete;
            }
            return Progress::kNeedMore;
        case State::kDataComplete:
            if (packet.command != cmd::kAckOk) {
                return unexpected();
            }
            state_ = State::kDone;
            return Progress::kDone;
        case State::kDone:
        case State::kFailed:
            break;
    }
    return unexpected();
}

}  // namespace rollcall::protocol::zk
