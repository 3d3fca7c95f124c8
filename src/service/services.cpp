#include "service/services.hpp"

#include "service/audit.hpp"
#include "service/settings_codec.hpp"

#include <algorithm>
#include <map>

#include <spdlog/spdlog.h>

namespace rollcall::service {
namespace {

using core::Errc;
using core::MakeError;

constexpr std::size_t kMaxNameLength = 200;

core::Status CheckText(const std::string& value, std::string_view field, bool required, std::size_t max) {
    if (required && value.empty()) {
        return MakeError(Errc::kInvalidArgument, std::string(field) + ": required");
    }
    if (value.size() > max) {
        return MakeError(Errc::kInvalidArgument, std::string(field) + ": too long (max " + std::to_string(max) + ")");
    }
    for (const char c : value) {
        if (static_cast<unsigned char>(c) < 0x20) {
            return MakeError(Errc::kInvalidArgument, std::string(field) + ": control characters are not allowed");
        }
    }
    return {};
}

core::Status ValidateDevice(const storage::Device& d) {
    if (auto s = CheckText(d.name, "name", true, kMaxNameLength); !s) {
        return s;
    }
    if (d.sync_mode != "push" && d.sync_mode != "agent") {
        return MakeError(Errc::kInvalidArgument, "sync_mode: must be push or agent");
    }
    if (!domain::ParseDeviceDirection(d.direction)) {
        return MakeError(Errc::kInvalidArgument, "direction: must be auto, in or out");
    }
    if (d.status != "active" && d.status != "inactive") {
        return MakeError(Errc::kInvalidArgument, "status: must be active or inactive");
    }
    if (d.port < 1 || d.port > 65535) {
        return MakeError(Errc::kInvalidArgument, "port: must be between 1 and 65535");
    }
    if (!d.timezone.empty() && !IsKnownTimeZone(d.timezone)) {
        return MakeError(Errc::kInvalidArgument, "timezone: not an IANA time zone (leave empty for the school's)");
    }
    for (const auto& [value, field] : {std::pair{&d.ip, "ip"}, {&d.serial, "serial"}, {&d.comm_key, "comm_key"}}) {
        if (auto s = CheckText(*value, field, false, 64); !s) {
            return s;
        }
    }
    return {};
}

core::Status ValidatePerson(const storage::Person& p) {
    if (auto s = CheckText(p.name, "name", true, kMaxNameLength); !s) {
        return s;
    }
    if (p.kind != "student" && p.kind != "staff") {
        return MakeError(Errc::kInvalidArgument, "kind: must be student or staff");
    }
    if (auto s = CheckText(p.external_id, "external_id", false, 64); !s) {
        return s;
    }
    if (auto s = CheckText(p.group, "group", false, 64); !s) {
        return s;
    }
    if (p.active_from && p.active_to && *p.active_to < *p.active_from) {
        return MakeError(Errc::kInvalidArgument, "active_to: must not be before active_from");
    }
    return {};
}

void ApplyPatch(storage::Person& p, const PersonPatch& patch) {
    if (patch.name) {
        p.name = *patch.name;
    }
    if (patch.kind) {
        p.kind = *patch.kind;
    }
    if (patch.external_id) {
        p.external_id = *patch.external_id;
    }
    if (patch.group) {
        p.group = *patch.group;
    }
    if (patch.active_from) {
        p.active_from = *patch.active_from;
    }
    if (patch.active_to) {
        p.active_to = *patch.active_to;
    }
}

void ApplyPatch(storage::Device& d, const DevicePatch& patch) {
    if (patch.name) {
        d.name = *patch.name;
    }
    if (patch.sync_mode) {
        d.sync_mode = *patch.sync_mode;
    }
    if (patch.direction) {
        d.direction = *patch.direction;
    }
    if (patch.status) {
        d.status = *patch.status;
    }
    if (patch.ip) {
        d.ip = *patch.ip;
    }
    if (patch.port) {
        d.port = static_cast<std::int32_t>(std::clamp<std::int64_t>(*patch.port, 0, 70000));
    }
    if (patch.serial) {
        d.serial = *patch.serial;
    }
    if (patch.comm_key) {
        d.comm_key = *patch.comm_key;
    }
    if (patch.timezone) {
        d.timezone = *patch.timezone;
    }
}

/// Splits one CSV line (RFC 4180 quoting) into fields.
std::vector<std::string> SplitCsvLine(std::string_view line) {
    std::vector<std::string> fields(1);
    bool quoted = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (quoted) {
            if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
                fields.back().push_back('"');
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                fields.back().push_back(c);
            }
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            fields.emplace_back();
        } else {
            fields.back().push_back(c);
        }
    }
    for (auto& f : fields) {
        while (!f.empty() && (f.back() == ' ' || f.back() == '\r')) {
            f.pop_back();
        }
        const auto start = f.find_first_not_of(' ');
        f = start == std::string::npos ? std::string() : f.substr(start);
    }
    return fields;
}

}  // namespace

