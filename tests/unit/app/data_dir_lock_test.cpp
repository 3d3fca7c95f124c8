#include "app/data_dir_lock.hpp"

#include "support/temp_dir.hpp"

#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>

#include <gtest/gtest.h>

#include <unistd.h>

namespace rollcall::app {
namespace {

std::string RefusalOf(const std::string& database) {
    try {
        DataDirLock lock(database);
    } catch (const std::runtime_error& e) {
        return e.what();
    }
    return "";
}

TEST(DataDirLock, WhileOneServerHoldsTheDatabaseAnotherIsRefusedWithItsPid) {
    test::TempDir dir;
    const auto database = (std::filesystem::path(dir.path()) / "rollcall.db").string();
    DataDirLock held(database);
    const auto refusal = RefusalOf(database);
    EXPECT_NE(refusal.find("pid " + std::to_string(getpid())), std::string::npos) << refusal;
    EXPECT_NE(refusal.find(database), std::string::npos) << refusal;
    EXPECT_NE(refusal.find("--data-dir"), std::string::npos) << refusal;
}

TEST(DataDirLock, TheLockGoesWithItsHolderAndTheFileLeftBehindDoesNotBlockTheNextServer) {
    test::TempDir dir;
    const auto database = (std::filesystem::path(dir.path()) / "rollcall.db").string();
    auto first = std::make_unique<DataDirLock>(database);
    first.reset();
    EXPECT_TRUE(std::filesystem::exists(database + ".lock"));
    EXPECT_EQ(RefusalOf(database), "");
}

TEST(DataDirLock, TwoDatabasesInOneDirectoryDoNotBlockEachOther) {
    test::TempDir dir;
    DataDirLock a((std::filesystem::path(dir.path()) / "a.db").string());
    EXPECT_EQ(RefusalOf((std::filesystem::path(dir.path()) / "b.db").string()), "");
}

TEST(DataDirLock, ADirectoryThatCannotHoldTheLockFileIsAnErrorThatSaysWhere) {
    const auto refusal = RefusalOf("/nonexistent-rollcall-dir/rollcall.db");
    EXPECT_NE(refusal.find("/nonexistent-rollcall-dir/rollcall.db.lock"), std::string::npos) << refusal;
}

}  // namespace
}  // namespace rollcall::app
