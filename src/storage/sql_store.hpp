#pragma once

// The Store interface over a SQL backend: one adapter per use case, each running the backend's statements on
// the executor (storage/executor.hpp) in one read or one transaction. The rules a write carries live here,
// once for every backend: its audit line in the same transaction (R19), the days it marks for recomputation
// (R18), the errors a client sees.
//
// The statements are found by argument-dependent lookup on the backend's connection type: with sqlite::Db,
// `SelectOne<Device>(c, school_id, id)` is sqlite::SelectOne of storage/sqlite/table.hpp, built from the devices
// table's description, and `DeviceHasPunches(c, id)` is the one of storage/sqlite/device_sql.hpp. Another backend
// (PostgreSQL) brings its connection type and the same statement functions in its own namespace, and reuses every
// adapter; a statement it lacks is a compile error here, not a silent gap. Statement names must differ from the
// Store methods' (a member of the same name would hide them).

#include "core/result.hpp"
#include "storage/executor.hpp"
#include "storage/store.hpp"

#include <optional>
#include <string>
#include <vector>

namespace rollcall::storage {

template <class Backend>
class SqlStore final : public Store {
    using Conn = typename Backend::Connection;

public:
    explicit SqlStore(const StoreOptions& options) : exec_(options) {}

    // ---- schools, users, sessions ----
    core::Result<School> CreateSchool(const School& school, std::optional<AuditEntry> audit) override {
        return exec_.Write("school", [&](Conn& c) {
            auto out = WithId(school, Insert(c, school));
            if (audit) {
                audit->school_id = out.id;  // the school's audit trail starts with its creation
            }
            Audit(c, audit, out.id);
            return out;
        });
    }
    core::Result<School> GetSchool(std::int64_t id) override {
        return exec_.Read("school", [&](Conn& c) { return Found(SelectById<School>(c, id), "school"); });
    }
    core::Result<std::vector<School>> ListSchools() override {
        return exec_.Read("schools", [&](Conn& c) { return SelectSchools(c); });
    }
    core::Result<School> UpdateSchool(const School& school, std::optional<AuditEntry> audit) override {
        return exec_.Write("school", [&](Conn& c) -> core::Result<School> {
            ROLLCALL_CHECK(AuditedIf(c, audit, school.id, RewriteSchool(c, school), "school"));
            if (school.status != domain::ActiveStatus::kActive) {
                RemoveSchoolSessions(c, school.id);  // its admins are out at once, and stay out if it comes back
            }
            return school;
        });
    }
    core::Result<User> CreateUser(const User& user, std::optional<AuditEntry> audit) override {
        return exec_.Write("user", [&](Conn& c) -> core::Result<User> {
            if (SelectUserByEmail(c, user.email)) {
                return core::MakeError(core::Errc::kConflict, "a user with that email exists");
            }
            return Audited(c, audit, WithId(user, Insert(c, user)));
        });
    }
    core::Result<User> FindUserByEmail(const std::string& email) override {
        return exec_.Read("user", [&](Conn& c) { return Found(SelectUserByEmail(c, email), "user"); });
    }
    core::Result<User> GetUser(std::int64_t id) override {
        return exec_.Read("user", [&](Conn& c) { return Found(SelectById<User>(c, id), "user"); });
    }
    core::Result<std::vector<User>> ListUsers(std::optional<std::int64_t> school_id) override {
        return exec_.Read("users", [&](Conn& c) { return SelectUsers(c, school_id); });
    }
    core::Result<std::int64_t> CountUsers() override {
        return exec_.Read("users", [&](Conn& c) { return SelectUserCount(c); });
    }
    core::Status UpdatePasswordHash(std::int64_t user_id, const std::string& hash) override {
        return exec_.Write("user", [&](Conn& c) { SetPasswordHash(c, user_id, hash); });
    }
    core::Status SetPassword(std::int64_t user_id,
                             const std::string& hash,
                             std::int64_t keep_session,
                             AuditEntry audit) override {
        return exec_.Write("user", [&](Conn& c) -> core::Status {
            if (!SelectById<User>(c, user_id)) {
                return NotFound("user");
            }
            SetPasswordHash(c, user_id, hash);
            RemoveUserSessions(c, user_id, keep_session);
            AuditAlways(c, audit, user_id);
            return {};
        });
    }
    core::Result<User> SetUserStatus(std::int64_t user_id, domain::ActiveStatus status, AuditEntry audit) override {
        return exec_.Write("user", [&](Conn& c) -> core::Result<User> {
            ROLLCALL_TRY(auto user, Found(SelectById<User>(c, user_id), "user"));
            if (status == domain::ActiveStatus::kInactive && user.status == domain::ActiveStatus::kActive &&
                user.role == domain::Role::kSuperAdmin && CountActiveSuperAdmins(c) <= 1) {
                return core::MakeError(core::Errc::kConflict,
                                       "this is the last active super admin; make another one first");
            }
            user.status = status;
            RewriteUserStatus(c, user_id, status);
            if (status == domain::ActiveStatus::kInactive) {
                RemoveUserSessions(c, user_id, 0);
            }
            AuditAlways(c, audit, user_id);
            return user;
        });
    }
    core::Result<Session> CreateSession(const Session& session) override {
        return exec_.Write("session", [&](Conn& c) { return WithId(session, Insert(c, session)); });
    }
    core::Result<Session> FindSessionByTokenHash(const std::vector<std::uint8_t>& hash) override {
        return exec_.Read("session", [&](Conn& c) { return Found(SelectSessionByTokenHash(c, hash), "session"); });
    }
    core::Status DeleteSession(std::int64_t id) override {
        return exec_.Write("session", [&](Conn& c) { RemoveSession(c, id); });
    }

