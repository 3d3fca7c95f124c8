#pragma once

#include "core/result.hpp"
#include "storage/records.hpp"

#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace rollcall::storage {

/// The durability settings the embedded database's writer connection runs with, as SQLite reports them.
struct WriterPragmas {
    std::string journal_mode;  ///< "wal": readers never block the writer, and a commit appends to the -wal file
    int synchronous = -1;      ///< 2 (FULL): each commit's -wal frames are fsynced before COMMIT returns
};

/// Whether the database takes writes. Learnt from the writes themselves: a write the disk refused (full, read-only,
/// failing) makes it false until a write succeeds; a query that failed for its own reasons changes nothing.
struct WriterHealth {
    bool writable = true;
    std::string problem;  ///< what the disk said, in words, while not writable
};

/// The one storage interface, written for the use cases. SQLite implements it (storage/sqlite); every
/// query of school data takes the school id and filters on it, so another school's rows are NotFound.
///
/// A change made by an admin carries its audit line (R19): a write given `audit` stores it in the same
/// transaction as the change, with the id of the object it created (and, for a school, the school's). Writes
/// of the engine and of tests pass none.
class Store {
public:
    virtual ~Store() = default;

    // Schools and users.
    virtual core::Result<School> CreateSchool(const School& school, std::optional<AuditEntry> audit = std::nullopt) = 0;
    virtual core::Result<School> GetSchool(std::int64_t id) = 0;
    virtual core::Result<std::vector<School>> ListSchools() = 0;
    /// A school's name and status (its zone never changes: it would move every punch of its past). Deactivating a
    /// school ends every session of its admins in the same transaction.
    virtual core::Result<School> UpdateSchool(const School& school, std::optional<AuditEntry> audit = std::nullopt) = 0;
    /// A user's audit line goes to their school's trail, or the server's (school 0) for a super admin.
    virtual core::Result<User> CreateUser(const User& user, std::optional<AuditEntry> audit = std::nullopt) = 0;
    virtual core::Result<User> FindUserByEmail(const std::string& email) = 0;
    virtual core::Result<User> GetUser(std::int64_t id) = 0;
    /// Every user, or the users of one school, by id.
    virtual core::Result<std::vector<User>> ListUsers(std::optional<std::int64_t> school_id) = 0;
    virtual core::Result<std::int64_t> CountUsers() = 0;
    /// A re-hash of the same password at login (a stronger cost): no session ends, nothing to audit.
    virtual core::Status UpdatePasswordHash(std::int64_t user_id, const std::string& hash) = 0;
    /// A new password: stores its hash and ends every session of the user but `keep_session` (0 keeps none), in
    /// one transaction with its audit line.
    virtual core::Status SetPassword(std::int64_t user_id,
                                     const std::string& hash,
                                     std::int64_t keep_session,
                                     AuditEntry audit) = 0;
    /// Sets a user active or inactive; disabling ends every session of theirs in the same transaction. Disabling
    /// the last active super admin is a conflict: nobody could manage the server any more.
    virtual core::Result<User> SetUserStatus(std::int64_t user_id, domain::ActiveStatus status, AuditEntry audit) = 0;

    // Login sessions.
    virtual core::Result<Session> CreateSession(const Session& session) = 0;
    virtual core::Result<Session> FindSessionByTokenHash(const std::vector<std::uint8_t>& hash) = 0;
    virtual core::Status DeleteSession(std::int64_t id) = 0;