Services::Services(storage::Store& store,
                   const auth::Crypto& crypto,
                   const core::Clock& clock,
                   core::Metrics& metrics,
                   ServiceConfig config)
    : store_(store), crypto_(crypto), clock_(clock), metrics_(metrics), config_(config) {}

// ---- users and sessions ----

core::Result<storage::User> Services::CreateUser(const std::string& email,
                                                 const std::string& role,
                                                 std::optional<std::int64_t> school_id,
                                                 const std::string& password) {
    if (email.find('@') == std::string::npos || email.size() > 254) {
        return MakeError(Errc::kInvalidArgument, "email: not an email address");
    }
    if (role != "super_admin" && role != "school_admin") {
        return MakeError(Errc::kInvalidArgument, "role: must be super_admin or school_admin");
    }
    if (role == "school_admin" && !school_id) {
        return MakeError(Errc::kInvalidArgument, "school: a school admin needs --school");
    }
    if (role == "super_admin" && school_id) {
        return MakeError(Errc::kInvalidArgument, "school: a super admin belongs to no school");
    }
    if (password.size() < 8) {
        return MakeError(Errc::kInvalidArgument, "password: at least 8 characters");
    }
    if (password.size() > 1024) {
        return MakeError(Errc::kInvalidArgument, "password: at most 1024 characters");
    }
    if (school_id) {
        if (auto s = store_.GetSchool(*school_id); !s) {
            return s.error();
        }
    }
    auto hash = auth::HashPassword(password, config_.password_cost);
    if (!hash) {
        return hash.error();
    }
    storage::User user{0, email, role, school_id, *hash};
    return store_.CreateUser(user);
}

core::Result<LoginResult> Services::Login(const std::string& email, const std::string& password) {
    const auto invalid = MakeError(Errc::kUnauthorized, "wrong email or password");
    auto user = store_.FindUserByEmail(email);
    if (!user) {
        if (user.error().code != Errc::kNotFound) {
            return user.error();
        }
        // Same work for an unknown email as for a wrong password, so timing tells nothing.
        static const std::string kDummy = auth::HashPassword("not a password", config_.password_cost).value();
        (void)auth::VerifyPassword(kDummy, password);
        return invalid;
    }
    if (!auth::VerifyPassword(user->password_hash, password)) {
        return invalid;
    }
    if (auth::PasswordNeedsRehash(user->password_hash, config_.password_cost)) {
        if (auto h = auth::HashPassword(password, config_.password_cost)) {
            (void)store_.UpdatePasswordHash(user->id, *h);
        }
    }
    LoginResult out;
    out.token = auth::Crypto::NewToken(auth::kSessionTokenPrefix);
    out.csrf_token = auth::Crypto::NewToken("");
    out.expires_at = clock_.NowUnix() + config_.session_ttl_seconds;
    storage::Session session{0, user->id, crypto_.HashToken(out.token), out.csrf_token, out.expires_at};
    if (auto s = store_.CreateSession(session); !s) {
        return s.error();
    }
    out.principal = Principal{user->id, user->email, user->role, user->school_id, out.csrf_token};
    return out;
}

