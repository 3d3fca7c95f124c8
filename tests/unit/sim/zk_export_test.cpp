#include "sim/zk_export.hpp"

#include "protocol/zk/time_codec.hpp"
#include "support/temp_dir.hpp"

#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

namespace rollcall::sim {
namespace {

namespace zk = protocol::zk;

TEST(ZkExport, RecordsAreJsonLinesWithNaiveTimestamps) {
    zk::AttendanceRecord r;
    r.uid = 3;
    r.user_id = "1003";
    r.packed_time = *zk::EncodePackedTime({2026, 3, 2, 7, 5, 9});
    r.verify = 15;
    r.state = 1;
    const std::vector<zk::AttendanceRecord> records{r};
    EXPECT_EQ(RecordsAsJsonLines(records),
              "{\"user_id\":\"1003\",\"timestamp\":\"2026-03-02 07:05:09\",\"status\":1,\"verify\":15}\n");
}

TEST(ZkExport, CorruptTimeIsNullWithTheRawValue) {
    zk::AttendanceRecord r;
    r.user_id = "1001";
    const std::vector<zk::AttendanceRecord> records{r};
    EXPECT_EQ(RecordsAsJsonLines(records),
              "{\"user_id\":\"1001\",\"timestamp\":null,\"packed_time\":0,\"status\":0,\"verify\":0}\n");
}

TEST(ZkExport, UsersEscapeWhatJsonCannotCarry) {
    zk::User u;
    u.uid = 9;
    u.user_id = "42";
    u.name = "A \"B\"\x01\xe9";
    u.privilege = 14;
    u.card = 77;
    const std::vector<zk::User> users{u};
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
