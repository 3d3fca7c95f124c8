// The embedded store: one writer thread owning one read-write connection, a small pool of read-only
// connections (WAL lets them read while the writer commits). Punch batches from concurrent requests are
// coalesced into one transaction (group commit) and each caller is told only after COMMIT returns with
// synchronous=FULL, so an acknowledged punch survives a crash or power loss (as far as the disk honours fsync:
// docs/operations.md "Durability" says what the tests prove).

#include "storage/sqlite/agent_sql.hpp"
#include "storage/sqlite/migrations.hpp"
#include "storage/sqlite/recompute_sql.hpp"
#include "storage/sqlite/sqlite_db.hpp"
#include "storage/sqlite/webhook_sql.hpp"
#include "storage/store.hpp"

#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <unordered_map>

#include <spdlog/spdlog.h>

namespace rollcall::storage {
namespace {

using core::Errc;
using core::MakeError;
using sqlite::Db;
using sqlite::Narrow;
using sqlite::SqliteError;
using sqlite::Stmt;
using sqlite::Widen;

std::optional<std::int64_t> DateToInt(std::optional<core::Date> d) {
    return d ? std::optional<std::int64_t>(d->days) : std::nullopt;
}
std::optional<core::Date> IntToDate(std::optional<std::int64_t> v) {
    return v ? std::optional<core::Date>(core::Date{static_cast<std::int32_t>(*v)}) : std::nullopt;
}

/// Marks for recomputation (R18) every day with a punch of the device, user or person, inside the caller's
/// transaction; a day on either side too, since a device keeping its clock in another zone (R5) moves punches
/// across midnight.
void MarkPunchDays(Db& db,
                   std::int64_t school_id,
                   std::optional<std::int64_t> device_id,
                   std::optional<std::string> user_id,
                   std::optional<std::int64_t> person_id) {
    if (const auto range = sqlite::PunchDayRange(db, school_id, device_id, user_id, person_id)) {
        sqlite::MarkDirtyRange(db, school_id, core::Date{range->first.days - 1}, core::Date{range->second.days + 1});
    }
}

constexpr const char* kDeviceColumns =
    "id, school_id, name, ip, port, sync_mode, direction, status, serial, comm_key, token_hash, token_encrypted, "
    "last_seen, created_at, timezone";

Device ReadDevice(const Stmt& s) {
    Device d;
    d.id = s.Int(0);
    d.school_id = s.Int(1);
    d.name = s.Text(2);
    d.ip = s.Text(3);
    d.port = static_cast<std::int32_t>(s.Int(4));
    d.sync_mode = s.Text(5);
    d.direction = s.Text(6);
    d.status = s.Text(7);
    d.serial = s.Text(8);
    d.comm_key = s.Text(9);
    d.token_hash = s.Blob(10);
    d.token_encrypted = s.Blob(11);
    d.last_seen = s.OptInt(12);
    d.created_at = s.Int(13);
    d.timezone = s.Text(14);
    return d;
}

constexpr const char* kPersonColumns = "id, school_id, name, kind, external_id, group_name, active_from, active_to";

Person ReadPerson(const Stmt& s) {
    Person p;
    p.id = s.Int(0);
    p.school_id = s.Int(1);
    p.name = s.Text(2);
    p.kind = s.Text(3);
    p.external_id = s.Text(4);
    p.group = s.Text(5);
    p.active_from = IntToDate(s.OptInt(6));
    p.active_to = IntToDate(s.OptInt(7));
    return p;
}

constexpr const char* kOverrideColumns =
    "id, school_id, person_id, date, status, in_time, out_time, reason, created_by, created_at";

Override ReadOverride(const Stmt& s) {
    Override o;
    o.id = s.Int(0);
    o.school_id = s.Int(1);
    o.person_id = s.Int(2);
    o.date = core::Date{static_cast<std::int32_t>(s.Int(3))};
    o.status = s.Text(4);
    o.in_time = Narrow(s.OptInt(5));
    o.out_time = Narrow(s.OptInt(6));
    o.reason = s.Text(7);
    o.created_by = s.Int(8);
    o.created_at = s.Int(9);
    return o;
}

User ReadUser(const Stmt& s) {
    User u;
    u.id = s.Int(0);
    u.email = s.Text(1);
    u.role = s.Text(2);
    u.school_id = s.OptInt(3);
    u.password_hash = s.Text(4);
    return u;
}

core::Error NotFound(const char* what) {
    return MakeError(Errc::kNotFound, std::string(what) + " not found");
}

/// Runs a storage operation, turning SQLite exceptions into error values at the interface boundary.
template <class Fn>
auto Guard(const char* what, Fn&& fn) -> decltype(fn()) {
    try {
        return fn();
    } catch (const SqliteError& e) {
        if (e.IsConstraint()) {
            return MakeError(Errc::kConflict, std::string(what) + " conflicts with an existing one");
        }
        spdlog::error("storage: {}: {}", what, e.what());
        return MakeError(Errc::kInternal, "storage error");
    }
}

class SqliteStore final : public Store {
public:
    explicit SqliteStore(const StoreOptions& options) : options_(options) {
        writer_db_ = std::make_unique<Db>(options.path, false);
        for (const auto pragma : sqlite::kWriterPragmas) {
            writer_db_->Exec(pragma);
        }
        sqlite::Migrate(*writer_db_);
        for (std::size_t i = 0; i < std::max<std::size_t>(1, options.read_connections); ++i) {
            auto db = std::make_unique<Db>(options.path, true);
            db->Exec("PRAGMA cache_size=-2048");
            readers_.push_back(std::move(db));
        }
        writer_ = std::thread([this] { WriterLoop(); });
    }

    ~SqliteStore() override {
        {
            std::lock_guard lock(mu_);
            stopping_ = true;
        }
        cv_.notify_all();
        writer_.join();
    }

    // ---- schools and users ----
    core::Result<School> CreateSchool(const School& school, std::optional<AuditEntry> audit) override {
        return Write<School>("school", [&](Db& db) {
            Stmt s(db, "INSERT INTO schools(name, timezone, created_at) VALUES(?,?,?)");
            s.Bind(1, school.name).Bind(2, school.timezone).Bind(3, school.created_at).Exec();
            School out = school;
            out.id = db.LastInsertId();
            if (audit) {
                audit->school_id = out.id;  // the school's audit trail starts with its creation
            }
            Audit(db, audit, out.id);
            return core::Result<School>(out);
        });
    }

    core::Result<School> GetSchool(std::int64_t id) override {
        return Read<School>("school", [&](Db& db) -> core::Result<School> {
            Stmt s(db, "SELECT id, name, timezone, created_at FROM schools WHERE id = ?");
            s.Bind(1, id);
            if (!s.Step()) {
                return NotFound("school");
            }
            return School{s.Int(0), s.Text(1), s.Text(2), s.Int(3)};
        });
    }

    core::Result<std::vector<School>> ListSchools() override {
        return Read<std::vector<School>>("schools", [&](Db& db) {
            Stmt s(db, "SELECT id, name, timezone, created_at FROM schools ORDER BY id");
            std::vector<School> out;
            while (s.Step()) {
                out.push_back(School{s.Int(0), s.Text(1), s.Text(2), s.Int(3)});
            }
            return core::Result<std::vector<School>>(std::move(out));
        });
    }

    core::Result<User> CreateUser(const User& user) override {
        return Write<User>("user", [&](Db& db) {
            Stmt s(db, "INSERT INTO users(email, role, school_id, password_hash, created_at) VALUES(?,?,?,?,?)");
            s.Bind(1, user.email).Bind(2, user.role).Bind(3, user.school_id).Bind(4, user.password_hash);
            s.Bind(5, std::int64_t{0}).Exec();
            User out = user;
            out.id = db.LastInsertId();
            return core::Result<User>(out);
        });
    }

