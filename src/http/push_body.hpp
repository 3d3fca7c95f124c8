#pragma once

#include "domain/punch.hpp"
#include "http/json_util.hpp"
#include "service/ingest.hpp"

#include <string_view>
#include <vector>

namespace rollcall::http {

/// The body of a push (`push-log`, and the agent's uploads): `{"logs": [...]}`; a record of the wrong shape
/// is that record's reject, never the batch's (R3).
struct PushLogs {
    std::vector<domain::RawRecord> records;
    std::vector<service::RejectedRecord> rejects;
    json::object body;  ///< the whole object, for the fields beside `logs`
};

/// 400 when the body is not JSON or has no `logs` array; 413 over `max_records`.
core::Result<PushLogs> DecodePushLogs(std::string_view body, std::size_t max_records);

/// `{"received", "inserted", "duplicates", "rejected": [{"index", "reason"}]}`.
json::object ReportJson(const service::IngestReport& report);

}  // namespace rollcall::http
