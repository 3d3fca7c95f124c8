#include "service/recompute_worker.hpp"

#include "domain/notifications.hpp"
#include "service/recompute_window.hpp"
#include "service/time_zone.hpp"

#include <algorithm>
#include <map>
#include <set>

#include <boost/json.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace rollcall::service {
namespace {

namespace json = boost::json;

json::value OptTime(const std::optional<std::int32_t>& t) {
    return t ? json::value(core::FormatTimeOfDay(*t)) : json::value(nullptr);
}

bool SameRecord(const storage::DayRecord& a, const storage::DayRecord& b) {
    return a.status == b.status && a.in_time == b.in_time && a.out_time == b.out_time &&
           a.late_minutes == b.late_minutes && a.final == b.final && a.notified == b.notified &&
           a.reported_status == b.reported_status;
}

bool Subscribes(const storage::Webhook& hook, std::string_view kind) {
    return hook.active &&
           (hook.events.empty() || std::find(hook.events.begin(), hook.events.end(), kind) != hook.events.end());
}

/// The JSON body of one webhook event (docs/api.md "Webhooks").
std::string EventPayload(const storage::School& school,
                         const RegisterRow& row,
                         const ShownRow& shown,
                         core::Date date,
                         std::string_view kind,
                         std::optional<domain::DayStatus> previous_status,
                         bool final,
                         std::int64_t created_at) {
    const auto date_text = core::FormatDate(date);
    json::object o{
        // Stable per (school, person, day, kind): a gateway can drop a repeat after a lost acknowledgement.
        {"id", fmt::format("evt_{}_{}_{}_{}", school.id, row.person.id, date_text, kind)},
        {"type", kind},
        {"school", json::object{{"id", school.id}, {"name", school.name}}},
        {"person",
         json::object{{"id", row.person.id},
                      {"name", row.person.name},
                      {"kind", core::NameOf(row.person.kind)},
                      {"group", row.person.group},
                      {"external_id", row.person.external_id}}},
        {"date", date_text},
        {"status", core::NameOf(shown.status)},
        {"in_time", OptTime(shown.in_time)},
        {"out_time", OptTime(shown.out_time)},
        {"late_minutes", shown.late_minutes},
        {"final", final},
        {"created_at", core::FormatUnixUtc(created_at)},
    };
    if (previous_status) {
        o["previous_status"] = core::NameOf(*previous_status);
    }
    return json::serialize(o);
}

}  // namespace

RecomputeWorker::RecomputeWorker(storage::Store& store,
                                 Attendance& attendance,
                                 Calendar& calendar,
                                 const core::Clock& clock,
                                 RecomputeConfig config,
                                 std::function<void()> on_deliveries)
    : store_(store),
      attendance_(attendance),
      calendar_(calendar),
      clock_(clock),
      config_(config),
      on_deliveries_(std::move(on_deliveries)),
      window_of_(MarkWindowFor(clock_, config_.reprocess_days)) {}

RecomputeWorker::~RecomputeWorker() {
    Stop();
}

void RecomputeWorker::Start() {
    loop_.Start([this, next_sweep = core::BackgroundLoop::Clock::now()]() mutable
                -> std::optional<core::BackgroundLoop::Clock::time_point> { return Pass(next_sweep); });
}

void RecomputeWorker::Stop() {
    loop_.Stop();
}

void RecomputeWorker::Wake() {
    loop_.Wake();
}

core::BackgroundLoop::Clock::time_point RecomputeWorker::Pass(core::BackgroundLoop::Clock::time_point& next_sweep) {
    if (core::BackgroundLoop::Clock::now() >= next_sweep) {
        if (auto s = Sweep(); !s) {
            spdlog::warn("recompute: sweep failed: {}", s.error().message);
        }
        next_sweep = core::BackgroundLoop::Clock::now() + config_.sweep_interval;
    }
    // A stop request ends the drain after the slice in flight, however long the queue (SIGTERM, docs/operations.md).
    if (auto n = RunPending([this] { return loop_.stopping(); }); !n) {
        spdlog::warn("recompute: {}", n.error().message);
    }
    return next_sweep;
}

