#pragma once

// Punches on the wire (docs/api.md "Device side", "Agent side"): what a terminal pushes and the agent uploads,
// and the server's answer to both.

#include "wire/decode.hpp"

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace rollcall::wire {

/// One element of `logs`, as the terminal or the agent sent it. Any field may be missing: whether the record is
/// usable is the server's decision (R3), not the codec's.
struct PunchRecord {
    std::optional<std::string> user_id;    ///< a number is taken as its decimal text
    std::optional<std::string> timestamp;  ///< "YYYY-MM-DD HH:MM:SS" on the terminal's clock, unchecked here
    std::optional<std::int64_t> status;    ///< a quoted number is taken; above 255 reads as 256 (out of range)
    std::optional<std::int64_t> verify;

    bool operator==(const PunchRecord&) const = default;
};

/// A record refused by its position in `logs`, and why.
struct RecordReject {
    std::size_t index = 0;
    std::string reason;

    bool operator==(const RecordReject&) const = default;
};

/// The body of `POST /api/v1/biometric/push-log`: `{"logs": [...]}`. A record of the wrong JSON type is that
/// record's reject, never the batch's (R3): decoding keeps the records in order, a default one at a rejected
/// index.
struct PunchBatch {
    std::vector<PunchRecord> logs;
    std::vector<RecordReject> rejects;  ///< decoding only; never encoded

    bool operator==(const PunchBatch&) const = default;
};

/// The body of `POST /api/v1/agent/devices/{id}/logs`: a batch, and on the last batch of a read the time the
/// agent read the terminal (R16: the server hears from the device then, not when the upload arrives).
struct AgentUpload {
    PunchBatch batch;
    std::optional<std::int64_t> read_at;  ///< Unix seconds, "YYYY-MM-DDTHH:MM:SSZ" on the wire

    bool operator==(const AgentUpload&) const = default;
};

/// The answer to both: what was stored, what was already there (R1), what was refused.
struct IngestReport {
    std::size_t received = 0;
    std::size_t inserted = 0;
    std::size_t duplicates = 0;
    std::vector<RecordReject> rejected;

    bool operator==(const IngestReport&) const = default;
};

constexpr std::size_t kNoRecordLimit = std::numeric_limits<std::size_t>::max();

void tag_invoke(json::value_from_tag, json::value& out, const PunchRecord& r);
void tag_invoke(json::value_from_tag, json::value& out, const RecordReject& r);
void tag_invoke(json::value_from_tag, json::value& out, const PunchBatch& b);
void tag_invoke(json::value_from_tag, json::value& out, const AgentUpload& u);
void tag_invoke(json::value_from_tag, json::value& out, const IngestReport& r);

/// The message is the record's reject reason ("user_id must be a string or an integer").
core::Result<PunchRecord> tag_invoke(DecodeTag<PunchRecord>, const json::value& v);
core::Result<RecordReject> tag_invoke(DecodeTag<RecordReject>, const json::value& v);
/// 400 without a `logs` array; 413 (kPayloadTooLarge) above `max_records`.
core::Result<PunchBatch> tag_invoke(DecodeTag<PunchBatch>, const json::value& v, std::size_t max_records);
core::Result<PunchBatch> tag_invoke(DecodeTag<PunchBatch>, const json::value& v);
core::Result<AgentUpload> tag_invoke(DecodeTag<AgentUpload>, const json::value& v, std::size_t max_records);
core::Result<AgentUpload> tag_invoke(DecodeTag<AgentUpload>, const json::value& v);
core::Result<IngestReport> tag_invoke(DecodeTag<IngestReport>, const json::value& v);

}  // namespace rollcall::wire
