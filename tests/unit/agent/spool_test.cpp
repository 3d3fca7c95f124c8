// The agent's spool: what was read survives restarts and crashes, each record once, acknowledged in order.

#include "agent/spool.hpp"

#include "support/temp_dir.hpp"

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>

#include <gtest/gtest.h>

#include <fcntl.h>
#include <linux/fiemap.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace rollcall::agent {
namespace {

SpoolRecord Rec(const std::string& user, const std::string& ts) {
    return SpoolRecord{user, *core::ParseLocalDateTime(ts), 0, 1};
}

/// Whether the kernel still holds some of the file's data only in memory (the page cache), not on the disk: what a
/// power cut would lose. SIGKILL keeps the page cache, so only the kernel can say. Asked with cachestat (Linux 6.5:
/// pages dirty or under writeback); on older kernels with FIEMAP, whether an extent still waits for its blocks
/// (delayed allocation, ext4/xfs/btrfs), which shows for a file's first write. nullopt when neither can say.
std::optional<bool> HeldOnlyInMemory(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return std::nullopt;
    }
    struct CachestatRange {  // <linux/mman.h> of Linux 6.5; Debian 12's headers predate it
        std::uint64_t off = 0;
        std::uint64_t len = 0;  // to the end of the file
    } range;
    struct Cachestat {
        std::uint64_t nr_cache, nr_dirty, nr_writeback, nr_evicted, nr_recently_evicted;
    } stat{};
    constexpr long kCachestat = 451;  // the same number on every architecture
    std::optional<bool> answer;
    if (::syscall(kCachestat, fd, &range, &stat, 0) == 0) {
        answer = stat.nr_dirty + stat.nr_writeback > 0;
    } else if (errno == ENOSYS) {
        constexpr unsigned kExtents = 32;
        const auto size = sizeof(fiemap) + kExtents * sizeof(fiemap_extent);
        const std::unique_ptr<fiemap, decltype(&std::free)> map(static_cast<fiemap*>(std::calloc(1, size)), &std::free);
        map->fm_length = FIEMAP_MAX_OFFSET;
        map->fm_extent_count = kExtents;
        if (::ioctl(fd, FS_IOC_FIEMAP, map.get()) == 0) {
            answer = false;
            for (unsigned i = 0; i < map->fm_mapped_extents; ++i) {
                answer = *answer || (map->fm_extents[i].fe_flags & FIEMAP_EXTENT_DELALLOC) != 0;
            }
        }
    }
    ::close(fd);
    return answer;
}

::testing::AssertionResult OnTheDisk(const std::string& path) {
    const auto in_memory = HeldOnlyInMemory(path);
    if (!in_memory) {
        return ::testing::AssertionFailure()
               << "the kernel cannot say whether " << path << " is on the disk (needs cachestat, Linux 6.5, or FIEMAP)";
    }
    if (*in_memory) {
        return ::testing::AssertionFailure() << path << " is still only in the page cache: not synced";
    }
    return ::testing::AssertionSuccess();
}

TEST(Spool, RecordsAreAppendedOnceAndSurviveReopening) {
    test::TempDir dir;
    {
        auto spool = Spool::Open(dir.path(), 7);
        ASSERT_TRUE(spool);
        EXPECT_EQ(*spool->Append({Rec("1", "2026-03-12 07:40:00"), Rec("2", "2026-03-12 07:41:00")}), 2U);
        // The terminal's whole log is read each time: what is spooled already is not added again.
        EXPECT_EQ(*spool->Append({Rec("1", "2026-03-12 07:40:00"), Rec("3", "2026-03-12 07:42:00")}), 1U);
        ASSERT_TRUE(spool->Acknowledge(2));
    }
    auto spool = Spool::Open(dir.path(), 7);
    ASSERT_TRUE(spool);
    EXPECT_EQ(spool->size(), 3U);
    EXPECT_EQ(spool->acknowledged(), 2U);
    ASSERT_EQ(spool->Pending().size(), 1U);
    EXPECT_EQ(spool->Pending()[0], Rec("3", "2026-03-12 07:42:00"));
    EXPECT_EQ(*spool->Append({Rec("1", "2026-03-12 07:40:00")}), 0U) << "known after a restart too";
}

TEST(Spool, ATornLastLineFromACrashIsDroppedAndTheRestKept) {
    test::TempDir dir;
    {
        auto spool = Spool::Open(dir.path(), 1);
        ASSERT_TRUE(spool->Append({Rec("1", "2026-03-12 07:40:00")}));
    }
    const auto path = (std::filesystem::path(dir.path()) / "device-1.jsonl").string();
    {
        std::ofstream out(path, std::ios::app | std::ios::binary);
        out << R"({"user_id":"2","timestamp":"2026-03-)";  // the power went off mid-write
    }
    auto spool = Spool::Open(dir.path(), 1);
    ASSERT_TRUE(spool);
    EXPECT_EQ(spool->size(), 1U);
    // The torn record is read again from the terminal and appended cleanly.
    EXPECT_EQ(*spool->Append({Rec("2", "2026-03-12 07:41:00")}), 1U);
    auto again = Spool::Open(dir.path(), 1);
    EXPECT_EQ(again->size(), 2U);
}

