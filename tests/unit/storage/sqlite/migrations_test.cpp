// The schema's migrations against real SQLite files: what an older database holds survives each one.

#include "storage/sqlite/migrations.hpp"

#include "storage/sqlite/sqlite_db.hpp"
#include "storage/sqlite/table.hpp"
#include "storage/sqlite/tables.hpp"
#include "storage/sqlite/webhook_sql.hpp"
#include "support/temp_dir.hpp"

#include <filesystem>

#include <gtest/gtest.h>

namespace rollcall::storage::sqlite {
namespace {

class MigrationsTest : public ::testing::Test {
protected:
    test::TempDir dir_;
    Db db_{(std::filesystem::path(dir_.path()) / "t.db").string(), false};

    /// The server's writer connection migrates with these (foreign keys on).
    void SetUp() override {
        for (const auto pragma : kWriterPragmas) {
            db_.Exec(pragma);
        }
    }

    std::int64_t Webhook(std::int64_t school_id) {
        return InsertWebhook(db_, storage::Webhook{0, school_id, "https://sms.example.org/hook", {}, {1, 2}, true, 0});
    }
    std::int64_t Delivery(std::int64_t school_id, std::int64_t webhook_id, std::int64_t person_id) {
        Stmt(db_,
             "INSERT INTO webhook_deliveries(school_id, webhook_id, event, person_id, date, payload, state, attempts, "
             "next_attempt_at, last_status, last_error, created_at) VALUES(?, ?, 'arrival', ?, 0, '{}', 'pending', 0, "
             "0, 0, '', 0)")
            .Bind(1, school_id)
            .Bind(2, webhook_id)
            .Bind(3, person_id)
            .Exec();
        return db_.LastInsertId();
    }
    std::int64_t Count(const std::string& sql) {
        Stmt s(db_, sql);
        return s.Step() ? s.Int(0) : -1;
    }
};

// Issue 12, item 12: SQLite hands the highest rowid out again once its row is deleted, so a deleted webhook's id
// named the next school's new webhook (which inherited its backoff). No webhook or delivery id comes back.
TEST_F(MigrationsTest, AWebhookOrDeliveryIdIsNeverHandedOutAgainAfterADelete) {
    Migrate(db_);
    const auto hill = Insert(db_, School{0, "Hill School", "UTC", 0});
    const auto lake = Insert(db_, School{0, "Lake School", "UTC", 0});
    const auto first = Webhook(hill);
    const auto second = Webhook(hill);
    const auto delivery = Delivery(hill, second, 7);
    ASSERT_TRUE(RemoveWebhook(db_, hill, second));
    EXPECT_EQ(Count("SELECT count(*) FROM webhook_deliveries"), 0) << "the delivery log goes with its webhook";
    const auto third = Webhook(lake);
    EXPECT_GT(third, second);
    EXPECT_GT(Delivery(lake, third, 7), delivery);
    EXPECT_NE(first, third);
}

// An older database (schema 13) keeps its webhooks and deliveries with their ids, its delivery log still goes with
// a deleted webhook, and an id its audit trail names (a webhook deleted before the upgrade) is not handed out either.
TEST_F(MigrationsTest, AnOlderDatabaseKeepsItsWebhooksAndNeverReusesAnIdItsTrailRemembers) {
    MigrateTo(db_, 13);
    db_.Exec(R"sql(
INSERT INTO schools(id, name, timezone, created_at) VALUES(1, 'Hill School', 'UTC', 0);
INSERT INTO webhooks(id, school_id, url, events, secret_encrypted, active, created_at) VALUES
    (1, 1, 'https://a.example.org/hook', '', x'01', 1, 0),
    (2, 1, 'https://b.example.org/hook', 'late', x'02', 1, 0);
INSERT INTO audit_log(school_id, user_id, at, action, entity, entity_id, old_value, new_value, reason) VALUES
    (1, 4, 10, 'create', 'webhook', 3, '', '{}', ''),
    (1, 4, 20, 'delete', 'webhook', 3, '{}', '', '');
)sql");
    Delivery(1, 1, 7);
    Delivery(1, 2, 7);
    Delivery(1, 2, 8);
    Migrate(db_);

    const auto kept = SelectWebhooks(db_, 1, std::nullopt);
    ASSERT_EQ(kept.size(), 2U);
    EXPECT_EQ(kept[1].id, 2);
    EXPECT_EQ(kept[1].url, "https://b.example.org/hook");
    EXPECT_EQ(kept[1].events, std::vector<std::string>{"late"});
    EXPECT_EQ(SelectDeliveries(db_, 1, 2, 10).size(), 2U);
    EXPECT_EQ(Webhook(1), 4) << "3 was a webhook once";
    EXPECT_EQ(Delivery(1, 1, 8), 4);
    ASSERT_TRUE(RemoveWebhook(db_, 1, 2));
    EXPECT_EQ(SelectDeliveries(db_, 1, std::nullopt, 10).size(), 2U) << "webhook 2's deliveries went with it";
    EXPECT_EQ(Count("SELECT count(*) FROM pragma_foreign_key_check"), 0);
    EXPECT_EQ(Count("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name IN ('webhooks_school', "
                    "'webhook_deliveries_due', 'webhook_deliveries_school')"),
              3);
}

}  // namespace
}  // namespace rollcall::storage::sqlite