    // ---- devices and agents ----
    core::Result<Device> CreateDevice(const Device& device, std::optional<AuditEntry> audit) override {
        return exec_.Write("device", [&](Conn& c) { return Audited(c, audit, WithId(device, Insert(c, device))); });
    }
    core::Result<Device> FindDeviceByTokenHash(const std::vector<std::uint8_t>& hash) override {
        return exec_.Read("device", [&](Conn& c) { return Found(SelectDeviceByTokenHash(c, hash), "device"); });
    }
    core::Result<Device> GetDevice(std::int64_t school_id, std::int64_t id) override {
        return exec_.Read("device", [&](Conn& c) { return Found(SelectOne<Device>(c, school_id, id), "device"); });
    }
    core::Result<std::vector<Device>> ListDevices(std::int64_t school_id) override {
        return exec_.Read("devices", [&](Conn& c) { return SelectAll<Device>(c, school_id); });
    }
    core::Result<Device> UpdateDevice(const Device& d, std::optional<AuditEntry> audit) override {
        return exec_.Write("device", [&](Conn& c) -> core::Result<Device> {
            ROLLCALL_TRY(const auto before, Found(SelectOne<Device>(c, d.school_id, d.id), "device"));
            UpdateRow(c, d);
            if (before.direction != d.direction || before.timezone != d.timezone) {
                // R18: the direction (R9) or zone (R5) changes how every punch of the device counts.
                MarkPunchDays(c, d.school_id, d.id, std::nullopt, std::nullopt);
            }
            return Audited(c, audit, d);
        });
    }
    core::Status DeleteDevice(std::int64_t school_id, std::int64_t id, const DeviceRemovalAudit& audit) override {
        return exec_.Write("device", [&](Conn& c) -> core::Status {
            DeviceRemoval removed;
            ROLLCALL_TRY(removed.device, Found(SelectOne<Device>(c, school_id, id), "device"));
            if (DeviceHasPunches(c, id)) {
                return core::MakeError(core::Errc::kConflict,
                                       "device has punches; set it inactive instead of deleting it");
            }
            removed.mappings = SelectAllWhere<Mapping>(c, school_id, "device_id", id);
            removed.corrections = SelectAllWhere<ClockCorrection>(c, school_id, "device_id", id);
            // Its mappings and clock corrections go with it (ON DELETE CASCADE), each with its audit line (R19).
            RemoveOne<Device>(c, school_id, id);
            if (audit) {
                for (const auto& line : audit(removed)) {
                    Insert(c, line);
                }
            }
            return {};
        });
    }
    core::Status TouchDevice(std::int64_t device_id, std::int64_t seen_at) override {
        return exec_.Write("device", [&](Conn& c) { RaiseLastSeen(c, device_id, seen_at); });
    }
    core::Result<std::int64_t> CreateAgentToken(std::int64_t school_id,
                                                const std::vector<std::uint8_t>& token_hash,
                                                std::int64_t created_at,
                                                std::optional<AuditEntry> audit) override {
        return exec_.Write("agent token", [&](Conn& c) {
            const auto id = InsertAgentToken(c, school_id, token_hash, created_at);
            Audit(c, audit, id);
            return id;
        });
    }
    core::Result<AgentToken> FindAgentTokenByHash(const std::vector<std::uint8_t>& hash) override {
        return exec_.Read("agent token", [&](Conn& c) {
            return Found(First(SelectAgentTokens(c, std::nullopt, &hash)), "agent token");
        });
    }
    core::Result<std::vector<AgentToken>> ListAgentTokens(std::int64_t school_id) override {
        return exec_.Read("agent tokens", [&](Conn& c) { return SelectAgentTokens(c, school_id, nullptr); });
    }
    core::Status RevokeAgentToken(std::int64_t school_id,
                                  std::int64_t id,
                                  std::int64_t at,
                                  std::optional<AuditEntry> audit) override {
        return exec_.Write("agent token", [&](Conn& c) {
            return AuditedIf(c, audit, id, MarkAgentTokenRevoked(c, school_id, id, at), "agent token");
        });
    }
    core::Status SaveDeviceStatus(const DeviceStatus& status) override {
        return exec_.Write("device status", [&](Conn& c) { UpsertDeviceStatus(c, status); });
    }
    core::Result<std::vector<DeviceStatus>> ListDeviceStatuses(std::int64_t school_id) override {
        return exec_.Read("device status", [&](Conn& c) { return SelectDeviceStatuses(c, school_id); });
    }
    core::Status ReplaceTerminalUsers(const TerminalUserTable& table) override {
        return exec_.Write("terminal users", [&](Conn& c) -> core::Status {
            if (!SelectOne<Device>(c, table.school_id, table.device_id)) {
                return NotFound("device");
            }
            ReplaceTerminalUserTable(c, table);
            return {};
        });
    }
    core::Result<std::optional<TerminalUserTable>> GetTerminalUserRead(std::int64_t school_id,
                                                                       std::int64_t device_id) override {
        return exec_.Read("terminal users", [&](Conn& c) { return SelectTerminalUserRead(c, school_id, device_id); });
    }

