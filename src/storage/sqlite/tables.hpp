#pragma once

// Every table whose rows are a record, described once: the row reader, the binder and the table's description
// (name, column list, order) side by side, so a SELECT's column list and the reader that reads it are written in
// one place. The statements every table has are built from these (table.hpp); a table's other statements are in
// its *_sql.cpp.

#include "storage/records.hpp"
#include "storage/sqlite/table.hpp"

namespace rollcall::storage::sqlite {

// Schools.
inline School ReadSchool(const Stmt& s) {
    return School{s.Int(0), s.Text(1), s.Text(2), s.Int(3), s.Enum<domain::ActiveStatus>(4)};
}
inline void BindSchool(Stmt& s, const School& school) {
    s.Bind(1, school.name).Bind(2, school.timezone).Bind(3, school.created_at).Bind(4, school.status);
}
template <>
inline constexpr Table<School> kTable<School>{.name = "schools",
                                              .columns = "id, name, timezone, created_at, status",
                                              .order = "id",
                                              .read = ReadSchool,
                                              .bind = BindSchool};

// Admin users; created_at is stored as 0 and never read back.
inline User ReadUser(const Stmt& s) {
    return User{s.Int(0), s.Text(1), s.Enum<domain::Role>(2), s.OptInt(3), s.Text(4), s.Enum<domain::ActiveStatus>(6)};
}
inline void BindUser(Stmt& s, const User& u) {
    s.Bind(1, u.email).Bind(2, u.role).Bind(3, u.school_id).Bind(4, u.password_hash).Bind(5, std::int64_t{0});
    s.Bind(6, u.status);
}
template <>
inline constexpr Table<User> kTable<User>{.name = "users",
                                          .columns = "id, email, role, school_id, password_hash, created_at, status",
                                          .order = "id",
                                          .read = ReadUser,
                                          .bind = BindUser};

// Login sessions; created_at is stored as 0 and never read back.
inline Session ReadSession(const Stmt& s) {
    return Session{s.Int(0), s.Int(1), s.Blob(2), s.Text(3), s.Int(4)};
}
inline void BindSession(Stmt& s, const Session& session) {
    s.Bind(1, session.user_id).Bind(2, std::span<const std::uint8_t>(session.token_hash));
    s.Bind(3, session.csrf_token).Bind(4, session.expires_at).Bind(5, std::int64_t{0});
}
template <>
inline constexpr Table<Session> kTable<Session>{
    .name = "sessions",
    .columns = "id, user_id, token_hash, csrf_token, expires_at, created_at",
    .order = "id",
    .read = ReadSession,
    .bind = BindSession};

// Devices. An edit rewrites neither last_seen (the punch writer's, which only ever raises it) nor created_at.
inline Device ReadDevice(const Stmt& s) {
    Device d;
    d.id = s.Int(0);
    d.school_id = s.Int(1);
    d.name = s.Text(2);
    d.ip = s.Text(3);
    d.port = static_cast<std::int32_t>(s.Int(4));
    d.sync_mode = s.Enum<domain::SyncMode>(5);
    d.direction = s.Enum<domain::DeviceDirection>(6);
    d.status = s.Enum<domain::ActiveStatus>(7);
    d.serial = s.Text(8);
    d.comm_key = s.Text(9);
    d.token_hash = s.Blob(10);
    d.token_encrypted = s.Blob(11);
    d.last_seen = s.OptInt(12);
    d.created_at = s.Int(13);
    d.timezone = s.Text(14);
    return d;
}
inline void BindDevice(Stmt& s, const Device& d) {
    s.Bind(1, d.school_id).Bind(2, d.name).Bind(3, d.ip).Bind(4, std::int64_t{d.port}).Bind(5, d.sync_mode);
    s.Bind(6, d.direction).Bind(7, d.status).Bind(8, d.serial).Bind(9, d.comm_key);
    s.Bind(10, std::span<const std::uint8_t>(d.token_hash));
    s.Bind(11, std::span<const std::uint8_t>(d.token_encrypted));
    s.Bind(12, d.last_seen).Bind(13, d.created_at).Bind(14, d.timezone);
}
template <>
inline constexpr Table<Device> kTable<Device>{
    .name = "devices",
    .columns =
        "id, school_id, name, ip, port, sync_mode, direction, status, serial, comm_key, token_hash, "
        "token_encrypted, last_seen, created_at, timezone",
    .order = "id",
    .read = ReadDevice,
    .bind = BindDevice,
    .edits =
        "name=?2, ip=?3, port=?4, sync_mode=?5, direction=?6, status=?7, serial=?8, comm_key=?9, token_hash=?10, "
        "token_encrypted=?11, timezone=?14"};

// People; created_at is stored as 0 and never read back.
inline Person ReadPerson(const Stmt& s) {
    return Person{s.Int(0),
                  s.Int(1),
                  s.Text(2),
                  s.Enum<domain::PersonKind>(3),
                  s.Text(4),
                  s.Text(5),
                  IntToDate(s.OptInt(6)),
                  IntToDate(s.OptInt(7))};
}
inline void BindPerson(Stmt& s, const Person& p) {
    s.Bind(1, p.school_id).Bind(2, p.name).Bind(3, p.kind).Bind(4, p.external_id).Bind(5, p.group);
    s.Bind(6, DateToInt(p.active_from)).Bind(7, DateToInt(p.active_to)).Bind(8, std::int64_t{0});
}
template <>
inline constexpr Table<Person> kTable<Person>{
    .name = "people",
    .columns = "id, school_id, name, kind, external_id, group_name, active_from, active_to, created_at",
    .order = "id",
    .read = ReadPerson,
    .bind = BindPerson,
    .edits = "name=?2, kind=?3, external_id=?4, group_name=?5, active_from=?6, active_to=?7"};

// Mappings of device users to people (R6, R7).
inline Mapping ReadMapping(const Stmt& s) {
    return Mapping{s.Int(0), s.Int(1), s.OptInt(2), s.Text(3), s.Int(4), s.Int(5)};
}
inline void BindMapping(Stmt& s, const Mapping& m) {
    s.Bind(1, m.school_id).Bind(2, m.device_id).Bind(3, m.user_id).Bind(4, m.person_id).Bind(5, m.created_at);
}
template <>
inline constexpr Table<Mapping> kTable<Mapping>{.name = "mappings",
                                                .columns = "id, school_id, device_id, user_id, person_id, created_at",
                                                .order = "id",
                                                .read = ReadMapping,
                                                .bind = BindMapping};

// Holidays, listed by date.
inline Holiday ReadHoliday(const Stmt& s) {
    return Holiday{s.Int(0), s.Int(1), core::Date{static_cast<std::int32_t>(s.Int(2))}, s.Text(3)};
}
inline void BindHoliday(Stmt& s, const Holiday& h) {
    s.Bind(1, h.school_id).Bind(2, std::int64_t{h.date.days}).Bind(3, h.name);
}
template <>
inline constexpr Table<Holiday> kTable<Holiday>{.name = "holidays",
                                                .columns = "id, school_id, date, name",
                                                .order = "date",
                                                .read = ReadHoliday,
                                                .bind = BindHoliday};

// Versions of the attendance settings, listed by scope and effective date.
inline SettingsVersion ReadSettings(const Stmt& s) {
    return SettingsVersion{
        s.Int(0), s.Int(1), core::Date{static_cast<std::int32_t>(s.Int(2))}, s.Text(3), s.Int(4), s.Text(5), {}};
}
inline void BindSettings(Stmt& s, const SettingsVersion& v) {
    s.Bind(1, v.school_id).Bind(2, std::int64_t{v.effective_from.days}).Bind(3, v.json).Bind(4, v.created_at);
    s.Bind(5, v.scope);
}
template <>
inline constexpr Table<SettingsVersion> kTable<SettingsVersion>{
    .name = "attendance_settings",
    .columns = "id, school_id, effective_from, json, created_at, scope",
    .order = "scope, effective_from",
    .read = ReadSettings,
    .bind = BindSettings};

// Overrides of a register row (R19).
inline Override ReadOverride(const Stmt& s) {
    return Override{s.Int(0),
                    s.Int(1),
                    s.Int(2),
                    core::Date{static_cast<std::int32_t>(s.Int(3))},
                    s.Enum<domain::DayStatus>(4),
                    Narrow(s.OptInt(5)),
                    Narrow(s.OptInt(6)),
                    s.Text(7),
                    s.Int(8),
                    s.Int(9)};
}
inline void BindOverride(Stmt& s, const Override& o) {
    s.Bind(1, o.school_id).Bind(2, o.person_id).Bind(3, std::int64_t{o.date.days}).Bind(4, o.status);
    s.Bind(5, Widen(o.in_time)).Bind(6, Widen(o.out_time)).Bind(7, o.reason).Bind(8, o.created_by);
    s.Bind(9, o.created_at);
}
template <>
inline constexpr Table<Override> kTable<Override>{
    .name = "overrides",
    .columns = "id, school_id, person_id, date, status, in_time, out_time, reason, created_by, created_at",
    .order = "id",
    .read = ReadOverride,
    .bind = BindOverride};

// Clock corrections of a device (R4).
inline ClockCorrection ReadCorrection(const Stmt& s) {
    return ClockCorrection{s.Int(0),
                           s.Int(1),
                           s.Int(2),
                           core::LocalDateTime{s.Int(3)},
                           core::LocalDateTime{s.Int(4)},
                           s.Int(5),
                           s.Text(6),
                           s.Int(7),
                           s.Int(8)};
}
inline void BindCorrection(Stmt& s, const ClockCorrection& c) {
    s.Bind(1, c.school_id).Bind(2, c.device_id).Bind(3, c.from.seconds).Bind(4, c.to.seconds);
    s.Bind(5, c.offset_seconds).Bind(6, c.reason).Bind(7, c.created_by).Bind(8, c.created_at);
}
template <>
inline constexpr Table<ClockCorrection> kTable<ClockCorrection>{
    .name = "clock_corrections",
    .columns = "id, school_id, device_id, from_ts, to_ts, offset_seconds, reason, created_by, created_at",
    .order = "id",
    .read = ReadCorrection,
    .bind = BindCorrection};

// The audit trail (R19).
inline AuditEntry ReadAudit(const Stmt& s) {
    return AuditEntry{s.Int(0),
                      s.Int(1),
                      s.Int(2),
                      s.Int(3),
                      s.Enum<domain::AuditAction>(4),
                      s.Text(5),
                      s.Int(6),
                      s.Text(7),
                      s.Text(8),
                      s.Text(9),
                      s.Text(10),
                      s.OptInt(11),
                      s.Text(12)};
}
inline void BindAudit(Stmt& s, const AuditEntry& a) {
    s.Bind(1, a.school_id).Bind(2, a.user_id).Bind(3, a.at).Bind(4, a.action).Bind(5, a.entity);
    s.Bind(6, a.entity_id).Bind(7, a.old_value).Bind(8, a.new_value).Bind(9, a.reason).Bind(10, a.by);
    s.Bind(11, a.person_id).Bind(12, a.label);
}
template <>
inline constexpr Table<AuditEntry> kTable<AuditEntry>{
    .name = "audit_log",
    .columns =
        "id, school_id, user_id, at, action, entity, entity_id, old_value, new_value, reason, actor, person_id, label",
    .order = "id",
    .read = ReadAudit,
    .bind = BindAudit};

}  // namespace rollcall::storage::sqlite
