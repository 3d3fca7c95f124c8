// libFuzzer target for the push JSON decoder (wire/punches.hpp): arbitrary bytes as the body of a push
// (`push-log`), of an agent's upload, and as the ingest report the agent reads back. Besides crashes and sanitizer
// reports it checks what the server relies on: a decoded batch holds at most the record limit, its rejects point
// at records in order, and whatever decodes re-encodes to the same records.

#include "core/error.hpp"
#include "wire/punches.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace wire = rollcall::wire;
namespace json = boost::json;

namespace {

// A broken invariant is a bug: stop so libFuzzer saves the input.
void Require(bool condition) {
    if (!condition) {
        __builtin_trap();
    }
}

constexpr std::size_t kMaxRecords = 64;

/// A refused body is a 400 naming what is wrong, or a 413 for too many records; never anything else.
void RequireRefusal(const rollcall::core::Error& error) {
    Require(error.code == rollcall::core::Errc::kInvalidArgument ||
            error.code == rollcall::core::Errc::kPayloadTooLarge);
    Require(!error.message.empty());
}

void CheckBatch(const wire::PunchBatch& batch) {
    Require(batch.logs.size() <= kMaxRecords);
    for (std::size_t i = 0; i < batch.rejects.size(); ++i) {
        Require(batch.rejects[i].index < batch.logs.size());
        Require(i == 0 || batch.rejects[i - 1].index < batch.rejects[i].index);
        Require(!batch.rejects[i].reason.empty());
        Require(batch.logs[batch.rejects[i].index] == wire::PunchRecord{});
    }
    // A rejected record stays in its place as an empty one, which encodes as {} and decodes without a reject.
    const auto again = wire::Decode<wire::PunchBatch>(json::value_from(batch), kMaxRecords);
    Require(again.ok() && again->logs == batch.logs && again->rejects.empty());
}

void FuzzPush(std::string_view body) {
    const auto batch = wire::DecodeBody<wire::PunchBatch>(body, kMaxRecords);
    if (!batch) {
        RequireRefusal(batch.error());
        return;
    }
    CheckBatch(*batch);
}

void FuzzAgentUpload(std::string_view body) {
    const auto upload = wire::DecodeBody<wire::AgentUpload>(body, kMaxRecords);
    if (!upload) {
        RequireRefusal(upload.error());
        return;
    }
    CheckBatch(upload->batch);
    const auto again = wire::Decode<wire::AgentUpload>(json::value_from(*upload), kMaxRecords);
    Require(again.ok() && again->read_at == upload->read_at && again->batch.logs == upload->batch.logs);
}

void FuzzIngestReport(std::string_view body) {
    const auto report = wire::DecodeBody<wire::IngestReport>(body);
    if (!report) {
        RequireRefusal(report.error());
        return;
    }
    const auto again = wire::Decode<wire::IngestReport>(json::value_from(*report));
    Require(again.ok() && *again == *report);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view body(reinterpret_cast<const char*>(data), size);
    FuzzPush(body);
    FuzzAgentUpload(body);
    FuzzIngestReport(body);
    return 0;
}
