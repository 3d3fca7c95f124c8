#pragma once

#include "storage/records.hpp"

#include <vector>

namespace rollcall::storage::sqlite {

class Db;

// The statements of the audit trail (R19), run inside the transaction of the change they record.

void InsertAudit(Db& db, const AuditEntry& entry);
/// The school's newest lines first.
std::vector<AuditEntry> SelectAudit(Db& db, std::int64_t school_id, std::int64_t limit);

}  // namespace rollcall::storage::sqlite
