#pragma once

#include "auth/crypto.hpp"
#include "core/clock.hpp"
#include "core/metrics.hpp"
#include "core/result.hpp"
#include "domain/attendance.hpp"
#include "domain/punch.hpp"
#include "service/principal.hpp"
#include "storage/store.hpp"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace rollcall::service {

struct ServiceConfig {
    auth::PasswordCost password_cost;
    std::int64_t session_ttl_seconds = 12 * 3600;
    domain::RecordLimits record_limits;
    std::size_t max_records = 5000;
    std::size_t max_webhooks = 10;  ///< per school
};

/// A new webhook and its signing secret, shown this once.
struct WebhookWithSecret {
    storage::Webhook webhook;
    std::string secret;
};

struct LoginResult {
    std::string token;
    std::string csrf_token;
    std::int64_t expires_at = 0;
    Principal principal;
};

/// Fields of a device create or PATCH; unset fields keep their value.
struct DevicePatch {
    std::optional<std::string> name;
    std::optional<std::string> sync_mode;
    std::optional<std::string> direction;
    std::optional<std::string> status;
    std::optional<std::string> ip;
    std::optional<std::int64_t> port;
    std::optional<std::string> serial;
    std::optional<std::string> comm_key;
    std::optional<std::string> timezone;
};

struct DeviceWithToken {
    storage::Device device;
    std::string api_token;
};

struct PersonPatch {
    std::optional<std::string> name;
    std::optional<std::string> kind;
    std::optional<std::string> external_id;
    std::optional<std::string> group;
    std::optional<std::optional<core::Date>> active_from;
    std::optional<std::optional<core::Date>> active_to;
};

struct RejectedRecord {
    std::size_t index = 0;
    std::string reason;
};

struct IngestReport {
    std::size_t received = 0;
    std::size_t inserted = 0;
    std::size_t duplicates = 0;
    std::vector<RejectedRecord> rejected;
};

struct ImportReport {
    std::size_t created = 0;
    std::vector<RejectedRecord> errors;  ///< index = CSV line number
};

/// What an admin sends to correct a day (R19).
struct OverrideInput {
    std::int64_t person_id = 0;
    std::string date;
    std::string status;  ///< present, late, absent, excused
    std::optional<std::string> in_time;
    std::optional<std::string> out_time;
    std::string reason;
};

/// R4: an admin's correction of a device clock over a period.
struct ClockCorrectionInput {
    std::int64_t device_id = 0;
    std::string from;  ///< device wall clock, "YYYY-MM-DD HH:MM:SS"
    std::string to;
    std::int64_t offset_seconds = 0;
    std::string reason;
};

/// One row of the register (product.md "Register"): the computed result and, beside it, an override.
struct RegisterRow {
    storage::Person person;
    domain::DayResult result;
    std::optional<storage::Override> override_row;
    std::vector<storage::StoredPunch> punches;  ///< the person's punches of D, as result.explain indexes them
};

/// A register row as the school sees it (R19): the override's status when there is one, and its times
/// where it gives them; late minutes only while the status is late.
struct ShownRow {
    std::string status;
    std::optional<std::int32_t> in_time;
    std::optional<std::int32_t> out_time;
    std::int32_t late_minutes = 0;
};
ShownRow ShowRow(const RegisterRow& row);

struct Register {
    core::Date date;
    bool final = false;
    bool start_time_set = false;
    bool cutoff_passed = false;
    bool finalized_by_admin = false;              ///< R16 "finalize anyway"
    std::vector<storage::Device> silent_devices;  ///< active devices not heard from since the cutoff (R16)
    std::vector<RegisterRow> rows;
};

struct Explanation {
    std::vector<storage::StoredPunch> punches;  ///< in DayInput order
    std::vector<domain::DeviceDirection> directions;
    domain::DayResult result;
    std::optional<storage::Override> override_row;
};

/// The use cases. Every school-scoped call takes the school id and the store filters on it; the HTTP layer
/// checks the caller's access to that school first (Principal::RequireSchool). A call that changes school data
/// takes the Principal making the change, for its audit line (R19), written with the change.
class Services {
public:
    Services(storage::Store& store,
             const auth::Crypto& crypto,
             const core::Clock& clock,
             core::Metrics& metrics,
             ServiceConfig config);

