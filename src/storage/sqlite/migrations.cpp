#include "storage/sqlite/migrations.hpp"

#include "storage/sqlite/sqlite_db.hpp"

#include <algorithm>
#include <string>

namespace rollcall::storage::sqlite {
namespace {

// Append only: a released migration is never edited. user_version records how many have run.
constexpr const char* kMigrations[] = {
    // 1: the foundation schema.
    R"sql(
CREATE TABLE schools(
    id INTEGER PRIMARY KEY, name TEXT NOT NULL, timezone TEXT NOT NULL, created_at INTEGER NOT NULL);
CREATE TABLE users(
    id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE COLLATE NOCASE, role TEXT NOT NULL,
    school_id INTEGER REFERENCES schools(id), password_hash TEXT NOT NULL, created_at INTEGER NOT NULL);
CREATE TABLE sessions(
    id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    token_hash BLOB NOT NULL UNIQUE, csrf_token TEXT NOT NULL, created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL);
CREATE TABLE devices(
    id INTEGER PRIMARY KEY, school_id INTEGER NOT NULL REFERENCES schools(id), name TEXT NOT NULL,
    ip TEXT NOT NULL DEFAULT '', port INTEGER NOT NULL DEFAULT 4370, sync_mode TEXT NOT NULL,
    direction TEXT NOT NULL, status TEXT NOT NULL, serial TEXT NOT NULL DEFAULT '',
    comm_key TEXT NOT NULL DEFAULT '', token_hash BLOB NOT NULL, token_encrypted BLOB NOT NULL,
    last_seen INTEGER, created_at INTEGER NOT NULL);
CREATE INDEX devices_school ON devices(school_id);
CREATE UNIQUE INDEX devices_token ON devices(token_hash);
CREATE TABLE people(
    id INTEGER PRIMARY KEY, school_id INTEGER NOT NULL REFERENCES schools(id), name TEXT NOT NULL,
    kind TEXT NOT NULL, external_id TEXT NOT NULL DEFAULT '', group_name TEXT NOT NULL DEFAULT '',
    active_from INTEGER, active_to INTEGER, created_at INTEGER NOT NULL);
CREATE INDEX people_school ON people(school_id);
CREATE UNIQUE INDEX people_external_id ON people(school_id, external_id) WHERE external_id <> '';
CREATE TABLE mappings(
    id INTEGER PRIMARY KEY, school_id INTEGER NOT NULL REFERENCES schools(id),
    device_id INTEGER REFERENCES devices(id) ON DELETE CASCADE, user_id TEXT NOT NULL,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE, created_at INTEGER NOT NULL);
CREATE UNIQUE INDEX mappings_key ON mappings(school_id, ifnull(device_id, 0), user_id);
CREATE TABLE punch_batches(
    id INTEGER PRIMARY KEY, school_id INTEGER NOT NULL, device_id INTEGER NOT NULL, source TEXT NOT NULL,
    received_at INTEGER NOT NULL, records INTEGER NOT NULL);
CREATE TABLE punches(
    school_id INTEGER NOT NULL, device_id INTEGER NOT NULL, user_id TEXT NOT NULL, ts INTEGER NOT NULL,
    status INTEGER, verify INTEGER, source TEXT NOT NULL, received_at INTEGER NOT NULL, batch_id INTEGER NOT NULL,
    PRIMARY KEY(device_id, ts, user_id)) WITHOUT ROWID;
CREATE INDEX punches_school_ts ON punches(school_id, ts);
CREATE TABLE device_users(
    device_id INTEGER NOT NULL, user_id TEXT NOT NULL, school_id INTEGER NOT NULL, name TEXT NOT NULL DEFAULT '',
    punches INTEGER NOT NULL, first_seen INTEGER NOT NULL, last_seen INTEGER NOT NULL,
    PRIMARY KEY(device_id, user_id)) WITHOUT ROWID;
CREATE TABLE holidays(
    id INTEGER PRIMARY KEY, school_id INTEGER NOT NULL REFERENCES schools(id), date INTEGER NOT NULL,
    name TEXT NOT NULL, UNIQUE(school_id, date));
CREATE TABLE attendance_settings(
    id INTEGER PRIMARY KEY, school_id INTEGER NOT NULL REFERENCES schools(id), effective_from INTEGER NOT NULL,
    json TEXT NOT NULL, created_at INTEGER NOT NULL);
CREATE INDEX attendance_settings_school ON attendance_settings(school_id, effective_from);
)sql",
    // 2: overrides of a register row and the audit trail (R19).
    R"sql(
CREATE TABLE overrides(
    id INTEGER PRIMARY KEY, school_id INTEGER NOT NULL REFERENCES schools(id),
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE, date INTEGER NOT NULL,
    status TEXT NOT NULL, in_time INTEGER, out_time INTEGER, reason TEXT NOT NULL,
    created_by INTEGER NOT NULL, created_at INTEGER NOT NULL, UNIQUE(school_id, person_id, date));
CREATE INDEX overrides_day ON overrides(school_id, date);
CREATE TABLE audit_log(
    id INTEGER PRIMARY KEY, school_id INTEGER NOT NULL, user_id INTEGER NOT NULL, at INTEGER NOT NULL,
    action TEXT NOT NULL, entity TEXT NOT NULL, entity_id INTEGER NOT NULL, old_value TEXT NOT NULL,
    new_value TEXT NOT NULL, reason TEXT NOT NULL);
CREATE INDEX audit_log_school ON audit_log(school_id, id);
)sql",
    // 3: settings by kind and by group (R21); '' is the school's own.
    R"sql(
ALTER TABLE attendance_settings ADD COLUMN scope TEXT NOT NULL DEFAULT '';
DROP INDEX attendance_settings_school;
CREATE INDEX attendance_settings_scope ON attendance_settings(school_id, scope, effective_from);
)sql",
    // 4: batch ids from a counter the writer advances once per group commit, instead of a row per request
    // (punches keep source, received_at and batch_id, which is all R2 asks for).
    R"sql(
