#include "config/settings.hpp"

#include "support/temp_dir.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

namespace rollcall::config {
namespace {

TEST(Settings, DefaultsOfTheLimits) {
    const Config c;
    EXPECT_EQ(c.String("listen"), "127.0.0.1:8080");
    EXPECT_EQ(c.String("data_dir"), "./var");
    EXPECT_EQ(c.Int("http.header_limit"), 8192);
    EXPECT_EQ(c.Int("http.body_limit.preauth"), 16 * 1024);
    EXPECT_EQ(c.Int("http.body_limit.api"), 1024 * 1024);
    EXPECT_EQ(c.Int("http.body_limit.push"), 2 * 1024 * 1024);
    EXPECT_EQ(c.Int("http.request_timeout_ms"), 10'000);
    EXPECT_EQ(c.Int("http.idle_timeout_ms"), 120'000);
    EXPECT_EQ(c.Int("http.write_timeout_ms"), 10'000);
    EXPECT_EQ(c.Int("http.max_connections"), 10'000);
    EXPECT_EQ(c.Int("http.max_connections_per_address"), 256);
    EXPECT_EQ(c.Int("http.max_connections_per_device"), 8);
    EXPECT_EQ(c.Int("http.body_budget_bytes"), 64 * 1024 * 1024);
    EXPECT_EQ(c.Int("storage.writer_queue_depth"), 4096);
    EXPECT_EQ(c.Int("push.max_records"), 5000);
    EXPECT_EQ(c.Int("auth.argon2_mem_kib"), 19456);
    EXPECT_TRUE(c.Bool("auth.secure_cookies"));
}

// Issue 12, item 1: the bounds of what one admin request may queue for the recompute worker.
TEST(Settings, TheReprocessWindowAndAClockCorrectionsSpanAreBoundedYearsByDefault) {
    Config c;
    EXPECT_EQ(c.Int("engine.reprocess_max_days"), 366);
    EXPECT_EQ(c.Int("engine.clock_correction_max_days"), 366);
    EXPECT_FALSE(c.Set("engine.clock_correction_max_days", "0").ok());
    EXPECT_FALSE(c.Set("engine.clock_correction_max_days", "3661").ok()) << "ten years at most";
    EXPECT_TRUE(c.Set("engine.clock_correction_max_days", "31").ok());
    EXPECT_EQ(c.Int("engine.clock_correction_max_days"), 31);
}

// Issue 12, item 16: reports run on a pool of their own, of two threads, where a school has one report at a time.
TEST(Settings, ReportsHaveASmallPoolOfTheirOwnAndOneReportPerSchoolAtATime) {
    const Config c;
    EXPECT_EQ(c.Int("reports.worker_threads"), 2);
    EXPECT_EQ(c.Int("reports.queue_depth"), 8);
    EXPECT_EQ(c.Int("reports.max_concurrent_per_school"), 1);
    Config none;
    EXPECT_FALSE(none.Set("reports.worker_threads", "0").ok()) << "a report needs a thread";
    EXPECT_FALSE(none.Set("reports.max_concurrent_per_school", "0").ok());
    EXPECT_TRUE(none.Set("reports.queue_depth", "0").ok()) << "no waiting: busy is 503 at once";
}

// Issue 13: a terminal's user table, as its agent uploads it, is bounded like a push.
TEST(Settings, ATerminalsUserTableHoldsAtMostThirtyThousandUsersByDefault) {
    Config c;
    EXPECT_EQ(c.Int("agent.max_terminal_users"), 30'000);
    EXPECT_FALSE(c.Set("agent.max_terminal_users", "0").ok());
    EXPECT_FALSE(c.Set("agent.max_terminal_users", "100001").ok());
    EXPECT_TRUE(c.Set("agent.max_terminal_users", "60000").ok()) << "the largest simulated terminal";
    EXPECT_EQ(c.Int("agent.max_terminal_users"), 60'000);
}

// Issue 13: the live event stream's heartbeat, its cap per school and how far a reader may fall behind.
TEST(Settings, LiveEventStreamsBeatEveryFifteenSecondsAndASchoolMayOpenTwenty) {
    const Config c;
    EXPECT_EQ(c.Int("events.heartbeat_seconds"), 15);
    EXPECT_EQ(c.Int("events.max_streams_per_school"), 20);
    EXPECT_EQ(c.Int("events.queue_depth"), 64);
    Config none;
    EXPECT_FALSE(none.Set("events.heartbeat_seconds", "0").ok()) << "a stream without heartbeats dies in a proxy";
    EXPECT_FALSE(none.Set("events.max_streams_per_school", "0").ok());
    EXPECT_FALSE(none.Set("events.queue_depth", "0").ok()) << "a stream must hold the event being written";
    EXPECT_TRUE(none.Set("events.queue_depth", "1").ok());
}

// Issue 13: the pushes with unknown tokens the panel shows are remembered for a bounded number of addresses.
TEST(Settings, AThousandAddressesOfUnknownTokenPushesAreRemembered) {
    Config c;
    EXPECT_EQ(c.Int("push.unknown_token_sources"), 1000);
    EXPECT_FALSE(c.Set("push.unknown_token_sources", "0").ok());
    EXPECT_FALSE(c.Set("push.unknown_token_sources", "1000001").ok()) << "memory stays bounded";
}

TEST(Settings, EveryRowIsComplete) {
    for (const auto& s : AllSettings()) {
        EXPECT_FALSE(s.description.empty()) << s.name;
        EXPECT_TRUE(s.env.starts_with("ROLLCALL_")) << s.name;
        if (s.type == SettingType::kInt) {
            Config c;
            const auto v = c.Int(s.name);
            EXPECT_GE(v, s.min) << s.name;
            EXPECT_LE(v, s.max) << s.name;
        }
    }
}

TEST(Settings, UnknownNamesAndBadValuesAreErrorsNamingTheSetting) {
    Config c;
    auto unknown = c.Set("http.no_such_limit", "1");
    ASSERT_FALSE(unknown.ok());
    EXPECT_NE(unknown.error().message.find("http.no_such_limit"), std::string::npos);
    auto range = c.Set("http.header_limit", "10");
    ASSERT_FALSE(range.ok());
    EXPECT_NE(range.error().message.find("http.header_limit"), std::string::npos);
    EXPECT_FALSE(c.Set("http.header_limit", "12kb").ok());
    EXPECT_FALSE(c.Set("auth.secure_cookies", "maybe").ok());
    EXPECT_EQ(c.Int("http.header_limit"), 8192);  // a refused value changes nothing
    EXPECT_TRUE(c.Set("http.header_limit", "16384").ok());
    EXPECT_EQ(c.Int("http.header_limit"), 16384);
}

TEST(Settings, TomlFileUsesDottedTables) {
    test::TempDir dir;
    const auto path = (std::filesystem::path(dir.path()) / "rollcall.toml").string();
    std::ofstream(path) << "listen = \"0.0.0.0:9000\"\n[http]\nmax_connections = 77\n[http.body_limit]\npush = 4096\n";
    Config c;
    ASSERT_TRUE(c.LoadTomlFile(path).ok());
    EXPECT_EQ(c.String("listen"), "0.0.0.0:9000");
    EXPECT_EQ(c.Int("http.max_connections"), 77);
    EXPECT_EQ(c.Int("http.body_limit.push"), 4096);

    std::ofstream(path) << "[http]\nmax_conections = 77\n";
    auto typo = c.LoadTomlFile(path);
    ASSERT_FALSE(typo.ok());
    EXPECT_NE(typo.error().message.find("http.max_conections"), std::string::npos);
    std::ofstream(path) << "listen = \n";
    EXPECT_FALSE(c.LoadTomlFile(path).ok());
}

TEST(Settings, EnvironmentOverrides) {
    ::setenv("ROLLCALL_PUSH_MAX_RECORDS", "123", 1);
    Config c;
    ASSERT_TRUE(c.LoadEnvironment().ok());
    ::unsetenv("ROLLCALL_PUSH_MAX_RECORDS");
    EXPECT_EQ(c.Int("push.max_records"), 123);
}

TEST(Settings, DescribeListsEverySetting) {
    const auto text = Config().Describe();
    for (const auto& s : AllSettings()) {
        EXPECT_NE(text.find(std::string(s.name) + " = "), std::string::npos) << s.name;
    }
}

}  // namespace
}  // namespace rollcall::config