core::Result<std::size_t> RecomputeWorker::Sweep() {
    ROLLCALL_TRY(const auto schools, store_.ListSchools());
    std::size_t marked = 0;
    for (const auto& school : schools) {
        if (loop_.stopping()) {
            break;  // the next start's sweep marks what this one left
        }
        if (school.status != domain::ActiveStatus::kActive) {
            continue;  // a school that left the service concludes no one absent, and its parents get no event
        }
        ROLLCALL_TRY(const auto today, TodayIn(clock_, school.timezone));
        const core::Date since{today.days - config_.sweep_days + 1};
        ROLLCALL_TRY(const auto final_days, store_.ListFinalDays(school.id, since));
        const std::set<std::int32_t> final([&] {
            std::set<std::int32_t> s;
            for (const auto d : final_days) {
                s.insert(d.days);
            }
            return s;
        }());
        for (core::Date d = since; d <= today; d = core::Date{d.days + 1}) {
            if (!final.contains(d.days)) {
                ROLLCALL_CHECK(store_.MarkDirty(school.id, d, d));
                ++marked;
            }
        }
    }
    return marked;
}

core::Result<std::size_t> RecomputeWorker::RunPending() {
    return RunPending([] { return false; });
}

core::Result<std::size_t> RecomputeWorker::RunPending(const std::function<bool()>& stop_requested) {
    std::lock_guard run(run_mu_);
    // Days dropped from outside the reprocess window per school and turn: a bounded write, however many there are.
    constexpr std::size_t kDropPerTurn = 10'000;
    std::size_t done = 0;
    for (;;) {
        ROLLCALL_TRY(const auto school_ids, store_.ListDirtySchools());
        if (school_ids.empty()) {
            return done;
        }
        struct Turn {
            std::int64_t school_id;
            storage::MarkWindow window;  ///< up to the school's today (R18)
        };
        std::vector<Turn> turns;
        turns.reserve(school_ids.size());
        for (const auto id : school_ids) {
            ROLLCALL_TRY(const auto school, store_.GetSchool(id));
            turns.push_back({id, window_of_(school.timezone)});
        }
        // The round's slices in order. Today first: this morning's arrivals of every school go out before
        // anybody's backlog. Then the schools take turns, one slice of their older days each, newest first: a school
        // that queued a year holds the others back by one slice, never by its year.
        struct Slice {
            const Turn* turn;
            core::Date from;
            bool older;  ///< a backlog's turn: its marks outside the window are dropped first
        };
        std::vector<Slice> slices;
        slices.reserve(2 * turns.size());
        for (const auto& turn : turns) {
            slices.push_back(
                {&turn,
                 core::Date{std::max(turn.window.first.days, turn.window.last.days - config_.sweep_days + 1)},
                 false});
        }
        for (const auto& turn : turns) {
            slices.push_back({&turn, turn.window.first, true});
        }
        std::size_t progressed = 0;
        for (const auto& slice : slices) {
            const auto school_id = slice.turn->school_id;
            if (slice.older) {
                ROLLCALL_TRY(const auto dropped, store_.DropDirtyOutside(school_id, slice.turn->window, kDropPerTurn));
                progressed += dropped;
            }
            ROLLCALL_TRY(const auto days,
                         store_.ListDirtyDays(school_id, slice.from, slice.turn->window.last, config_.slice_days));
            const auto n = RecomputeSlice(school_id, days);
            done += n;
            progressed += n;
            // Between two slices, never inside one: a stop waits for at most one slice (SIGTERM, docs/operations.md).
            if (stop_requested()) {
                return done;
            }
        }
        if (progressed == 0) {
            return core::MakeError(core::Errc::kUnavailable, "recompute: no dirty day could be recomputed");
        }
    }
}

std::size_t RecomputeWorker::RecomputeSlice(std::int64_t school_id, const std::vector<storage::DirtyDay>& days) {
    if (days.empty()) {
        return 0;
    }
    std::map<std::int32_t, const storage::DirtyDay*> by_date;
    std::vector<core::Date> dates;
    dates.reserve(days.size());
    for (const auto& day : days) {
        by_date.emplace(day.date.days, &day);
        dates.push_back(day.date);
    }
    std::sort(dates.begin(), dates.end());
    std::size_t recorded = 0;
    // The slice's days share one read of what their registers are computed from.
    const auto read = attendance_.ForEachRegisterOn(school_id, dates, [&](Register& reg) -> core::Status {
        const auto& day = *by_date.at(reg.date.days);
        if (auto s = Record(day, reg); !s) {
            // Left marked: retried on the next wake or sweep, never lost.
            spdlog::warn(
                "recompute: school {} day {}: {}", day.school_id, core::FormatDate(day.date), s.error().message);
            return {};
        }
        ++recorded;
        return {};
    });
    if (!read) {
        spdlog::warn("recompute: school {}: {}", school_id, read.error().message);
    }
    return recorded;
}