core::Result<Principal> Services::AuthenticateSession(std::string_view token) {
    const auto unauthorized = MakeError(Errc::kUnauthorized, "unknown or expired login token; log in again");
    if (!token.starts_with(auth::kSessionTokenPrefix)) {
        return unauthorized;
    }
    const auto hash = crypto_.HashToken(token);
    auto session = store_.FindSessionByTokenHash(hash);
    if (!session) {
        return session.error().code == Errc::kNotFound ? unauthorized : session.error();
    }
    if (!auth::ConstantTimeEqual(session->token_hash, hash) || session->expires_at <= clock_.NowUnix()) {
        return unauthorized;
    }
    auto user = store_.GetUser(session->user_id);
    if (!user) {
        return unauthorized;
    }
    return Principal{user->id, user->email, user->role, user->school_id, session->csrf_token};
}

core::Status Services::Logout(std::string_view token) {
    auto session = store_.FindSessionByTokenHash(crypto_.HashToken(token));
    if (!session) {
        return {};
    }
    return store_.DeleteSession(session->id);
}

core::Result<bool> Services::HasUsers() {
    auto n = store_.CountUsers();
    if (!n) {
        return n.error();
    }
    return *n > 0;
}

// ---- schools ----

core::Result<storage::School> Services::CreateSchool(const Principal& by,
                                                     const std::string& name,
                                                     const std::string& timezone) {
    if (auto s = CheckText(name, "name", true, kMaxNameLength); !s) {
        return s.error();
    }
    if (!IsKnownTimeZone(timezone)) {
        return MakeError(Errc::kInvalidArgument, "timezone: not an IANA time zone such as Africa/Nairobi");
    }
    const storage::School school{0, name, timezone, clock_.NowUnix()};
    auto audit = AuditOf(by, 0, school.created_at, "create", "school");  // the store sets the new school's id
    audit.new_value = SchoolAuditJson(school);
    return store_.CreateSchool(school, audit);
}

core::Result<storage::School> Services::GetSchool(std::int64_t id) {
    return store_.GetSchool(id);
}

core::Result<std::vector<storage::School>> Services::ListSchools(const Principal& principal) {
    if (principal.IsSuperAdmin()) {
        return store_.ListSchools();
    }
    std::vector<storage::School> out;
    if (principal.school_id) {
        auto s = store_.GetSchool(*principal.school_id);
        if (s) {
            out.push_back(*s);
        }
    }
    return out;
}

// ---- devices ----

core::Result<DeviceWithToken> Services::CreateDevice(const Principal& by,
                                                     std::int64_t school_id,
                                                     const DevicePatch& input) {
    if (auto s = store_.GetSchool(school_id); !s) {
        return s.error();
    }
    storage::Device d;
    d.school_id = school_id;
    ApplyPatch(d, input);
    if (auto s = ValidateDevice(d); !s) {
        return s.error();
    }
    DeviceWithToken out;
    out.api_token = auth::Crypto::NewToken(auth::kDeviceTokenPrefix);
    d.token_hash = crypto_.HashToken(out.api_token);
    d.token_encrypted = crypto_.Encrypt(out.api_token);
    d.created_at = clock_.NowUnix();
    auto audit = AuditOf(by, school_id, d.created_at, "create", "device");
    audit.new_value = DeviceAuditJson(d);
    auto created = store_.CreateDevice(d, audit);
    if (!created) {
        return created.error();
    }
    out.device = *created;
    return out;
}

core::Result<storage::Device> Services::UpdateDevice(const Principal& by,
                                                     std::int64_t school_id,
                                                     std::int64_t id,
                                                     const DevicePatch& patch) {
    auto d = store_.GetDevice(school_id, id);
    if (!d) {
        return d.error();
    }
    auto audit = AuditOf(by, school_id, clock_.NowUnix(), "update", "device");
    audit.old_value = DeviceAuditJson(*d);
    ApplyPatch(*d, patch);
    if (auto s = ValidateDevice(*d); !s) {
        return s.error();
    }
    audit.new_value = DeviceAuditJson(*d);
    // R18: a change of direction or zone marks the device's punch days in the same transaction (the store
    // does); its status decides which devices are waited for (R16), which the sweep re-marks days for.
    return store_.UpdateDevice(*d, audit);
}

