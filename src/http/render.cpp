#include "http/render.hpp"

namespace rollcall::http {
namespace {

json::value OptDate(const std::optional<core::Date>& d) {
    return d ? json::value(core::FormatDate(*d)) : json::value(nullptr);
}
json::value OptTime(const std::optional<std::int32_t>& t) {
    return t ? json::value(core::FormatTimeOfDay(*t)) : json::value(nullptr);
}
json::value OptUnix(const std::optional<std::int64_t>& t) {
    return t ? json::value(core::FormatUnixUtc(*t)) : json::value(nullptr);
}
json::value OptCode(const std::optional<std::int32_t>& v) {
    return v ? json::value(*v) : json::value(nullptr);
}

}  // namespace

json::object RenderSchool(const storage::School& s) {
    return {
        {"id", s.id}, {"name", s.name}, {"timezone", s.timezone}, {"created_at", core::FormatUnixUtc(s.created_at)}};
}

json::object RenderDevice(const storage::Device& d) {
    return {{"id", d.id},
            {"school_id", d.school_id},
            {"name", d.name},
            {"sync_mode", d.sync_mode},
            {"direction", d.direction},
            {"status", d.status},
            {"ip", d.ip},
            {"port", d.port},
            {"serial", d.serial},
            {"comm_key", d.comm_key},
            {"last_seen", OptUnix(d.last_seen)},
            {"created_at", core::FormatUnixUtc(d.created_at)}};
}

json::object RenderPerson(const storage::Person& p) {
    return {{"id", p.id},
            {"school_id", p.school_id},
            {"name", p.name},
            {"kind", p.kind},
            {"external_id", p.external_id},
            {"group", p.group},
            {"active_from", OptDate(p.active_from)},
            {"active_to", OptDate(p.active_to)}};
}

json::object RenderMapping(const storage::Mapping& m) {
    return {{"id", m.id},
            {"user_id", m.user_id},
            {"person_id", m.person_id},
            {"device_id", OptValue(m.device_id)},
            {"scope", m.device_id ? "device" : "school"}};
}

json::object RenderDeviceUser(const storage::DeviceUser& u) {
    return {{"device_id", u.device_id},
            {"user_id", u.user_id},
            {"name", u.name},
            {"punches", u.punches},
            {"first_seen", core::FormatLocalDateTime(u.first_seen)},
            {"last_seen", core::FormatLocalDateTime(u.last_seen)},
            {"person_id", OptValue(u.person_id)}};
}

json::object RenderHoliday(const storage::Holiday& h) {
    return {{"id", h.id}, {"date", core::FormatDate(h.date)}, {"name", h.name}};
}

json::object RenderPunch(const storage::StoredPunch& p) {
    return {{"device_id", p.device_id},
            {"user_id", p.user_id},
            {"timestamp", core::FormatLocalDateTime(p.timestamp)},
            {"status", OptCode(p.status)},
            {"verify", OptCode(p.verify)},
            {"source", p.source},
            {"received_at", core::FormatUnixUtc(p.received_at)},
            {"batch_id", p.batch_id}};
}

json::object RenderRegister(const service::Register& reg) {
    json::array rows;
    std::map<std::string, std::int64_t> counts;
    for (const auto& row : reg.rows) {
        const auto& r = row.result;
        json::array flags;
        for (const auto& f : r.flags) {
            flags.emplace_back(f);
        }
        const auto status = std::string(domain::DayStatusName(r.status));
        ++counts[status];
        rows.push_back(json::object{{"person_id", row.person.id},
                                    {"name", row.person.name},
                                    {"kind", row.person.kind},
                                    {"group", row.person.group},
                                    {"status", status},
                                    {"in_time", OptTime(r.in_time)},
                                    {"out_time", OptTime(r.out_time)},
                                    {"late_minutes", r.late_minutes},
                                    {"flags", std::move(flags)},
                                    {"status_rule", r.status_rule},
                                    {"override", nullptr}});
    }
    json::object count_obj;
    for (const auto& [k, v] : counts) {
        count_obj[k] = v;
    }
    json::array warnings;
    if (!reg.start_time_set) {
        warnings.emplace_back("no school start time is set: nobody is marked late (R15)");
    }
    json::array silent;
    for (const auto& d : reg.silent_devices) {
        silent.push_back(json::object{{"id", d.id}, {"name", d.name}, {"last_seen", OptUnix(d.last_seen)}});
        if (reg.cutoff_passed) {
            warnings.emplace_back("absences stay pending: device '" + d.name +
                                  "' has not been heard from since the "
                                  "cutoff (R16)");
        }
    }
    return {{"date", core::FormatDate(reg.date)},
            {"final", reg.final},
            {"counts", std::move(count_obj)},
            {"silent_devices", std::move(silent)},
            {"warnings", std::move(warnings)},
            {"rows", std::move(rows)}};
}

json::object RenderExplanation(const service::Explanation& e) {
    json::array punches;
    for (std::size_t i = 0; i < e.punches.size(); ++i) {
        const auto& p = e.punches[i];
        const auto& v = e.result.explain[i];
        punches.push_back(json::object{
            {"device_id", p.device_id},
            {"user_id", p.user_id},
            {"timestamp", core::FormatLocalDateTime(p.timestamp)},
            {"direction", domain::PunchDirectionName(v.direction)},
            {"used_as", v.used_as ? json::value(domain::PunchDirectionName(*v.used_as)) : json::value(nullptr)},
            {"rule", v.rule},
            {"note", v.note}});
    }
    return {{"punches", std::move(punches)},
            {"status", domain::DayStatusName(e.result.status)},
            {"status_rule", e.result.status_rule}};
}

}  // namespace rollcall::http
