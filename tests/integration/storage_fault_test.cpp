// A real storage failure (another SQLite connection moves a table away under the running server) is a 500 whose
// answer says nothing about the inside: no SQL, no table, no file. The server keeps serving everything else.

#include "storage/sqlite/sqlite_db.hpp"
#include "support/test_server.hpp"

#include <csignal>
#include <filesystem>

#include <gtest/gtest.h>

#include <sys/resource.h>

namespace rollcall::test {
namespace {

namespace json = boost::json;

TEST(StorageFault, AFailingQueryIs500WithAGenericAnswerAndTheServerKeepsServing) {
    TestServer server;
    const auto school = MakeSchool(server);
    HttpClient http(server.port());
    const auto path = "/api/v1/schools/" + std::to_string(school.school_id);
    ASSERT_EQ(
        http.Post(path + "/holidays", json::object{{"date", "2026-04-03"}, {"name", "Good Friday"}}, school.admin_token)
            .status,
        201);

    storage::sqlite::Db other((std::filesystem::path(server.data_dir()) / "rollcall.db").string(), false);
    other.Exec("ALTER TABLE holidays RENAME TO holidays_moved_away");

    const auto read = http.Get(path + "/holidays", school.admin_token);
    const auto write =
        http.Post(path + "/holidays", json::object{{"date", "2026-05-01"}, {"name", "Labour Day"}}, school.admin_token);
    for (const auto& r : {read, write}) {
        EXPECT_EQ(r.status, 500) << r.body;
        EXPECT_EQ(r.body, R"({"error":{"code":"internal","message":"internal error"}})");
        EXPECT_EQ(r.headers.count("retry-after"), 0U);
        const std::vector<std::string> inside_words{
            "holiday", "sqlite", "SQLITE", "table", "storage", "SELECT", "INSERT", server.data_dir()};
        for (const auto& inside : inside_words) {
            EXPECT_EQ(r.body.find(inside), std::string::npos) << "the answer tells '" << inside << "': " << r.body;
        }
    }

    // Everything that does not need the table still works, on the same connection.
    EXPECT_EQ(http.Get("/healthz").status, 200);
    EXPECT_EQ(http.Get(path + "/people", school.admin_token).status, 200);
    EXPECT_EQ(
        http.Post(path + "/people", json::object{{"name", "Amina"}, {"kind", "student"}}, school.admin_token).status,
        201);
    const auto push = http.Post(
        "/api/v1/biometric/push-log",
        json::object{{"logs", json::array{json::object{{"user_id", "1"}, {"timestamp", "2026-03-12 07:58:00"}}}}},
        school.device_token);
    EXPECT_EQ(push.status, 200) << push.body;
    const auto metrics = http.Get("/metrics").body;
    EXPECT_NE(
        metrics.find(R"(rollcall_http_requests_total{route="/api/v1/schools/{school_id}/holidays",status="500"} 2)"),
        std::string::npos)
        << metrics;

    // Once the table is back, so is the route, with the row written before the fault and none from during it.
    other.Exec("ALTER TABLE holidays_moved_away RENAME TO holidays");
    const auto again = http.Get(path + "/holidays", school.admin_token);
    ASSERT_EQ(again.status, 200) << again.body;
    const auto items = again.Json().at("items").as_array();
    ASSERT_EQ(items.size(), 1U);
    EXPECT_EQ(items[0].at("name").as_string(), "Good Friday");
}

/// The disk fills up, for this process: no file may be written past its first byte (RLIMIT_FSIZE), so every
/// write of the database fails as on a full disk, while reads go on. Undone when it goes out of scope.
class FullDisk {
public:
    FullDisk() {
        previous_signal_ = std::signal(SIGXFSZ, SIG_IGN);  // a refused write is an error, not the end of the process
        getrlimit(RLIMIT_FSIZE, &previous_);
        rlimit full = previous_;
        full.rlim_cur = 1;
        EXPECT_EQ(setrlimit(RLIMIT_FSIZE, &full), 0);
    }
    ~FullDisk() { Free(); }
    FullDisk(const FullDisk&) = delete;
    FullDisk& operator=(const FullDisk&) = delete;
    void Free() {
        if (!freed_) {
            setrlimit(RLIMIT_FSIZE, &previous_);
            std::signal(SIGXFSZ, previous_signal_);
            freed_ = true;
        }
    }

private:
    rlimit previous_{};
    void (*previous_signal_)(int) = nullptr;
    bool freed_ = false;
};

TEST(StorageFault, AFullDiskTurnsHealthRedAndPushesAreRetriedUntilItIsFreed) {
    TestServer server;
    const auto school = MakeSchool(server);
    HttpClient http(server.port());
    const auto push = [&](const std::string& user) {
        return http.Post(
            "/api/v1/biometric/push-log", PushLogBody({{user, "2026-03-12 07:58:00"}}), school.device_token);
    };
    ASSERT_EQ(push("1").status, 200);
    ASSERT_EQ(http.Get("/healthz").Json().at("status").as_string(), "ok");

    FullDisk disk;
    const auto refused = push("2");
    EXPECT_EQ(refused.status, 503) << refused.body << ": the gate keeps the punch and sends it again";
    const auto health = http.Get("/healthz");
    EXPECT_EQ(health.status, 503) << health.body;
    EXPECT_EQ(health.Json().at("database").as_string(), "not writable") << health.body;
    EXPECT_FALSE(health.Json().at("problem").as_string().empty()) << health.body;
    const auto ready = http.Get("/readyz");
    EXPECT_EQ(ready.status, 503) << ready.body;
    EXPECT_NE(ready.body.find("not writable"), std::string::npos) << ready.body;
    EXPECT_EQ(http.Get(SchoolPath(school, "/people"), school.admin_token).status, 200) << "reading goes on";

    disk.Free();
    EXPECT_EQ(push("2").status, 200) << "the same punch, sent again, is kept";
    EXPECT_EQ(http.Get("/healthz").status, 200);
    EXPECT_EQ(http.Get("/readyz").status, 200);
    const auto punches = server.app().services().devices.DevicePunches(school.school_id, school.device_id, 10);
    ASSERT_TRUE(static_cast<bool>(punches));
    EXPECT_EQ(punches->size(), 2U);
}

TEST(StorageFault, AQueryThatFailsForItsOwnReasonsLeavesTheServerHealthy) {
    TestServer server;
    const auto school = MakeSchool(server);
    HttpClient http(server.port());
    storage::sqlite::Db other((std::filesystem::path(server.data_dir()) / "rollcall.db").string(), false);
    other.Exec("ALTER TABLE holidays RENAME TO holidays_moved_away");
    const auto write = http.Post(SchoolPath(school, "/holidays"),
                                 json::object{{"date", "2026-05-01"}, {"name", "Labour Day"}},
                                 school.admin_token);
    ASSERT_EQ(write.status, 500) << write.body;
    EXPECT_EQ(http.Get("/healthz").status, 200) << "a missing table says nothing about the disk";
    EXPECT_EQ(http.Get("/readyz").status, 200);
}

}  // namespace
}  // namespace rollcall::test
