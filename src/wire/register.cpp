#include "wire/register.hpp"

#include <map>

namespace rollcall::service {
namespace {

namespace json = boost::json;
using wire::OptTimeValue;
using wire::OptUtcValue;
using wire::TextOf;

/// The override, with the computed values it hides kept beside it (R19).
json::value OverrideWithComputed(const std::optional<storage::Override>& o, const domain::DayResult& computed) {
    if (!o) {
        return nullptr;
    }
    auto out = json::value_from(*o);
    out.as_object()["computed"] = json::object{{"status", TextOf(computed.status)},
                                               {"in_time", OptTimeValue(computed.in_time)},
                                               {"out_time", OptTimeValue(computed.out_time)},
                                               {"late_minutes", computed.late_minutes},
                                               {"status_rule", computed.status_rule}};
    return out;
}

/// Times of day as "HH:MM:SS".
json::array TimesValue(const std::vector<std::int32_t>& times) {
    json::array out;
    for (const auto t : times) {
        out.emplace_back(core::FormatTimeOfDay(t));
    }
    return out;
}

/// The rule a shown status comes from: R14.1 when an override decides it.
std::string StatusRule(const std::optional<storage::Override>& o, const domain::DayResult& computed) {
    return o ? std::string("R14.1") : computed.status_rule;
}

/// The register's counts per (kind, group) and status: "groups" of the answer.
json::array GroupCounts(const std::map<std::pair<std::string, std::string>, std::map<std::string, std::int64_t>>& in) {
    json::array groups;
    for (const auto& [key, statuses] : in) {
        json::object counts;
        std::int64_t total = 0;
        for (const auto& [status, n] : statuses) {
            counts[status] = n;
            total += n;
        }
        groups.push_back(
            json::object{{"kind", key.first}, {"group", key.second}, {"total", total}, {"counts", std::move(counts)}});
    }
    return groups;
}

}  // namespace

void tag_invoke(json::value_from_tag, json::value& out, const Register& reg) {
    json::array rows;
    std::map<std::string, std::int64_t> counts;
    std::map<std::pair<std::string, std::string>, std::map<std::string, std::int64_t>> group_counts;
    for (const auto& row : reg.rows) {
        const auto& r = row.result;
        // R14.1: an override's status wins; its times replace the computed ones where it gives them.
        const auto shown = ShowRow(row);
        const auto status = TextOf(shown.status);
        ++counts[status];
        ++group_counts[{TextOf(row.person.kind), row.person.group}][status];
        rows.push_back(json::object{{"person_id", row.person.id},
                                    {"name", row.person.name},
                                    {"kind", TextOf(row.person.kind)},
                                    {"group", row.person.group},
                                    {"status", status},
                                    {"in_time", OptTimeValue(shown.in_time)},
                                    {"out_time", OptTimeValue(shown.out_time)},
                                    {"late_minutes", shown.late_minutes},
                                    {"flags", json::value_from(r.flags)},
                                    {"outside_window_times", TimesValue(r.outside_window_times)},
                                    {"status_rule", StatusRule(row.override_row, r)},
                                    {"override", OverrideWithComputed(row.override_row, r)}});
    }
    json::array warnings;
    if (!reg.start_time_set) {
        warnings.emplace_back("no school start time is set: nobody is marked late (R15)");
    }
    json::array silent;
    for (const auto& d : reg.silent_devices) {
        silent.push_back(json::object{{"id", d.id}, {"name", d.name}, {"last_seen", OptUtcValue(d.last_seen)}});
        // Once the day is final (finalized by an admin, or found final before: R16) the wait is over.
        if (reg.cutoff_passed && !reg.final && !reg.finalized_by_admin) {
            warnings.emplace_back("absences stay pending: device '" + d.name +
                                  "' has not been heard from since the cutoff (R16)");
        }
    }
    out = {{"date", core::FormatDate(reg.date)},
           {"final", reg.final},
           {"finalized_by_admin", reg.finalized_by_admin},
           {"counts", json::value_from(counts)},
           {"groups", GroupCounts(group_counts)},
           {"silent_devices", std::move(silent)},
           {"warnings", std::move(warnings)},
           {"rows", std::move(rows)}};
}

void tag_invoke(json::value_from_tag, json::value& out, const Explanation& e) {
    json::array punches;
    for (std::size_t i = 0; i < e.punches.size(); ++i) {
        const auto& p = e.punches[i];
        const auto& v = e.result.explain[i];
        punches.push_back(json::object{{"device_id", p.device_id},
                                       {"user_id", p.user_id},
                                       {"timestamp", core::FormatLocalDateTime(p.timestamp)},
                                       {"direction", TextOf(v.direction)},
                                       {"used_as", v.used_as ? json::value(TextOf(*v.used_as)) : json::value(nullptr)},
                                       {"rule", v.rule},
                                       {"note", v.note}});
    }
    const auto& o = e.override_row;
    out = {{"punches", std::move(punches)},
           {"status", o ? TextOf(o->status) : TextOf(e.result.status)},
           {"status_rule", StatusRule(o, e.result)},
           {"override", OverrideWithComputed(o, e.result)}};
}

void tag_invoke(json::value_from_tag, json::value& out, const DeviceView& d) {
    out = json::value_from(d.device);
    out.as_object()["agent_status"] = d.agent_status ? json::value_from(*d.agent_status) : json::value(nullptr);
    out.as_object()["last_refused"] = d.last_refused ? json::value_from(*d.last_refused) : json::value(nullptr);
}

void tag_invoke(json::value_from_tag, json::value& out, const RefusedPush& r) {
    out = {{"at", core::FormatUnixUtc(r.at)},
           {"reason", r.reason},
           {"message", r.message},
           {"status", r.status},
           {"address", r.address}};
}

void tag_invoke(json::value_from_tag, json::value& out, const UnknownPushSource& s) {
    out = {{"address", s.address},
           {"count", s.count},
           {"first_at", core::FormatUnixUtc(s.first_at)},
           {"last_at", core::FormatUnixUtc(s.last_at)}};
}

}  // namespace rollcall::service