core::Status Services::DeleteDevice(const Principal& by, std::int64_t school_id, std::int64_t id) {
    ROLLCALL_TRY(const auto device, store_.GetDevice(school_id, id));
    ROLLCALL_CHECK(store_.MarkDirtyWherePunches(school_id, id, std::nullopt, std::nullopt));
    auto audit = AuditOf(by, school_id, clock_.NowUnix(), "delete", "device");
    audit.old_value = DeviceAuditJson(device);
    return store_.DeleteDevice(school_id, id, audit);
}

core::Result<std::string> Services::DeviceToken(std::int64_t school_id, std::int64_t id) {
    auto d = store_.GetDevice(school_id, id);
    if (!d) {
        return d.error();
    }
    return crypto_.Decrypt(d->token_encrypted);
}

core::Result<std::string> Services::RotateDeviceToken(const Principal& by, std::int64_t school_id, std::int64_t id) {
    auto d = store_.GetDevice(school_id, id);
    if (!d) {
        return d.error();
    }
    std::string token = auth::Crypto::NewToken(auth::kDeviceTokenPrefix);
    d->token_hash = crypto_.HashToken(token);
    d->token_encrypted = crypto_.Encrypt(token);
    auto audit = AuditOf(by, school_id, clock_.NowUnix(), "rotate_token", "device");
    audit.reason = "the old token stops working";
    if (auto u = store_.UpdateDevice(*d, audit); !u) {
        return u.error();
    }
    return token;
}

core::Result<storage::Device> Services::AuthenticatePushDevice(std::string_view token) {
    if (token.empty()) {
        return MakeError(Errc::kUnauthorized, "missing device token: send Authorization: Bearer <device token>");
    }
    const auto unknown = MakeError(Errc::kUnauthorized,
                                   "unknown device token: copy the token from the device page (it may have been "
                                   "rotated)");
    const auto hash = crypto_.HashToken(token);
    auto device = store_.FindDeviceByTokenHash(hash);
    if (!device) {
        return device.error().code == Errc::kNotFound ? unknown : device.error();
    }
    if (!auth::ConstantTimeEqual(device->token_hash, hash)) {
        return unknown;
    }
    if (device->status != "active") {
        return MakeError(Errc::kForbidden, "device is inactive: an admin must set it active");
    }
    if (device->sync_mode != "push") {
        return MakeError(Errc::kForbidden, "device sync mode is not push: set sync_mode to push or use the agent");
    }
    return device;
}

core::Result<std::pair<std::int64_t, std::string>> Services::CreateAgentToken(const Principal& by,
                                                                              std::int64_t school_id) {
    ROLLCALL_TRY(auto school, store_.GetSchool(school_id));
    std::string token = auth::Crypto::NewToken(auth::kAgentTokenPrefix);
    const auto now = clock_.NowUnix();
    ROLLCALL_TRY(const auto id,
                 store_.CreateAgentToken(
                     school.id, crypto_.HashToken(token), now, AuditOf(by, school.id, now, "create", "agent_token")));
    return std::pair{id, std::move(token)};
}

// ---- ingestion ----

void Services::Ingest(const storage::Device& device,
                      std::vector<domain::RawRecord> records,
                      std::vector<RejectedRecord> decode_rejects,
                      domain::PunchSource source,
                      std::function<void(core::Result<IngestReport>)> done,
                      std::int64_t seen_at) {
    auto report = std::make_shared<IngestReport>();
    report->received = records.size();
    report->rejected = std::move(decode_rejects);
    storage::PunchBatch batch;
    batch.school_id = device.school_id;
    batch.device_id = device.id;
    batch.source = std::string(domain::PunchSourceName(source));
    batch.received_at = clock_.NowUnix();
    batch.dirty_margin_days = device.timezone.empty() ? 0 : 1;
    batch.seen_at = seen_at;
    batch.rows.reserve(records.size());
    std::vector<bool> already_rejected(records.size(), false);
    for (const auto& r : report->rejected) {
        if (r.index < already_rejected.size()) {
            already_rejected[r.index] = true;
        }
    }
    for (std::size_t i = 0; i < records.size(); ++i) {
        if (already_rejected[i]) {
            continue;
        }
        auto valid = domain::ValidateRecord(records[i], config_.record_limits);
        if (!valid) {
            report->rejected.push_back({i, valid.error().message});
            continue;
        }
        batch.rows.push_back({std::move(valid->user_id), valid->timestamp, valid->status, valid->verify});
    }
    std::sort(report->rejected.begin(), report->rejected.end(), [](const auto& a, const auto& b) {
        return a.index < b.index;
    });
    store_.SubmitPunches(std::move(batch),
                         [report, done = std::move(done), this](core::Result<storage::InsertStats> stats) {
                             if (!stats) {
                                 done(stats.error());
                                 return;
                             }
                             report->inserted = stats->inserted;
                             report->duplicates = stats->duplicates;
                             metrics_.AddPunches(report->inserted, report->duplicates, report->rejected.size());
                             done(std::move(*report));
                         });
}

