#include "service/recompute_window.hpp"

#include "service/time_zone.hpp"

namespace rollcall::service {

core::Result<storage::MarkWindow> ReprocessWindow(const core::Clock& clock, const std::string& zone, int days) {
    ROLLCALL_TRY(const auto today, TodayIn(clock, zone));
    return storage::MarkWindow{core::Date{today.days - days + 1}, today};
}

std::function<storage::MarkWindow(const std::string& zone)> MarkWindowFor(const core::Clock& clock, int days) {
    return [&clock, days](const std::string& zone) {
        if (auto window = ReprocessWindow(clock, zone, days)) {
            return *window;
        }
        const auto today = core::LocalDateTime{clock.NowUnix()}.date();
        return storage::MarkWindow{core::Date{today.days - days + 1}, today};
    };
}

}  // namespace rollcall::service