    core::Result<User> FindUserByEmail(const std::string& email) override {
        return Read<User>("user", [&](Db& db) -> core::Result<User> {
            Stmt s(db, "SELECT id, email, role, school_id, password_hash FROM users WHERE email = ?");
            s.Bind(1, email);
            if (!s.Step()) {
                return NotFound("user");
            }
            return ReadUser(s);
        });
    }

    core::Result<User> GetUser(std::int64_t id) override {
        return Read<User>("user", [&](Db& db) -> core::Result<User> {
            Stmt s(db, "SELECT id, email, role, school_id, password_hash FROM users WHERE id = ?");
            s.Bind(1, id);
            if (!s.Step()) {
                return NotFound("user");
            }
            return ReadUser(s);
        });
    }

    core::Result<std::int64_t> CountUsers() override {
        return Read<std::int64_t>("users", [&](Db& db) {
            Stmt s(db, "SELECT count(*) FROM users");
            s.Step();
            return core::Result<std::int64_t>(s.Int(0));
        });
    }

    core::Status UpdatePasswordHash(std::int64_t user_id, const std::string& hash) override {
        return WriteStatus("user", [&](Db& db) {
            Stmt(db, "UPDATE users SET password_hash = ? WHERE id = ?").Bind(1, hash).Bind(2, user_id).Exec();
            return core::Status();
        });
    }

    // ---- sessions ----
    core::Result<Session> CreateSession(const Session& session) override {
        return Write<Session>("session", [&](Db& db) {
            Stmt s(db,
                   "INSERT INTO sessions(user_id, token_hash, csrf_token, created_at, expires_at) VALUES(?,?,?,?,?)");
            s.Bind(1, session.user_id).Bind(2, std::span<const std::uint8_t>(session.token_hash));
            s.Bind(3, session.csrf_token).Bind(4, std::int64_t{0}).Bind(5, session.expires_at).Exec();
            Session out = session;
            out.id = db.LastInsertId();
            return core::Result<Session>(out);
        });
    }

    core::Result<Session> FindSessionByTokenHash(const std::vector<std::uint8_t>& hash) override {
        return Read<Session>("session", [&](Db& db) -> core::Result<Session> {
            Stmt s(db, "SELECT id, user_id, token_hash, csrf_token, expires_at FROM sessions WHERE token_hash = ?");
            s.Bind(1, std::span<const std::uint8_t>(hash));
            if (!s.Step()) {
                return NotFound("session");
            }
            return Session{s.Int(0), s.Int(1), s.Blob(2), s.Text(3), s.Int(4)};
        });
    }

    core::Status DeleteSession(std::int64_t id) override {
        return WriteStatus("session", [&](Db& db) {
            Stmt(db, "DELETE FROM sessions WHERE id = ?").Bind(1, id).Exec();
            return core::Status();
        });
    }

