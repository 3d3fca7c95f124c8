#pragma once

// Bulk reads (§6): the buffered path (1503 PREPARE_BUFFER announces the dataset size, 1504 READ_BUFFER
// fetches it in chunks, each answered by PREPARE_DATA, DATA..., ACK_OK) and the legacy direct path
// (ATTLOG_RRQ / USERTEMP_RRQ answered by one PREPARE_DATA, DATA..., ACK_OK stream). Both sides are here:
// requests and reply parsing for the agent, request parsing and reply packets for the simulator.

#include "core/result.hpp"
#include "protocol/zk/bytes.hpp"
#include "protocol/zk/packet.hpp"
#include "protocol/zk/tcp_frame.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <variant>
#include <vector>

namespace rollcall::protocol::zk {

/// Chunk sizes clients request with 1504 (§6.4): 0xFFC0 over TCP (pyzk, node-zklib, zkteco-js); pyzk's 16 KB
/// over UDP, where nothing retransmits a lost datagram so a smaller chunk is cheaper to retry. Slow WAN links
/// may go down to 8 KB.
inline constexpr std::uint32_t kTcpChunkSize = 0xFFC0;
inline constexpr std::uint32_t kUdpChunkSize = 16384;

/// Most data bytes per DATA packet: one TCP frame per chunk; 1024 per datagram since clients read 1032 (§1.2).
inline constexpr std::size_t kMaxTcpTransferData = kMaxTcpPacketSize - kHeaderSize;
inline constexpr std::size_t kMaxUdpTransferData = 1024;

enum class Dataset { kAttendance, kUsers, kFingerTemplates, kOpLog };

// ---- 1503 PREPARE_BUFFER -------------------------------------------------------------------------------

/// The 11-byte 1503 request: u8 1, u16 inner command, u32 fct, u32 ext.
struct PrepareBufferRequest {
    std::uint16_t inner_command = 0;
    std::uint32_t fct = 0;
    std::uint32_t ext = 0;

    friend bool operator==(const PrepareBufferRequest&, const PrepareBufferRequest&) = default;
};

/// The request the SDK, pyzk and node-zklib send for each dataset (§6.2; attendance uses fct 0).
PrepareBufferRequest PrepareBufferRequestFor(Dataset dataset);

Bytes EncodePrepareBufferRequest(const PrepareBufferRequest& request);

/// Device side. kInvalidArgument unless 11 bytes starting with 1.
core::Result<PrepareBufferRequest> DecodePrepareBufferRequest(ByteView data);

/// Device side: the dataset a 1503 request asks for, chosen by its inner command (pyzk sends fct 0 for the
/// attendance log, so the fct cannot be trusted); std::nullopt for an unknown command (answer ACK_ERROR).
std::optional<Dataset> RequestedDataset(const PrepareBufferRequest& request);

/// Device side: the buffered 1503 answer, ACK_OK with the 13-byte "data stat" (u8 0, the dataset size
/// twice, u32 0). Always carrying the stat matters: node-zklib and zkteco-js reject a shorter reply (§6.3).
Packet MakeBufferStatReply(const Packet& request, std::uint32_t dataset_size);

/// Device side: the direct 1503 answer, CMD_DATA carrying the whole dataset (only for tiny datasets, §6.3).
Packet MakeDirectDatasetReply(const Packet& request, Bytes dataset);

/// The device sent the whole dataset at once (CMD_DATA).
struct DirectDataset {
    Bytes dataset;
};
/// The device buffered the dataset; fetch `size` bytes (prefix included) with 1504 chunks.
struct BufferedDataset {
    std::uint32_t size = 0;
};
/// ACK_ERROR: old firmware without 1503 ("RWB Not supported"); fall back to the legacy read.
struct BufferUnsupported {};

using PrepareBufferReply = std::variant<DirectDataset, BufferedDataset, BufferUnsupported>;

/// Agent side: the device's answer to 1503. kUnauthorized for ACK_UNAUTH; kInvalidArgument for an ACK_OK
/// without a size or any other code.
core::Result<PrepareBufferReply> DecodePrepareBufferReply(const Packet& reply);

// ---- 1504 READ_BUFFER -----------------------------------------------------------------------------------

/// One 1504 request: u32 offset, u32 size (signed on the wire; sizes never reach 2^31).
struct ChunkRequest {
    std::uint32_t offset = 0;
    std::uint32_t size = 0;