// ---- people ----

core::Result<storage::Person> Services::CreatePerson(const Principal& by,
                                                     std::int64_t school_id,
                                                     const PersonPatch& input) {
    if (auto s = store_.GetSchool(school_id); !s) {
        return s.error();
    }
    storage::Person p;
    p.school_id = school_id;
    ApplyPatch(p, input);
    if (auto s = ValidatePerson(p); !s) {
        return s.error();
    }
    auto audit = AuditOf(by, school_id, clock_.NowUnix(), "create", "person");
    audit.new_value = PersonAuditJson(p);
    auto created = store_.CreatePerson(p, audit);
    if (!created && created.error().code == Errc::kConflict) {
        return MakeError(Errc::kConflict, "external_id: another person of this school has it");
    }
    return created;
}

core::Result<storage::Person> Services::UpdatePerson(const Principal& by,
                                                     std::int64_t school_id,
                                                     std::int64_t id,
                                                     const PersonPatch& patch) {
    auto p = store_.GetPerson(school_id, id);
    if (!p) {
        return p.error();
    }
    auto audit = AuditOf(by, school_id, clock_.NowUnix(), "update", "person");
    audit.old_value = PersonAuditJson(*p);
    ApplyPatch(*p, patch);
    if (auto s = ValidatePerson(*p); !s) {
        return s.error();
    }
    audit.new_value = PersonAuditJson(*p);
    auto updated = store_.UpdatePerson(*p, audit);
    if (!updated && updated.error().code == Errc::kConflict) {
        return MakeError(Errc::kConflict, "external_id: another person of this school has it");
    }
    // R18: a change of kind, group (R21) or active dates (R8) marks the days the person punched on, in the
    // same transaction (the store does).
    return updated;
}

core::Status Services::DeletePerson(const Principal& by, std::int64_t school_id, std::int64_t id) {
    ROLLCALL_TRY(const auto person, store_.GetPerson(school_id, id));
    auto audit = AuditOf(by, school_id, clock_.NowUnix(), "delete", "person");
    audit.old_value = PersonAuditJson(person);
    return store_.DeletePerson(school_id, id, audit);
}

core::Result<ImportReport> Services::ImportPeopleCsv(const Principal& by,
                                                     std::int64_t school_id,
                                                     std::string_view csv) {
    if (auto s = store_.GetSchool(school_id); !s) {
        return s.error();
    }
    ImportReport report;
    std::size_t line_no = 0;
    std::map<std::string, std::size_t> columns;
    std::size_t pos = 0;
    while (pos < csv.size()) {
        auto end = csv.find('\n', pos);
        if (end == std::string_view::npos) {
            end = csv.size();
        }
        const std::string_view line = csv.substr(pos, end - pos);
        pos = end + 1;
        ++line_no;
        if (line.find_first_not_of(" \r") == std::string_view::npos) {
            continue;
        }
        auto fields = SplitCsvLine(line);
        if (columns.empty()) {
            for (std::size_t i = 0; i < fields.size(); ++i) {
                auto name = fields[i];
                if (i == 0 && name.starts_with("\xEF\xBB\xBF")) {
                    name = name.substr(3);  // a BOM, as spreadsheet programs write
                }
                columns[name] = i;
            }
            if (!columns.contains("name") || !columns.contains("kind")) {
                return MakeError(Errc::kInvalidArgument, "csv: the header row needs name,kind,external_id,group");
            }
            continue;
        }
        auto field = [&](const char* name) -> std::string {
            const auto it = columns.find(name);
            return it != columns.end() && it->second < fields.size() ? fields[it->second] : std::string();
        };
        PersonPatch patch{field("name"), field("kind"), field("external_id"), field("group"), {}, {}};
        auto created = CreatePerson(by, school_id, patch);
        if (created) {
            ++report.created;
        } else {
            report.errors.push_back({line_no, created.error().message});
        }
    }
    if (columns.empty()) {
        return MakeError(Errc::kInvalidArgument, "csv: empty; the header row needs name,kind,external_id,group");
    }
    return report;
}

