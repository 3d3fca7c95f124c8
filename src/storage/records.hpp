#pragma once

#include "core/civil_time.hpp"
#include "domain/attendance.hpp"
#include "domain/audit.hpp"
#include "domain/device.hpp"
#include "domain/notifications.hpp"
#include "domain/person.hpp"
#include "domain/role.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace rollcall::storage {

/// Rows as the use cases need them. Times are Unix seconds (UTC) unless named local. Roles, modes, kinds, statuses
/// and actions are the domain's enums; a backend stores each as its name (core/enum_names.hpp).

/// Hashes std::string and std::string_view alike, so a set of ids is searched without a copy.
struct TextHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
};

/// Device user ids (the user_id of punches and mappings), searchable by string_view.
using UserIdSet = std::unordered_set<std::string, TextHash, std::equal_to<>>;

struct School {
    std::int64_t id = 0;
    std::string name;
    std::string timezone;
    std::int64_t created_at = 0;
    /// An inactive school keeps its data, but its admins, devices and agents are refused until a super admin
    /// sets it active again.
    domain::ActiveStatus status = domain::ActiveStatus::kActive;
};

struct User {
    std::int64_t id = 0;
    std::string email;
    domain::Role role = domain::Role::kSchoolAdmin;
    std::optional<std::int64_t> school_id;
    std::string password_hash;                                    ///< argon2id encoded string
    domain::ActiveStatus status = domain::ActiveStatus::kActive;  ///< a disabled user cannot log in
};

struct Session {
    std::int64_t id = 0;
    std::int64_t user_id = 0;
    std::vector<std::uint8_t> token_hash;
    std::string csrf_token;
    std::int64_t expires_at = 0;
};

struct Device {
    std::int64_t id = 0;
    std::int64_t school_id = 0;
    std::string name;
    std::string ip;
    std::int32_t port = 4370;
    domain::SyncMode sync_mode = domain::SyncMode::kPush;
    domain::DeviceDirection direction = domain::DeviceDirection::kAuto;
    domain::ActiveStatus status = domain::ActiveStatus::kActive;
    std::string serial;
    std::string comm_key;
    std::vector<std::uint8_t> token_hash;       ///< BLAKE2b of the secret with the server pepper
    std::vector<std::uint8_t> token_encrypted;  ///< secretbox, so the admin can copy it again
    std::optional<std::int64_t> last_seen;
    std::int64_t created_at = 0;
    std::string timezone;  ///< IANA zone of the device clock; "" = the school's (R5)
};

struct Person {
    std::int64_t id = 0;
    std::int64_t school_id = 0;
    std::string name;
    domain::PersonKind kind = domain::PersonKind::kStudent;
    std::string external_id;
    std::string group;
    std::optional<core::Date> active_from;
    std::optional<core::Date> active_to;
};

struct Mapping {
    std::int64_t id = 0;
    std::int64_t school_id = 0;
    std::optional<std::int64_t> device_id;  ///< none: school-wide (R6)
    std::string user_id;
    std::int64_t person_id = 0;
    std::int64_t created_at = 0;
};

/// A device user as seen in punches or in the terminal's own user table (or both), with its counts and the person
/// it resolves to (if any). A user the terminal holds that never punched has no first and last punch.
struct DeviceUser {
    std::int64_t device_id = 0;
    std::string user_id;
    std::string name;  ///< the terminal's name for the user, as its agent last read it; "" when none is known
    std::int64_t punches = 0;
    std::optional<core::LocalDateTime> first_seen;
    std::optional<core::LocalDateTime> last_seen;
    std::optional<std::int64_t> person_id;
    /// From the terminal's user table: whether the user is in it, and its card number (0: none) and privilege byte.
    bool in_terminal = false;
    std::int64_t card = 0;
    std::int32_t privilege = 0;
};

/// One user of a terminal's own user table (docs/zk-protocol.md §7.5-§7.7), as the agent read it.
struct TerminalUser {
    std::string user_id;  ///< the PIN, the user_id of the terminal's punches
    std::string name;     ///< UTF-8; "" when the terminal holds none
    std::int64_t card = 0;
    std::int32_t privilege = 0;
};

/// A terminal's whole user table: it replaces the one stored for the device.
struct TerminalUserTable {
    std::int64_t school_id = 0;
    std::int64_t device_id = 0;
    std::vector<TerminalUser> users;
    std::int64_t read_at = 0;      ///< when the agent read it
    std::int64_t received_at = 0;  ///< when the server stored it
};

/// One raw punch to store (R1, R2).
struct PunchRow {
    std::string user_id;
    core::LocalDateTime timestamp;
    std::optional<std::int32_t> status;
    std::optional<std::int32_t> verify;
    /// R4: inside the window a real clock can show (domain::InPlausibleWindow). A punch outside it is stored,
    /// but marks no day and leaves its device user alone (count, first and last punch).
    bool plausible = true;
};