    // ---- devices ----
    core::Result<Device> CreateDevice(const Device& d, std::optional<AuditEntry> audit) override {
        return Write<Device>("device", [&](Db& db) {
            Stmt s(db,
                   "INSERT INTO devices(school_id, name, ip, port, sync_mode, direction, status, serial, comm_key, "
                   "token_hash, token_encrypted, last_seen, created_at, timezone) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
            BindDevice(s, d);
            s.Bind(1, d.school_id).Bind(12, d.last_seen).Bind(13, d.created_at).Exec();
            Device out = d;
            out.id = db.LastInsertId();
            Audit(db, audit, out.id);
            return core::Result<Device>(out);
        });
    }

    core::Result<Device> FindDeviceByTokenHash(const std::vector<std::uint8_t>& hash) override {
        return Read<Device>("device", [&](Db& db) -> core::Result<Device> {
            Stmt s(db, std::string("SELECT ") + kDeviceColumns + " FROM devices WHERE token_hash = ?");
            s.Bind(1, std::span<const std::uint8_t>(hash));
            if (!s.Step()) {
                return NotFound("device");
            }
            return ReadDevice(s);
        });
    }

    core::Result<Device> GetDevice(std::int64_t school_id, std::int64_t id) override {
        return Read<Device>("device", [&](Db& db) -> core::Result<Device> {
            Stmt s(db, std::string("SELECT ") + kDeviceColumns + " FROM devices WHERE id = ? AND school_id = ?");
            s.Bind(1, id).Bind(2, school_id);
            if (!s.Step()) {
                return NotFound("device");
            }
            return ReadDevice(s);
        });
    }

    core::Result<std::vector<Device>> ListDevices(std::int64_t school_id) override {
        return Read<std::vector<Device>>("devices", [&](Db& db) {
            Stmt s(db, std::string("SELECT ") + kDeviceColumns + " FROM devices WHERE school_id = ? ORDER BY id");
            s.Bind(1, school_id);
            std::vector<Device> out;
            while (s.Step()) {
                out.push_back(ReadDevice(s));
            }
            return core::Result<std::vector<Device>>(std::move(out));
        });
    }

    core::Result<Device> UpdateDevice(const Device& d, std::optional<AuditEntry> audit) override {
        auto updated = Write<Device>("device", [&](Db& db) -> core::Result<Device> {
            Stmt before(db, "SELECT direction, timezone FROM devices WHERE school_id = ? AND id = ?");
            before.Bind(1, d.school_id).Bind(2, d.id);
            if (!before.Step()) {
                return NotFound("device");
            }
            const bool counts_differently = before.Text(0) != d.direction || before.Text(1) != d.timezone;
            before.Reset();
            Stmt s(db,
                   "UPDATE devices SET name=?2, ip=?3, port=?4, sync_mode=?5, direction=?6, status=?7, serial=?8, "
                   "comm_key=?9, token_hash=?10, token_encrypted=?11, timezone=?14 WHERE school_id=?1 AND id=?13");
            // last_seen is not written here: it belongs to the punch writer, which only ever raises it.
            BindDevice(s, d);
            s.Bind(1, d.school_id).Bind(13, d.id).Exec();
            if (counts_differently) {
                // R18: the direction (R4) or zone (R5) changes how every punch of the device counts.
                MarkPunchDays(db, d.school_id, d.id, std::nullopt, std::nullopt);
            }
            Audit(db, audit, d.id);
            return d;
        });
        NotifyDirty(updated.ok() ? core::Status{} : core::Status{updated.error()});
        return updated;
    }

    core::Status DeleteDevice(std::int64_t school_id, std::int64_t id, std::optional<AuditEntry> audit) override {
        return WriteStatus("device", [&](Db& db) -> core::Status {
            Stmt has(db, "SELECT 1 FROM punches WHERE device_id = ? LIMIT 1");
            has.Bind(1, id);
            if (has.Step()) {
                return MakeError(Errc::kConflict, "device has punches; set it inactive instead of deleting it");
            }
            Stmt(db, "DELETE FROM devices WHERE school_id = ? AND id = ?").Bind(1, school_id).Bind(2, id).Exec();
            if (db.Changes() == 0) {
                return NotFound("device");
            }
            Audit(db, audit, id);
            return {};
        });
    }

    core::Status TouchDevice(std::int64_t device_id, std::int64_t seen_at) override {
        return WriteStatus("device", [&](Db& db) {
            Stmt(db, "UPDATE devices SET last_seen = max(ifnull(last_seen, 0), ?) WHERE id = ?")
                .Bind(1, seen_at)
                .Bind(2, device_id)
                .Exec();
            return core::Status();
        });
    }

    core::Result<std::int64_t> CreateAgentToken(std::int64_t school_id,
                                                const std::vector<std::uint8_t>& token_hash,
                                                std::int64_t created_at,
                                                std::optional<AuditEntry> audit) override {
        return Write<std::int64_t>("agent token", [&](Db& db) {
            Stmt(db, "INSERT INTO agent_tokens(school_id, token_hash, created_at) VALUES(?,?,?)")
                .Bind(1, school_id)
                .Bind(2, std::span<const std::uint8_t>(token_hash))
                .Bind(3, created_at)
                .Exec();
            const auto id = db.LastInsertId();
            Audit(db, audit, id);
            return core::Result<std::int64_t>(id);
        });
    }

    // ---- people ----
    core::Result<Person> CreatePerson(const Person& p, std::optional<AuditEntry> audit) override {
        return Write<Person>("person", [&](Db& db) {
            Stmt s(db,
                   "INSERT INTO people(school_id, name, kind, external_id, group_name, active_from, active_to, "
                   "created_at) VALUES(?,?,?,?,?,?,?,0)");
            s.Bind(1, p.school_id).Bind(2, p.name).Bind(3, p.kind).Bind(4, p.external_id).Bind(5, p.group);
            s.Bind(6, DateToInt(p.active_from)).Bind(7, DateToInt(p.active_to)).Exec();
            Person out = p;
            out.id = db.LastInsertId();
            Audit(db, audit, out.id);
            return core::Result<Person>(out);
        });
    }

    core::Result<Person> GetPerson(std::int64_t school_id, std::int64_t id) override {
        return Read<Person>("person", [&](Db& db) -> core::Result<Person> {
            Stmt s(db, std::string("SELECT ") + kPersonColumns + " FROM people WHERE id = ? AND school_id = ?");
            s.Bind(1, id).Bind(2, school_id);
            if (!s.Step()) {
                return NotFound("person");
            }
            return ReadPerson(s);
        });
    }

    core::Result<std::vector<Person>> ListPeople(std::int64_t school_id) override {
        return Read<std::vector<Person>>("people", [&](Db& db) {
            Stmt s(db, std::string("SELECT ") + kPersonColumns + " FROM people WHERE school_id = ? ORDER BY id");
            s.Bind(1, school_id);
            std::vector<Person> out;
            while (s.Step()) {
                out.push_back(ReadPerson(s));
            }
            return core::Result<std::vector<Person>>(std::move(out));
        });
    }

    core::Result<Person> UpdatePerson(const Person& p, std::optional<AuditEntry> audit) override {
        auto updated = Write<Person>("person", [&](Db& db) -> core::Result<Person> {
            Stmt before(db,
                        "SELECT kind, group_name, active_from, active_to FROM people WHERE school_id = ? AND id = ?");
            before.Bind(1, p.school_id).Bind(2, p.id);
            if (!before.Step()) {
                return NotFound("person");
            }
            const bool counts_differently = before.Text(0) != p.kind || before.Text(1) != p.group ||
                                            IntToDate(before.OptInt(2)) != p.active_from ||
                                            IntToDate(before.OptInt(3)) != p.active_to;
            before.Reset();
            Stmt s(db,
                   "UPDATE people SET name=?, kind=?, external_id=?, group_name=?, active_from=?, active_to=? "
                   "WHERE school_id=? AND id=?");
            s.Bind(1, p.name).Bind(2, p.kind).Bind(3, p.external_id).Bind(4, p.group);
            s.Bind(5, DateToInt(p.active_from)).Bind(6, DateToInt(p.active_to)).Bind(7, p.school_id).Bind(8, p.id);
            s.Exec();
            if (counts_differently) {
                // R18: kind, group (R21) and active dates (R8) change the person's rows on the days they punched.
                MarkPunchDays(db, p.school_id, std::nullopt, std::nullopt, p.id);
            }
            Audit(db, audit, p.id);
            return p;
        });
        NotifyDirty(updated.ok() ? core::Status{} : core::Status{updated.error()});
        return updated;
    }

    core::Status DeletePerson(std::int64_t school_id, std::int64_t id, const PersonRemovalAudit& audit) override {
        auto s = WriteStatus("person", [&](Db& db) -> core::Status {
            PersonRemoval removed;
            {
                Stmt p(db, std::string("SELECT ") + kPersonColumns + " FROM people WHERE school_id = ? AND id = ?");
                p.Bind(1, school_id).Bind(2, id);
                if (!p.Step()) {
                    return NotFound("person");
                }
                removed.person = ReadPerson(p);
            }
            {
                Stmt m(db,
                       "SELECT id, school_id, device_id, user_id, person_id, created_at FROM mappings "
                       "WHERE school_id = ? AND person_id = ? ORDER BY id");
                m.Bind(1, school_id).Bind(2, id);
                while (m.Step()) {
                    removed.mappings.push_back(Mapping{m.Int(0), m.Int(1), m.OptInt(2), m.Text(3), m.Int(4), m.Int(5)});
                }
            }
            {
                Stmt o(db,
                       std::string("SELECT ") + kOverrideColumns +
                           " FROM overrides WHERE school_id = ? AND person_id = ? ORDER BY date");
                o.Bind(1, school_id).Bind(2, id);
                while (o.Step()) {
                    removed.overrides.push_back(ReadOverride(o));
                }
            }
            // R18: the days the person punched on (found through the mappings, so before they go) and the days
            // of their overrides lose the person's row.
            MarkPunchDays(db, school_id, std::nullopt, std::nullopt, id);
            for (const auto& o : removed.overrides) {
                sqlite::MarkDirtyRange(db, school_id, o.date, o.date);
            }
            // The mappings and overrides go with the person (ON DELETE CASCADE), each with its audit line (R19).
            Stmt(db, "DELETE FROM people WHERE school_id = ? AND id = ?").Bind(1, school_id).Bind(2, id).Exec();
            for (const auto& line : audit(removed)) {
                InsertAudit(db, line);
            }
            return {};
        });
        NotifyDirty(s);
        return s;
    }

    // ---- mappings ----
    core::Result<Mapping> CreateMapping(const Mapping& m, std::optional<AuditEntry> audit) override {
        auto created = Write<Mapping>("mapping", [&](Db& db) {
            Stmt s(db, "INSERT INTO mappings(school_id, device_id, user_id, person_id, created_at) VALUES(?,?,?,?,?)");
            s.Bind(1, m.school_id).Bind(2, m.device_id).Bind(3, m.user_id).Bind(4, m.person_id);
            s.Bind(5, m.created_at).Exec();
            Mapping out = m;
            out.id = db.LastInsertId();
            sqlite::MarkUserDays(db, m.school_id, m.device_id, m.user_id);  // R7: its past punches count now
            Audit(db, audit, out.id);
            return core::Result<Mapping>(out);
        });
        NotifyDirty(created.ok() ? core::Status{} : core::Status{created.error()});
        return created;
    }

    core::Result<std::vector<Mapping>> ListMappings(std::int64_t school_id) override {
        return Read<std::vector<Mapping>>("mappings", [&](Db& db) {
            Stmt s(db,
                   "SELECT id, school_id, device_id, user_id, person_id, created_at FROM mappings "
                   "WHERE school_id = ? ORDER BY id");
            s.Bind(1, school_id);
            std::vector<Mapping> out;
            while (s.Step()) {
                out.push_back(Mapping{s.Int(0), s.Int(1), s.OptInt(2), s.Text(3), s.Int(4), s.Int(5)});
            }
            return core::Result<std::vector<Mapping>>(std::move(out));
        });
    }

    core::Status DeleteMapping(std::int64_t school_id, std::int64_t id, std::optional<AuditEntry> audit) override {
        auto s = WriteStatus("mapping", [&](Db& db) -> core::Status {
            Stmt del(db, "DELETE FROM mappings WHERE school_id = ? AND id = ? RETURNING device_id, user_id");
            del.Bind(1, school_id).Bind(2, id);
            if (!del.Step()) {
                return NotFound("mapping");
            }
            const auto device_id = del.OptInt(0);
            const auto user_id = del.Text(1);
            del.Reset();
            sqlite::MarkUserDays(db, school_id, device_id, user_id);  // R7: removing it removes its effect
            Audit(db, audit, id);
            return {};
        });
        NotifyDirty(s);
        return s;
    }

    // ---- punches ----
    void SubmitPunches(PunchBatch batch, PunchCallback done) override {
        std::size_t depth = 0;
        {
            std::lock_guard lock(mu_);
            if (stopping_) {
                done(MakeError(Errc::kUnavailable, "server is shutting down; retry"));
                return;
            }
            if (punch_jobs_ >= options_.writer_queue_depth) {
                done(MakeError(Errc::kUnavailable, "server busy: write queue full; retry"));
                return;
            }
            ++punch_jobs_;
            depth = punch_jobs_;
            queue_.push_back(Job{std::move(batch), std::move(done), nullptr});
        }
        if (options_.on_queue_depth) {
            options_.on_queue_depth(depth);
        }
        cv_.notify_one();
    }

    core::Result<std::vector<StoredPunch>> ListPunches(std::int64_t school_id,
                                                       core::LocalDateTime from,
                                                       core::LocalDateTime to) override {
        return Read<std::vector<StoredPunch>>("punches", [&](Db& db) {
            Stmt s(db,
                   "SELECT device_id, user_id, ts, status, verify, source, received_at, batch_id FROM punches "
                   "WHERE school_id = ? AND ts >= ? AND ts < ? ORDER BY ts, device_id");
            s.Bind(1, school_id).Bind(2, from.seconds).Bind(3, to.seconds);
            return core::Result<std::vector<StoredPunch>>(ReadPunches(s));
        });
    }

    core::Result<std::vector<StoredPunch>> ListPunchesOfUsers(std::int64_t school_id,
                                                              core::LocalDateTime from,
                                                              core::LocalDateTime to,
                                                              const UserIdSet& users) override {
        return Read<std::vector<StoredPunch>>("punches", [&](Db& db) {
            Stmt s(db,
                   "SELECT device_id, user_id, ts, status, verify, source, received_at, batch_id FROM punches "
                   "WHERE school_id = ? AND ts >= ? AND ts < ? ORDER BY ts, device_id");
            s.Bind(1, school_id).Bind(2, from.seconds).Bind(3, to.seconds);
            // Filtered here rather than in SQL: a hash lookup per row costs less than SQLite's IN probe.
            return core::Result<std::vector<StoredPunch>>(
                ReadPunches(s, [&](const Stmt& row) { return users.contains(row.TextView(1)); }));
        });
    }

    core::Result<std::vector<StoredPunch>> ListDevicePunches(std::int64_t school_id,
                                                             std::int64_t device_id,
                                                             std::int64_t limit) override {
        return Read<std::vector<StoredPunch>>("punches", [&](Db& db) {
            Stmt s(db,
                   "SELECT device_id, user_id, ts, status, verify, source, received_at, batch_id FROM punches "
                   "WHERE school_id = ? AND device_id = ? ORDER BY ts DESC LIMIT ?");
            s.Bind(1, school_id).Bind(2, device_id).Bind(3, limit);
            return core::Result<std::vector<StoredPunch>>(ReadPunches(s));
        });
    }

    core::Result<std::vector<DeviceUser>> ListDeviceUsers(std::int64_t school_id,
                                                          std::optional<std::int64_t> device_id) override {
        return Read<std::vector<DeviceUser>>("device users", [&](Db& db) {
            // The device-specific mapping beats the school-wide one (R6).
            Stmt s(db,
                   "SELECT du.device_id, du.user_id, du.name, du.punches, du.first_seen, du.last_seen, "
                   "  coalesce((SELECT person_id FROM mappings m WHERE m.school_id = du.school_id "
                   "            AND m.device_id = du.device_id AND m.user_id = du.user_id), "
                   "           (SELECT person_id FROM mappings m WHERE m.school_id = du.school_id "
                   "            AND m.device_id IS NULL AND m.user_id = du.user_id)) "
                   "FROM device_users du WHERE du.school_id = ?1 AND (?2 IS NULL OR du.device_id = ?2) "
                   "ORDER BY du.device_id, du.user_id");
            s.Bind(1, school_id).Bind(2, device_id);
            std::vector<DeviceUser> out;
            while (s.Step()) {
                out.push_back(DeviceUser{s.Int(0),
                                         s.Text(1),
                                         s.Text(2),
                                         s.Int(3),
                                         core::LocalDateTime{s.Int(4)},
                                         core::LocalDateTime{s.Int(5)},
                                         s.OptInt(6)});
            }
            return core::Result<std::vector<DeviceUser>>(std::move(out));
        });
    }

    // ---- calendar and settings ----
    core::Result<Holiday> CreateHoliday(const Holiday& h, std::optional<AuditEntry> audit) override {
        auto created = Write<Holiday>("holiday", [&](Db& db) {
            Stmt(db, "INSERT INTO holidays(school_id, date, name) VALUES(?,?,?)")
                .Bind(1, h.school_id)
                .Bind(2, std::int64_t{h.date.days})
                .Bind(3, h.name)
                .Exec();
            Holiday out = h;
            out.id = db.LastInsertId();
            sqlite::MarkDirtyRange(db, h.school_id, h.date, h.date);
            Audit(db, audit, out.id);
            return core::Result<Holiday>(out);
        });
        NotifyDirty(created.ok() ? core::Status{} : core::Status{created.error()});
        return created;
    }

    core::Result<std::vector<Holiday>> ListHolidays(std::int64_t school_id) override {
        return Read<std::vector<Holiday>>("holidays", [&](Db& db) {
            Stmt s(db, "SELECT id, school_id, date, name FROM holidays WHERE school_id = ? ORDER BY date");
            s.Bind(1, school_id);
            std::vector<Holiday> out;
            while (s.Step()) {
                out.push_back(Holiday{s.Int(0), s.Int(1), core::Date{static_cast<std::int32_t>(s.Int(2))}, s.Text(3)});
            }
            return core::Result<std::vector<Holiday>>(std::move(out));
        });
    }

    core::Status DeleteHoliday(std::int64_t school_id, std::int64_t id, std::optional<AuditEntry> audit) override {
        auto s = WriteStatus("holiday", [&](Db& db) -> core::Status {
            Stmt del(db, "DELETE FROM holidays WHERE school_id = ? AND id = ? RETURNING date");
            del.Bind(1, school_id).Bind(2, id);
            if (!del.Step()) {
                return NotFound("holiday");
            }
            const core::Date date{static_cast<std::int32_t>(del.Int(0))};
            del.Reset();
            sqlite::MarkDirtyRange(db, school_id, date, date);
            Audit(db, audit, id);
            return {};
        });
        NotifyDirty(s);
        return s;
    }

    core::Result<SettingsVersion> SaveSettings(const SettingsVersion& v, std::optional<AuditEntry> audit) override {
        auto saved = Write<SettingsVersion>("settings", [&](Db& db) {
            // One version per effective date: saving again for the same date replaces it.
            Stmt(db, "DELETE FROM attendance_settings WHERE school_id = ? AND scope = ? AND effective_from = ?")
                .Bind(1, v.school_id)
                .Bind(2, v.scope)
                .Bind(3, std::int64_t{v.effective_from.days})
                .Exec();
            Stmt(db,
                 "INSERT INTO attendance_settings(school_id, effective_from, json, created_at, scope) "
                 "VALUES(?,?,?,?,?)")
                .Bind(1, v.school_id)
                .Bind(2, std::int64_t{v.effective_from.days})
                .Bind(3, v.json)
                .Bind(4, v.created_at)
                .Bind(5, v.scope)
                .Exec();
            SettingsVersion out = v;
            out.id = db.LastInsertId();
            if (v.dirty_to && v.effective_from <= *v.dirty_to) {
                sqlite::MarkDirtyRange(db, v.school_id, v.effective_from, *v.dirty_to);
            }
            Audit(db, audit, out.id);
            return core::Result<SettingsVersion>(out);
        });
        NotifyDirty(saved.ok() ? core::Status{} : core::Status{saved.error()});
        return saved;
    }

    core::Result<std::vector<SettingsVersion>> ListSettings(std::int64_t school_id) override {
        return Read<std::vector<SettingsVersion>>("settings", [&](Db& db) {
            Stmt s(db,
                   "SELECT id, school_id, effective_from, json, created_at, scope FROM attendance_settings "
                   "WHERE school_id = ? ORDER BY scope, effective_from");
            s.Bind(1, school_id);
            std::vector<SettingsVersion> out;
            while (s.Step()) {
                out.push_back(SettingsVersion{s.Int(0),
                                              s.Int(1),
                                              core::Date{static_cast<std::int32_t>(s.Int(2))},
                                              s.Text(3),
                                              s.Int(4),
                                              s.Text(5),
                                              std::nullopt});
            }
            return core::Result<std::vector<SettingsVersion>>(std::move(out));
        });
    }

    // ---- overrides and audit ----
    core::Result<Override> PutOverride(const Override& o, AuditEntry audit) override {
        auto put = Write<Override>("override", [&](Db& db) {
            Stmt(db,
                 "INSERT INTO overrides(school_id, person_id, date, status, in_time, out_time, reason, created_by, "
                 "created_at) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9) ON CONFLICT(school_id, person_id, date) DO UPDATE SET "
                 "status=?4, in_time=?5, out_time=?6, reason=?7, created_by=?8, created_at=?9")
                .Bind(1, o.school_id)
                .Bind(2, o.person_id)
                .Bind(3, std::int64_t{o.date.days})
                .Bind(4, o.status)
                .Bind(5, Widen(o.in_time))
                .Bind(6, Widen(o.out_time))
                .Bind(7, o.reason)
                .Bind(8, o.created_by)
                .Bind(9, o.created_at)
                .Exec();
            Stmt id(db, "SELECT id FROM overrides WHERE school_id = ? AND person_id = ? AND date = ?");
            id.Bind(1, o.school_id).Bind(2, o.person_id).Bind(3, std::int64_t{o.date.days});
            id.Step();
            Override out = o;
            out.id = id.Int(0);
            audit.entity_id = out.id;
            InsertAudit(db, audit);
            sqlite::MarkDirtyRange(db, o.school_id, o.date, o.date);  // webhooks see the school's view
            return core::Result<Override>(out);
        });
        NotifyDirty(put.ok() ? core::Status{} : core::Status{put.error()});
        return put;
    }

    core::Result<Override> GetOverride(std::int64_t school_id, std::int64_t id) override {
        return Read<Override>("override", [&](Db& db) -> core::Result<Override> {
            Stmt s(db, std::string("SELECT ") + kOverrideColumns + " FROM overrides WHERE school_id = ? AND id = ?");
            s.Bind(1, school_id).Bind(2, id);
            if (!s.Step()) {
                return NotFound("override");
            }
            return ReadOverride(s);
        });
    }

    core::Result<std::optional<Override>> FindOverride(std::int64_t school_id,
                                                       std::int64_t person_id,
                                                       core::Date date) override {
        return Read<std::optional<Override>>("override", [&](Db& db) {
            Stmt s(db,
                   std::string("SELECT ") + kOverrideColumns +
                       " FROM overrides WHERE school_id = ? AND person_id = ? AND date = ?");
            s.Bind(1, school_id).Bind(2, person_id).Bind(3, std::int64_t{date.days});
            std::optional<Override> out;
            if (s.Step()) {
                out = ReadOverride(s);
            }
            return core::Result<std::optional<Override>>(out);
        });
    }

    core::Result<std::vector<Override>> ListOverrides(std::int64_t school_id, core::Date date) override {
        return Read<std::vector<Override>>("overrides", [&](Db& db) {
            Stmt s(db,
                   std::string("SELECT ") + kOverrideColumns +
                       " FROM overrides WHERE school_id = ? AND date = ? ORDER BY person_id");
            s.Bind(1, school_id).Bind(2, std::int64_t{date.days});
            std::vector<Override> out;
            while (s.Step()) {
                out.push_back(ReadOverride(s));
            }
            return core::Result<std::vector<Override>>(std::move(out));
        });
    }

    core::Status DeleteOverride(std::int64_t school_id, std::int64_t id, AuditEntry audit) override {
        auto s = WriteStatus("override", [&](Db& db) -> core::Status {
            Stmt del(db, "DELETE FROM overrides WHERE school_id = ? AND id = ? RETURNING date");
            del.Bind(1, school_id).Bind(2, id);
            if (!del.Step()) {
                return NotFound("override");
            }
            const core::Date date{static_cast<std::int32_t>(del.Int(0))};
            del.Reset();
            audit.entity_id = id;
            InsertAudit(db, audit);
            sqlite::MarkDirtyRange(db, school_id, date, date);
            return {};
        });
        NotifyDirty(s);
        return s;
    }

    core::Result<std::vector<AuditEntry>> ListAudit(std::int64_t school_id, std::int64_t limit) override {
        return Read<std::vector<AuditEntry>>("audit", [&](Db& db) {
            Stmt s(db,
                   "SELECT id, school_id, user_id, at, action, entity, entity_id, old_value, new_value, reason "
                   "FROM audit_log WHERE school_id = ? ORDER BY id DESC LIMIT ?");
            s.Bind(1, school_id).Bind(2, limit);
            std::vector<AuditEntry> out;
            while (s.Step()) {
                out.push_back(AuditEntry{s.Int(0),
                                         s.Int(1),
                                         s.Int(2),
                                         s.Int(3),
                                         s.Text(4),
                                         s.Text(5),
                                         s.Int(6),
                                         s.Text(7),
                                         s.Text(8),
                                         s.Text(9)});
            }
            return core::Result<std::vector<AuditEntry>>(std::move(out));
        });
    }

    core::Result<ClockCorrection> CreateClockCorrection(const ClockCorrection& c, AuditEntry audit) override {
        auto created = Write<ClockCorrection>("clock correction", [&](Db& db) {
            Stmt(db,
                 "INSERT INTO clock_corrections(school_id, device_id, from_ts, to_ts, offset_seconds, reason, "
                 "created_by, created_at) VALUES(?,?,?,?,?,?,?,?)")
                .Bind(1, c.school_id)
                .Bind(2, c.device_id)
                .Bind(3, c.from.seconds)
                .Bind(4, c.to.seconds)
                .Bind(5, c.offset_seconds)
                .Bind(6, c.reason)
                .Bind(7, c.created_by)
                .Bind(8, c.created_at)
                .Exec();
            ClockCorrection out = c;
            out.id = db.LastInsertId();
            audit.entity_id = out.id;
            InsertAudit(db, audit);
            sqlite::MarkCorrectedDays(db, c.school_id, c.from, c.to, c.offset_seconds);
            return core::Result<ClockCorrection>(out);
        });
        NotifyDirty(created.ok() ? core::Status{} : core::Status{created.error()});
        return created;
    }

    core::Result<std::vector<ClockCorrection>> ListClockCorrections(std::int64_t school_id) override {
        return Read<std::vector<ClockCorrection>>("clock corrections", [&](Db& db) {
            Stmt s(db,
                   "SELECT id, school_id, device_id, from_ts, to_ts, offset_seconds, reason, created_by, created_at "
                   "FROM clock_corrections WHERE school_id = ? ORDER BY id");
            s.Bind(1, school_id);
            std::vector<ClockCorrection> out;
            while (s.Step()) {
                out.push_back(ClockCorrection{s.Int(0),
                                              s.Int(1),
                                              s.Int(2),
                                              core::LocalDateTime{s.Int(3)},
                                              core::LocalDateTime{s.Int(4)},
                                              s.Int(5),
                                              s.Text(6),
                                              s.Int(7),
                                              s.Int(8)});
            }
            return core::Result<std::vector<ClockCorrection>>(std::move(out));
        });
    }

    core::Status DeleteClockCorrection(std::int64_t school_id, std::int64_t id, AuditEntry audit) override {
        auto s = WriteStatus("clock correction", [&](Db& db) -> core::Status {
            Stmt del(db,
                     "DELETE FROM clock_corrections WHERE school_id = ? AND id = ? RETURNING from_ts, to_ts, "
                     "offset_seconds");
            del.Bind(1, school_id).Bind(2, id);
            if (!del.Step()) {
                return NotFound("clock correction");
            }
            const core::LocalDateTime from{del.Int(0)};
            const core::LocalDateTime to{del.Int(1)};
            const auto offset = del.Int(2);
            del.Reset();
            audit.entity_id = id;
            InsertAudit(db, audit);
            sqlite::MarkCorrectedDays(db, school_id, from, to, offset);
            return {};
        });
        NotifyDirty(s);
        return s;
    }

    core::Status FinalizeDay(std::int64_t school_id, core::Date date, AuditEntry audit) override {
        auto s = WriteStatus("finalized day", [&](Db& db) -> core::Status {
            Stmt(db,
                 "INSERT INTO finalized_days(school_id, date, finalized_by, finalized_at) VALUES(?,?,?,?) "
                 "ON CONFLICT DO NOTHING")
                .Bind(1, school_id)
                .Bind(2, std::int64_t{date.days})
                .Bind(3, audit.user_id)
                .Bind(4, audit.at)
                .Exec();
            if (db.Changes() > 0) {
                audit.entity_id = date.days;
                InsertAudit(db, audit);
                sqlite::MarkDirtyRange(db, school_id, date, date);  // the absences it made final go out now
            }
            return {};
        });
        NotifyDirty(s);
        return s;
    }

    core::Result<bool> IsDayFinalized(std::int64_t school_id, core::Date date) override {
        return Read<bool>("finalized day", [&](Db& db) {
            Stmt s(db, "SELECT 1 FROM finalized_days WHERE school_id = ? AND date = ?");
            s.Bind(1, school_id).Bind(2, std::int64_t{date.days});
            return core::Result<bool>(s.Step());
        });
    }

    void Flush() override {
        std::unique_lock lock(mu_);
        idle_cv_.wait(lock, [this] { return queue_.empty() && !busy_; });
    }

    core::Result<WriterPragmas> ReadWriterPragmas() override {
        return OnWriter<WriterPragmas>("writer pragmas", [](Db& db) {
            WriterPragmas out;
            Stmt journal(db, "PRAGMA journal_mode");
            if (journal.Step()) {
                out.journal_mode = journal.Text(0);
            }
            Stmt sync(db, "PRAGMA synchronous");
            if (sync.Step()) {
                out.synchronous = static_cast<int>(sync.Int(0));
            }
            return core::Result<WriterPragmas>(std::move(out));
        });
    }

private:
    struct Job {
        PunchBatch batch;
        PunchCallback done;
        std::function<void(Db&)> fn;  ///< a generic write when set
    };

    static void BindDevice(Stmt& s, const Device& d) {
        s.Bind(2, d.name).Bind(3, d.ip).Bind(4, std::int64_t{d.port}).Bind(5, d.sync_mode).Bind(6, d.direction);
        s.Bind(7, d.status).Bind(8, d.serial).Bind(9, d.comm_key).Bind(14, d.timezone);
        s.Bind(10, std::span<const std::uint8_t>(d.token_hash))
            .Bind(11, std::span<const std::uint8_t>(d.token_encrypted));
    }

    static void InsertAudit(Db& db, const AuditEntry& a) {
        Stmt(db,
             "INSERT INTO audit_log(school_id, user_id, at, action, entity, entity_id, old_value, new_value, reason) "
             "VALUES(?,?,?,?,?,?,?,?,?)")
            .Bind(1, a.school_id)
            .Bind(2, a.user_id)
            .Bind(3, a.at)
            .Bind(4, a.action)
            .Bind(5, a.entity)
            .Bind(6, a.entity_id)
            .Bind(7, a.old_value)
            .Bind(8, a.new_value)
            .Bind(9, a.reason)
            .Exec();
    }

    /// Stores an admin change's audit line, if it has one, in the change's transaction (R19).
    static void Audit(Db& db, std::optional<AuditEntry>& audit, std::int64_t entity_id) {
        if (audit) {
            audit->entity_id = entity_id;
            InsertAudit(db, *audit);
        }
    }

    // ---- agents ----

    core::Result<AgentToken> FindAgentTokenByHash(const std::vector<std::uint8_t>& hash) override {
        return Read<AgentToken>("agent token", [&](Db& db) -> core::Result<AgentToken> {
            auto found = sqlite::SelectAgentTokens(db, std::nullopt, &hash);
            if (found.empty()) {
                return MakeError(Errc::kNotFound, "agent token not found");
            }
            return std::move(found.front());
        });
    }
    core::Result<std::vector<AgentToken>> ListAgentTokens(std::int64_t school_id) override {
        return Read<std::vector<AgentToken>>("agent tokens", [&](Db& db) {
            return core::Result<std::vector<AgentToken>>(sqlite::SelectAgentTokens(db, school_id, nullptr));
        });
    }
    core::Status RevokeAgentToken(std::int64_t school_id,
                                  std::int64_t id,
                                  std::int64_t at,
                                  std::optional<AuditEntry> audit) override {
        return WriteStatus("agent token", [&](Db& db) -> core::Status {
            if (!sqlite::MarkAgentTokenRevoked(db, school_id, id, at)) {
                return MakeError(Errc::kNotFound, "agent token not found");
            }
            Audit(db, audit, id);
            return {};
        });
    }
    core::Status SaveDeviceStatus(const DeviceStatus& status) override {
        return WriteStatus("device status", [&](Db& db) -> core::Status {
            sqlite::UpsertDeviceStatus(db, status);
            return {};
        });
    }
    core::Result<std::vector<DeviceStatus>> ListDeviceStatuses(std::int64_t school_id) override {
        return Read<std::vector<DeviceStatus>>("device status", [&](Db& db) {
            return core::Result<std::vector<DeviceStatus>>(sqlite::SelectDeviceStatuses(db, school_id));
        });
    }

    // ---- recomputation (R18) ----

    core::Status MarkDirty(std::int64_t school_id,
                           core::Date from,
                           core::Date to,
                           std::optional<AuditEntry> audit) override {
        auto s = WriteStatus("dirty days", [&](Db& db) -> core::Status {
            sqlite::MarkDirtyRange(db, school_id, from, to);
            Audit(db, audit, 0);
            return {};
        });
        NotifyDirty(s);
        return s;
    }
    core::Status MarkDirtyWherePunches(std::int64_t school_id,
                                       std::optional<std::int64_t> device_id,
                                       std::optional<std::string> user_id,
                                       std::optional<std::int64_t> person_id) override {
        auto s = WriteStatus("dirty days", [&](Db& db) -> core::Status {
            MarkPunchDays(db, school_id, device_id, user_id, person_id);
            return {};
        });
        NotifyDirty(s);
        return s;
    }
    core::Result<std::vector<DirtyDay>> ListDirty(std::size_t limit) override {
        return Read<std::vector<DirtyDay>>(
            "dirty days", [&](Db& db) { return core::Result<std::vector<DirtyDay>>(sqlite::SelectDirty(db, limit)); });
    }
    core::Result<std::int64_t> CountDirty() override {
        return Read<std::int64_t>("dirty days",
                                  [&](Db& db) { return core::Result<std::int64_t>(sqlite::CountDirtyDays(db)); });
    }
    core::Result<std::vector<DayRecord>> ListDayRecords(std::int64_t school_id, core::Date date) override {
        return Read<std::vector<DayRecord>>("day records", [&](Db& db) {
            return core::Result<std::vector<DayRecord>>(sqlite::SelectDayRecords(db, school_id, date));
        });
    }
    core::Status SaveRecompute(const DayRecompute& recompute) override {
        return WriteStatus("recomputed day", [&](Db& db) -> core::Status {
            sqlite::StoreRecompute(db, recompute);
            return {};
        });
    }
    core::Result<std::vector<core::Date>> ListFinalDays(std::int64_t school_id, core::Date since) override {
        return Read<std::vector<core::Date>>("register days", [&](Db& db) {
            return core::Result<std::vector<core::Date>>(sqlite::SelectFinalDays(db, school_id, since));
        });
    }

    // ---- webhooks ----

    core::Result<Webhook> CreateWebhook(const Webhook& webhook, std::optional<AuditEntry> audit) override {
        return Write<Webhook>("webhook", [&](Db& db) {
            Webhook out = webhook;
            out.id = sqlite::InsertWebhook(db, webhook);
            Audit(db, audit, out.id);
            return core::Result<Webhook>(std::move(out));
        });
    }
    core::Result<std::vector<Webhook>> ListWebhooks(std::int64_t school_id) override {
        return Read<std::vector<Webhook>>("webhooks", [&](Db& db) {
            return core::Result<std::vector<Webhook>>(sqlite::SelectWebhooks(db, school_id, std::nullopt));
        });
    }
    core::Result<Webhook> GetWebhook(std::int64_t school_id, std::int64_t id) override {
        return Read<Webhook>("webhook", [&](Db& db) -> core::Result<Webhook> {
            auto found = sqlite::SelectWebhooks(db, school_id, id);
            if (found.empty()) {
                return MakeError(Errc::kNotFound, "webhook not found");
            }
            return std::move(found.front());
        });
    }
    core::Status DeleteWebhook(std::int64_t school_id, std::int64_t id, std::optional<AuditEntry> audit) override {
        return WriteStatus("webhook", [&](Db& db) -> core::Status {
            if (!sqlite::RemoveWebhook(db, school_id, id)) {
                return MakeError(Errc::kNotFound, "webhook not found");
            }
            Audit(db, audit, id);
            return {};
        });
    }
    core::Result<std::vector<WebhookDelivery>> ListDueDeliveries(std::int64_t now, std::size_t limit) override {
        return Read<std::vector<WebhookDelivery>>("deliveries", [&](Db& db) {
            return core::Result<std::vector<WebhookDelivery>>(sqlite::SelectDueDeliveries(db, now, limit));
        });
    }
    core::Result<std::optional<std::int64_t>> NextDeliveryAt() override {
        return Read<std::optional<std::int64_t>>("deliveries", [&](Db& db) {
            return core::Result<std::optional<std::int64_t>>(sqlite::SelectNextDeliveryAt(db));
        });
    }
    core::Status UpdateDelivery(const WebhookDelivery& delivery) override {
        return WriteStatus("delivery", [&](Db& db) -> core::Status {
            sqlite::SaveDeliveryAttempt(db, delivery);
            return {};
        });
    }
    core::Result<std::vector<WebhookDelivery>> ListDeliveries(std::int64_t school_id,
                                                              std::optional<std::int64_t> webhook_id,
                                                              std::size_t limit) override {
        return Read<std::vector<WebhookDelivery>>("deliveries", [&](Db& db) {
            return core::Result<std::vector<WebhookDelivery>>(
                sqlite::SelectDeliveries(db, school_id, webhook_id, limit));
        });
    }

    static std::vector<StoredPunch> ReadPunches(Stmt& s) {
        return ReadPunches(s, [](const Stmt&) { return true; });
    }

    /// The rows `keep` accepts; the others are never copied out of SQLite.
    template <class Keep>
    static std::vector<StoredPunch> ReadPunches(Stmt& s, Keep&& keep) {
        std::vector<StoredPunch> out;
        while (s.Step()) {
            if (!keep(static_cast<const Stmt&>(s))) {
                continue;
            }
            out.push_back(StoredPunch{s.Int(0),
                                      s.Text(1),
                                      core::LocalDateTime{s.Int(2)},
                                      Narrow(s.OptInt(3)),
                                      Narrow(s.OptInt(4)),
                                      s.Text(5),
                                      s.Int(6),
                                      s.Int(7)});
        }
        return out;
    }

    /// A read on a pooled read-only connection.
    template <class T, class Fn>
    core::Result<T> Read(const char* what, Fn&& fn) {
        std::unique_ptr<Db> db;
        {
            std::unique_lock lock(readers_mu_);
            readers_cv_.wait(lock, [this] { return !readers_.empty(); });
            db = std::move(readers_.back());
            readers_.pop_back();
        }
        auto result = Guard(what, [&]() -> core::Result<T> { return fn(*db); });
        {
            std::lock_guard lock(readers_mu_);
            readers_.push_back(std::move(db));
        }
        readers_cv_.notify_one();
        return result;
    }

    /// A write run by the writer thread in its own transaction; waits for it.
    template <class T, class Fn>
    core::Result<T> Write(const char* what, Fn&& fn) {
        return OnWriter<T>(what, [&](Db& db) -> core::Result<T> {
            return sqlite::InTransaction(db, [&]() -> core::Result<T> { return fn(db); });
        });
    }

    /// Runs fn on the writer thread, with its connection; waits for it.
    template <class T, class Fn>
    core::Result<T> OnWriter(const char* what, Fn&& fn) {
        std::optional<core::Result<T>> result;
        std::mutex done_mu;
        std::condition_variable done_cv;
        bool finished = false;
        auto job = [&](Db& db) {
            auto r = Guard(what, [&]() -> core::Result<T> { return fn(db); });
            std::lock_guard lock(done_mu);
            result.emplace(std::move(r));
            finished = true;
            done_cv.notify_one();
        };
        {
            std::lock_guard lock(mu_);
            if (stopping_) {
                return MakeError(Errc::kUnavailable, "server is shutting down; retry");
            }
            queue_.push_back(Job{{}, nullptr, job});
        }
        cv_.notify_one();
        std::unique_lock lock(done_mu);
        done_cv.wait(lock, [&] { return finished; });
        return std::move(*result);
    }

    template <class Fn>
    core::Status WriteStatus(const char* what, Fn&& fn) {
        auto r = Write<bool>(what, [&](Db& db) -> core::Result<bool> {
            auto s = fn(db);
            if (!s) {
                return s.error();
            }
            return true;
        });
        if (!r) {
            return r.error();
        }
        return {};
    }

    void WriterLoop() {
        for (;;) {
            std::vector<Job> group;
            {
                std::unique_lock lock(mu_);
                cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
                if (queue_.empty()) {
                    return;  // stopping, and everything queued is done
                }
                busy_ = true;
                if (queue_.front().fn) {
                    group.push_back(std::move(queue_.front()));
                    queue_.pop_front();
                } else {
                    // Group commit: every queued punch batch, up to the row cap, in one transaction.
                    std::size_t rows = 0;
                    while (
                        !queue_.empty() && !queue_.front().fn &&
                        (group.empty() || rows + queue_.front().batch.rows.size() <= options_.group_commit_max_rows)) {
                        rows += queue_.front().batch.rows.size();
                        group.push_back(std::move(queue_.front()));
                        queue_.pop_front();
                    }
                    punch_jobs_ -= group.size();
                }
            }
            if (group.front().fn) {
                group.front().fn(*writer_db_);
            } else {
                if (options_.on_queue_depth) {
                    options_.on_queue_depth(QueuedPunchJobs());
                }
                CommitPunches(group);
            }
            // The jobs' callbacks go before Flush can return: they may hold the last reference to a request
            // of a server that is destroyed once the stop has flushed.
            group.clear();
            {
                std::lock_guard lock(mu_);
                busy_ = false;
            }
            idle_cv_.notify_all();
        }
    }

    void NotifyDirty(const core::Status& marked) {
        if (marked && options_.on_dirty) {
            options_.on_dirty();
        }
    }

    std::size_t QueuedPunchJobs() {
        std::lock_guard lock(mu_);
        return punch_jobs_;
    }

    void CommitPunches(std::vector<Job>& group) {
        Db& db = *writer_db_;
        if (!insert_punch_) {
            insert_punch_ = std::make_unique<Stmt>(
                db,
                "INSERT INTO punches(school_id, device_id, user_id, ts, status, verify, source, received_at, batch_id) "
                "VALUES(?,?,?,?,?,?,?,?,?) ON CONFLICT DO NOTHING");
            save_batch_id_ = std::make_unique<Stmt>(db, "UPDATE counters SET value = ? WHERE name = 'batch_id'");
            upsert_user_ = std::make_unique<Stmt>(
                db,
                "INSERT INTO device_users(device_id, user_id, school_id, punches, first_seen, last_seen) "
                "VALUES(?1,?2,?3,?4,?5,?6) ON CONFLICT(device_id, user_id) DO UPDATE SET "
                "punches = punches + ?4, first_seen = min(first_seen, ?5), last_seen = max(last_seen, ?6)");
            touch_device_ =
                std::make_unique<Stmt>(db, "UPDATE devices SET last_seen = max(ifnull(last_seen, 0), ?) WHERE id = ?");
        }
        const auto start = std::chrono::steady_clock::now();
        std::vector<InsertStats> stats(group.size());
        std::size_t total_rows = 0;
        // What this group will have written, applied to the in-memory copies only once it commits.
        std::map<std::int64_t, std::int64_t> touched;
        std::int64_t batch_id = 0;
        std::set<std::pair<std::int64_t, std::int32_t>> dirty;  // (school, day)
        try {
            sqlite::InTransaction(db, [&] {
                if (!last_batch_id_) {
                    Stmt counter(db, "SELECT value FROM counters WHERE name = 'batch_id'");
                    last_batch_id_ = counter.Step() ? counter.Int(0) : 0;
                }
                batch_id = *last_batch_id_;
                for (std::size_t j = 0; j < group.size(); ++j) {
                    const auto& batch = group[j].batch;
                    // last_seen has one-second resolution: a device pushing many times a second needs one write.
                    const auto known = last_seen_written_.find(batch.device_id);
                    auto& pending = touched[batch.device_id];
                    const auto seen_at = batch.seen_at < 0 ? batch.received_at : batch.seen_at;
                    if (seen_at > 0 && (known == last_seen_written_.end() || known->second < seen_at) &&
                        pending < seen_at) {
                        touch_device_->Bind(1, seen_at).Bind(2, batch.device_id).Exec();
                        touch_device_->Reset();
                        pending = seen_at;
                    }
                    if (batch.rows.empty()) {
                        continue;
                    }
                    total_rows += batch.rows.size();
                    ++batch_id;
                    struct Seen {
                        std::int64_t count;
                        std::int64_t first;
                        std::int64_t last;
                    };
                    std::map<std::string, Seen> seen;
                    std::set<std::int32_t> days;
                    for (const auto& r : batch.rows) {
                        auto& st = *insert_punch_;
                        st.Bind(1, batch.school_id).Bind(2, batch.device_id).Bind(3, r.user_id);
                        st.Bind(4, r.timestamp.seconds).Bind(5, Widen(r.status)).Bind(6, Widen(r.verify));
                        st.Bind(7, batch.source).Bind(8, batch.received_at).Bind(9, batch_id);
                        st.Exec();
                        st.Reset();
                        if (db.Changes() > 0) {
                            ++stats[j].inserted;
                            days.insert(r.timestamp.date().days);
                            auto [it, fresh] =
                                seen.try_emplace(r.user_id, Seen{0, r.timestamp.seconds, r.timestamp.seconds});
                            ++it->second.count;
                            it->second.first = std::min(it->second.first, r.timestamp.seconds);
                            it->second.last = std::max(it->second.last, r.timestamp.seconds);
                        } else {
                            ++stats[j].duplicates;
                        }
                    }
                    // R18: the days of new punches, marked in the transaction that stores them.
                    for (const auto day : days) {
                        for (int m = -batch.dirty_margin_days; m <= batch.dirty_margin_days; ++m) {
                            dirty.insert({batch.school_id, day + m});
                        }
                    }
                    for (const auto& [user_id, s] : seen) {
                        auto& st = *upsert_user_;
                        st.Bind(1, batch.device_id).Bind(2, user_id).Bind(3, batch.school_id).Bind(4, s.count);
                        st.Bind(5, s.first).Bind(6, s.last).Exec();
                        st.Reset();
                    }
                }
                for (const auto& [school_id, day] : dirty) {
                    sqlite::MarkDirtyRange(db, school_id, core::Date{day}, core::Date{day});
                }
                save_batch_id_->Bind(1, batch_id).Exec();
                save_batch_id_->Reset();
            });
        } catch (const SqliteError& e) {
            last_batch_id_.reset();  // rolled back: read the counter again next time
            spdlog::error("storage: punch commit failed: {}", e.what());
            for (auto& job : group) {
                job.done(MakeError(Errc::kUnavailable, "storage error; retry"));
            }
            return;
        }
        last_batch_id_ = batch_id;
        for (const auto& [device, seen_at] : touched) {
            if (seen_at > 0) {
                last_seen_written_[device] = std::max(last_seen_written_[device], seen_at);
            }
        }
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        if (options_.on_commit) {
            options_.on_commit(seconds, total_rows);
        }
        // The worker is woken before the callers hear back, so a caller that waits for its answer and then
        // for the worker never sees a mark the worker was not told about.
        if (!dirty.empty() && options_.on_dirty) {
            options_.on_dirty();
        }
        for (std::size_t j = 0; j < group.size(); ++j) {
            group[j].done(stats[j]);
        }
    }

    StoreOptions options_;
    std::unique_ptr<Db> writer_db_;
    std::unique_ptr<Stmt> insert_punch_;
    std::unique_ptr<Stmt> save_batch_id_;
    std::unique_ptr<Stmt> upsert_user_;
    std::unique_ptr<Stmt> touch_device_;
    std::optional<std::int64_t> last_batch_id_;                         ///< writer thread only
    std::unordered_map<std::int64_t, std::int64_t> last_seen_written_;  ///< device -> last_seen stored; writer only

    std::mutex mu_;
    std::condition_variable cv_;
    std::condition_variable idle_cv_;
    std::deque<Job> queue_;
    std::size_t punch_jobs_ = 0;
    bool busy_ = false;
    bool stopping_ = false;
    std::thread writer_;

    std::mutex readers_mu_;
    std::condition_variable readers_cv_;
    std::vector<std::unique_ptr<Db>> readers_;
};

}  // namespace

std::unique_ptr<Store> OpenSqliteStore(const StoreOptions& options) {
    return std::make_unique<SqliteStore>(options);
}

}  // namespace rollcall::storage