// ---- mappings ----

core::Result<storage::Mapping> Services::CreateMapping(const Principal& by,
                                                       std::int64_t school_id,
                                                       const std::string& user_id,
                                                       std::int64_t person_id,
                                                       std::optional<std::int64_t> device_id) {
    if (auto s = CheckText(user_id, "user_id", true, config_.record_limits.max_user_id_length); !s) {
        return s.error();
    }
    if (auto p = store_.GetPerson(school_id, person_id); !p) {
        return MakeError(Errc::kInvalidArgument, "person_id: no such person in this school");
    }
    if (device_id) {
        if (auto d = store_.GetDevice(school_id, *device_id); !d) {
            return MakeError(Errc::kInvalidArgument, "device_id: no such device in this school");
        }
    }
    storage::Mapping m{0, school_id, device_id, user_id, person_id, clock_.NowUnix()};
    auto audit = AuditOf(by, school_id, m.created_at, "create", "mapping");
    audit.new_value = MappingAuditJson(m);
    auto created = store_.CreateMapping(m, audit);
    if (!created && created.error().code == Errc::kConflict) {
        return MakeError(Errc::kConflict, "user_id: already mapped on this device (delete that mapping first)");
    }
    // The register is computed from raw punches on read, so mapping a user makes its past punches count
    // at once (R7); the days they fall on are marked for the worker (R18).
    return created;
}

core::Status Services::DeleteMapping(const Principal& by, std::int64_t school_id, std::int64_t id) {
    ROLLCALL_TRY(const auto all, store_.ListMappings(school_id));
    const auto it = std::find_if(all.begin(), all.end(), [&](const auto& m) { return m.id == id; });
    if (it == all.end()) {
        return MakeError(Errc::kNotFound, "mapping not found");
    }
    auto audit = AuditOf(by, school_id, clock_.NowUnix(), "delete", "mapping");
    audit.old_value = MappingAuditJson(*it);
    return store_.DeleteMapping(school_id, id, audit);  // marks the days of its punches in the same transaction
}

core::Result<std::vector<storage::DeviceUser>> Services::Unmapped(std::int64_t school_id) {
    auto users = store_.ListDeviceUsers(school_id, std::nullopt);
    if (!users) {
        return users.error();
    }
    std::vector<storage::DeviceUser> out;
    for (auto& u : *users) {
        if (!u.person_id) {
            out.push_back(std::move(u));
        }
    }
    return out;
}

// ---- settings and calendar ----

core::Result<std::string> SettingsScope(const std::optional<std::string>& kind,
                                        const std::optional<std::string>& group) {
    if (kind && group) {
        return MakeError(Errc::kInvalidArgument, "scope: give kind or group, not both");
    }
    if (kind) {
        if (*kind != "student" && *kind != "staff") {
            return MakeError(Errc::kInvalidArgument, "kind: must be student or staff");
        }
        return "kind:" + *kind;
    }
    if (group) {
        if (auto s = CheckText(*group, "group", true, 64); !s) {
            return s.error();
        }
        return "group:" + *group;
    }
    return std::string();
}