    // Devices.
    virtual core::Result<Device> CreateDevice(const Device& device, std::optional<AuditEntry> audit = std::nullopt) = 0;
    /// Any school: the device a push token belongs to (the caller compares the hash in constant time).
    virtual core::Result<Device> FindDeviceByTokenHash(const std::vector<std::uint8_t>& hash) = 0;
    virtual core::Result<Device> GetDevice(std::int64_t school_id, std::int64_t id) = 0;
    virtual core::Result<std::vector<Device>> ListDevices(std::int64_t school_id) = 0;
    /// A change of direction or zone marks the days of the device's punches dirty (R18) in the same transaction.
    virtual core::Result<Device> UpdateDevice(const Device& device, std::optional<AuditEntry> audit = std::nullopt) = 0;
    /// Makes the audit lines of a device's deletion: its own and one for each mapping and clock correction that
    /// goes with it (R19).
    using DeviceRemovalAudit = std::function<std::vector<AuditEntry>(const DeviceRemoval&)>;
    /// Deletes a device that has no punches (a conflict otherwise), with its own mappings and clock corrections,
    /// in one transaction with the audit lines `audit` makes (none without it).
    virtual core::Status DeleteDevice(std::int64_t school_id,
                                      std::int64_t id,
                                      const DeviceRemovalAudit& audit = nullptr) = 0;
    virtual core::Status TouchDevice(std::int64_t device_id, std::int64_t seen_at) = 0;

    /// An agent token of a school (docs/api.md "Agent side"); only its keyed hash is stored.
    virtual core::Result<std::int64_t> CreateAgentToken(std::int64_t school_id,
                                                        const std::vector<std::uint8_t>& token_hash,
                                                        std::int64_t created_at,
                                                        std::optional<AuditEntry> audit = std::nullopt) = 0;

    virtual core::Result<AgentToken> FindAgentTokenByHash(const std::vector<std::uint8_t>& hash) = 0;
    virtual core::Result<std::vector<AgentToken>> ListAgentTokens(std::int64_t school_id) = 0;
    virtual core::Status RevokeAgentToken(std::int64_t school_id,
                                          std::int64_t id,
                                          std::int64_t at,
                                          std::optional<AuditEntry> audit = std::nullopt) = 0;
    /// Stores the agent's latest report on a device (one row per device, replaced).
    virtual core::Status SaveDeviceStatus(const DeviceStatus& status) = 0;
    virtual core::Result<std::vector<DeviceStatus>> ListDeviceStatuses(std::int64_t school_id) = 0;
    /// Replaces a device's stored terminal user table with the one its agent read (NotFound outside the school).
    virtual core::Status ReplaceTerminalUsers(const TerminalUserTable& table) = 0;
    /// When the device's terminal user table was last read (its users are read through ListDeviceUsers); none
    /// before its agent uploaded one.
    virtual core::Result<std::optional<TerminalUserTable>> GetTerminalUserRead(std::int64_t school_id,
                                                                               std::int64_t device_id) = 0;

    // People.
    virtual core::Result<Person> CreatePerson(const Person& person, std::optional<AuditEntry> audit = std::nullopt) = 0;
    /// Makes the audit line of a mapping created with its person, once both have their ids.
    using MappingAudit = std::function<AuditEntry(const Mapping&)>;
    /// Creates a person and maps a device user to them in one transaction (a row of the people CSV): both are
    /// stored, each with its audit line, or neither. `mapping.person_id` is set to the new person's id; the days
    /// the user punched on are marked dirty (R7, R18).
    virtual core::Result<Person> CreatePersonWithMapping(const Person& person,
                                                         AuditEntry audit,
                                                         Mapping mapping,
                                                         const MappingAudit& mapping_audit) = 0;
    /// A person to create with the mapping of their device user, and the audit line of each.
    struct MappedPerson {
        Person person;
        AuditEntry audit;
        Mapping mapping;
        MappingAudit mapping_audit;
    };
    /// CreatePersonWithMapping for each, all in one transaction: every one is stored, or none. The people as stored.
    virtual core::Result<std::vector<Person>> CreatePeopleWithMappings(std::vector<MappedPerson> people) = 0;
    virtual core::Result<Person> GetPerson(std::int64_t school_id, std::int64_t id) = 0;
    virtual core::Result<std::vector<Person>> ListPeople(std::int64_t school_id) = 0;
    /// A change of kind, group or active dates marks the days the person punched on dirty (R18) in the same
    /// transaction.
    virtual core::Result<Person> UpdatePerson(const Person& person, std::optional<AuditEntry> audit = std::nullopt) = 0;
    /// Makes the audit lines of a person's deletion from what would be removed with them and what the record
    /// holds about them (R19), or refuses the deletion with an error.
    using PersonRemovalAudit = std::function<core::Result<std::vector<AuditEntry>>(const PersonRemoval&)>;
    /// Deletes a person with their mappings in one transaction, which also stores the audit lines `audit` makes of
    /// them; when `audit` refuses, nothing changes and its error is the answer. The history is read in the same
    /// transaction, so a punch arriving a moment before is seen.
    virtual core::Status DeletePerson(std::int64_t school_id, std::int64_t id, const PersonRemovalAudit& audit) = 0;

