// A real storage failure (another SQLite connection moves a table away under the running server) is a 500 whose
// answer says nothing about the inside: no SQL, no table, no file. The server keeps serving everything else.

#include "storage/sqlite/sqlite_db.hpp"
#include "support/test_server.hpp"

#include <filesystem>

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace rollcall::test
