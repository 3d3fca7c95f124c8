// The embedded store: the SQL store's adapters (storage/sql_store.hpp) over SQLite. Each adapter's statements
// are the sqlite:: functions of the per-table files included here, found by argument-dependent lookup on
// sqlite::Db. An acknowledged punch survives a crash or power loss (as far as the disk honours fsync:
// docs/operations.md "Durability" says what the tests prove): the executor answers only after COMMIT returns
// with synchronous=FULL.

#include "storage/sql_store.hpp"
#include "storage/sqlite/account_sql.hpp"
#include "storage/sqlite/agent_sql.hpp"
#include "storage/sqlite/audit_sql.hpp"
#include "storage/sqlite/backend.hpp"
#include "storage/sqlite/calendar_sql.hpp"
#include "storage/sqlite/device_sql.hpp"
#include "storage/sqlite/override_sql.hpp"
#include "storage/sqlite/person_sql.hpp"
#include "storage/sqlite/punch_sql.hpp"
#include "storage/sqlite/recompute_sql.hpp"
#include "storage/sqlite/tables.hpp"
#include "storage/sqlite/terminal_user_sql.hpp"
#include "storage/sqlite/webhook_sql.hpp"

namespace rollcall::storage {

std::unique_ptr<Store> OpenSqliteStore(const StoreOptions& options) {
    return std::make_unique<SqlStore<sqlite::Backend>>(options);
}

}  // namespace rollcall::storage