/// The punches of one request from one device: one batch (R2). Committing it also marks the device as
/// heard from at received_at, even when no row is valid.
struct PunchBatch {
    std::int64_t school_id = 0;
    std::int64_t device_id = 0;
    std::string source;  ///< push, agent, adms, import, manual
    std::int64_t received_at = 0;
    std::vector<PunchRow> rows;
    /// R18: the days of the inserted punches are marked for recomputation in the same transaction; a device
    /// keeping its clock in another zone (R5) also marks the day on either side.
    int dirty_margin_days = 0;
    /// When the device was last known alive (its last_seen, R16): received_at for a push; for an agent
    /// upload the time the agent read the device; 0 to leave last_seen alone.
    std::int64_t seen_at = -1;  ///< -1: received_at
};

/// A stored punch as the register and the logs views read it.
struct StoredPunch {
    std::int64_t device_id = 0;
    std::string user_id;
    core::LocalDateTime timestamp;
    std::optional<std::int32_t> status;
    std::optional<std::int32_t> verify;
    std::string source;
    std::int64_t received_at = 0;
    std::int64_t batch_id = 0;
};

struct InsertStats {
    std::size_t inserted = 0;
    std::size_t duplicates = 0;
    std::vector<bool> duplicate;  ///< per row of the batch, in its order: already stored (the live event stream)
};

struct Holiday {
    std::int64_t id = 0;
    std::int64_t school_id = 0;
    core::Date date;
    std::string name;
};

/// One version of the attendance settings, kept as the JSON the API accepted.
struct SettingsVersion {
    std::int64_t id = 0;
    std::int64_t school_id = 0;
    core::Date effective_from;
    std::string json;
    std::int64_t created_at = 0;
    std::string scope;  ///< "" the school's; "kind:staff", "group:5A" (R21)
    /// R18: saving marks effective_from..dirty_to for recomputation in the same transaction (today: a change
    /// never rewrites earlier days, and later ones are computed when they come).
    std::optional<core::Date> dirty_to;
};

/// An admin's correction of one register row (R19). Times are seconds since local midnight.
struct Override {
    std::int64_t id = 0;
    std::int64_t school_id = 0;
    std::int64_t person_id = 0;
    core::Date date;
    domain::DayStatus status = domain::DayStatus::kPresent;  ///< present, late, absent or excused
    std::optional<std::int32_t> in_time;
    std::optional<std::int32_t> out_time;
    std::string reason;
    std::int64_t created_by = 0;
    std::int64_t created_at = 0;
};

/// What the record holds about a person: each is a reason to deactivate them (active_to) rather than delete
/// them, as deleting them would change a past register or erase what an admin or a parent was told.
struct PersonHistory {
    bool punched = false;         ///< a device user mapped to them has punched (R6: as the register assigns it)
    std::int64_t overrides = 0;   ///< overrides of their days (R19)
    std::int64_t final_days = 0;  ///< stored register rows of theirs on final days (R16)
    std::int64_t events = 0;      ///< webhook events about them
};

/// A person as they are deleted, with the mappings that go with them and what the record holds about them.
struct PersonRemoval {
    Person person;
    std::vector<Mapping> mappings;
    PersonHistory history;
};

/// R4: the device's clock was wrong between `from` and `to` (its own wall clock); add `offset_seconds`.
struct ClockCorrection {
    std::int64_t id = 0;
    std::int64_t school_id = 0;
    std::int64_t device_id = 0;
    core::LocalDateTime from;
    core::LocalDateTime to;
    std::int64_t offset_seconds = 0;
    std::string reason;
    std::int64_t created_by = 0;
    std::int64_t created_at = 0;
};

/// What deleting a device (one without punches) takes with it: the mappings and clock corrections of that
/// device alone.
struct DeviceRemoval {
    Device device;
    std::vector<Mapping> mappings;
    std::vector<ClockCorrection> corrections;
};

/// One line of the audit trail: who changed what, when, from what to what, and why (R19).
struct AuditEntry {
    std::int64_t id = 0;
    std::int64_t school_id = 0;
    std::int64_t user_id = 0;
    std::int64_t at = 0;
    domain::AuditAction action = domain::AuditAction::kCreate;
    std::string entity;  ///< "override"
    std::int64_t entity_id = 0;
    std::string old_value;  ///< JSON, "" when none
    std::string new_value;  ///< JSON, "" when none
    std::string reason;
    std::string by;  ///< who, in words: the user's email, "command line" or "sync agent" (user_id 0)
    /// The person the line is about: their own record, a mapping or an override of theirs. A person's creation
    /// line gets the new person's id from the store.
    std::optional<std::int64_t> person_id;
    std::string label;  ///< the object named as an admin knows it ("Amina Njeri"); kept if the object goes
};

