#pragma once

#include "core/background_loop.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"
#include "service/attendance.hpp"
#include "service/calendar.hpp"
#include "service/live_events.hpp"
#include "storage/store.hpp"

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>

namespace rollcall::service {

struct RecomputeConfig {
    std::chrono::milliseconds sweep_interval{60'000};  ///< how often days not final yet are looked at again
    int sweep_days = 2;                                ///< today and the days before it the sweep covers
    int event_max_age_days = 0;                        ///< arrival, late and absent of older days are never announced
    int reprocess_days = 366;  ///< the reprocess window (engine.reprocess_max_days): older marks are dropped
    /// Days of one school recomputed in one turn: between two turns the worker looks at the other schools and
    /// at a stop request, so no school waits and no stop waits longer than one turn of another.
    std::size_t slice_days = 31;
};

/// R18: recomputes the days marked dirty in the database and stores each row with what webhooks were told.
/// The register read itself is computed on read, so it never waits for this worker (read-your-writes);
/// the worker is what turns a change into events for the school's gateway, exactly once per kind.
/// Time alone makes absences final (R16), so a periodic sweep marks the recent days not final yet.
class RecomputeWorker {
public:
    /// Reads registers through `attendance` and settings through `calendar`; writes day records, events and
    /// deliveries to `store` itself.
    RecomputeWorker(storage::Store& store,
                    Attendance& attendance,
                    Calendar& calendar,
                    const core::Clock& clock,
                    RecomputeConfig config,
                    std::function<void()> on_deliveries);
    ~RecomputeWorker();

    void Start();
    void Stop();
    /// Something was marked dirty: recompute soon.
    void Wake();
    /// Who is told of each day whose stored rows changed (RegisterChanged); null: nobody. Set before Start.
    void SetLiveEvents(LiveEvents* live) { live_.store(live); }

    /// Recomputes every dirty day now, on the caller's thread (tests, `rollcall` commands); returns how many.
    core::Result<std::size_t> RunPending();
    /// As RunPending, fairly: every school's recent days (today and the sweep's days before it) first, then one
    /// slice of each school's older days in turn, newest first, again and again. After each slice
    /// `stop_requested` is asked, and true ends the run there: the rest stays marked for the next run.
    core::Result<std::size_t> RunPending(const std::function<bool()>& stop_requested);
    /// Marks the recent days of every school that are not final yet; returns how many were marked.
    core::Result<std::size_t> Sweep();
    /// Recomputes one day now (marks taken or not).
    core::Status RecomputeDay(const storage::DirtyDay& day);

private:
    /// Stores day D's rows from its register with the events they cause, and releases its mark.
    core::Status Record(const storage::DirtyDay& day, const Register& reg);
    /// Recomputes the days of one school (one read of what they share); returns how many were stored.
    std::size_t RecomputeSlice(std::int64_t school_id, const std::vector<storage::DirtyDay>& days);
    /// One pass of the background loop: the sweep when `next_sweep` came (and the next one planned), then every
    /// dirty day; returns when the next sweep is due.
    core::BackgroundLoop::Clock::time_point Pass(core::BackgroundLoop::Clock::time_point& next_sweep);

    storage::Store& store_;
    Attendance& attendance_;
    Calendar& calendar_;
    const core::Clock& clock_;
    RecomputeConfig config_;
    std::function<void()> on_deliveries_;
    std::function<storage::MarkWindow(const std::string&)> window_of_;  ///< R18: the days a school may recompute
    std::atomic<LiveEvents*> live_{nullptr};

    std::mutex run_mu_;          ///< one recomputation at a time: the thread's and a caller's
    core::BackgroundLoop loop_;  ///< last: stopped before the members its passes use
};

}  // namespace rollcall::service