    // ---- people and mappings ----
    core::Result<Person> CreatePerson(const Person& person, std::optional<AuditEntry> audit) override {
        return exec_.Write("person", [&](Conn& c) {
            const auto out = WithId(person, Insert(c, person));
            if (audit) {
                audit->person_id = out.id;  // the line is about the person it creates
            }
            return Audited(c, audit, out);
        });
    }
    core::Result<Person> CreatePersonWithMapping(const Person& person,
                                                 AuditEntry audit,
                                                 Mapping mapping,
                                                 const MappingAudit& mapping_audit) override {
        return exec_.Write("person", [&](Conn& c) {
            return InsertPersonWithMapping(c, person, audit, std::move(mapping), mapping_audit);
        });
    }
    core::Result<std::vector<Person>> CreatePeopleWithMappings(std::vector<MappedPerson> people) override {
        return exec_.Write("people", [&](Conn& c) {
            std::vector<Person> out;
            out.reserve(people.size());
            for (auto& p : people) {
                out.push_back(InsertPersonWithMapping(c, p.person, p.audit, std::move(p.mapping), p.mapping_audit));
            }
            return out;
        });
    }
    core::Result<Person> GetPerson(std::int64_t school_id, std::int64_t id) override {
        return exec_.Read("person", [&](Conn& c) { return Found(SelectOne<Person>(c, school_id, id), "person"); });
    }
    core::Result<std::vector<Person>> ListPeople(std::int64_t school_id) override {
        return exec_.Read("people", [&](Conn& c) { return SelectAll<Person>(c, school_id); });
    }
    core::Result<Person> UpdatePerson(const Person& p, std::optional<AuditEntry> audit) override {
        return exec_.Write("person", [&](Conn& c) -> core::Result<Person> {
            ROLLCALL_TRY(const auto before, Found(SelectOne<Person>(c, p.school_id, p.id), "person"));
            UpdateRow(c, p);
            if (before.kind != p.kind || before.group != p.group || before.active_from != p.active_from ||
                before.active_to != p.active_to) {
                // R18: kind, group (R21) and active dates (R8) change the person's rows on the days they punched.
                MarkPunchDays(c, p.school_id, std::nullopt, std::nullopt, p.id);
            }
            return Audited(c, audit, p);
        });
    }
    core::Status DeletePerson(std::int64_t school_id, std::int64_t id, const PersonRemovalAudit& audit) override {
        return exec_.Write("person", [&](Conn& c) -> core::Status {
            PersonRemoval removed;
            ROLLCALL_TRY(removed.person, Found(SelectOne<Person>(c, school_id, id), "person"));
            removed.mappings = SelectAllWhere<Mapping>(c, school_id, "person_id", id);
            removed.history = SelectPersonHistory(c, school_id, id);
            // Decided before anything changes: a refusal leaves the transaction with nothing to commit.
            ROLLCALL_TRY(const auto lines, audit(removed));
            // R18: the days the person punched on, found through the mappings before they go (none when the
            // service refuses to delete a person with history; marked all the same, the store's rule).
            MarkPunchDays(c, school_id, std::nullopt, std::nullopt, id);
            // The mappings go with the person (ON DELETE CASCADE), each with its audit line (R19).
            RemoveOne<Person>(c, school_id, id);
            for (const auto& line : lines) {
                Insert(c, line);
            }
            return {};
        });
    }
    core::Result<Mapping> CreateMapping(const Mapping& m, std::optional<AuditEntry> audit) override {
        return exec_.Write("mapping", [&](Conn& c) {
            const auto out = WithId(m, Insert(c, m));
            MarkUserDays(c, m.school_id, m.device_id, m.user_id);  // R7: its past punches count now
            return Audited(c, audit, out);
        });
    }
    core::Result<std::vector<Mapping>> ListMappings(std::int64_t school_id) override {
        return exec_.Read("mappings", [&](Conn& c) { return SelectAll<Mapping>(c, school_id); });
    }
    core::Status DeleteMapping(std::int64_t school_id, std::int64_t id, std::optional<AuditEntry> audit) override {
        return exec_.Write("mapping", [&](Conn& c) -> core::Status {
            ROLLCALL_TRY(const auto removed, Found(RemoveOne<Mapping>(c, school_id, id), "mapping"));
            MarkUserDays(c, school_id, removed.device_id, removed.user_id);  // R7: removing it removes its effect
            Audit(c, audit, id);
            return {};
        });
    }

