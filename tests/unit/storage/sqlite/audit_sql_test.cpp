#include "storage/sqlite/audit_sql.hpp"

#include "storage/sqlite/migrations.hpp"
#include "support/temp_dir.hpp"

#include <filesystem>

#include <gtest/gtest.h>

namespace rollcall::storage::sqlite {
namespace {

// The audit trail's reads (R19): a school's lines narrowed by entity, person and time, newest first.
class AuditSqlTest : public ::testing::Test {
protected:
    test::TempDir dir_;
    Db db_{(std::filesystem::path(dir_.path()) / "t.db").string(), false};
    std::int64_t school_ = 0;
    std::int64_t other_ = 0;

    void SetUp() override {
        Migrate(db_);
        school_ = Insert(db_, School{0, "Hill School", "Africa/Nairobi", 0});
        other_ = Insert(db_, School{0, "Lake School", "UTC", 0});
    }

    std::int64_t Line(std::int64_t school_id,
                      std::int64_t at,
                      const std::string& entity,
                      std::optional<std::int64_t> person_id) {
        AuditEntry a;
        a.school_id = school_id;
        a.user_id = 4;
        a.by = "head@hill.example";
        a.at = at;
        a.entity = entity;
        a.person_id = person_id;
        a.label = entity + " line";
        return Insert(db_, a);
    }

    static std::vector<std::int64_t> Ids(const std::vector<AuditEntry>& lines) {
        std::vector<std::int64_t> ids;
        ids.reserve(lines.size());
        for (const auto& l : lines) {
            ids.push_back(l.id);
        }
        return ids;
    }
};

TEST_F(AuditSqlTest, ALineKeepsWhoInWordsItsPersonAndItsLabel) {
    const auto id = Line(school_, 100, "override", 7);
    const auto lines = SelectAudit(db_, school_, AuditFilter{});
    ASSERT_EQ(lines.size(), 1U);
    EXPECT_EQ(lines[0].id, id);
    EXPECT_EQ(lines[0].by, "head@hill.example");
    EXPECT_EQ(lines[0].person_id, 7);
    EXPECT_EQ(lines[0].label, "override line");
}

TEST_F(AuditSqlTest, EachFilterNarrowsTheSchoolsLinesAndTheyCombine) {
    const auto amina_override = Line(school_, 100, "override", 7);
    const auto amina_mapping = Line(school_, 200, "mapping", 7);
    const auto brian_override = Line(school_, 300, "override", 8);
    const auto holiday = Line(school_, 400, "holiday", std::nullopt);
    Line(other_, 250, "override", 7);  // another school's line is never listed, whatever its person id

    EXPECT_EQ(Ids(SelectAudit(db_, school_, AuditFilter{})),
              (std::vector<std::int64_t>{holiday, brian_override, amina_mapping, amina_override}))
        << "newest first";

    AuditFilter amina;
    amina.person_id = 7;
    EXPECT_EQ(Ids(SelectAudit(db_, school_, amina)), (std::vector<std::int64_t>{amina_mapping, amina_override}));

    AuditFilter overrides;
    overrides.entity = "override";
    EXPECT_EQ(Ids(SelectAudit(db_, school_, overrides)), (std::vector<std::int64_t>{brian_override, amina_override}));

    AuditFilter period;
    period.from = 200;   // included
    period.until = 400;  // excluded
    EXPECT_EQ(Ids(SelectAudit(db_, school_, period)), (std::vector<std::int64_t>{brian_override, amina_mapping}));

    AuditFilter all;
    all.entity = "override";
    all.person_id = 7;
    all.from = 50;
    all.until = 150;
    EXPECT_EQ(Ids(SelectAudit(db_, school_, all)), (std::vector<std::int64_t>{amina_override}));
    all.until = 100;
    EXPECT_TRUE(SelectAudit(db_, school_, all).empty());

    EXPECT_EQ(Ids(SelectAudit(db_, school_, AuditFilter::Newest(2))),
              (std::vector<std::int64_t>{holiday, brian_override}));
}

// A trail written before lines said who in words and whom they were about still answers both: who from the
// users table (user 0 is the command line, or the sync agent where it filled a serial), the person from the
// values each line kept.
TEST_F(AuditSqlTest, LinesWrittenBeforeTheMigrationGetWhoAndTheirPerson) {
    test::TempDir dir;
    Db db{(std::filesystem::path(dir.path()) / "old.db").string(), false};
    MigrateTo(db, 12);  // the schema before lines said who in words
    db.Exec(R"sql(
INSERT INTO schools(id, name, timezone, created_at) VALUES(1, 'Hill School', 'UTC', 0);
INSERT INTO users(id, email, role, school_id, password_hash, created_at)
    VALUES(4, 'head@hill.example', 'school_admin', 1, 'x', 0);
INSERT INTO audit_log(school_id, user_id, at, action, entity, entity_id, old_value, new_value, reason) VALUES
    (1, 4, 10, 'create', 'person', 7, '', '{"name":"Amina Njeri"}', ''),
    (1, 4, 20, 'create', 'override', 3, '', '{"person_id":7,"date":"2026-03-12"}', 'dentist'),
    (1, 4, 30, 'delete', 'mapping', 5, '{"user_id":"17","person_id":7,"device_id":null}', '', ''),
    (1, 0, 40, 'create', 'device', 2, '', '{"name":"Main gate"}', ''),
    (1, 0, 50, 'update', 'device', 2, '{"name":"Old gate"}', '{"name":"Old gate"}',
        'serial number read from the terminal by the sync agent'),
    (1, 9, 60, 'create', 'holiday', 1, '', '{"date":"2026-03-20","name":"Founders'' Day"}', '');
)sql");
    Migrate(db);

    const auto lines = SelectAudit(db, 1, AuditFilter{});
    ASSERT_EQ(lines.size(), 6U);
    EXPECT_EQ(lines[5].by, "head@hill.example");
    EXPECT_EQ(lines[2].by, "command line");
    EXPECT_EQ(lines[1].by, "sync agent");
    EXPECT_EQ(lines[0].by, "user 9") << "a user no longer known is named by id";
    EXPECT_EQ(lines[0].label, "") << "labels of older lines are read from their values when listed";

    AuditFilter amina;
    amina.person_id = 7;
    const auto about = SelectAudit(db, 1, amina);
    ASSERT_EQ(about.size(), 3U);
    EXPECT_EQ(about[0].entity, "mapping");
    EXPECT_EQ(about[1].entity, "override");
    EXPECT_EQ(about[2].entity, "person");
}

}  // namespace
}  // namespace rollcall::storage::sqlite
