#pragma once

// What the audit trail (R19) records of each kind of object: the fields an admin set, as JSON, and never a
// secret (device tokens, comm keys, webhook secrets stay out of it).

#include "domain/audit.hpp"
#include "service/principal.hpp"
#include "storage/records.hpp"

#include <string>

namespace rollcall::service {

/// The audit line of one admin action (R19): who, which school, when, what; old/new/reason filled by the caller.
storage::AuditEntry AuditOf(const Principal& principal,
                            std::int64_t school_id,
                            std::int64_t at,
                            domain::AuditAction action,
                            std::string entity);

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
