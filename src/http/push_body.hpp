#pragma once

#include "domain/punch.hpp"
#include "http/api.hpp"
#include "wire/punches.hpp"

#include <cstdint>

namespace rollcall::http {

/// Hands a decoded push (`push-log`, or an agent's upload) to the ingestion: the records in order, the ones of the
/// wrong JSON shape as their rejects (R3). The ingest report answers once the batch's rows are durable.
/// `seen_at` is Ingest::Submit's (-1 now, 0 no claim that the device was heard from).
void SubmitBatch(const Backend& b,
                 const storage::Device& device,
                 wire::PunchBatch batch,
                 domain::PunchSource source,
                 net::Responder respond,
                 std::int64_t seen_at);

}  // namespace rollcall::http
