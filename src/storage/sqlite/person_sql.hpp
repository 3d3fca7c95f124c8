#pragma once

#include "storage/records.hpp"
#include "storage/sqlite/tables.hpp"

#include <cstdint>

namespace rollcall::storage::sqlite {

// The statements of people beyond those every table has (table.hpp; their rows are described in tables.hpp),
// run inside the store's transactions and reads.

/// What the record holds about a person of the school: punches of the device users mapped to them (R6, as the
/// register assigns them: a device's own mapping of a user beats the school-wide one), overrides, stored register
/// rows of final days, webhook events.
PersonHistory SelectPersonHistory(Db& db, std::int64_t school_id, std::int64_t person_id);

}  // namespace rollcall::storage::sqlite
