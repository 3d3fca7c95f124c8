#include "sim/zk_export.hpp"

#include "protocol/zk/time_codec.hpp"
#include "sim/zk_names.hpp"
#include "support/temp_dir.hpp"

#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

namespace rollcall::sim {
namespace {

TEST(ZkExport, RecordsAreJsonLinesWithNaiveTimestamps) {
    const std::vector<zk::AttendanceRecord> records{{.uid = 3,
                                                     .user_id = "1003",
                                                     .packed_time = *zk::EncodePackedTime({2026, 3, 2, 7, 5, 9}),
                                                     .verify = 15,
                                                     .state = 1}};
    EXPECT_EQ(RecordsAsJsonLines(records),
              "{\"user_id\":\"1003\",\"timestamp\":\"2026-03-02 07:05:09\",\"status\":1,\"verify\":15}\n");
}

TEST(ZkExport, CorruptTimeIsNullWithTheRawValue) {
    const std::vector<zk::AttendanceRecord> records{{.uid = 0, .user_id = "1001"}};
    EXPECT_EQ(RecordsAsJsonLines(records),
              "{\"user_id\":\"1001\",\"timestamp\":null,\"packed_time\":0,\"status\":0,\"verify\":0}\n");
}

TEST(ZkExport, UsersEscapeWhatJsonCannotCarry) {
    const std::vector<zk::User> users{{.uid = 9,
                                       .privilege = 14,
                                       .password = "",
                                       .name = "A \"B\"\x01\xe9",
                                       .card = 77,
                                       .group = 0,
                                       .group_id = "",
                                       .time_zone = 0,
                                       .user_id = "42"}};
    EXPECT_EQ(UsersAsJsonLines(users),
              "{\"uid\":9,\"user_id\":\"42\",\"name\":\"A \\\"B\\\"\\u0001\\u00e9\",\"privilege\":14,\"card\":77}\n");
}

TEST(ZkExport, FileIsReplacedWhole) {
    test::TempDir dir;
    const std::string path = dir.path() + "/records.jsonl";
    ASSERT_TRUE(WriteFileAtomically(path, "first\n").ok());
    ASSERT_TRUE(WriteFileAtomically(path, "second\n").ok());
    std::ifstream in(path);
    std::stringstream content;
    content << in.rdbuf();
    EXPECT_EQ(content.str(), "second\n");
    EXPECT_FALSE(WriteFileAtomically(dir.path() + "/missing/x.jsonl", "x").ok());
}

}  // namespace
}  // namespace rollcall::sim
