#include "sim/sim_cli.hpp"

#include "sim/zk_names.hpp"

#include <gtest/gtest.h>

namespace rollcall::sim {
namespace {

TEST(SimCli, ProductContractFlags) {
    const auto o = ParseZkArguments({"--listen",
                                     "127.0.0.1:0",
                                     "--users",
                                     "5",
                                     "--records",
                                     "50000",
                                     "--seed",
                                     "9",
                                     "--comm-key",
                                     "12345",
                                     "--export",
                                     "/tmp/x.jsonl"});
    ASSERT_TRUE(o.ok()) << o.error().message;
    EXPECT_EQ(o->server.host, "127.0.0.1");
    EXPECT_EQ(o->server.port, 0);
    EXPECT_EQ(o->population.users, 5u);
    EXPECT_EQ(o->population.records, 50000u);
    EXPECT_EQ(o->population.seed, 9u);
    EXPECT_EQ(o->device.comm_key, 12345u);
    EXPECT_EQ(o->device.serial_number, "RCSIM00000009");
    EXPECT_EQ(o->export_file, "/tmp/x.jsonl");
    EXPECT_FALSE(o->device.attendance_format.has_value());
    EXPECT_FALSE(o->server.udp_only);
}

TEST(SimCli, KnobsAndFaults) {
    const auto o = ParseZkArguments({"--serial",
                                     "SN1",
                                     "--record-format",
                                     "49",
                                     "--user-format",
                                     "28",
                                     "--event-bytes",
                                     "14",
                                     "--udp-only",
                                     "--live-punch-interval-ms",
                                     "250",
                                     "--udp-burst",
                                     "4",
                                     "--tcp-transfer-pause-ms",
                                     "0",
                                     "--slow-buffer-ms",
                                     "3000",
                                     "--no-buffered-read",
                                     "--short-free-sizes",
                                     "--late-ack-ms",
                                     "100",
                                     "--drop-udp-every",
                                     "7",
                                     "--ignore-disable",
                                     "--corrupt-timestamps",
                                     "3",
                                     "--reset-on-second-client",
                                     "--clock-drift-seconds",
                                     "-600",
                                     "--direct-small-datasets",
                                     "--withhold-records",
                                     "100",
                                     "--legacy-bare-data",
                                     "--legacy-one-frame",
                                     "--bad-checksums",
                                     "--refuse-user-read"});
    ASSERT_TRUE(o.ok()) << o.error().message;
    EXPECT_EQ(o->device.serial_number, "SN1");
    EXPECT_EQ(o->device.attendance_format, zk::AttendanceFormat::kExtended49);
    EXPECT_EQ(o->device.user_format, zk::UserFormat::kCompact28);
    EXPECT_EQ(o->device.event_layout, zk::AttendanceEventLayout::kShort14);
    EXPECT_TRUE(o->server.udp_only);
    EXPECT_EQ(o->server.live_punch_interval, std::chrono::milliseconds(250));
    EXPECT_EQ(o->device.pacing.udp_burst, 4u);
    EXPECT_EQ(o->device.pacing.tcp_transfer_pause, std::chrono::milliseconds(0));
    EXPECT_EQ(o->device.pacing.tcp_prepare_pause, std::chrono::milliseconds(10));
    const ZkFaults& f = o->device.faults;
    EXPECT_EQ(f.slow_buffer, std::chrono::milliseconds(3000));
    EXPECT_TRUE(f.no_buffered_read);
    EXPECT_TRUE(f.short_free_sizes);
    EXPECT_EQ(f.late_ack, std::chrono::milliseconds(100));
    EXPECT_EQ(f.drop_udp_every, 7u);
    EXPECT_TRUE(f.ignore_disable);
    EXPECT_EQ(o->population.corrupt_timestamps, 3u);
    EXPECT_TRUE(f.reset_on_second_client);
    EXPECT_EQ(f.clock_drift_seconds, -600);
    EXPECT_TRUE(f.direct_small_datasets);
    EXPECT_EQ(f.withhold_records, 100u);
    EXPECT_TRUE(f.legacy_bare_data);
    EXPECT_TRUE(f.legacy_one_frame);
    EXPECT_TRUE(f.bad_checksums);
    EXPECT_TRUE(f.refuse_user_read);
}

TEST(SimCli, RefusesWhatCannotBeSimulated) {
    EXPECT_FALSE(ParseZkArguments({"--record-format", "32"}).ok());
    EXPECT_FALSE(ParseZkArguments({"--user-format", "40"}).ok());
    EXPECT_FALSE(ParseZkArguments({"--event-bytes", "11"}).ok());
    EXPECT_FALSE(ParseZkArguments({"--records", "100001"}).ok());
    EXPECT_FALSE(ParseZkArguments({"--listen", "4370"}).ok());
    EXPECT_FALSE(ParseZkArguments({"--listen", "127.0.0.1:70000"}).ok());
    EXPECT_FALSE(ParseZkArguments({"--slow-buffer-ms", "-1"}).ok());
    EXPECT_FALSE(ParseZkArguments({"--no-such-flag"}).ok());
}

TEST(SimCli, ListenAcceptsBracketedIpv6) {
    ZkServerOptions server;
    ASSERT_TRUE(ParseListen("[::1]:4370", server).ok());
    EXPECT_EQ(server.host, "::1");
    EXPECT_EQ(server.port, 4370);
}

}  // namespace
}  // namespace rollcall::sim
