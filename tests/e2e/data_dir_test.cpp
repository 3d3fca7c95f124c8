// The data directory as a school's IT person meets it: `rollcall init` or the first `rollcall serve` creates
// the database; a command pointed at the wrong directory says so instead of creating an empty second
// database; and a second server on the same directory refuses, naming the first.

#include "support/child_process.hpp"
#include "support/exit_status.hpp"
#include "support/temp_dir.hpp"

#include <filesystem>
#include <string>

#include <boost/json.hpp>
#include <gtest/gtest.h>

namespace rollcall::test {
namespace {

namespace fs = std::filesystem;

CommandResult Rollcall(std::vector<std::string> args, const std::string& data_dir, const std::string& input = "") {
    args.insert(args.begin(), ROLLCALL_BINARY);
    args.emplace_back("--data-dir");
    args.emplace_back(data_dir);
    return RunCommand(args, input);
}

TEST(DataDir, ACommandPointedAtAMistypedDirectoryRefusesAndCreatesNothing) {
    TempDir dir;
    const auto typo = (fs::path(dir.path()) / "vra").string();
    const auto r = Rollcall({"school", "create", "--name", "Hill School", "--timezone", "Africa/Nairobi"}, typo);
    EXPECT_TRUE(Exited(r, 1)) << r.out << r.err;
    EXPECT_NE(r.err.find("no database at " + typo + "/rollcall.db"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("--data-dir"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("rollcall init"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(typo)) << "no empty database, no secret key, not even the directory";
}

TEST(DataDir, InitCreatesTheDatabaseOnceAndTheCommandsThenWork) {
    TempDir dir;
    const auto data = (fs::path(dir.path()) / "var").string();
    const auto first = Rollcall({"init"}, data);
    ASSERT_TRUE(Exited(first, 0)) << first.err;
    EXPECT_NE(first.out.find("Created a new database at " + data + "/rollcall.db"), std::string::npos) << first.out;
    const auto school = Rollcall({"school", "create", "--name", "Hill School", "--timezone", "Africa/Nairobi"}, data);
    ASSERT_TRUE(Exited(school, 0)) << school.err;
    const auto again = Rollcall({"init"}, data);
    ASSERT_TRUE(Exited(again, 0)) << again.err;
    EXPECT_NE(again.out.find("already exists; nothing changed"), std::string::npos) << again.out;
    const auto second = Rollcall({"school", "create", "--name", "Vale School", "--timezone", "UTC"}, data);
    ASSERT_TRUE(Exited(second, 0)) << second.err;
    EXPECT_EQ(boost::json::parse(second.out).at("id").as_int64(), 2) << "init kept the first school";
}

fs::perms ModeOf(const fs::path& path) {
    return fs::status(path).permissions() & fs::perms::mask;
}

TEST(DataDir, TheDataDirectoryAndItsSecretsAreTheServiceAccountsAlone) {
    TempDir dir;
    const auto data = fs::path(dir.path()) / "var";
    const auto init = Rollcall({"init"}, data.string());
    ASSERT_TRUE(Exited(init, 0)) << init.err;
    const auto owner_rw = fs::perms::owner_read | fs::perms::owner_write;
    EXPECT_EQ(ModeOf(data), fs::perms::owner_all);
    EXPECT_EQ(ModeOf(data / "rollcall.db"), owner_rw) << "it holds password and token hashes";
    EXPECT_EQ(ModeOf(data / "secret.key"), owner_rw);

    // An installation from before, whose database others could read, is closed up when the server starts; the
    // files SQLite makes beside it while serving are the owner's only too.
    fs::permissions(data / "rollcall.db", owner_rw | fs::perms::group_read | fs::perms::others_read);
    ServerProcess server(ROLLCALL_BINARY, {"--data-dir", data.string(), "--set", "log.level=warn"});
    EXPECT_EQ(ModeOf(data / "rollcall.db"), owner_rw);
    ASSERT_TRUE(fs::exists(data / "rollcall.db-wal"));
    EXPECT_EQ(ModeOf(data / "rollcall.db-wal"), owner_rw);
    EXPECT_EQ(ModeOf(data / "rollcall.db-shm"), owner_rw);
}

TEST(DataDir, ADataDirectoryOthersCanReadIsNamedOnStderrAndTheCommandsJsonStaysClean) {
    TempDir dir;
    const auto data = fs::path(dir.path()) / "var";
    fs::create_directory(data);
    fs::permissions(data,
                    fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec | fs::perms::others_read |
                        fs::perms::others_exec);
    ASSERT_TRUE(Exited(Rollcall({"init"}, data.string()), 0));
    const auto r =
        Rollcall({"school", "create", "--name", "Hill School", "--timezone", "Africa/Nairobi"}, data.string());
    ASSERT_TRUE(Exited(r, 0)) << r.err;
    EXPECT_EQ(boost::json::parse(r.out).at("name").as_string(), "Hill School") << "stdout: " << r.out;
    EXPECT_NE(r.err.find("chmod 700"), std::string::npos) << r.err;
}

TEST(DataDir, ASecondServerOnTheSameDirectoryRefusesAndNamesTheFirstsPid) {
    TempDir dir;
    ServerProcess first(ROLLCALL_BINARY, {"--data-dir", dir.path(), "--set", "log.level=warn"});
    const auto second = RunCommand(
        {ROLLCALL_BINARY, "serve", "--listen", "127.0.0.1:0", "--data-dir", dir.path(), "--set", "log.level=warn"});
    EXPECT_TRUE(Exited(second, 1)) << second.out << second.err;
    EXPECT_NE(second.err.find("pid " + std::to_string(first.pid())), std::string::npos) << second.err;
    // The first server goes on working, and once it has stopped the directory can be served again.
    EXPECT_TRUE(Exited(first.Stop(), 0));
    ServerProcess after(ROLLCALL_BINARY, {"--data-dir", dir.path(), "--set", "log.level=warn"});
    EXPECT_GT(after.port(), 0);
    EXPECT_TRUE(Exited(after.Stop(), 0));
}

TEST(DataDir, APortInUseSaysWhichAddressAndHowToChooseAnother) {
    TempDir dir;
    ServerProcess first(ROLLCALL_BINARY, {"--data-dir", dir.path(), "--set", "log.level=warn"});
    TempDir other;
    const auto taken = "127.0.0.1:" + std::to_string(first.port());
    const auto second = RunCommand(
        {ROLLCALL_BINARY, "serve", "--listen", taken, "--data-dir", other.path(), "--set", "log.level=warn"});
    EXPECT_TRUE(Exited(second, 1)) << second.out << second.err;
    EXPECT_NE(second.err.find("cannot listen on " + taken + ": the port is already in use"), std::string::npos)
        << second.err;
    EXPECT_NE(second.err.find("--listen"), std::string::npos) << second.err;
    EXPECT_TRUE(Exited(first.Stop(), 0));
}

}  // namespace
}  // namespace rollcall::test