    // ---- punches ----
    void SubmitPunches(PunchBatch batch, PunchCallback done) override {
        exec_.SubmitPunches(std::move(batch), std::move(done));
    }
    core::Result<std::vector<StoredPunch>> ListPunches(std::int64_t school_id,
                                                       core::LocalDateTime from,
                                                       core::LocalDateTime to) override {
        return exec_.Read("punches", [&](Conn& c) { return SelectPunches(c, school_id, from, to); });
    }
    core::Result<std::vector<StoredPunch>> ListPunchesOfUsers(std::int64_t school_id,
                                                              core::LocalDateTime from,
                                                              core::LocalDateTime to,
                                                              const UserIdSet& users) override {
        return exec_.Read("punches", [&](Conn& c) { return SelectPunchesOfUsers(c, school_id, from, to, users); });
    }
    core::Result<std::vector<StoredPunch>> ListDevicePunches(std::int64_t school_id,
                                                             std::int64_t device_id,
                                                             std::int64_t limit) override {
        return exec_.Read("punches", [&](Conn& c) { return SelectDevicePunches(c, school_id, device_id, limit); });
    }
    core::Result<std::vector<DeviceUser>> ListDeviceUsers(std::int64_t school_id,
                                                          std::optional<std::int64_t> device_id) override {
        return exec_.Read("device users", [&](Conn& c) { return SelectDeviceUsers(c, school_id, device_id); });
    }
    core::Result<std::vector<DeviceUser>> ListUnmappedUsersBetween(std::int64_t school_id,
                                                                   core::LocalDateTime from,
                                                                   core::LocalDateTime to) override {
        return exec_.Read("unmapped users",
                          [&](Conn& c) { return SelectUnmappedUsersBetween(c, school_id, from, to); });
    }