    // Mappings (R6, R7).
    virtual core::Result<Mapping> CreateMapping(const Mapping& mapping,
                                                std::optional<AuditEntry> audit = std::nullopt) = 0;
    virtual core::Result<std::vector<Mapping>> ListMappings(std::int64_t school_id) = 0;
    virtual core::Status DeleteMapping(std::int64_t school_id,
                                       std::int64_t id,
                                       std::optional<AuditEntry> audit = std::nullopt) = 0;

    // Punches. Submit is asynchronous: `done` runs on the writer thread once the rows are durably
    // committed (group commit), or with an error. Never blocks the caller.
    using PunchCallback = std::function<void(core::Result<InsertStats>)>;
    virtual void SubmitPunches(PunchBatch batch, PunchCallback done) = 0;
    /// Submit and wait; for the command line and tests.
    core::Result<InsertStats> WritePunches(PunchBatch batch);

    virtual core::Result<std::vector<StoredPunch>> ListPunches(std::int64_t school_id,
                                                               core::LocalDateTime from,
                                                               core::LocalDateTime to) = 0;
    /// The punches in [from, to) whose user_id is one of `users`: the register passes its mapped users (R6,
    /// R7). Other punches are skipped while they are read, so a device flooding a day with users nobody is
    /// mapped to costs the register no memory.
    virtual core::Result<std::vector<StoredPunch>> ListPunchesOfUsers(std::int64_t school_id,
                                                                      core::LocalDateTime from,
                                                                      core::LocalDateTime to,
                                                                      const UserIdSet& users) = 0;
    virtual core::Result<std::vector<StoredPunch>> ListDevicePunches(std::int64_t school_id,
                                                                     std::int64_t device_id,
                                                                     std::int64_t limit) = 0;
    /// The users of the school's devices (or of one device): those who punched (R7), and those of each terminal's
    /// own user table, with the terminal's name for them, and the person each resolves to (R6).
    virtual core::Result<std::vector<DeviceUser>> ListDeviceUsers(std::int64_t school_id,
                                                                  std::optional<std::int64_t> device_id) = 0;
    /// R7: the device users no mapping reaches that punched in [from, to) (their device's clock), each with the
    /// count, first and last of those punches only.
    virtual core::Result<std::vector<DeviceUser>> ListUnmappedUsersBetween(std::int64_t school_id,
                                                                           core::LocalDateTime from,
                                                                           core::LocalDateTime to) = 0;

    // Calendar and settings.
    virtual core::Result<Holiday> CreateHoliday(const Holiday& holiday,
                                                std::optional<AuditEntry> audit = std::nullopt) = 0;
    virtual core::Result<std::vector<Holiday>> ListHolidays(std::int64_t school_id) = 0;
    virtual core::Status DeleteHoliday(std::int64_t school_id,
                                       std::int64_t id,
                                       std::optional<AuditEntry> audit = std::nullopt) = 0;
    virtual core::Result<SettingsVersion> SaveSettings(const SettingsVersion& version,
                                                       std::optional<AuditEntry> audit = std::nullopt) = 0;
    virtual core::Result<std::vector<SettingsVersion>> ListSettings(std::int64_t school_id) = 0;
    /// Deletes every version of a scope (R21: its people inherit again) and marks the days from its first
    /// version's effective_from to `dirty_to` (R18); the versions removed. NotFound when the scope has none.
    virtual core::Result<std::vector<SettingsVersion>> DeleteSettingsScope(std::int64_t school_id,
                                                                           const std::string& scope,
                                                                           core::Date dirty_to,
                                                                           std::optional<AuditEntry> audit) = 0;