/// Which lines of a school's audit trail to list, newest first; the filters combine.
struct AuditFilter {
    std::optional<std::string> entity;
    std::optional<std::int64_t> person_id;
    std::optional<std::int64_t> from;   ///< lines made at or after this instant
    std::optional<std::int64_t> until;  ///< lines made before this instant
    std::int64_t limit = 500;

    /// The newest `n` lines, whatever they are about.
    static AuditFilter Newest(std::int64_t n) {
        AuditFilter f;
        f.limit = n;
        return f;
    }
};

/// An agent token of a school; only its keyed hash is stored.
struct AgentToken {
    std::int64_t id = 0;
    std::int64_t school_id = 0;
    std::vector<std::uint8_t> token_hash;
    std::int64_t created_at = 0;
    std::optional<std::int64_t> revoked_at;
};

/// What the agent last reported about a device it reads (docs/api.md "Agent side").
struct DeviceStatus {
    std::int64_t device_id = 0;
    std::int64_t school_id = 0;
    bool reachable = false;
    std::string serial;
    std::string firmware;
    std::optional<std::int64_t> users;
    std::optional<std::int64_t> records;
    std::optional<std::int64_t> user_capacity;
    std::optional<std::int64_t> record_capacity;
    std::optional<core::LocalDateTime> device_time;   ///< the device's own clock when it was read
    std::optional<std::int64_t> clock_drift_seconds;  ///< device clock minus the server's, same zone
    std::optional<std::int64_t> read_through;         ///< Unix time the agent read the device up to
    std::string last_error;
    std::int64_t reported_at = 0;
};

/// R18: the days of one school a mark for recomputation may cover (both inclusive): the reprocess window, up to the
/// school's today. Every mark is clamped to it, so no request marks a future day or decades of the past, and no
/// mark holds the writer longer than the window's days take.
struct MarkWindow {
    core::Date first;
    core::Date last;
};

/// A school day whose register must be recomputed (R18). `generation` grows with every new mark, so the
/// worker deletes the mark only when nothing re-marked the day while it was recomputing.
struct DirtyDay {
    std::int64_t school_id = 0;
    core::Date date;
    std::int64_t generation = 0;
};

/// The register row the recompute worker last computed for (person, day), and what webhooks were told
/// about it. `notified` holds the bits of the event kinds already emitted (at most one of each kind).
struct DayRecord {
    std::int64_t school_id = 0;
    std::int64_t person_id = 0;
    core::Date date;
    domain::DayStatus status = domain::DayStatus::kPending;
    std::optional<std::int32_t> in_time;  ///< seconds since local midnight
    std::optional<std::int32_t> out_time;
    std::int32_t late_minutes = 0;
    bool final = false;
    std::uint32_t notified = 0;
    std::optional<domain::DayStatus> reported_status;  ///< the late or absent status last sent
    std::int64_t computed_at = 0;
};

/// A URL of a school that receives signed event notifications (webhooks).
struct Webhook {
    std::int64_t id = 0;
    std::int64_t school_id = 0;
    std::string url;
    std::vector<std::string> events;             ///< kinds it receives; all when empty
    std::vector<std::uint8_t> secret_encrypted;  ///< secretbox of the signing secret
    bool active = true;
    std::int64_t created_at = 0;
};

/// One event for one webhook, from its creation to its delivery or its last failed attempt.
struct WebhookDelivery {
    std::int64_t id = 0;
    std::int64_t school_id = 0;
    std::int64_t webhook_id = 0;
    std::string event;  ///< arrival, late, absent, correction
    std::int64_t person_id = 0;
    core::Date date;
    std::string payload;  ///< the JSON body, signed when sent
    domain::DeliveryState state = domain::DeliveryState::kPending;
    std::int32_t attempts = 0;
    std::int64_t next_attempt_at = 0;
    std::int32_t last_status = 0;  ///< HTTP status of the last attempt; 0 when none arrived
    std::string last_error;
    std::int64_t created_at = 0;
    std::optional<std::int64_t> delivered_at;
};

/// A settings scope ("" the school's, "kind:staff", "group:5A") whose day was found final (R16).
struct FinalScope {
    core::Date date;
    std::string scope;
};

/// What one recompute of a day writes, in one transaction: the rows, the webhook deliveries they caused,
/// and (when the day was not re-marked meanwhile) the removal of its dirty mark.
struct DayRecompute {
    DirtyDay claimed;
    bool final = false;
    std::vector<DayRecord> rows;
    std::vector<WebhookDelivery> deliveries;
    /// The settings scopes final on the day (R16, R21): recorded for good, so finality never goes back.
    std::vector<std::string> final_scopes = {};
};

}  // namespace rollcall::storage