    // ---- calendar and settings ----
    core::Result<Holiday> CreateHoliday(const Holiday& h, std::optional<AuditEntry> audit) override {
        return exec_.Write("holiday", [&](Conn& c) {
            const auto out = WithId(h, Insert(c, h));
            MarkDirtyRange(c, h.school_id, h.date, h.date);
            return Audited(c, audit, out);
        });
    }
    core::Result<std::vector<Holiday>> ListHolidays(std::int64_t school_id) override {
        return exec_.Read("holidays", [&](Conn& c) { return SelectAll<Holiday>(c, school_id); });
    }
    core::Status DeleteHoliday(std::int64_t school_id, std::int64_t id, std::optional<AuditEntry> audit) override {
        return exec_.Write("holiday", [&](Conn& c) -> core::Status {
            ROLLCALL_TRY(const auto removed, Found(RemoveOne<Holiday>(c, school_id, id), "holiday"));
            MarkDirtyRange(c, school_id, removed.date, removed.date);
            Audit(c, audit, id);
            return {};
        });
    }
    core::Result<SettingsVersion> SaveSettings(const SettingsVersion& v, std::optional<AuditEntry> audit) override {
        return exec_.Write("settings", [&](Conn& c) {
            const auto out = WithId(v, ReplaceSettings(c, v));
            if (v.dirty_to && v.effective_from <= *v.dirty_to) {
                MarkDirtyRange(c, v.school_id, v.effective_from, *v.dirty_to);
            }
            return Audited(c, audit, out);
        });
    }
    core::Result<std::vector<SettingsVersion>> ListSettings(std::int64_t school_id) override {
        return exec_.Read("settings", [&](Conn& c) { return SelectAll<SettingsVersion>(c, school_id); });
    }
    core::Result<std::vector<SettingsVersion>> DeleteSettingsScope(std::int64_t school_id,
                                                                   const std::string& scope,
                                                                   core::Date dirty_to,
                                                                   std::optional<AuditEntry> audit) override {
        return exec_.Write("settings", [&](Conn& c) -> core::Result<std::vector<SettingsVersion>> {
            auto removed = RemoveSettingsScope(c, school_id, scope);
            if (removed.empty()) {
                return core::MakeError(core::Errc::kNotFound, "settings: the scope has no settings of its own");
            }
            if (removed.front().effective_from <= dirty_to) {
                MarkDirtyRange(c, school_id, removed.front().effective_from, dirty_to);
            }
            Audit(c, audit, 0);
            return removed;
        });
    }