namespace {

/// The last version of `scope` in force on `date` (versions are ordered by scope, then effective_from).
const storage::SettingsVersion* InForce(const std::vector<storage::SettingsVersion>& versions,
                                        const std::string& scope,
                                        core::Date date) {
    const storage::SettingsVersion* found = nullptr;
    for (const auto& v : versions) {
        if (v.scope == scope && v.effective_from <= date) {
            found = &v;
        }
    }
    return found;
}

}  // namespace

std::pair<std::string, const storage::SettingsVersion*> VersionFor(
    const std::vector<storage::SettingsVersion>& versions,
    const std::string& kind,
    const std::string& group,
    core::Date date) {
    std::vector<std::string> chain;
    if (!group.empty()) {
        chain.push_back("group:" + group);
    }
    chain.push_back("kind:" + kind);
    chain.emplace_back();
    for (const auto& scope : chain) {
        if (const auto* v = InForce(versions, scope, date)) {
            return {scope, v};
        }
    }
    return {std::string(), nullptr};
}

core::Result<domain::AttendanceSettings> Services::SettingsOn(std::int64_t school_id,
                                                              core::Date date,
                                                              const std::string& scope) {
    ROLLCALL_TRY(auto versions, store_.ListSettings(school_id));
    const auto* in_force = InForce(versions, scope, date);
    if (in_force == nullptr) {
        in_force = InForce(versions, "", date);
    }
    if (in_force == nullptr) {
        domain::AttendanceSettings defaults;
        defaults.effective_from = core::Date{0};
        return defaults;
    }
    return ParseSettingsJson(in_force->json, in_force->effective_from);
}

core::Result<domain::AttendanceSettings> Services::PutSettings(const Principal& by,
                                                               std::int64_t school_id,
                                                               std::string_view json,
                                                               const std::string& scope) {
    ROLLCALL_TRY(auto school, store_.GetSchool(school_id));
    ROLLCALL_TRY(auto today, TodayIn(school.timezone));
    ROLLCALL_TRY(auto settings, ParseSettingsJson(json, today));
    storage::SettingsVersion v{
        0, school_id, settings.effective_from, SettingsToJson(settings), clock_.NowUnix(), scope, today};
    auto audit = AuditOf(by, school_id, v.created_at, "update", "settings");
    audit.new_value = SettingsAuditJson(scope, v.json);
    ROLLCALL_CHECK(store_.SaveSettings(v, audit));  // also marks effective_from..today for recomputation (R18)
    return settings;
}

core::Result<storage::Holiday> Services::CreateHoliday(const Principal& by,
                                                       std::int64_t school_id,
                                                       const std::string& date,
                                                       std::string name) {
    const auto d = core::ParseDate(date);
    if (!d) {
        return MakeError(Errc::kInvalidArgument, "date: expected YYYY-MM-DD");
    }
    if (auto s = CheckText(name, "name", true, kMaxNameLength); !s) {
        return s.error();
    }
    storage::Holiday holiday{0, school_id, *d, std::move(name)};
    auto audit = AuditOf(by, school_id, clock_.NowUnix(), "create", "holiday");
    audit.new_value = HolidayAuditJson(holiday);
    auto created = store_.CreateHoliday(holiday, audit);
    if (!created && created.error().code == Errc::kConflict) {
        return MakeError(Errc::kConflict, "date: already a holiday");
    }
    return created;
}

core::Status Services::DeleteHoliday(const Principal& by, std::int64_t school_id, std::int64_t id) {
    ROLLCALL_TRY(const auto all, store_.ListHolidays(school_id));
    const auto it = std::find_if(all.begin(), all.end(), [&](const auto& h) { return h.id == id; });
    if (it == all.end()) {
        return MakeError(Errc::kNotFound, "holiday not found");
    }
    auto audit = AuditOf(by, school_id, clock_.NowUnix(), "delete", "holiday");
    audit.old_value = HolidayAuditJson(*it);
    return store_.DeleteHoliday(school_id, id, audit);  // marks its day in the same transaction
}

core::Result<core::Date> Services::TodayIn(const std::string& timezone) const {
    auto local = ToLocal(timezone, clock_.NowUnix());
    if (!local) {
        return local.error();
    }
    return local->date();
}

}  // namespace rollcall::service
