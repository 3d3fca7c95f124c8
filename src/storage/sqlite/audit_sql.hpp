#pragma once

#include "storage/records.hpp"
#include "storage/sqlite/tables.hpp"

#include <vector>

namespace rollcall::storage::sqlite {

// The reads of the audit trail (R19). A line is inserted (table.hpp, tables.hpp) in the transaction of the
// change it records.

/// The school's lines that pass the filter, newest first.
std::vector<AuditEntry> SelectAudit(Db& db, std::int64_t school_id, const AuditFilter& filter);

}  // namespace rollcall::storage::sqlite