    // ---- overrides, clock corrections, finalized days and the audit trail (R19) ----
    core::Result<Override> PutOverride(const Override& o, AuditEntry audit) override {
        return exec_.Write("override", [&](Conn& c) {
            auto out = WithId(o, UpsertOverride(c, o));
            AuditAlways(c, audit, out.id);
            MarkDirtyRange(c, o.school_id, o.date, o.date);  // webhooks see the school's view
            return out;
        });
    }
    core::Result<Override> GetOverride(std::int64_t school_id, std::int64_t id) override {
        return exec_.Read("override",
                          [&](Conn& c) { return Found(SelectOne<Override>(c, school_id, id), "override"); });
    }
    core::Result<std::optional<Override>> FindOverride(std::int64_t school_id,
                                                       std::int64_t person_id,
                                                       core::Date date) override {
        return exec_.Read("override", [&](Conn& c) { return SelectOverrideOf(c, school_id, person_id, date); });
    }
    core::Result<std::vector<Override>> ListOverrides(std::int64_t school_id, core::Date date) override {
        return exec_.Read("overrides", [&](Conn& c) { return SelectOverrides(c, school_id, date, date); });
    }
    core::Result<std::vector<Override>> ListOverridesBetween(std::int64_t school_id,
                                                             core::Date from,
                                                             core::Date to) override {
        return exec_.Read("overrides", [&](Conn& c) { return SelectOverrides(c, school_id, from, to); });
    }
    core::Status DeleteOverride(std::int64_t school_id, std::int64_t id, AuditEntry audit) override {
        return exec_.Write("override", [&](Conn& c) -> core::Status {
            ROLLCALL_TRY(const auto removed, Found(RemoveOne<Override>(c, school_id, id), "override"));
            AuditAlways(c, audit, id);
            MarkDirtyRange(c, school_id, removed.date, removed.date);
            return {};
        });
    }
    core::Result<std::vector<AuditEntry>> ListAudit(std::int64_t school_id, const AuditFilter& filter) override {
        return exec_.Read("audit", [&](Conn& c) { return SelectAudit(c, school_id, filter); });
    }
    core::Result<ClockCorrection> CreateClockCorrection(const ClockCorrection& correction, AuditEntry audit) override {
        return exec_.Write("clock correction", [&](Conn& c) {
            auto out = WithId(correction, Insert(c, correction));
            AuditAlways(c, audit, out.id);
            MarkCorrectedDays(c, out.school_id, out.from, out.to, out.offset_seconds);
            return out;
        });
    }
    core::Result<std::vector<ClockCorrection>> ListClockCorrections(std::int64_t school_id) override {
        return exec_.Read("clock corrections", [&](Conn& c) { return SelectAll<ClockCorrection>(c, school_id); });
    }
    core::Status DeleteClockCorrection(std::int64_t school_id, std::int64_t id, AuditEntry audit) override {
        return exec_.Write("clock correction", [&](Conn& c) -> core::Status {
            ROLLCALL_TRY(const auto removed, Found(RemoveOne<ClockCorrection>(c, school_id, id), "clock correction"));
            AuditAlways(c, audit, id);
            MarkCorrectedDays(c, school_id, removed.from, removed.to, removed.offset_seconds);
            return {};
        });
    }
    core::Status FinalizeDay(std::int64_t school_id, core::Date date, AuditEntry audit) override {
        return exec_.Write("finalized day", [&](Conn& c) {
            if (InsertFinalizedDay(c, school_id, date, audit.user_id, audit.at)) {
                AuditAlways(c, audit, date.days);
                MarkDirtyRange(c, school_id, date, date);  // the absences it made final go out now
            }
        });
    }
    core::Result<std::vector<core::Date>> ListFinalizedDays(std::int64_t school_id,
                                                            core::Date from,
                                                            core::Date to) override {
        return exec_.Read("finalized days", [&](Conn& c) { return SelectFinalizedDays(c, school_id, from, to); });
    }

