// The loop behind the recompute worker, the webhook dispatcher and the agent: a change reaches the gateway
// soon after it is made (Wake), and a stop (SIGTERM, `sc stop`, server shutdown) ends every wait at once.
// Synchronised on what the passes report, never on sleeps.

#include "core/background_loop.hpp"

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include <gtest/gtest.h>

namespace rollcall::core {
namespace {

using namespace std::chrono_literals;
using Clock = BackgroundLoop::Clock;

constexpr auto kForever = Clock::time_point::max();
constexpr auto kPatience = 30s;  // only ever waited out when the loop is broken

/// Counts passes; the test waits for a count, never for a time.
class Passes {
public:
    void Count() {
        {
            std::lock_guard lock(mu_);
            ++count_;
        }
        cv_.notify_all();
    }
    bool Reach(int n) {
        std::unique_lock lock(mu_);
        return cv_.wait_for(lock, kPatience, [&] { return count_ >= n; });
    }
    int count() const {
        std::lock_guard lock(mu_);
        return count_;
    }

private:
    mutable std::mutex mu_;
    std::condition_variable cv_;
    int count_ = 0;
};

TEST(BackgroundLoop, APassRunsAtStartAndAgainAtEachWake) {
    Passes passes;
    BackgroundLoop loop;
    loop.Start([&]() -> std::optional<Clock::time_point> {
        passes.Count();
        return kForever;
    });
    ASSERT_TRUE(passes.Reach(1));
    loop.Wake();
    ASSERT_TRUE(passes.Reach(2));
    loop.Wake();
    ASSERT_TRUE(passes.Reach(3));
    loop.Stop();
    EXPECT_EQ(passes.count(), 3) << "no pass without a wake or a due time";
    EXPECT_TRUE(loop.finished());
}

TEST(BackgroundLoop, AWakeDuringAPassIsNotLostItRunsOneMorePass) {
    Passes passes;
    BackgroundLoop loop;
    loop.Start([&]() -> std::optional<Clock::time_point> {
        passes.Count();
        if (passes.count() == 1) {
            loop.Wake();  // as a new dirty day marked while the worker recomputes the last one
        }
        return kForever;
    });
    ASSERT_TRUE(passes.Reach(2));
    loop.Stop();
    EXPECT_EQ(passes.count(), 2);
}

TEST(BackgroundLoop, APassThatIsDueAgainRunsWithoutAWakeAndAPassCanEndTheLoop) {
    Passes passes;
    BackgroundLoop loop;
    loop.Start([&]() -> std::optional<Clock::time_point> {
        passes.Count();
        if (passes.count() == 3) {
            return std::nullopt;  // an agent's device taken off the server's list
        }
        return Clock::now();
    });
    ASSERT_TRUE(passes.Reach(3));
    loop.Stop();  // joins a thread that already ended
    EXPECT_EQ(passes.count(), 3);
    EXPECT_TRUE(loop.finished());
}

TEST(BackgroundLoop, StopEndsAWaitOfADayAtOnce) {
    Passes passes;
    BackgroundLoop loop;
    loop.Start([&]() -> std::optional<Clock::time_point> {
        passes.Count();
        return Clock::now() + 24h;
    });
    ASSERT_TRUE(passes.Reach(1));
    const auto started = Clock::now();
    loop.Stop();
    EXPECT_LT(Clock::now() - started, kPatience);
    EXPECT_TRUE(loop.stopping());
    EXPECT_EQ(passes.count(), 1);
}

TEST(BackgroundLoop, StopEndsAPasssOwnSleepButAWakeDoesNot) {
    Passes passes;
    std::atomic<bool> slept_through = true;
    BackgroundLoop loop;
    loop.Start([&]() -> std::optional<Clock::time_point> {
        passes.Count();
        slept_through = loop.SleepFor(24h);  // an upload's retry backoff
        return kForever;
    });
    ASSERT_TRUE(passes.Reach(1));
    loop.Wake();  // ends only the wait between passes, not a backoff in progress
    loop.Stop();
    EXPECT_FALSE(slept_through) << "the sleep reports that the loop is stopping";
    EXPECT_EQ(passes.count(), 1);
}

TEST(BackgroundLoop, ASleepRunsItsTimeWhenNothingStopsIt) {
    BackgroundLoop loop;
    const auto started = Clock::now();
    EXPECT_TRUE(loop.SleepFor(20ms));
    EXPECT_GE(Clock::now() - started, 20ms);
    loop.RequestStop();
    EXPECT_FALSE(loop.SleepFor(24h)) << "a stopped loop does not sleep at all";
}

TEST(BackgroundLoop, RunOnTheCallersThreadEndsWhenAnotherThreadStopsIt) {
    Passes passes;
    BackgroundLoop loop;
    std::thread stopper([&] {
        if (passes.Reach(2)) {
            loop.RequestStop();  // as a signal or a service stop does to the agent's rounds
        }
    });
    loop.Run([&]() -> std::optional<Clock::time_point> {
        passes.Count();
        return Clock::now() + (passes.count() == 1 ? 0s : 24h);
    });
    stopper.join();
    EXPECT_EQ(passes.count(), 2);
    EXPECT_TRUE(loop.stopping());
}

TEST(BackgroundLoop, DestroyingARunningLoopStopsAndJoinsItsThread) {
    Passes passes;
    std::atomic<bool> pass_returned = false;
    {
        BackgroundLoop loop;
        loop.Start([&]() -> std::optional<Clock::time_point> {
            passes.Count();
            pass_returned = true;
            return kForever;
        });
        ASSERT_TRUE(passes.Reach(1));
    }  // a joinable std::thread here would std::terminate the process
    EXPECT_TRUE(pass_returned);
    EXPECT_EQ(passes.count(), 1);
}

TEST(BackgroundLoop, AStopBeforeStartRunsNoPass) {
    Passes passes;
    BackgroundLoop loop;
    loop.RequestStop();
    loop.Start([&]() -> std::optional<Clock::time_point> {
        passes.Count();
        return kForever;
    });
    loop.Stop();
    EXPECT_EQ(passes.count(), 0);
    EXPECT_TRUE(loop.finished());
}

}  // namespace
}  // namespace rollcall::core