CREATE TABLE counters(name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
INSERT INTO counters SELECT 'batch_id', ifnull(max(id), 0) FROM punch_batches;
DROP TABLE punch_batches;
)sql",
    // 5: days an admin finalized although some device stayed silent (R16 "finalize anyway").
    R"sql(
CREATE TABLE finalized_days(
    school_id INTEGER NOT NULL REFERENCES schools(id), date INTEGER NOT NULL, finalized_by INTEGER NOT NULL,
    finalized_at INTEGER NOT NULL, PRIMARY KEY(school_id, date)) WITHOUT ROWID;
)sql",
    // 6: a device may keep its clock in its own zone (R5); '' means the school's.
    R"sql(
ALTER TABLE devices ADD COLUMN timezone TEXT NOT NULL DEFAULT '';
)sql",
    // 7: clock corrections (R4): punches of a device between from and to (its own clock) moved by offset.
    R"sql(
CREATE TABLE clock_corrections(
    id INTEGER PRIMARY KEY, school_id INTEGER NOT NULL REFERENCES schools(id),
    device_id INTEGER NOT NULL REFERENCES devices(id) ON DELETE CASCADE, from_ts INTEGER NOT NULL,
    to_ts INTEGER NOT NULL, offset_seconds INTEGER NOT NULL, reason TEXT NOT NULL, created_by INTEGER NOT NULL,
    created_at INTEGER NOT NULL);
CREATE INDEX clock_corrections_school ON clock_corrections(school_id);
)sql",
    // 8: agent tokens, one school each, kept only as keyed hashes.
    R"sql(
CREATE TABLE agent_tokens(
    id INTEGER PRIMARY KEY, school_id INTEGER NOT NULL REFERENCES schools(id), token_hash BLOB NOT NULL UNIQUE,
    created_at INTEGER NOT NULL, revoked_at INTEGER);
)sql",
    // 9: recomputation (R18) and webhooks. dirty_days is the durable queue of days to recompute; day_records
    // what the worker computed and what webhooks were told; webhook_deliveries the outbox and delivery log.
    R"sql(
CREATE TABLE dirty_days(
    school_id INTEGER NOT NULL, date INTEGER NOT NULL, generation INTEGER NOT NULL,
    PRIMARY KEY(school_id, date)) WITHOUT ROWID;
CREATE TABLE day_records(
    school_id INTEGER NOT NULL, date INTEGER NOT NULL,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE, status TEXT NOT NULL, in_time INTEGER,
    out_time INTEGER, late_minutes INTEGER NOT NULL, final INTEGER NOT NULL, notified INTEGER NOT NULL,
    reported_status TEXT NOT NULL, computed_at INTEGER NOT NULL,
    PRIMARY KEY(school_id, date, person_id)) WITHOUT ROWID;
CREATE TABLE register_days(
    school_id INTEGER NOT NULL, date INTEGER NOT NULL, final INTEGER NOT NULL, computed_at INTEGER NOT NULL,
    PRIMARY KEY(school_id, date)) WITHOUT ROWID;
