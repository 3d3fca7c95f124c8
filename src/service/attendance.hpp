#pragma once

// The register (docs/api.md "Register"): computed on read, explained punch by punch, corrected by overrides
// and clock corrections, finalized by an admin, re-processed over a range; and the audit trail of it all (R19).

#include "core/clock.hpp"
#include "core/result.hpp"
#include "domain/attendance.hpp"
#include "service/audit.hpp"
#include "service/principal.hpp"
#include "service/recompute_window.hpp"
#include "storage/store.hpp"

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace rollcall::service {

/// What an admin sends to correct a day (R19).
struct OverrideInput {
    std::int64_t person_id = 0;
    core::Date date;
    domain::DayStatus status = domain::DayStatus::kPresent;  ///< present, late, absent or excused
    std::optional<std::int32_t> in_time;                     ///< seconds since local midnight
    std::optional<std::int32_t> out_time;
    std::string reason;
};

/// R4: an admin's correction of a device clock over a period.
struct ClockCorrectionInput {
    std::int64_t device_id = 0;
    core::LocalDateTime from;  ///< device wall clock
    core::LocalDateTime to;
    std::int64_t offset_seconds = 0;
    std::string reason;
};

/// One row of the register (docs/api.md "Register"): the computed result and, beside it, an override.
struct RegisterRow {
    storage::Person person;
    domain::DayResult result;
    std::optional<storage::Override> override_row;
    std::vector<storage::StoredPunch> punches;  ///< the person's punches of D, as result.explain indexes them
};

/// A register row as the school sees it (R19): the override's status when there is one, and its times
/// where it gives them; late minutes only while the status is late.
struct ShownRow {
    domain::DayStatus status = domain::DayStatus::kPending;
    std::optional<std::int32_t> in_time;
    std::optional<std::int32_t> out_time;
    std::int32_t late_minutes = 0;
};
ShownRow ShowRow(const RegisterRow& row);

struct Register {
    core::Date date;
    bool holiday = false;     ///< D is in the school's holiday list (R14.2)
    bool school_day = false;  ///< D is a school day by the school's own settings (R14.2, R21) and no holiday
    bool final = false;
    bool start_time_set = false;
    bool cutoff_passed = false;
    bool finalized_by_admin = false;              ///< R16 "finalize anyway"
    std::vector<storage::Device> silent_devices;  ///< active devices not heard from since the cutoff (R16)
    std::vector<std::string> final_scopes;        ///< the settings scopes final on D, the recompute worker records
    std::vector<RegisterRow> rows;
};

struct Explanation {
    std::vector<storage::StoredPunch> punches;  ///< in DayInput order
    std::vector<domain::DeviceDirection> directions;
    domain::DayResult result;
    std::optional<storage::Override> override_row;
};

/// How many rows of a register, or cells of a month, show each status.
struct StatusCounts {
    std::array<std::int64_t, domain::kDayStatusNames.size()> by_status{};

    void Add(domain::DayStatus s) { ++by_status.at(static_cast<std::size_t>(s)); }
    std::int64_t Of(domain::DayStatus s) const { return by_status.at(static_cast<std::size_t>(s)); }
    /// The days the register could mark (present, late, absent, excused or pending), as the summary report counts
    /// them: holidays and untracked days are none.
    std::int64_t SchoolDays() const;
    /// Days present, late ones included.
    std::int64_t Attended() const;
    /// Attended of the decided school days (neither pending nor excused), as the summary report gives it; none
    /// when no day is decided.
    std::optional<double> AttendancePercent() const;
};

/// Someone whose status on the previewed day the proposed settings would change.
struct StatusChange {
    storage::Person person;
    domain::DayStatus now = domain::DayStatus::kPending;
    domain::DayStatus proposed = domain::DayStatus::kPending;
    std::optional<std::int32_t> in_time;  ///< as the register would show it under the proposed settings
    std::int32_t late_minutes = 0;        ///< under the proposed settings
};

/// The day's register under the settings in force and under proposed ones (docs/api.md "Settings"), for the people
/// of the scope the settings are for; nothing is stored.
struct SettingsPreview {
    core::Date date;
    std::string scope;  ///< "" the school's, "kind:staff", "group:5A"
    StatusCounts current;
    StatusCounts proposed;
    std::int64_t changed = 0;           ///< how many people's status would change
    std::vector<StatusChange> changes;  ///< the first kPreviewChangesShown of them, in register order
};

/// How many of the people a preview would change it names; `changed` counts them all.
inline constexpr std::size_t kPreviewChangesShown = 100;

class Attendance {
public:
    Attendance(storage::Store& store, const core::Clock& clock, RecomputeLimits limits = {});

    core::Result<Register> RegisterFor(std::int64_t school_id, core::Date date);
    /// The registers of from..to in order, each handed to `fn` as it is computed: what every day shares is
    /// read once and the punches a block of days at a time, and a year's report never holds a year of rows.
    core::Status ForEachRegister(std::int64_t school_id,
                                 core::Date from,
                                 core::Date to,
                                 const std::function<core::Status(Register&)>& fn);
    /// The registers of `dates` (any order, no repeats), each handed to `fn` in date order; what the days share
    /// is read once and the punches once per run of consecutive dates (the recompute worker's batches).
    core::Status ForEachRegisterOn(std::int64_t school_id,
                                   std::vector<core::Date> dates,
                                   const std::function<core::Status(Register&)>& fn);
    /// What the register of `date` would show for the people of `scope` if `proposed` were its settings that day
    /// (whatever their effective_from), beside what it shows now. Reads only: no version is stored, no day is
    /// marked for recomputation and nothing is audited. The caller validates `proposed` as a PUT would.
    core::Result<SettingsPreview> PreviewSettings(std::int64_t school_id,
                                                  core::Date date,
                                                  const std::string& scope,
                                                  const domain::AttendanceSettings& proposed);
    core::Result<Explanation> Explain(std::int64_t school_id, std::int64_t person_id, core::Date date);
    /// R16: an admin declares D's absences final although some device stayed silent; only once the
    /// cutoff has passed (before it, people may still arrive).
    core::Status FinalizeDay(const Principal& principal, std::int64_t school_id, core::Date date);

    // Overrides (R19): a layer over the computed row, every change in the audit trail.
    core::Result<storage::Override> SetOverride(const Principal& principal,
                                                std::int64_t school_id,
                                                const OverrideInput& input);
    core::Result<std::vector<storage::Override>> ListOverrides(std::int64_t school_id, core::Date date);
    core::Status ClearOverride(const Principal& principal, std::int64_t school_id, std::int64_t id);

    // Clock corrections (R4): the engine uses corrected times from then on; audited.
    core::Result<storage::ClockCorrection> AddClockCorrection(const Principal& principal,
                                                              std::int64_t school_id,
                                                              const ClockCorrectionInput& input);
    core::Result<std::vector<storage::ClockCorrection>> ListClockCorrections(std::int64_t school_id);
    core::Status RemoveClockCorrection(const Principal& principal, std::int64_t school_id, std::int64_t id);

    /// R18 "re-process a range": marks from..to for the recompute worker, within the reprocess window; returns how
    /// many days that marked.
    core::Result<std::int64_t> Reprocess(const Principal& by, std::int64_t school_id, core::Date from, core::Date to);

    /// R7: the device users nobody is mapped to who punched on the days from..to, with those punches' count,
    /// first and last (the device's own clock).
    core::Result<std::vector<storage::DeviceUser>> UnmappedBetween(std::int64_t school_id,
                                                                   core::Date from,
                                                                   core::Date to);

    /// The school's audit trail (R19), newest first, filtered by entity, person and period (ReadAuditTrail).
    core::Result<std::vector<storage::AuditEntry>> ListAudit(std::int64_t school_id, const AuditQuery& query);

private:
    storage::Store& store_;
    const core::Clock& clock_;
    RecomputeLimits limits_;
};

}  // namespace rollcall::service