    // ---- recomputation (R18) ----
    core::Status MarkDirty(std::int64_t school_id,
                           core::Date from,
                           core::Date to,
                           std::optional<AuditEntry> audit) override {
        return exec_.Write("dirty days", [&](Conn& c) {
            MarkDirtyRange(c, school_id, from, to);
            Audit(c, audit, 0);
        });
    }
    core::Status MarkDirtyWherePunches(std::int64_t school_id,
                                       std::optional<std::int64_t> device_id,
                                       std::optional<std::string> user_id,
                                       std::optional<std::int64_t> person_id) override {
        return exec_.Write("dirty days", [&](Conn& c) { MarkPunchDays(c, school_id, device_id, user_id, person_id); });
    }
    core::Result<std::vector<DirtyDay>> ListDirty(std::size_t limit) override {
        return exec_.Read("dirty days", [&](Conn& c) { return SelectDirty(c, limit); });
    }
    core::Result<std::vector<std::int64_t>> ListDirtySchools() override {
        return exec_.Read("dirty days", [&](Conn& c) { return SelectDirtySchools(c); });
    }
    core::Result<std::vector<DirtyDay>> ListDirtyDays(std::int64_t school_id,
                                                      core::Date from,
                                                      core::Date to,
                                                      std::size_t limit) override {
        return exec_.Read("dirty days", [&](Conn& c) { return SelectDirtyDays(c, school_id, from, to, limit); });
    }
    core::Result<std::size_t> DropDirtyOutside(std::int64_t school_id, MarkWindow window, std::size_t limit) override {
        return exec_.Write("dirty days", [&](Conn& c) { return RemoveDirtyOutside(c, school_id, window, limit); });
    }
    core::Result<std::int64_t> CountDirty() override {
        return exec_.Read("dirty days", [&](Conn& c) { return CountDirtyDays(c); });
    }
    core::Result<std::vector<DayRecord>> ListDayRecords(std::int64_t school_id, core::Date date) override {
        return exec_.Read("day records", [&](Conn& c) { return SelectDayRecords(c, school_id, date); });
    }
    core::Status SaveRecompute(const DayRecompute& recompute) override {
        return exec_.Write("recomputed day", [&](Conn& c) { StoreRecompute(c, recompute); });
    }
    core::Result<std::vector<core::Date>> ListFinalDays(std::int64_t school_id, core::Date since) override {
        return exec_.Read("register days", [&](Conn& c) { return SelectFinalDays(c, school_id, since); });
    }
    core::Result<std::vector<FinalScope>> ListFinalScopes(std::int64_t school_id,
                                                          core::Date from,
                                                          core::Date to) override {
        return exec_.Read("final scopes", [&](Conn& c) { return SelectFinalScopes(c, school_id, from, to); });
    }