CREATE TABLE webhooks(
    id INTEGER PRIMARY KEY, school_id INTEGER NOT NULL REFERENCES schools(id), url TEXT NOT NULL,
    events TEXT NOT NULL, secret_encrypted BLOB NOT NULL, active INTEGER NOT NULL, created_at INTEGER NOT NULL);
CREATE INDEX webhooks_school ON webhooks(school_id);
CREATE TABLE webhook_deliveries(
    id INTEGER PRIMARY KEY, school_id INTEGER NOT NULL,
    webhook_id INTEGER NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE, event TEXT NOT NULL,
    person_id INTEGER NOT NULL, date INTEGER NOT NULL, payload TEXT NOT NULL, state TEXT NOT NULL,
    attempts INTEGER NOT NULL, next_attempt_at INTEGER NOT NULL, last_status INTEGER NOT NULL,
    last_error TEXT NOT NULL, created_at INTEGER NOT NULL, delivered_at INTEGER,
    UNIQUE(webhook_id, event, person_id, date));
CREATE INDEX webhook_deliveries_due ON webhook_deliveries(next_attempt_at) WHERE state = 'pending';
CREATE INDEX webhook_deliveries_school ON webhook_deliveries(school_id, id);
)sql",
    // 10: what the agent last reported about each device it reads.
    R"sql(
CREATE TABLE device_status(
    device_id INTEGER PRIMARY KEY REFERENCES devices(id) ON DELETE CASCADE, school_id INTEGER NOT NULL,
    reachable INTEGER NOT NULL, serial TEXT NOT NULL, firmware TEXT NOT NULL, users INTEGER, records INTEGER,
    user_capacity INTEGER, record_capacity INTEGER, device_time INTEGER, clock_drift_seconds INTEGER,
    read_through INTEGER, last_error TEXT NOT NULL, reported_at INTEGER NOT NULL);
CREATE INDEX device_status_school ON device_status(school_id);
)sql",
    // 11: the settings scopes whose day was once final (R16): finality never goes back, so a device added or
    // switched back on later cannot reopen a day. The days the worker already stored as final carry over.
    R"sql(
CREATE TABLE final_scopes(
    school_id INTEGER NOT NULL, date INTEGER NOT NULL, scope TEXT NOT NULL,
    PRIMARY KEY(school_id, date, scope)) WITHOUT ROWID;
INSERT INTO final_scopes SELECT school_id, date, '' FROM register_days WHERE final = 1;
)sql",
    // 12: users can be disabled and schools deactivated (their rows, and everything they did, stay).
    R"sql(
ALTER TABLE users ADD COLUMN status TEXT NOT NULL DEFAULT 'active';
ALTER TABLE schools ADD COLUMN status TEXT NOT NULL DEFAULT 'active';
CREATE INDEX sessions_user ON sessions(user_id);
)sql",
    // 13: each audit line says who in words, names its object and the person it is about (R19), so the trail
    // still reads well after the object is gone and can be asked about one person. Older lines get who from the
    // users table (user 0 is the command line, or the sync agent where it filled a serial) and their person from
    // the values they kept; their label is read from those values when they are listed.
    R"sql(
ALTER TABLE audit_log ADD COLUMN actor TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_log ADD COLUMN person_id INTEGER;
ALTER TABLE audit_log ADD COLUMN label TEXT NOT NULL DEFAULT '';
UPDATE audit_log SET actor = CASE
    WHEN user_id <> 0 THEN ifnull((SELECT email FROM users WHERE users.id = audit_log.user_id), 'user ' || user_id)
    WHEN reason = 'serial number read from the terminal by the sync agent' THEN 'sync agent'
    ELSE 'command line' END;
UPDATE audit_log SET person_id = entity_id WHERE entity = 'person';
UPDATE audit_log SET person_id = json_extract(CASE WHEN new_value <> '' THEN new_value ELSE old_value END,
                                              '$.person_id')
    WHERE entity IN ('mapping', 'override');
CREATE INDEX audit_log_person ON audit_log(school_id, person_id, id) WHERE person_id IS NOT NULL;
)sql",
    // 14: webhook and delivery ids are never handed out again (AUTOINCREMENT): a deleted webhook's id named another
    // school's new webhook, which inherited the dispatcher's backoff for it, and a gateway could see a delivery id
    // twice. SQLite cannot add AUTOINCREMENT to a table, so both are rebuilt with their rows (the deliveries
    // first dropped, so that dropping the webhooks cascades to nothing). Ids deleted before this migration are
    // known from the audit trail and are not handed out either.
    R"sql(