core::Status RecomputeWorker::RecomputeDay(const storage::DirtyDay& day) {
    ROLLCALL_TRY(const auto reg, attendance_.RegisterFor(day.school_id, day.date));
    return Record(day, reg);
}

core::Status RecomputeWorker::Record(const storage::DirtyDay& day, const Register& reg) {
    storage::DayRecompute out;
    out.claimed = day;
    ROLLCALL_TRY(const auto school, store_.GetSchool(day.school_id));
    ROLLCALL_TRY(const auto previous_rows, store_.ListDayRecords(day.school_id, day.date));
    ROLLCALL_TRY(const auto hooks, store_.ListWebhooks(day.school_id));
    ROLLCALL_TRY(const auto today, TodayIn(clock_, school.timezone));
    const auto now = clock_.NowUnix();
    const bool fresh = day.date.days <= today.days && day.date.days >= today.days - config_.event_max_age_days;
    // A day whose cutoff is its very end (no start time, no In window: R16) decides its absences only after
    // midnight; those still go out the next day. Other days' absences were decidable on the day itself.
    bool absent_fresh = fresh;
    if (!fresh && day.date.days == today.days - config_.event_max_age_days - 1) {
        ROLLCALL_TRY(const auto settings, calendar_.SettingsOn(day.school_id, day.date));
        absent_fresh = domain::CutoffSecondsOfDay(settings) >= 86400;
    }
    std::map<std::int64_t, const storage::DayRecord*> previous;
    for (const auto& r : previous_rows) {
        previous.emplace(r.person_id, &r);
    }
    out.final = reg.final;
    out.final_scopes = reg.final_scopes;  // R16: what is final now stays final
    for (const auto& row : reg.rows) {
        const auto shown = ShowRow(row);
        domain::NotifyState before;
        const auto prev = previous.find(row.person.id);
        if (prev != previous.end()) {
            before.sent = prev->second->notified;
            before.reported = prev->second->reported_status;
        }
        const auto decision = domain::DecideNotifications(
            before, {shown.status, shown.in_time.has_value(), row.result.punched}, fresh, absent_fresh);
        storage::DayRecord rec;
        rec.school_id = day.school_id;
        rec.person_id = row.person.id;
        rec.date = day.date;
        rec.status = shown.status;
        rec.in_time = shown.in_time;
        rec.out_time = shown.out_time;
        rec.late_minutes = shown.late_minutes;
        rec.final = reg.final;
        rec.notified = decision.next.sent;
        rec.reported_status = decision.next.reported;
        rec.computed_at = now;
        if (prev == previous.end() || !SameRecord(rec, *prev->second)) {
            out.rows.push_back(rec);
        }
        for (const auto& event : decision.events) {
            if (hooks.empty()) {
                break;  // nobody to tell: the record above still notes the event as sent (R18)
            }
            const auto kind = domain::EventKindName(event.kind);
            const auto payload = EventPayload(school, row, shown, day.date, kind, event.previous, reg.final, now);
            for (const auto& hook : hooks) {
                if (!Subscribes(hook, kind)) {
                    continue;
                }
                storage::WebhookDelivery d;
                d.school_id = day.school_id;
                d.webhook_id = hook.id;
                d.event = std::string(kind);
                d.person_id = row.person.id;
                d.date = day.date;
                d.payload = payload;
                d.next_attempt_at = now;
                d.created_at = now;
                out.deliveries.push_back(std::move(d));
            }
        }
    }
    ROLLCALL_CHECK(store_.SaveRecompute(out));
    if (!out.deliveries.empty() && on_deliveries_) {
        on_deliveries_();
    }
    if (auto* live = live_.load(); live != nullptr && !out.rows.empty() && live->Watched(day.school_id)) {
        std::vector<std::int64_t> people;
        people.reserve(out.rows.size());
        for (const auto& r : out.rows) {
            people.push_back(r.person_id);
        }
        live->RegisterChanged(day.school_id, day.date, std::move(people));
    }
    return {};
}

}  // namespace rollcall::service