    // Users and sessions.
    core::Result<storage::User> CreateUser(const std::string& email,
                                           const std::string& role,
                                           std::optional<std::int64_t> school_id,
                                           const std::string& password);
    /// Slow on purpose (argon2id): call it off the io threads.
    core::Result<LoginResult> Login(const std::string& email, const std::string& password);
    core::Result<Principal> AuthenticateSession(std::string_view token);
    core::Status Logout(std::string_view token);
    core::Result<bool> HasUsers();

    // Schools.
    core::Result<storage::School> CreateSchool(const Principal& by,
                                               const std::string& name,
                                               const std::string& timezone);
    core::Result<storage::School> GetSchool(std::int64_t id);
    core::Result<std::vector<storage::School>> ListSchools(const Principal& principal);

    // Devices.
    core::Result<DeviceWithToken> CreateDevice(const Principal& by, std::int64_t school_id, const DevicePatch& input);
    core::Result<storage::Device> UpdateDevice(const Principal& by,
                                               std::int64_t school_id,
                                               std::int64_t id,
                                               const DevicePatch& patch);
    /// Deletes a device; the days of its punches are recomputed without them.
    core::Status DeleteDevice(const Principal& by, std::int64_t school_id, std::int64_t id);
    core::Result<std::string> DeviceToken(std::int64_t school_id, std::int64_t id);
    core::Result<std::string> RotateDeviceToken(const Principal& by, std::int64_t school_id, std::int64_t id);
    /// The device a push token belongs to: Unauthorized when unknown, Forbidden when inactive or not push.
    core::Result<storage::Device> AuthenticatePushDevice(std::string_view token);

    /// A new agent token for a school (shown once; only its hash is kept).
    core::Result<std::pair<std::int64_t, std::string>> CreateAgentToken(const Principal& by,
                                                                        std::int64_t school_id);  ///< id, token
    core::Status RevokeAgentToken(const Principal& by, std::int64_t school_id, std::int64_t id);
    /// The school an agent token belongs to: Unauthorized when missing, unknown or revoked.
    core::Result<std::int64_t> AuthenticateAgent(std::string_view token);
    /// The active agent-mode devices of the school, which its agent must read.
    core::Result<std::vector<storage::Device>> AgentDevices(std::int64_t school_id);
    /// A device the agent may upload for: NotFound outside the school, Forbidden when inactive or push mode.
    core::Result<storage::Device> AgentDevice(std::int64_t school_id, std::int64_t device_id);
    /// Stores the agent's report on a device; the clock drift is computed against the server's clock, and a
    /// read-through time counts as hearing from the device (R16).
    core::Result<storage::DeviceStatus> SaveAgentStatus(std::int64_t school_id, storage::DeviceStatus status);

    // Ingestion (R1-R3). `done` runs once the valid records are durably committed.
    void Ingest(const storage::Device& device,
                std::vector<domain::RawRecord> records,
                std::vector<RejectedRecord> decode_rejects,
                domain::PunchSource source,
                std::function<void(core::Result<IngestReport>)> done,
                std::int64_t seen_at = -1);  ///< PunchBatch::seen_at

    // People.
    core::Result<storage::Person> CreatePerson(const Principal& by, std::int64_t school_id, const PersonPatch& input);
    core::Result<storage::Person> UpdatePerson(const Principal& by,
                                               std::int64_t school_id,
                                               std::int64_t id,
                                               const PersonPatch& patch);
    core::Status DeletePerson(const Principal& by, std::int64_t school_id, std::int64_t id);
    /// Each person created is audited like one created alone.
    core::Result<ImportReport> ImportPeopleCsv(const Principal& by, std::int64_t school_id, std::string_view csv);

    // Mappings (R6, R7).
    core::Result<storage::Mapping> CreateMapping(const Principal& by,
                                                 std::int64_t school_id,
                                                 const std::string& user_id,
                                                 std::int64_t person_id,
                                                 std::optional<std::int64_t> device_id);
    core::Status DeleteMapping(const Principal& by, std::int64_t school_id, std::int64_t id);
    core::Result<std::vector<storage::DeviceUser>> Unmapped(std::int64_t school_id);

