#include "service/time_zone.hpp"

#include <date/tz.h>

namespace rollcall::service {

bool IsKnownTimeZone(const std::string& zone) {
    try {
        return date::locate_zone(zone) != nullptr;
    } catch (const std::exception&) {
        return false;
    }
}

core::Result<core::LocalDateTime> ToLocal(const std::string& zone, std::int64_t unix_seconds) {
    try {
        const auto* tz = date::locate_zone(zone);
        const auto info = tz->get_info(date::sys_seconds{std::chrono::seconds{unix_seconds}});
        return core::LocalDateTime{unix_seconds + info.offset.count()};
    } catch (const std::exception&) {
        return core::MakeError(core::Errc::kInternal, "unknown time zone " + zone);
    }
}

/// Unix seconds of a local wall-clock time; in a DST gap or overlap the earliest instant.
core::Result<std::int64_t> ToUnix(const std::string& zone, core::LocalDateTime local) {
    try {
        const auto* tz = date::locate_zone(zone);
        const date::local_seconds lt{std::chrono::seconds{local.seconds}};
        return tz->to_sys(lt, date::choose::earliest).time_since_epoch().count();
    } catch (const std::exception&) {
        return core::MakeError(core::Errc::kInternal, "unknown time zone " + zone);
    }
}

core::Result<core::Date> TodayIn(const core::Clock& clock, const std::string& zone) {
    ROLLCALL_TRY(const auto local, ToLocal(zone, clock.NowUnix()));
    return local.date();
}

}  // namespace rollcall::service
