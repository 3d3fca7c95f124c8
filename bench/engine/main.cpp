// bench_engine: the register computed on read (R18) for 2,000 students over one month, against the cost
// of only reading the same punches from SQLite in the same run.
//   month: the registers of every day of March 2026 (about 44,000 person-days from about 176,000 punches)
//   day:   one day's register read, median of 21 reads
//   worker: the recompute worker (R18) draining the month's dirty days: every row recomputed, compared with
//           what it stored before and written back with what the webhooks were told
// Goals (issue 3): the month in under 1 s, the day in under 50 ms.

#include "app/app.hpp"
#include "support/temp_dir.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>

namespace rollcall::bench {
namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point since) {
    return std::chrono::duration<double>(Clock::now() - since).count();
}

int Run() {
    constexpr int kStudents = 2000;
    const core::Date first = core::DateFromYmd(2026, 3, 1);
    const core::Date last = core::DateFromYmd(2026, 3, 31);
    test::TempDir dir;
    config::Config config;
    (void)config.Set("data_dir", dir.path());
    (void)config.Set("log.level", "warn");
    // "Now" is after the month, so every day is final.
    auto clock = std::make_shared<core::FixedClock>(1775000000);  // 2026-03-31T23:33:20Z
    app::App app(config, clock);
    auto& services = app.services();
    auto& store = app.store();
    const auto admin = service::CommandLinePrincipal();

    const auto school = services.CreateSchool(admin, "Bench School", "Africa/Nairobi").value();
    const auto device =
        services.CreateDevice(admin, school.id, {"Gate", "push", "auto", {}, {}, {}, {}, {}, {}}).value();
    (void)services.PutSettings(admin, school.id, R"({"effective_from":"2026-01-01","school_start_time":"08:00",
        "school_end_time":"16:00"})");
    for (int i = 0; i < kStudents; ++i) {
        service::PersonPatch p;
        p.name = "Student " + std::to_string(i);
        p.kind = "student";
        p.group = "G" + std::to_string(i % 40);
        const auto person = services.CreatePerson(admin, school.id, p).value();
        (void)services.CreateMapping(admin, school.id, std::to_string(i), person.id, std::nullopt);
    }
    // The worker's first pass over the settings' days (everyone absent), untimed: the timed pass below then
    // rewrites every row of the month's school days, as a day of punches does.
    (void)app.recompute().RunPending();
    // Four punches a school day per student: in, a double tap, a lunch punch, out.
    std::size_t punches = 0;
    int school_days = 0;
    for (core::Date d = first; d <= last; d = core::Date{d.days + 1}) {
        if (core::Weekday(d) >= 5) {
            continue;
        }
        ++school_days;
        storage::PunchBatch batch{school.id, device.device.id, "push", clock->NowUnix(), {}};
        for (int i = 0; i < kStudents; ++i) {
            const int in = 7 * 3600 + 30 * 60 + (i * 37) % 3600;
            for (const int t : {in, in + 40, 12 * 3600 + (i * 13) % 1800, 16 * 3600 + (i * 17) % 3600}) {
                batch.rows.push_back({std::to_string(i), core::AtTime(d, t), 0, std::nullopt});
            }
        }
        punches += batch.rows.size();
        (void)store.WritePunches(std::move(batch));
    }
    (void)store.TouchDevice(device.device.id, clock->NowUnix());

    // Baseline: only reading the month's punches from SQLite (once to warm the page cache, then timed).
    const auto month_from = core::AtTime(first, 0);
    const auto month_to = core::AtTime(core::Date{last.days + 1}, 0);
    (void)store.ListPunches(school.id, month_from, month_to);
    auto t0 = Clock::now();
    const auto raw = store.ListPunches(school.id, month_from, month_to);
    const double read_seconds = Seconds(t0);

    t0 = Clock::now();
    std::size_t person_days = 0;
    std::size_t late = 0;
    for (core::Date d = first; d <= last; d = core::Date{d.days + 1}) {
        const auto reg = services.RegisterFor(school.id, d).value();
        for (const auto& row : reg.rows) {
            ++person_days;
            late += row.result.status == domain::DayStatus::kLate ? 1 : 0;
        }
    }
    const double month_seconds = Seconds(t0);

    // The punches marked their days dirty when they were stored; the worker recomputes and stores them.
    const auto dirty = store.CountDirty().value();
    t0 = Clock::now();
    const auto worked = app.recompute().RunPending();
    const double worker_seconds = Seconds(t0);
    // Re-processing the month on request when nothing changed: every row compared, none written.
    (void)services.Reprocess(admin, school.id, first, last);
    t0 = Clock::now();
    const auto reworked = app.recompute().RunPending();
    const double rework_seconds = Seconds(t0);
    if (!worked || !reworked || store.CountDirty().value() != 0) {
        std::fprintf(stderr, "the recompute worker failed\n");
        return 1;
    }

    std::vector<double> day_ms;
    const core::Date day = core::DateFromYmd(2026, 3, 12);
    for (int i = 0; i < 21; ++i) {
        t0 = Clock::now();
        const auto reg = services.RegisterFor(school.id, day).value();
        day_ms.push_back(Seconds(t0) * 1000);
        if (reg.rows.size() != kStudents) {
            std::fprintf(stderr, "unexpected register size %zu\n", reg.rows.size());
            return 1;
        }
    }
    std::sort(day_ms.begin(), day_ms.end());
    const double day_median = day_ms[day_ms.size() / 2];

    std::printf("bench_engine: %d students, %d school days, %zu punches (%zu read back in %.3f s)\n",
                kStudents,
                school_days,
                punches,
                raw.ok() ? raw->size() : 0,
                read_seconds);
    std::printf(
        "month: %zu person-days (%zu late) computed in %.3f s [goal < 1 s: %s] | raw punch read %.3f s | "
        "ratio %.1f\n",
        person_days,
        late,
        month_seconds,
        month_seconds < 1.0 ? "PASS" : "MISS",
        read_seconds,
        month_seconds / read_seconds);
    std::printf(
        "worker: %lld dirty days (%zu person-days) recomputed and stored in %.3f s [goal < 1 s: %s] | "
        "re-processing the month unchanged (%zu days): %.3f s\n",
        static_cast<long long>(dirty),
        static_cast<std::size_t>(*worked) * kStudents,
        worker_seconds,
        worker_seconds < 1.0 ? "PASS" : "MISS",
        *reworked,
        rework_seconds);
    std::printf("day: one register of %d rows in %.1f ms (median of 21) [goal < 50 ms: %s]\n",
                kStudents,
                day_median,
                day_median < 50.0 ? "PASS" : "MISS");
    app.Stop();
    return 0;
}

}  // namespace
}  // namespace rollcall::bench

int main() {
    return rollcall::bench::Run();
}