// Spooled before anything else, so a power cut after the read loses nothing: every write is synced before it returns.
TEST(Spool, WhatAppendAddedIsOnTheDiskWhenItReturns) {
    test::TempDir dir;
    auto spool = Spool::Open(dir.path(), 3);
    ASSERT_TRUE(spool);
    const auto log = (std::filesystem::path(dir.path()) / "device-3.jsonl").string();
    ASSERT_EQ(*spool->Append({Rec("1", "2026-03-12 07:40:00"), Rec("2", "2026-03-12 07:41:00")}), 2U);
    EXPECT_TRUE(OnTheDisk(log));
    ASSERT_EQ(*spool->Append({Rec("3", "2026-03-12 07:42:00")}), 1U);
    EXPECT_TRUE(OnTheDisk(log));
}

TEST(Spool, TheAcknowledgedCountIsOnTheDiskWhenAcknowledgeReturns) {
    test::TempDir dir;
    auto spool = Spool::Open(dir.path(), 4);
    ASSERT_TRUE(spool->Append({Rec("1", "2026-03-12 07:40:00"), Rec("2", "2026-03-12 07:41:00")}));
    ASSERT_TRUE(spool->Acknowledge(1));
    EXPECT_TRUE(OnTheDisk((std::filesystem::path(dir.path()) / "device-4.ack").string()));
}

TEST(Spool, DevicesHaveTheirOwnSpools) {
    test::TempDir dir;
    auto a = Spool::Open(dir.path(), 1);
    auto b = Spool::Open(dir.path(), 2);
    ASSERT_TRUE(a->Append({Rec("1", "2026-03-12 07:40:00")}));
    EXPECT_EQ(*b->Append({Rec("1", "2026-03-12 07:40:00")}), 1U);
    EXPECT_EQ(Spool::Open(dir.path(), 2)->Pending().size(), 1U);
}

TEST(Spool, AcknowledgingMoreThanThereIsStopsAtTheEnd) {
    test::TempDir dir;
    auto spool = Spool::Open(dir.path(), 1);
    ASSERT_TRUE(spool->Append({Rec("1", "2026-03-12 07:40:00")}));
    ASSERT_TRUE(spool->Acknowledge(5));
    EXPECT_EQ(spool->acknowledged(), 1U);
    EXPECT_TRUE(spool->Pending().empty());
}

TEST(DeviceList, IsKeptBesideTheSpoolAndReplacedWhole) {
    test::TempDir dir;
    const auto spool_dir = dir.path() + "/not-yet-made";
    auto nothing = LoadDeviceList(spool_dir);
    ASSERT_FALSE(nothing);
    EXPECT_EQ(nothing.error().code, core::Errc::kNotFound);
    ASSERT_TRUE(SaveDeviceList(spool_dir, R"({"items":[{"id":1}]})"));
    EXPECT_TRUE(OnTheDisk(spool_dir + "/devices.json"));
    ASSERT_TRUE(SaveDeviceList(spool_dir, R"({"items":[]})"));
    EXPECT_EQ(*LoadDeviceList(spool_dir), R"({"items":[]})");
    EXPECT_FALSE(std::filesystem::exists(spool_dir + "/devices.json.tmp")) << "replaced by a rename";
}

/// The permission bits of a file or directory, as `ls -l` shows them in octal.
unsigned Mode(const std::string& path) {
    struct stat st {};
    EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
    return st.st_mode & 07777U;
}

/// Sets the process's umask for the test's duration: with 000 every file would be open to all unless the spool
/// narrows it itself.
class Umask {
public:
    explicit Umask(mode_t mask) : old_(::umask(mask)) {}
    ~Umask() { ::umask(old_); }
    Umask(const Umask&) = delete;
    Umask& operator=(const Umask&) = delete;

private:
    mode_t old_;
};

// The spool holds the terminals' comm keys (devices.json) and who punched when: nobody but the agent's user may
// read it, even under a umask that would let everyone.
TEST(Spool, OnlyTheAgentsUserCanReadTheSpoolBecauseItHoldsCommKeys) {
    test::TempDir dir;
    const auto spool_dir = dir.path() + "/spool";
    const Umask open_to_all(0);
    auto spool = Spool::Open(spool_dir, 5);
    ASSERT_TRUE(spool);
    ASSERT_TRUE(spool->Append({Rec("1", "2026-03-12 07:40:00")}));
    ASSERT_TRUE(spool->Acknowledge(1));
    ASSERT_TRUE(SaveDeviceList(spool_dir, R"({"items":[{"id":5,"comm_key":"12345"}]})"));
    EXPECT_EQ(Mode(spool_dir), 0700U);
    EXPECT_EQ(Mode(spool_dir + "/device-5.jsonl"), 0600U);
    EXPECT_EQ(Mode(spool_dir + "/device-5.ack"), 0600U);
    EXPECT_EQ(Mode(spool_dir + "/devices.json"), 0600U);
}

TEST(Spool, AFileAnOlderAgentLeftOpenToOthersIsNarrowedAtTheNextWrite) {
    test::TempDir dir;
    const auto log = dir.path() + "/device-6.jsonl";
    {
        std::ofstream out(log);
        out << R"({"user_id":"1","timestamp":"2026-03-12 07:40:00","status":0,"verify":1})"
            << "\n";
    }
    std::filesystem::permissions(log,
                                 std::filesystem::perms::owner_read | std::filesystem::perms::owner_write |
                                     std::filesystem::perms::group_read | std::filesystem::perms::others_read);
    auto spool = Spool::Open(dir.path(), 6);
    ASSERT_TRUE(spool);
    EXPECT_EQ(spool->size(), 1U);
    ASSERT_TRUE(spool->Append({Rec("2", "2026-03-12 07:41:00")}));
    EXPECT_EQ(Mode(log), 0600U);
}

}  // namespace
}  // namespace rollcall::agent