    // Settings and calendar.
    /// The settings in force on `date` for a scope ("" the school's, "kind:staff", "group:5A"): the scope's
    /// own version, else the school's, else the defaults.
    core::Result<domain::AttendanceSettings> SettingsOn(std::int64_t school_id,
                                                        core::Date date,
                                                        const std::string& scope = "");
    core::Result<domain::AttendanceSettings> PutSettings(const Principal& by,
                                                         std::int64_t school_id,
                                                         std::string_view json,
                                                         const std::string& scope = "");
    core::Result<storage::Holiday> CreateHoliday(const Principal& by,
                                                 std::int64_t school_id,
                                                 const std::string& date,
                                                 std::string name);
    core::Status DeleteHoliday(const Principal& by, std::int64_t school_id, std::int64_t id);

    // Overrides (R19): a layer over the computed row, every change in the audit trail.
    core::Result<storage::Override> SetOverride(const Principal& principal,
                                                std::int64_t school_id,
                                                const OverrideInput& input);
    core::Status ClearOverride(const Principal& principal, std::int64_t school_id, std::int64_t id);

    // Clock corrections (R4): the engine uses corrected times from then on; audited.
    core::Result<storage::ClockCorrection> AddClockCorrection(const Principal& principal,
                                                              std::int64_t school_id,
                                                              const ClockCorrectionInput& input);
    core::Status RemoveClockCorrection(const Principal& principal, std::int64_t school_id, std::int64_t id);

    // Webhooks (docs/api.md "Webhooks").
    core::Result<WebhookWithSecret> CreateWebhook(const Principal& by,
                                                  std::int64_t school_id,
                                                  const std::string& url,
                                                  const std::vector<std::string>& events);
    /// Deletes a webhook and its delivery log.
    core::Status DeleteWebhook(const Principal& by, std::int64_t school_id, std::int64_t id);

    /// R18 "re-process a range": marks from..to for the recompute worker; returns how many days.
    core::Result<std::int64_t> Reprocess(const Principal& by, std::int64_t school_id, core::Date from, core::Date to);

    // The register.
    /// R16: an admin declares D's absences final although some device stayed silent; only once the
    /// cutoff has passed (before it, people may still arrive).
    core::Status FinalizeDay(const Principal& principal, std::int64_t school_id, core::Date date);
    core::Result<Register> RegisterFor(std::int64_t school_id, core::Date date);
    core::Result<Explanation> Explain(std::int64_t school_id, std::int64_t person_id, core::Date date);

    /// Today in the school's zone (R5).
    core::Result<core::Date> TodayIn(const std::string& timezone) const;
    storage::Store& store() { return store_; }
    const core::Clock& clock() const { return clock_; }

private:
    struct DayData;
    core::Result<DayData> LoadDay(std::int64_t school_id, core::Date date);

    storage::Store& store_;
    const auth::Crypto& crypto_;
    const core::Clock& clock_;
    core::Metrics& metrics_;
    ServiceConfig config_;
};

/// R21: the settings scope named by a `kind` or `group` query parameter; "" (the school's) when neither.
core::Result<std::string> SettingsScope(const std::optional<std::string>& kind,
                                        const std::optional<std::string>& group);

/// R21: of the versions given (any scopes), the one that applies to a person on `date`: their group's,
/// else their kind's, else the school's. Returns the scope it came from and the version (null: defaults).
std::pair<std::string, const storage::SettingsVersion*> VersionFor(
    const std::vector<storage::SettingsVersion>& versions,
    const std::string& kind,
    const std::string& group,
    core::Date date);

/// The audit line of one admin action (R19): who, which school, when, what; old/new/reason filled by the caller.
storage::AuditEntry AuditOf(
    const Principal& principal, std::int64_t school_id, std::int64_t at, std::string action, std::string entity);

/// True when the IANA zone exists in the system's tz database.
bool IsKnownTimeZone(const std::string& zone);
/// Local wall-clock seconds of a Unix instant in a zone.
core::Result<core::LocalDateTime> ToLocal(const std::string& zone, std::int64_t unix_seconds);
/// The instant of a local wall-clock time (earliest one in a DST overlap).
core::Result<std::int64_t> ToUnix(const std::string& zone, core::LocalDateTime local);

}  // namespace rollcall::service