    // ---- webhooks ----
    core::Result<Webhook> CreateWebhook(const Webhook& webhook, std::optional<AuditEntry> audit) override {
        return exec_.Write("webhook",
                           [&](Conn& c) { return Audited(c, audit, WithId(webhook, InsertWebhook(c, webhook))); });
    }
    core::Result<std::vector<Webhook>> ListWebhooks(std::int64_t school_id) override {
        return exec_.Read("webhooks", [&](Conn& c) { return SelectWebhooks(c, school_id, std::nullopt); });
    }
    core::Result<Webhook> GetWebhook(std::int64_t school_id, std::int64_t id) override {
        return exec_.Read("webhook",
                          [&](Conn& c) { return Found(First(SelectWebhooks(c, school_id, id)), "webhook"); });
    }
    core::Status DeleteWebhook(std::int64_t school_id, std::int64_t id, std::optional<AuditEntry> audit) override {
        return exec_.Write(
            "webhook", [&](Conn& c) { return AuditedIf(c, audit, id, RemoveWebhook(c, school_id, id), "webhook"); });
    }
    core::Result<std::vector<WebhookDelivery>> ListDueDeliveries(std::int64_t now, std::size_t limit) override {
        return exec_.Read("deliveries", [&](Conn& c) { return SelectDueDeliveries(c, now, limit); });
    }
    core::Result<std::optional<std::int64_t>> NextDeliveryAt() override {
        return exec_.Read("deliveries", [&](Conn& c) { return SelectNextDeliveryAt(c); });
    }
    core::Status UpdateDelivery(const WebhookDelivery& delivery) override {
        return exec_.Write("delivery", [&](Conn& c) { SaveDeliveryAttempt(c, delivery); });
    }
    core::Result<std::vector<WebhookDelivery>> ListDeliveries(std::int64_t school_id,
                                                              std::optional<std::int64_t> webhook_id,
                                                              std::size_t limit) override {
        return exec_.Read("deliveries", [&](Conn& c) { return SelectDeliveries(c, school_id, webhook_id, limit); });
    }

    void Flush() override { exec_.Flush(); }
    WriterHealth Health() const override { return exec_.Health(); }

    core::Result<WriterPragmas> ReadWriterPragmas() override {
        return exec_.OnWriter("writer pragmas", [](Conn& c) { return SelectWriterPragmas(c); });
    }

private:
    static core::Error NotFound(const char* what) {
        return core::MakeError(core::Errc::kNotFound, std::string(what) + " not found");
    }

    template <class T>
    static core::Result<T> Found(std::optional<T> row, const char* what) {
        if (!row) {
            return NotFound(what);
        }
        return std::move(*row);
    }

    template <class T>
    static std::optional<T> First(std::vector<T> rows) {
        return rows.empty() ? std::nullopt : std::optional<T>(std::move(rows.front()));
    }

    /// The row as stored: with the id its insert generated.
    template <class T>
    static T WithId(T row, std::int64_t id) {
        row.id = id;
        return row;
    }

    /// A person and the mapping of their device user, each with its audit line, inside the caller's transaction.
    static Person InsertPersonWithMapping(
        Conn& c, const Person& person, AuditEntry& audit, Mapping mapping, const MappingAudit& mapping_audit) {
        auto out = WithId(person, Insert(c, person));
        audit.person_id = out.id;
        AuditAlways(c, audit, out.id);
        mapping.person_id = out.id;
        const auto mapped = WithId(mapping, Insert(c, mapping));
        MarkUserDays(c, mapped.school_id, mapped.device_id, mapped.user_id);  // R7: its past punches count now
        auto line = mapping_audit(mapped);
        AuditAlways(c, line, mapped.id);
        return out;
    }

    /// Stores an audit line for `entity_id` in the change's transaction (R19).
    static void AuditAlways(Conn& c, AuditEntry& audit, std::int64_t entity_id) {
        audit.entity_id = entity_id;
        Insert(c, audit);
    }

    /// Stores an admin change's audit line, if it has one (writes of the engine and of tests have none).
    static void Audit(Conn& c, std::optional<AuditEntry>& audit, std::int64_t entity_id) {
        if (audit) {
            AuditAlways(c, *audit, entity_id);
        }
    }

    /// `row`, its creation or change audited.
    template <class T>
    static T Audited(Conn& c, std::optional<AuditEntry>& audit, T row) {
        Audit(c, audit, row.id);
        return row;
    }

    /// A change of one object by id: audited when `changed`, NotFound when the school has no such object.
    static core::Status AuditedIf(
        Conn& c, std::optional<AuditEntry>& audit, std::int64_t id, bool changed, const char* what) {
        if (!changed) {
            return NotFound(what);
        }
        Audit(c, audit, id);
        return {};
    }

    Executor<Backend> exec_;
};

}  // namespace rollcall::storage
