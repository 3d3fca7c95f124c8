#pragma once

#include "storage/records.hpp"
#include "storage/sqlite/tables.hpp"

#include <vector>

namespace rollcall::storage::sqlite {

// The reads of the audit trail (R19). A line is inserted (table.hpp, tables.hpp) in the transaction of the
// change it records.

/// The school's newest lines first.
std::vector<AuditEntry> SelectAudit(Db& db, std::int64_t school_id, std::int64_t limit);

}  // namespace rollcall::storage::sqlite