    friend bool operator==(const ChunkRequest&, const ChunkRequest&) = default;
};

/// Full chunks then the remainder, to be requested one at a time (pipelining is what corrupts node-zklib's
/// downloads, §9). kInvalidArgument when `chunk_size` is 0.
core::Result<std::vector<ChunkRequest>> PlanChunks(std::uint32_t dataset_size, std::uint32_t chunk_size);

Bytes EncodeReadBufferRequest(const ChunkRequest& chunk);

/// Device side. kInvalidArgument unless 8 bytes.
core::Result<ChunkRequest> DecodeReadBufferRequest(ByteView data);

/// Device side: the bytes of `dataset` a chunk asks for; kInvalidArgument when it reaches past the end.
core::Result<ByteView> SliceChunk(ByteView dataset, const ChunkRequest& chunk);

// ---- legacy direct read ---------------------------------------------------------------------------------

/// A command and its data, before session and reply ids are attached.
struct CommandRequest {
    std::uint16_t command = 0;
    Bytes data;

    friend bool operator==(const CommandRequest&, const CommandRequest&) = default;
};

/// ATTLOG_RRQ without data, or USERTEMP_RRQ with data 05 (§6.6). kInvalidArgument for other datasets,
/// which have no legacy command.
core::Result<CommandRequest> LegacyReadRequestFor(Dataset dataset);

/// Device side: the dataset a legacy read asks for, std::nullopt when `request` is not one.
std::optional<Dataset> LegacyReadDataset(const Packet& request);

// ---- the PREPARE_DATA, DATA..., ACK_OK stream (answers to 1504 and to legacy reads) -------------------

/// PREPARE_DATA data: u32 byte count, then 4 bytes of unknown meaning (sent as 0).
Bytes EncodePrepareData(std::uint32_t size);
/// kInvalidArgument when shorter than 4 bytes.
core::Result<std::uint32_t> DecodePrepareData(ByteView data);

/// Device side: PREPARE_DATA, the DATA packets of at most `max_data_per_packet` bytes (kMaxTcpTransferData:
/// one frame; kMaxUdpTransferData: one datagram each), then ACK_OK, all echoing the request's ids.
/// kInvalidArgument when `max_data_per_packet` is 0.
core::Result<std::vector<Packet>> MakeTransferReplies(const Packet& request,
                                                      ByteView data,
                                                      std::size_t max_data_per_packet);

/// Agent side: collects one transfer from its packets. The caller passes only packets whose reply id
/// matches the request (stale ones, e.g. a late ACK_OK of the previous transfer, are the caller's to drop);
/// session ids are not checked because devices do not always echo them in transfer packets (§1.5).
class TransferAssembler {
public:
    enum class Progress {
        kNeedMore,      ///< feed the next packet
        kDataComplete,  ///< every announced byte arrived; the trailing ACK_OK may still come (or come late)
        kDone,          ///< the trailing ACK_OK arrived
    };

    /// A 1504 chunk: PREPARE_DATA must announce exactly the requested size.
    static TransferAssembler ForChunk(const ChunkRequest& chunk);
    /// A legacy read: PREPARE_DATA may announce up to `max_size` bytes (kPayloadTooLarge beyond). A bare CMD_DATA
    /// instead of PREPARE_DATA is the whole dataset at once, as old firmware sends it (§6.6).
    static TransferAssembler ForLegacyRead(std::uint32_t max_size);

    /// After an error the transfer is over and every later call returns that error. Errors: kUnauthorized
    /// (ACK_UNAUTH), kUnavailable (ACK_ERROR, or ACK_OK before all data: a datagram was lost; retry the chunk),
    /// kPayloadTooLarge, kInvalidArgument (a packet out of order, more data than announced).
    core::Result<Progress> Feed(const Packet& packet);

    std::uint32_t announced_size() const { return announced_; }
    std::size_t received_size() const { return data_.size(); }
    /// The bytes received so far; the whole transfer once Feed returned kDataComplete or kDone.
    const Bytes& data() const { return data_; }
    Bytes TakeData() { return std::move(data_); }

private:
    enum class State { kExpectPrepare, kReceiving, kDataComplete, kDone, kFailed };

    TransferAssembler(std::uint32_t max_size, bool exact);
    core::Error Fail(core::Error error);

    std::uint32_t max_size_;
    bool exact_;
    State state_ = State::kExpectPrepare;
    std::uint32_t announced_ = 0;
    Bytes data_;
    core::Error failure_;
};

}  // namespace rollcall::protocol::zk