    // Overrides and their audit trail (R19): each change and its audit line commit together.
    /// Sets the override of (person, date), replacing one that exists; `audit` is completed and stored.
    virtual core::Result<Override> PutOverride(const Override& override_row, AuditEntry audit) = 0;
    virtual core::Result<Override> GetOverride(std::int64_t school_id, std::int64_t id) = 0;
    virtual core::Result<std::optional<Override>> FindOverride(std::int64_t school_id,
                                                               std::int64_t person_id,
                                                               core::Date date) = 0;
    virtual core::Result<std::vector<Override>> ListOverrides(std::int64_t school_id, core::Date date) = 0;
    /// The school's overrides of the days from..to (inclusive), by date then person: a month's registers read
    /// them in one query.
    virtual core::Result<std::vector<Override>> ListOverridesBetween(std::int64_t school_id,
                                                                     core::Date from,
                                                                     core::Date to) = 0;
    virtual core::Status DeleteOverride(std::int64_t school_id, std::int64_t id, AuditEntry audit) = 0;
    virtual core::Result<std::vector<AuditEntry>> ListAudit(std::int64_t school_id, const AuditFilter& filter) = 0;

    // Clock corrections (R4), audited like overrides.
    virtual core::Result<ClockCorrection> CreateClockCorrection(const ClockCorrection& correction,
                                                                AuditEntry audit) = 0;
    virtual core::Result<std::vector<ClockCorrection>> ListClockCorrections(std::int64_t school_id) = 0;
    virtual core::Status DeleteClockCorrection(std::int64_t school_id, std::int64_t id, AuditEntry audit) = 0;

    /// R16 "finalize anyway": records that an admin declared the day's absences final; audited.
    virtual core::Status FinalizeDay(std::int64_t school_id, core::Date date, AuditEntry audit) = 0;
    /// The days of from..to (inclusive) an admin finalized (R16), in order.
    virtual core::Result<std::vector<core::Date>> ListFinalizedDays(std::int64_t school_id,
                                                                    core::Date from,
                                                                    core::Date to) = 0;

    // Recomputation (R18). Every trigger marks the affected days dirty in the database; the worker
    // recomputes them. Marks survive a crash, so no pending recomputation is lost.
    virtual core::Status MarkDirty(std::int64_t school_id,
                                   core::Date from,
                                   core::Date to,
                                   std::optional<AuditEntry> audit = std::nullopt) = 0;
    /// Marks every day with punches of a device user (a mapping change, R7), of a whole device (a direction
    /// or zone change) or of a person's mapped users (a person change); unset filters match everything.
    virtual core::Status MarkDirtyWherePunches(std::int64_t school_id,
                                               std::optional<std::int64_t> device_id,
                                               std::optional<std::string> user_id,
                                               std::optional<std::int64_t> person_id) = 0;
    /// The newest marks first, across schools.
    virtual core::Result<std::vector<DirtyDay>> ListDirty(std::size_t limit) = 0;
    /// The schools that have marked days, by id: the worker takes turns between them.
    virtual core::Result<std::vector<std::int64_t>> ListDirtySchools() = 0;
    /// A school's marked days from..to (inclusive), newest first, at most `limit`.
    virtual core::Result<std::vector<DirtyDay>> ListDirtyDays(std::int64_t school_id,
                                                              core::Date from,
                                                              core::Date to,
                                                              std::size_t limit) = 0;
    /// Drops at most `limit` of a school's marks outside `window` (marked before marks were clamped, or slid out
    /// of the window since); returns how many went.
    virtual core::Result<std::size_t> DropDirtyOutside(std::int64_t school_id,
                                                       MarkWindow window,
                                                       std::size_t limit) = 0;
    virtual core::Result<std::int64_t> CountDirty() = 0;
    /// Rows of a day as the worker last stored them.
    virtual core::Result<std::vector<DayRecord>> ListDayRecords(std::int64_t school_id, core::Date date) = 0;
    /// Stores one recomputed day, its webhook deliveries (a delivery of the same webhook, event, person and
    /// day that exists already is skipped) and clears its mark unless it was re-marked meanwhile.
    virtual core::Status SaveRecompute(const DayRecompute& recompute) = 0;
    /// Days of the school the worker computed as final, from `since` on (the periodic sweep skips them).
    virtual core::Result<std::vector<core::Date>> ListFinalDays(std::int64_t school_id, core::Date since) = 0;
    /// R16: the settings scopes of the days from..to that a recomputation found final. Finality never goes back:
    /// what is recorded here stays final whatever is added or switched on later.
    virtual core::Result<std::vector<FinalScope>> ListFinalScopes(std::int64_t school_id,
                                                                  core::Date from,
                                                                  core::Date to) = 0;