CREATE TABLE webhooks_v14(
    id INTEGER PRIMARY KEY AUTOINCREMENT, school_id INTEGER NOT NULL REFERENCES schools(id), url TEXT NOT NULL,
    events TEXT NOT NULL, secret_encrypted BLOB NOT NULL, active INTEGER NOT NULL, created_at INTEGER NOT NULL);
INSERT INTO webhooks_v14(id, school_id, url, events, secret_encrypted, active, created_at)
    SELECT id, school_id, url, events, secret_encrypted, active, created_at FROM webhooks;
CREATE TABLE webhook_deliveries_v14(
    id INTEGER PRIMARY KEY AUTOINCREMENT, school_id INTEGER NOT NULL,
    webhook_id INTEGER NOT NULL REFERENCES webhooks_v14(id) ON DELETE CASCADE, event TEXT NOT NULL,
    person_id INTEGER NOT NULL, date INTEGER NOT NULL, payload TEXT NOT NULL, state TEXT NOT NULL,
    attempts INTEGER NOT NULL, next_attempt_at INTEGER NOT NULL, last_status INTEGER NOT NULL,
    last_error TEXT NOT NULL, created_at INTEGER NOT NULL, delivered_at INTEGER,
    UNIQUE(webhook_id, event, person_id, date));
INSERT INTO webhook_deliveries_v14(id, school_id, webhook_id, event, person_id, date, payload, state, attempts,
                                   next_attempt_at, last_status, last_error, created_at, delivered_at)
    SELECT id, school_id, webhook_id, event, person_id, date, payload, state, attempts, next_attempt_at, last_status,
           last_error, created_at, delivered_at FROM webhook_deliveries;
DROP TABLE webhook_deliveries;
DROP TABLE webhooks;
ALTER TABLE webhooks_v14 RENAME TO webhooks;
ALTER TABLE webhook_deliveries_v14 RENAME TO webhook_deliveries;
CREATE INDEX webhooks_school ON webhooks(school_id);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries(next_attempt_at) WHERE state = 'pending';
CREATE INDEX webhook_deliveries_school ON webhook_deliveries(school_id, id);
DELETE FROM sqlite_sequence WHERE name IN ('webhooks', 'webhook_deliveries');
INSERT INTO sqlite_sequence(name, seq) VALUES
    ('webhooks', max((SELECT ifnull(max(id), 0) FROM webhooks),
                     (SELECT ifnull(max(entity_id), 0) FROM audit_log WHERE entity = 'webhook'))),
    ('webhook_deliveries', (SELECT ifnull(max(id), 0) FROM webhook_deliveries));
)sql",
    // 15: each agent device's own user table (ID, name, card, privilege) as its agent last read it, replaced whole
    // by every upload, and when it was read. Both go with their device.
    R"sql(
CREATE TABLE terminal_users(
    device_id INTEGER NOT NULL REFERENCES devices(id) ON DELETE CASCADE, user_id TEXT NOT NULL,
    school_id INTEGER NOT NULL, name TEXT NOT NULL, card INTEGER NOT NULL, privilege INTEGER NOT NULL,
    PRIMARY KEY(device_id, user_id)) WITHOUT ROWID;
CREATE INDEX terminal_users_school ON terminal_users(school_id, device_id);
CREATE TABLE terminal_user_reads(
    device_id INTEGER PRIMARY KEY REFERENCES devices(id) ON DELETE CASCADE, school_id INTEGER NOT NULL,
    read_at INTEGER NOT NULL, users INTEGER NOT NULL, received_at INTEGER NOT NULL);
)sql",
};

}  // namespace

void Migrate(Db& db) {
    MigrateTo(db, static_cast<std::int64_t>(std::size(kMigrations)));
}

void MigrateTo(Db& db, std::int64_t last) {
    Stmt version(db, "PRAGMA user_version");
    version.Step();
    const auto current = version.Int(0);
    version.Reset();
    const auto total = std::min(last, static_cast<std::int64_t>(std::size(kMigrations)));
    for (std::int64_t i = current; i < total; ++i) {
        InTransaction(db, [&] {
            db.Exec(kMigrations[i]);
            db.Exec("PRAGMA user_version = " + std::to_string(i + 1));
        });
    }
}

}  // namespace rollcall::storage::sqlite
