#pragma once

// What the audit trail (R19) records of each kind of object: the fields an admin set, as JSON, and never a
// secret (device tokens, comm keys, webhook secrets stay out of it).

#include "domain/audit.hpp"
#include "service/principal.hpp"
#include "storage/records.hpp"
#include "storage/store.hpp"

#include <array>
#include <string>
#include <string_view>

namespace rollcall::service {

/// The audit line of one admin action (R19): who (by user id and in words: the principal's email), which school,
/// when, what; old/new/reason and the label (Label) filled by the caller.
storage::AuditEntry AuditOf(const Principal& principal,
                            std::int64_t school_id,
                            std::int64_t at,
                            domain::AuditAction action,
                            std::string entity);

/// Every kind of object the trail has lines about, as its lines and `GET audit?entity=` name them.
inline constexpr std::array<std::string_view, 13> kAuditEntities{"agent_token",
                                                                 "clock_correction",
                                                                 "day",
                                                                 "days",
                                                                 "device",
                                                                 "holiday",
                                                                 "mapping",
                                                                 "override",
                                                                 "person",
                                                                 "school",
                                                                 "settings",
                                                                 "user",
                                                                 "webhook"};

/// A line's object named as an admin knows it, from its entity and its values: a person's or a device's name,
/// "Founders' Day (2026-03-20)", "group 5A", "Amina Njeri, 2026-03-12" for an override. `about` names what the
/// values hold only the id of: the person of an override or a mapping, the device of a clock correction or of a
/// token rotation. Without it (a line stored before lines had labels) the id stands in: "person 3, 2026-03-12".
std::string AuditLabel(const storage::AuditEntry& line, std::string_view about = {});
/// Labels a line whose values are set (AuditLabel), so it reads well after its object is gone.
void Label(storage::AuditEntry& line, std::string_view about = {});
/// Labels a line about a person (their own record, a mapping or an override of theirs) and ties it to them, so
/// the trail can be asked about them (`?person_id=`).
void Label(storage::AuditEntry& line, const storage::Person& person);

/// The "school" of the server's own trail: the lines about no school (super admins).
inline constexpr std::int64_t kServerTrail = 0;

/// What `GET audit` asks of the trail; the filters combine. `from` and `to` are days in the school's zone, both
/// included, of when the change was made.
struct AuditQuery {
    std::optional<std::string> entity;
    std::optional<std::int64_t> person_id;
    std::optional<core::Date> from;
    std::optional<core::Date> to;
    std::int64_t limit = 500;

    /// The newest `n` lines, whatever they are about.
    static AuditQuery Newest(std::int64_t n) {
        AuditQuery q;
        q.limit = n;
        return q;
    }
};
inline constexpr std::int64_t kAuditMaxLines = 5000;  ///< the most lines one `GET audit` answers

/// The school's lines that answer the query, newest first, each labelled (older lines from their values). A
/// person of another school, or one since deleted, is no error: the school's lines about that id are listed
/// (none for another school's person), so a deleted person's own lines can still be found.
core::Result<std::vector<storage::AuditEntry>> ReadAuditTrail(storage::Store& store,
                                                              std::int64_t school_id,
                                                              const AuditQuery& query);

std::string SchoolAuditJson(const storage::School& school);
/// A user as the trail keeps them: never their password hash.
std::string UserAuditJson(const storage::User& user);
std::string DeviceAuditJson(const storage::Device& device);
std::string PersonAuditJson(const storage::Person& person);
std::string MappingAuditJson(const storage::Mapping& mapping);
std::string OverrideAuditJson(const storage::Override& override_row);
std::string ClockCorrectionAuditJson(const storage::ClockCorrection& correction);
std::string HolidayAuditJson(const storage::Holiday& holiday);
std::string WebhookAuditJson(const storage::Webhook& webhook);
/// A settings version of a scope ("" the school's, "kind:staff", "group:5A") as the API accepted it.
std::string SettingsAuditJson(const std::string& scope, const std::string& settings_json);
/// A range of days given to re-process (R18).
std::string RangeAuditJson(core::Date from, core::Date to);

}  // namespace rollcall::service