    // Webhooks.
    virtual core::Result<Webhook> CreateWebhook(const Webhook& webhook,
                                                std::optional<AuditEntry> audit = std::nullopt) = 0;
    virtual core::Result<std::vector<Webhook>> ListWebhooks(std::int64_t school_id) = 0;
    virtual core::Result<Webhook> GetWebhook(std::int64_t school_id, std::int64_t id) = 0;
    virtual core::Status DeleteWebhook(std::int64_t school_id,
                                       std::int64_t id,
                                       std::optional<AuditEntry> audit = std::nullopt) = 0;
    /// Pending deliveries whose next attempt is due, oldest first, across schools.
    virtual core::Result<std::vector<WebhookDelivery>> ListDueDeliveries(std::int64_t now, std::size_t limit) = 0;
    /// The earliest next attempt of a pending delivery, if any.
    virtual core::Result<std::optional<std::int64_t>> NextDeliveryAt() = 0;
    /// Records the outcome of an attempt: state, attempts, next_attempt_at, last_status, last_error, delivered_at.
    virtual core::Status UpdateDelivery(const WebhookDelivery& delivery) = 0;
    /// The delivery log of a school, newest first.
    virtual core::Result<std::vector<WebhookDelivery>> ListDeliveries(std::int64_t school_id,
                                                                      std::optional<std::int64_t> webhook_id,
                                                                      std::size_t limit) = 0;

    /// Waits until every submitted batch is committed; used on shutdown.
    virtual void Flush() = 0;

    /// Whether the database can be written, as the last write found it (a full disk, a read-only file).
    virtual WriterHealth Health() const = 0;

    /// Reads back, on the writer thread, the pragmas its connection really runs with. A kill -9 test cannot
    /// tell a missing fsync (the page cache survives the process), so the durability promise is checked here.
    virtual core::Result<WriterPragmas> ReadWriterPragmas() = 0;
};

struct StoreOptions {
    std::string path;  ///< SQLite file
    std::size_t writer_queue_depth = 4096;
    std::size_t group_commit_max_rows = 20000;
    std::size_t read_connections = 4;
    std::function<void(double seconds, std::size_t rows)> on_commit;  ///< metrics hook
    std::function<void(std::size_t depth)> on_queue_depth;
    std::function<void()> on_dirty;  ///< runs on the writer thread after a commit that marked days dirty
    /// R18: the days of a school that may be marked, from its time zone; every mark is clamped to it. Runs on the
    /// writer thread. Unset: any day (the storage tests).
    std::function<MarkWindow(const std::string& timezone)> mark_window;
};

/// Opens (creating and migrating as needed) the embedded database.
std::unique_ptr<Store> OpenSqliteStore(const StoreOptions& options);

}  // namespace rollcall::storage
