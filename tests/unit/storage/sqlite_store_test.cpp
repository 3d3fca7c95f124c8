#include "storage/sqlite/sqlite_db.hpp"
#include "storage/store.hpp"
#include "support/temp_dir.hpp"

#include <condition_variable>
#include <filesystem>
#include <future>
#include <mutex>
#include <set>

#include <gtest/gtest.h>

namespace rollcall::storage {
namespace {

class SqliteStoreTest : public ::testing::Test {
protected:
    test::TempDir dir_;
    std::string path_ = (std::filesystem::path(dir_.path()) / "t.db").string();

    std::unique_ptr<Store> Open(StoreOptions options = {}) {
        options.path = path_;
        return OpenSqliteStore(options);
    }

    static std::pair<School, Device> Seed(Store& store, const std::string& name) {
        auto school = store.CreateSchool(School{0, name, "UTC", 0});
        Device d;
        d.school_id = school->id;
        d.name = "gate";
        d.token_hash = std::vector<std::uint8_t>(32, static_cast<std::uint8_t>(name[0]));
        d.token_encrypted = {1};
        auto device = store.CreateDevice(d);
        return {*school, *device};
    }

    static PunchBatch Batch(const Device& d, const std::vector<std::pair<std::string, std::string>>& punches) {
        PunchBatch b{d.school_id, d.id, "push", 100, {}};
        for (const auto& [uid, ts] : punches) {
            b.rows.push_back(PunchRow{uid, *core::ParseLocalDateTime(ts), 0, std::nullopt});
        }
        return b;
    }

    /// A queued delivery of `event` about one person's day, as the recompute worker writes it.
    static WebhookDelivery Delivery(const Webhook& hook, std::string event, std::int64_t person_id, core::Date day) {
        WebhookDelivery d;
        d.school_id = hook.school_id;
        d.webhook_id = hook.id;
        d.event = std::move(event);
        d.person_id = person_id;
        d.date = day;
        d.payload = "{}";
        return d;
    }
};

TEST_F(SqliteStoreTest, R1_DuplicatesAreCountedNotStored) {
    auto store = Open();
    auto [school, device] = Seed(*store, "A");
    auto first = store->WritePunches(Batch(device, {{"1", "2026-03-12 08:00:00"}, {"1", "2026-03-12 08:00:00"}}));
    ASSERT_TRUE(first.ok());
    EXPECT_EQ(first->inserted, 1U);
    EXPECT_EQ(first->duplicates, 1U);
    auto again = store->WritePunches(Batch(device, {{"1", "2026-03-12 08:00:00"}, {"2", "2026-03-12 08:00:00"}}));
    EXPECT_EQ(again->inserted, 1U);
    EXPECT_EQ(again->duplicates, 1U);
    auto users = store->ListDeviceUsers(school.id, device.id);
    ASSERT_EQ(users->size(), 2U);
    EXPECT_EQ((*users)[0].punches, 1);
}

TEST_F(SqliteStoreTest, QueriesOfOneSchoolNeverSeeAnother) {
    auto store = Open();
    auto [a, device_a] = Seed(*store, "A");
    auto [b, device_b] = Seed(*store, "B");
    EXPECT_EQ(store->GetDevice(b.id, device_a.id).error().code, core::Errc::kNotFound);
    EXPECT_EQ(store->DeleteDevice(b.id, device_a.id).error().code, core::Errc::kNotFound);
    ASSERT_TRUE(store->WritePunches(Batch(device_a, {{"1", "2026-03-12 08:00:00"}})).ok());
    const auto day = *core::ParseDate("2026-03-12");
    EXPECT_EQ(store->ListPunches(a.id, core::AtTime(day, 0), core::AtTime(core::Date{day.days + 1}, 0))->size(), 1U);
    EXPECT_TRUE(store->ListPunches(b.id, core::AtTime(day, 0), core::AtTime(core::Date{day.days + 1}, 0))->empty());
    EXPECT_TRUE(store->ListDeviceUsers(b.id, std::nullopt)->empty());
}

TEST_F(SqliteStoreTest, R7_OnlyThePunchesOfTheUsersAskedForAreRead) {
    auto store = Open();
    auto [school, gate] = Seed(*store, "A");
    Device second = gate;
    second.name = "back gate";
    second.token_hash = std::vector<std::uint8_t>(32, 9);
    auto back = *store->CreateDevice(second);
    for (const Device* d : {&gate, &back}) {
        ASSERT_TRUE(
            store
                ->WritePunches(Batch(
                    *d, {{"7", "2026-03-12 07:50:00"}, {"8", "2026-03-12 07:51:00"}, {"9", "2026-03-12 07:52:00"}}))
                .ok());
    }
    const auto day = *core::ParseDate("2026-03-12");
    const auto from = core::AtTime(day, 0);
    const auto to = core::AtTime(core::Date{day.days + 1}, 0);
    // The register asks for its mapped users, 7 and 8; user 9 (nobody's) is never copied out of the database.
    const auto read = store->ListPunchesOfUsers(school.id, from, to, UserIdSet{"7", "8"});
    ASSERT_TRUE(read.ok());
    std::multiset<std::pair<std::int64_t, std::string>> seen;
    for (const auto& p : *read) {
        seen.emplace(p.device_id, p.user_id);
    }
    const std::multiset<std::pair<std::int64_t, std::string>> expected{
        {gate.id, "7"}, {gate.id, "8"}, {back.id, "7"}, {back.id, "8"}};
    EXPECT_EQ(seen, expected);
    EXPECT_TRUE(store->ListPunchesOfUsers(school.id, from, to, UserIdSet{})->empty());
    EXPECT_TRUE(store->ListPunchesOfUsers(school.id + 1, from, to, UserIdSet{"7"})->empty()) << "another school";
    EXPECT_EQ(store->ListPunches(school.id, from, to)->size(), 6U) << "the others stay stored";
}

TEST_F(SqliteStoreTest, ConcurrentBatchesAreAllCommittedAndAnswered) {
    auto store = Open();
    auto [school, device] = Seed(*store, "A");
    std::vector<std::future<core::Result<InsertStats>>> results;
    for (int i = 0; i < 200; ++i) {
        auto promise = std::make_shared<std::promise<core::Result<InsertStats>>>();
        results.push_back(promise->get_future());
        char ts[32];
        std::snprintf(ts, sizeof ts, "2026-03-12 08:%02d:%02d", i / 60, i % 60);
        store->SubmitPunches(Batch(device, {{"1", ts}}),
                             [promise](core::Result<InsertStats> r) { promise->set_value(std::move(r)); });
    }
    std::size_t inserted = 0;
    for (auto& f : results) {
        auto r = f.get();
        ASSERT_TRUE(r.ok());
        inserted += r->inserted;
    }
    EXPECT_EQ(inserted, 200U);
    EXPECT_EQ(store->ListDeviceUsers(school.id, device.id)->at(0).punches, 200);
}

TEST_F(SqliteStoreTest, FullWriterQueueRefusesInsteadOfGrowing) {
    std::mutex mu;
    std::condition_variable cv;
    int writer_took_batch = 0;
    StoreOptions options;
    options.writer_queue_depth = 1;
    // The writer reports the queue depth right after it takes a group: that is how the test knows batch A
    // is in the writer's hands and not in the queue.
    options.on_queue_depth = [&](std::size_t depth) {
        std::lock_guard lock(mu);
        if (depth == 0) {
            ++writer_took_batch;
        }
        cv.notify_all();
    };
    auto store = Open(options);
    auto [school, device] = Seed(*store, "A");

    // Another connection holds the write lock, so the writer waits (busy_timeout) with batch A in hand.
    sqlite::Db blocker(path_, false);
    blocker.Exec("BEGIN IMMEDIATE");
    std::promise<core::Result<InsertStats>> a_done;
    std::promise<core::Result<InsertStats>> b_done;
    store->SubmitPunches(Batch(device, {{"1", "2026-03-12 08:00:00"}}),
                         [&](core::Result<InsertStats> r) { a_done.set_value(std::move(r)); });
    {
        std::unique_lock lock(mu);
        ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(5), [&] { return writer_took_batch == 1; }));
    }
    store->SubmitPunches(Batch(device, {{"2", "2026-03-12 08:00:00"}}),
                         [&](core::Result<InsertStats> r) { b_done.set_value(std::move(r)); });
    std::optional<core::Result<InsertStats>> refused;
    store->SubmitPunches(Batch(device, {{"3", "2026-03-12 08:00:00"}}),
                         [&](core::Result<InsertStats> r) { refused.emplace(std::move(r)); });
    ASSERT_TRUE(refused.has_value());  // answered at once, on this thread
    EXPECT_EQ(refused->error().code, core::Errc::kUnavailable);

    blocker.Exec("COMMIT");
    EXPECT_EQ(a_done.get_future().get()->inserted, 1U);
    EXPECT_EQ(b_done.get_future().get()->inserted, 1U);
}

TEST_F(SqliteStoreTest, GroupCommitCoalescesUpToTheRowCap) {
    std::mutex mu;
    std::condition_variable cv;
    std::vector<std::size_t> commits;  // rows per commit
    bool first_taken = false;
    StoreOptions options;
    options.group_commit_max_rows = 4;
    options.on_commit = [&](double, std::size_t rows) {
        std::lock_guard lock(mu);
        commits.push_back(rows);
    };
    options.on_queue_depth = [&](std::size_t depth) {
        std::lock_guard lock(mu);
        first_taken = first_taken || depth == 0;
        cv.notify_all();
    };
    auto store = Open(options);
    // Not a structured binding: clang 14 (clang-tidy's parser) cannot capture one in the lambda below.
    const auto device = Seed(*store, "A").second;
    sqlite::Db blocker(path_, false);
    blocker.Exec("BEGIN IMMEDIATE");
    std::vector<std::future<core::Result<InsertStats>>> results;
    auto submit = [&](int i) {
        auto promise = std::make_shared<std::promise<core::Result<InsertStats>>>();
        results.push_back(promise->get_future());
        const std::string ts = "2026-03-12 08:00:0" + std::to_string(i);
        store->SubmitPunches(Batch(device, {{"1", ts}, {"2", ts}}),
                             [promise](core::Result<InsertStats> r) { promise->set_value(std::move(r)); });
    };
    submit(0);
    {
        std::unique_lock lock(mu);
        ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(5), [&] { return first_taken; }));
    }
    for (int i = 1; i <= 5; ++i) {
        submit(i);  // queued behind the blocked writer: 5 batches of 2 rows
    }
    blocker.Exec("COMMIT");
    for (auto& f : results) {
        ASSERT_EQ(f.get()->inserted, 2U);
    }
    std::lock_guard lock(mu);
    // The first batch alone, then the 5 queued ones coalesced by at most 4 rows: 2 + 4 + 4 + 2.
    EXPECT_EQ(commits, (std::vector<std::size_t>{2, 4, 4, 2}));
}

TEST_F(SqliteStoreTest, MigrationsRunOnceAndDataSurvivesReopen) {
    {
        auto store = Open();
        auto [school, device] = Seed(*store, "A");
        ASSERT_TRUE(store->WritePunches(Batch(device, {{"1", "2026-03-12 08:00:00"}})).ok());
    }
    auto store = Open();
    auto schools = store->ListSchools();
    ASSERT_EQ(schools->size(), 1U);
    auto devices = store->ListDevices(schools->at(0).id);
    ASSERT_EQ(devices->size(), 1U);
    auto before = store->ListDevicePunches(schools->at(0).id, devices->at(0).id, 10);
    ASSERT_EQ(before->size(), 1U);
    // R2: every request is its own batch, and batch ids keep growing across restarts.
    ASSERT_TRUE(store->WritePunches(Batch(devices->at(0), {{"2", "2026-03-12 09:00:00"}})).ok());
    auto after = store->ListDevicePunches(schools->at(0).id, devices->at(0).id, 10);
    ASSERT_EQ(after->size(), 2U);
    EXPECT_GT(after->at(0).batch_id, before->at(0).batch_id);
    EXPECT_EQ(after->at(0).received_at, 100);
}

// operations.md "Durability": synchronous is a property of one connection, so it is read back from the
// writer's own connection; a second connection would report its own default. WAL is what lets readers run
// beside the writer, and with it FULL is what fsyncs the -wal file at every commit (NORMAL does not).
TEST_F(SqliteStoreTest, TheWriterCommitsInWalModeWithSynchronousFull) {
    auto store = Open();
    const auto pragmas = store->ReadWriterPragmas();
    ASSERT_TRUE(pragmas.ok()) << pragmas.error().message;
    EXPECT_EQ(pragmas->journal_mode, "wal");
    EXPECT_EQ(pragmas->synchronous, 2) << "synchronous=FULL is 2 (OFF 0, NORMAL 1, EXTRA 3)";
}

TEST_F(SqliteStoreTest, ConstraintViolationsAreConflicts) {
    auto store = Open();
    auto [school, device] = Seed(*store, "A");
    Person p;
    p.school_id = school.id;
    p.name = "X";
    p.external_id = "E1";
    ASSERT_TRUE(store->CreatePerson(p).ok());
    EXPECT_EQ(store->CreatePerson(p).error().code, core::Errc::kConflict);
}

TEST_F(SqliteStoreTest, APersonAndTheirMappingAreStoredTogetherOrNotAtAll) {
    auto store = Open();
    const auto seeded = Seed(*store, "A");
    const auto& school = seeded.first;
    const auto& device = seeded.second;
    Person p;
    p.school_id = school.id;
    p.name = "Amina";
    const auto audit = [&](const char* entity) {
        AuditEntry a;
        a.school_id = school.id;
        a.action = domain::AuditAction::kCreate;
        a.entity = entity;
        return a;
    };
    const auto line = [&](const Mapping& m) {
        auto a = audit("mapping");
        a.new_value = std::to_string(m.person_id);
        return a;
    };
    const Mapping mapping{0, school.id, device.id, "17", 0, 0};
    const auto amina = store->CreatePersonWithMapping(p, audit("person"), mapping, line).value();
    const auto mappings = store->ListMappings(school.id).value();
    ASSERT_EQ(mappings.size(), 1U);
    EXPECT_EQ(mappings[0].person_id, amina.id);
    auto trail = store->ListAudit(school.id, AuditFilter::Newest(10)).value();
    ASSERT_EQ(trail.size(), 2U);
    EXPECT_EQ(trail[0].entity_id, mappings[0].id);
    EXPECT_EQ(trail[0].new_value, std::to_string(amina.id)) << "the mapping's line is made once the person has an id";
    EXPECT_EQ(trail[1].entity_id, amina.id);
    EXPECT_EQ(trail[1].person_id, amina.id) << "a person's creation line is about the person it creates";

    // User 17 is mapped on that device already: the second person is not stored either, nor any line.
    p.name = "Brian";
    EXPECT_EQ(store->CreatePersonWithMapping(p, audit("person"), mapping, line).error().code, core::Errc::kConflict);
    EXPECT_EQ(store->ListPeople(school.id)->size(), 1U);
    EXPECT_EQ(store->ListAudit(school.id, AuditFilter::Newest(10))->size(), 2U);
}

TEST_F(SqliteStoreTest, R18_NewPunchesMarkTheirDaysInTheSameCommitAndDuplicatesDoNot) {
    int notified = 0;
    StoreOptions options;
    options.on_dirty = [&] { ++notified; };
    auto store = Open(options);
    auto [school, device] = Seed(*store, "A");
    ASSERT_TRUE(store->WritePunches(Batch(device, {{"1", "2026-03-12 08:00:00"}, {"2", "2026-03-13 07:00:00"}})));
    auto dirty = store->ListDirty(10);
    ASSERT_EQ(dirty->size(), 2U);
    EXPECT_EQ(core::FormatDate((*dirty)[0].date), "2026-03-13") << "newest day first";
    EXPECT_EQ(core::FormatDate((*dirty)[1].date), "2026-03-12");
    EXPECT_EQ(notified, 1);
    // Recomputed: the marks go.
    for (const auto& d : *dirty) {
        ASSERT_TRUE(store->SaveRecompute(DayRecompute{d, true, {}, {}}));
    }
    EXPECT_EQ(*store->CountDirty(), 0);
    // A duplicate changes nothing, so it marks nothing.
    ASSERT_TRUE(store->WritePunches(Batch(device, {{"1", "2026-03-12 08:00:00"}})));
    EXPECT_EQ(*store->CountDirty(), 0);
    EXPECT_EQ(notified, 1);
}

TEST_F(SqliteStoreTest, R18_ADayReMarkedWhileItWasRecomputedStaysMarked) {
    auto store = Open();
    auto [school, device] = Seed(*store, "A");
    const auto day = *core::ParseDate("2026-03-12");
    ASSERT_TRUE(store->MarkDirty(school.id, day, day));
    const auto claimed = store->ListDirty(10)->at(0);
    // A punch of that day commits while the worker computes from what it read before.
    ASSERT_TRUE(store->WritePunches(Batch(device, {{"1", "2026-03-12 08:00:00"}})));
    ASSERT_TRUE(store->SaveRecompute(DayRecompute{claimed, false, {}, {}}));
    auto dirty = store->ListDirty(10);
    ASSERT_EQ(dirty->size(), 1U);
    EXPECT_GT((*dirty)[0].generation, claimed.generation);
}

// Issue 11, item 1: once a day was final for a scope it stays final, whatever a later recomputation says.
TEST_F(SqliteStoreTest, R16_AScopeOnceFinalStaysFinal) {
    auto store = Open();
    auto [school, device] = Seed(*store, "A");
    const auto day = *core::ParseDate("2026-03-12");
    ASSERT_TRUE(store->MarkDirty(school.id, day, day));
    ASSERT_TRUE(store->SaveRecompute(DayRecompute{store->ListDirty(10)->at(0), true, {}, {}, {"", "kind:staff"}}));
    ASSERT_TRUE(store->MarkDirty(school.id, day, day));
    ASSERT_TRUE(store->SaveRecompute(DayRecompute{store->ListDirty(10)->at(0), false, {}, {}, {}}));
    const auto scopes = store->ListFinalScopes(school.id, day, day).value();
    ASSERT_EQ(scopes.size(), 2U);
    EXPECT_EQ(scopes[0].scope, "");
    EXPECT_EQ(scopes[1].scope, "kind:staff");
    EXPECT_EQ(store->ListFinalDays(school.id, day)->size(), 1U) << "the sweep still skips the day";
    EXPECT_TRUE(store->ListFinalScopes(school.id, core::Date{day.days + 1}, core::Date{day.days + 9})->empty());
}

// A month's registers read the overrides and the finalized days of the month in one query each: those of the days
// asked for, of the school asked for, in date order.
TEST_F(SqliteStoreTest, TheOverridesAndFinalizedDaysOfARangeAreReadAtOnceForOneSchoolOnly) {
    auto store = Open();
    const auto a = Seed(*store, "A").first;
    const auto b = Seed(*store, "B").first;
    const AuditEntry audit{0, 0, 1, 0, domain::AuditAction::kCreate, "test", 0, "", "", "why", "", std::nullopt, ""};
    const auto put = [&](const School& school, const std::string& name, const std::string& date) {
        Person p;
        p.school_id = school.id;
        p.name = name;
        const auto person = *store->CreatePerson(p);
        Override o;
        o.school_id = school.id;
        o.person_id = person.id;
        o.date = *core::ParseDate(date);
        o.status = domain::DayStatus::kExcused;
        o.reason = "clinic";
        auto line = audit;
        line.school_id = school.id;
        ASSERT_TRUE(store->PutOverride(o, line));
    };
    put(a, "Amina", "2026-03-12");
    put(a, "Brian", "2026-03-02");
    put(a, "Chao", "2026-04-01");
    put(b, "Dana", "2026-03-05");
    const auto overrides =
        *store->ListOverridesBetween(a.id, *core::ParseDate("2026-03-01"), *core::ParseDate("2026-03-31"));
    ASSERT_EQ(overrides.size(), 2U);
    EXPECT_EQ(core::FormatDate(overrides[0].date), "2026-03-02");
    EXPECT_EQ(core::FormatDate(overrides[1].date), "2026-03-12");
    for (const auto* date : {"2026-03-31", "2026-03-03", "2026-02-28"}) {
        auto line = audit;
        line.school_id = a.id;
        ASSERT_TRUE(store->FinalizeDay(a.id, *core::ParseDate(date), line));
    }
    auto line = audit;
    line.school_id = b.id;
    ASSERT_TRUE(store->FinalizeDay(b.id, *core::ParseDate("2026-03-04"), line));
    const auto finalized =
        *store->ListFinalizedDays(a.id, *core::ParseDate("2026-03-01"), *core::ParseDate("2026-03-31"));
    ASSERT_EQ(finalized.size(), 2U);
    EXPECT_EQ(core::FormatDate(finalized[0]), "2026-03-03");
    EXPECT_EQ(core::FormatDate(finalized[1]), "2026-03-31");
}

TEST_F(SqliteStoreTest, R21_DeletingAScopesSettingsRemovesEveryVersionAndMarksItsDays) {
    auto store = Open();
    auto [school, device] = Seed(*store, "A");
    const auto march = *core::ParseDate("2026-03-01");
    const auto today = *core::ParseDate("2026-03-12");
    ASSERT_TRUE(store->SaveSettings(SettingsVersion{0, school.id, march, "{}", 0, "group:5A", std::nullopt}));
    ASSERT_TRUE(store->SaveSettings(SettingsVersion{0, school.id, today, "{}", 0, "group:5A", std::nullopt}));
    ASSERT_TRUE(store->SaveSettings(SettingsVersion{0, school.id, march, "{}", 0, "", std::nullopt}));
    const auto removed = store->DeleteSettingsScope(school.id, "group:5A", today, std::nullopt).value();
    ASSERT_EQ(removed.size(), 2U);
    EXPECT_EQ(removed[0].effective_from, march);
    EXPECT_EQ(*store->CountDirty(), 12) << "1 to 12 March";
    ASSERT_EQ(store->ListSettings(school.id)->size(), 1U);
    EXPECT_EQ(store->DeleteSettingsScope(school.id, "group:5A", today, std::nullopt).error().code,
              core::Errc::kNotFound);
}

TEST_F(SqliteStoreTest, R18_MarksSurviveReopening) {
    const auto day = *core::ParseDate("2026-03-12");
    std::int64_t school_id = 0;
    {
        auto store = Open();
        school_id = Seed(*store, "A").first.id;
        ASSERT_TRUE(store->MarkDirty(school_id, day, core::Date{day.days + 2}));
    }
    auto store = Open();
    EXPECT_EQ(*store->CountDirty(), 3);
}

// Issue 12, item 1: one request must not queue years of days (2.9 million in the probe), nor any future day.
TEST_F(SqliteStoreTest, R18_EveryMarkIsClampedToTheWindowUpToTodayInItsSchoolsZone) {
    int notified = 0;
    StoreOptions options;
    options.on_dirty = [&] { ++notified; };
    // Ten days up to today; today is 12 March in UTC and already 13 March in Kiritimati (UTC+14).
    options.mark_window = [](const std::string& zone) {
        const auto today = *core::ParseDate(zone == "Pacific/Kiritimati" ? "2026-03-13" : "2026-03-12");
        return MarkWindow{core::Date{today.days - 9}, today};
    };
    auto store = Open(options);
    const auto utc = Seed(*store, "A").first;
    const auto ahead = store->CreateSchool(School{0, "B", "Pacific/Kiritimati", 0}).value();
    for (const auto& school : {utc, ahead}) {
        ASSERT_TRUE(store->MarkDirty(school.id, core::DateFromYmd(1, 1, 1), core::DateFromYmd(9999, 12, 31)));
    }
    const auto dirty = store->ListDirty(1000).value();
    ASSERT_EQ(dirty.size(), 20U);
    for (const auto& d : dirty) {
        const auto last = *core::ParseDate(d.school_id == ahead.id ? "2026-03-13" : "2026-03-12");
        EXPECT_LE(d.date, last) << "never a day after the school's today";
        EXPECT_GE(d.date.days, last.days - 9) << "never a day before the window";
    }
    EXPECT_EQ(notified, 2);
    // A range wholly outside the window marks nothing, and wakes nobody.
    for (const auto& d : dirty) {
        ASSERT_TRUE(store->SaveRecompute(DayRecompute{d, true, {}, {}}));
    }
    ASSERT_TRUE(store->MarkDirty(utc.id, core::DateFromYmd(2030, 1, 1), core::DateFromYmd(2030, 12, 31)));
    ASSERT_TRUE(store->MarkDirty(utc.id, core::DateFromYmd(1990, 1, 1), core::DateFromYmd(1990, 12, 31)));
    EXPECT_EQ(*store->CountDirty(), 0);
    EXPECT_EQ(notified, 2);
}

TEST_F(SqliteStoreTest, R4_APunchOutsideThePlausibleWindowIsStoredButMarksNoDayAndWidensNoFirstOrLastPunch) {
    auto store = Open();
    auto [school, device] = Seed(*store, "A");
    auto batch =
        Batch(device, {{"7", "0001-01-01 08:00:00"}, {"7", "9999-12-31 08:00:00"}, {"7", "2026-03-12 07:50:00"}});
    batch.rows[0].plausible = false;
    batch.rows[1].plausible = false;
    ASSERT_EQ(store->WritePunches(batch)->inserted, 3U);
    EXPECT_EQ(store->ListDevicePunches(school.id, device.id, 10)->size(), 3U) << "kept as they came (R2)";
    const auto dirty = store->ListDirty(10).value();
    ASSERT_EQ(dirty.size(), 1U);
    EXPECT_EQ(core::FormatDate(dirty[0].date), "2026-03-12");
    const auto users = store->ListDeviceUsers(school.id, device.id).value();
    ASSERT_EQ(users.size(), 1U);
    ASSERT_TRUE(users[0].first_seen && users[0].last_seen);
    EXPECT_EQ(core::FormatLocalDateTime(*users[0].first_seen), "2026-03-12 07:50:00");
    EXPECT_EQ(core::FormatLocalDateTime(*users[0].last_seen), "2026-03-12 07:50:00");
    EXPECT_EQ(users[0].punches, 1) << "the inbox counts the punches a real clock could have made";
    // Mapping the user marks the days of its plausible punches, a day either side, not 10,000 years.
    ASSERT_TRUE(store->SaveRecompute(DayRecompute{dirty[0], true, {}, {}}));
    ASSERT_TRUE(store->MarkDirtyWherePunches(school.id, std::nullopt, std::string("7"), std::nullopt));
    EXPECT_EQ(*store->CountDirty(), 3);
}

TEST_F(SqliteStoreTest, R18_TheWorkerFindsEachSchoolWithMarksAndItsDaysNewestFirst) {
    auto store = Open();
    const auto a = Seed(*store, "A").first;
    const auto b = Seed(*store, "B").first;
    Seed(*store, "C");  // nothing marked
    const auto march = *core::ParseDate("2026-03-01");
    ASSERT_TRUE(store->MarkDirty(a.id, march, core::Date{march.days + 9}));
    ASSERT_TRUE(store->MarkDirty(b.id, march, march));
    EXPECT_EQ(store->ListDirtySchools().value(), (std::vector<std::int64_t>{a.id, b.id}));
    const auto days = store->ListDirtyDays(a.id, core::Date{march.days + 2}, core::Date{march.days + 8}, 3).value();
    ASSERT_EQ(days.size(), 3U);
    EXPECT_EQ(core::FormatDate(days[0].date), "2026-03-09");
    EXPECT_EQ(core::FormatDate(days[2].date), "2026-03-07");
    // Marks outside a window go a bounded number at a time, the others' stay.
    const MarkWindow window{core::Date{march.days + 2}, core::Date{march.days + 7}};
    EXPECT_EQ(store->DropDirtyOutside(a.id, window, 3).value(), 3U);
    EXPECT_EQ(store->DropDirtyOutside(a.id, window, 3).value(), 1U);
    EXPECT_EQ(store->DropDirtyOutside(a.id, window, 3).value(), 0U);
    EXPECT_EQ(*store->CountDirty(), 7) << "six of A's inside the window, and B's";
}

TEST_F(SqliteStoreTest, R7_AMappingMarksTheDaysItsUserPunchedOnWithADayEitherSide) {
    auto store = Open();
    auto [school, device] = Seed(*store, "A");
    ASSERT_TRUE(store->WritePunches(Batch(device, {{"7", "2026-02-02 08:00:00"}, {"7", "2026-02-05 08:00:00"}})));
    auto marks = store->ListDirty(100);
    for (const auto& d : *marks) {
        ASSERT_TRUE(store->SaveRecompute(DayRecompute{d, true, {}, {}}));
    }
    ASSERT_TRUE(store->MarkDirtyWherePunches(school.id, std::nullopt, std::string("7"), std::nullopt));
    auto dirty = store->ListDirty(100);
    ASSERT_EQ(dirty->size(), 6U);  // 1 Feb .. 6 Feb
    EXPECT_EQ(core::FormatDate(dirty->front().date), "2026-02-06");
    EXPECT_EQ(core::FormatDate(dirty->back().date), "2026-02-01");
    // A user who never punched marks nothing.
    for (const auto& d : *dirty) {
        ASSERT_TRUE(store->SaveRecompute(DayRecompute{d, true, {}, {}}));
    }
    ASSERT_TRUE(store->MarkDirtyWherePunches(school.id, std::nullopt, std::string("8"), std::nullopt));
    EXPECT_EQ(*store->CountDirty(), 0);
}

TEST_F(SqliteStoreTest, R18_ADeviceOrPersonChangeThatAltersHowPunchesCountMarksTheirDaysInItsTransaction) {
    int notified = 0;
    StoreOptions options;
    options.on_dirty = [&] { ++notified; };
    auto store = Open(options);
    auto [school, device] = Seed(*store, "A");
    Person p;
    p.school_id = school.id;
    p.name = "Amina";
    auto person = *store->CreatePerson(p);
    ASSERT_TRUE(store->CreateMapping(Mapping{0, school.id, device.id, "7", person.id, 0}));
    ASSERT_TRUE(store->WritePunches(Batch(device, {{"7", "2026-02-02 08:00:00"}, {"7", "2026-02-03 08:00:00"}})));
    const auto settle = [&] {
        const auto dirty = store->ListDirty(100);
        for (const auto& d : *dirty) {
            ASSERT_TRUE(store->SaveRecompute(DayRecompute{d, true, {}, {}}));
        }
    };
    settle();
    // A new name changes no row: nothing to recompute.
    device.name = "Front gate";
    ASSERT_TRUE(store->UpdateDevice(device));
    person.name = "Amina W.";
    ASSERT_TRUE(store->UpdatePerson(person));
    EXPECT_EQ(*store->CountDirty(), 0);
    // A direction marks the device's punch days, a day either side (1-4 Feb).
    const int before = notified;
    device.direction = domain::DeviceDirection::kIn;
    ASSERT_TRUE(store->UpdateDevice(device));
    EXPECT_EQ(*store->CountDirty(), 4);
    EXPECT_GT(notified, before) << "the worker is woken";
    settle();
    // So does a group.
    person.group = "5B";
    ASSERT_TRUE(store->UpdatePerson(person));
    EXPECT_EQ(*store->CountDirty(), 4);
}

TEST_F(SqliteStoreTest, AtMostOneDeliveryPerWebhookEventPersonAndDay) {
    auto store = Open();
    auto [school, device] = Seed(*store, "A");
    Person p;
    p.school_id = school.id;
    p.name = "Amina";
    const auto person = *store->CreatePerson(p);
    const auto hook = *store->CreateWebhook(Webhook{0, school.id, "http://gw.example/", {}, {1, 2}, true, 0});
    const auto day = *core::ParseDate("2026-03-12");
    auto d = Delivery(hook, "late", person.id, day);
    ASSERT_TRUE(store->SaveRecompute(DayRecompute{DirtyDay{school.id, day, 0}, false, {}, {d, d}}));
    ASSERT_TRUE(store->SaveRecompute(DayRecompute{DirtyDay{school.id, day, 0}, false, {}, {d}}));
    EXPECT_EQ(store->ListDeliveries(school.id, std::nullopt, 10)->size(), 1U);
    d.event = "arrival";
    ASSERT_TRUE(store->SaveRecompute(DayRecompute{DirtyDay{school.id, day, 0}, false, {}, {d}}));
    EXPECT_EQ(store->ListDeliveries(school.id, hook.id, 10)->size(), 2U);
    // Deleting the webhook deletes its log.
    ASSERT_TRUE(store->DeleteWebhook(school.id, hook.id));
    EXPECT_TRUE(store->ListDeliveries(school.id, std::nullopt, 10)->empty());
}

// R18: every write that marks days wakes the recompute worker, once, after its commit; the others do not.
TEST_F(SqliteStoreTest, R18_EveryChangeThatMarksDaysWakesTheWorkerAndNoOtherDoes) {
    int woken = 0;
    StoreOptions options;
    options.on_dirty = [&] { ++woken; };
    auto store = Open(options);
    // Not a structured binding: clang 14 (clang-tidy's parser) cannot capture one in the lambdas below.
    const auto seeded = Seed(*store, "A");
    const School& school = seeded.first;
    const Device& device = seeded.second;
    Person p;
    p.school_id = school.id;
    p.name = "Amina";
    const auto person = *store->CreatePerson(p);
    ASSERT_TRUE(store->WritePunches(Batch(device, {{"7", "2026-03-12 08:00:00"}})));
    const auto day = *core::ParseDate("2026-03-12");
    const AuditEntry audit{
        0, school.id, 1, 0, domain::AuditAction::kCreate, "test", 0, "", "", "why", "", std::nullopt, ""};
    const auto wakes = [&](auto&& change) {
        const int before = woken;
        change();
        return woken - before;
    };
    EXPECT_EQ(wakes([&] { ASSERT_TRUE(store->MarkDirty(school.id, day, day)); }), 1);
    std::int64_t mapping_id = 0;
    EXPECT_EQ(wakes([&] {
                  mapping_id = store->CreateMapping(Mapping{0, school.id, device.id, "7", person.id, 0})->id;
              }),
              1);
    EXPECT_EQ(wakes([&] { ASSERT_TRUE(store->DeleteMapping(school.id, mapping_id)); }), 1);
    std::int64_t holiday_id = 0;
    EXPECT_EQ(wakes([&] { holiday_id = store->CreateHoliday(Holiday{0, school.id, day, "Holi"})->id; }), 1);
    EXPECT_EQ(wakes([&] { ASSERT_TRUE(store->DeleteHoliday(school.id, holiday_id)); }), 1);
    EXPECT_EQ(wakes([&] {
                  ASSERT_TRUE(store->SaveSettings(SettingsVersion{0, school.id, day, "{}", 0, "", day}));
              }),
              1);
    Override o;
    o.school_id = school.id;
    o.person_id = person.id;
    o.date = day;
    o.status = domain::DayStatus::kPresent;
    std::int64_t override_id = 0;
    EXPECT_EQ(wakes([&] { override_id = store->PutOverride(o, audit)->id; }), 1);
    EXPECT_EQ(wakes([&] { ASSERT_TRUE(store->DeleteOverride(school.id, override_id, audit)); }), 1);
    const auto from = core::AtTime(day, 0);
    std::int64_t correction_id = 0;
    EXPECT_EQ(
        wakes([&] {
            correction_id =
                store->CreateClockCorrection(ClockCorrection{0, school.id, device.id, from, from, 60, "", 0, 0}, audit)
                    ->id;
        }),
        1);
    EXPECT_EQ(wakes([&] { ASSERT_TRUE(store->DeleteClockCorrection(school.id, correction_id, audit)); }), 1);
    EXPECT_EQ(wakes([&] { ASSERT_TRUE(store->FinalizeDay(school.id, day, audit)); }), 1);
    EXPECT_EQ(wakes([&] { ASSERT_TRUE(store->FinalizeDay(school.id, day, audit)); }), 0) << "finalized already";
    // Changes that alter no register row mark nothing, and wake nobody.
    EXPECT_EQ(
        wakes([&] {
            ASSERT_TRUE(store->CreatePerson(Person{0, school.id, "Bo", domain::PersonKind::kStudent, "", "", {}, {}}));
        }),
        0);
    Device renamed = device;
    renamed.name = "Front gate";
    EXPECT_EQ(wakes([&] { ASSERT_TRUE(store->UpdateDevice(renamed)); }), 0);
    EXPECT_EQ(
        wakes([&] {
            ASSERT_TRUE(store->MarkDirtyWherePunches(school.id, std::nullopt, std::string("nobody"), std::nullopt));
        }),
        0)
        << "a user who never punched has no days";
    EXPECT_EQ(wakes([&] {
                  ASSERT_TRUE(store->SaveRecompute(DayRecompute{DirtyDay{school.id, day, 0}, false, {}, {}}));
              }),
              0);
}

}  // namespace
}  // namespace rollcall::storage

namespace rollcall::storage {
namespace {

/// The text the first row of `sql` holds in the file: what a backup, a report tool or an older server reads.
std::string StoredText(const std::string& path, const std::string& sql) {
    sqlite::Db db(path, true);
    sqlite::Stmt s(db, sql);
    return s.Step() ? s.Text(0) : std::string("(no row)");
}

// Roles, modes, kinds, statuses, actions and states are enums in the records and the API's words in the file:
// the schema and the stored text are as they were before the enums, and each value reads back as itself.
TEST_F(SqliteStoreTest, EveryWordOfTheVocabularyIsStoredAsTheApiSaysItAndReadsBackAsTheSameValue) {
    auto store = Open();
    auto [school, gate] = Seed(*store, "A");
    const auto user = *store->CreateUser(User{0, "root@example.org", domain::Role::kSuperAdmin, std::nullopt, "h"});
    const auto head = *store->CreateUser(User{0, "head@example.org", domain::Role::kSchoolAdmin, school.id, "h"});
    EXPECT_EQ(store->GetUser(user.id)->role, domain::Role::kSuperAdmin);
    EXPECT_EQ(store->GetUser(head.id)->role, domain::Role::kSchoolAdmin);

    EXPECT_EQ(gate.sync_mode, domain::SyncMode::kPush) << "a new device pushes, counts and decides by itself";
    EXPECT_EQ(gate.status, domain::ActiveStatus::kActive);
    gate.sync_mode = domain::SyncMode::kAgent;
    gate.direction = domain::DeviceDirection::kOut;
    gate.status = domain::ActiveStatus::kInactive;
    ASSERT_TRUE(store->UpdateDevice(gate));
    const auto device = *store->GetDevice(school.id, gate.id);
    EXPECT_EQ(device.sync_mode, domain::SyncMode::kAgent);
    EXPECT_EQ(device.direction, domain::DeviceDirection::kOut);
    EXPECT_EQ(device.status, domain::ActiveStatus::kInactive);

    Person p;
    p.school_id = school.id;
    p.name = "Mr Otieno";
    p.kind = domain::PersonKind::kStaff;
    const auto person = *store->CreatePerson(p);
    EXPECT_EQ(store->GetPerson(school.id, person.id)->kind, domain::PersonKind::kStaff);

    const auto day = *core::ParseDate("2026-03-12");
    Override o;
    o.school_id = school.id;
    o.person_id = person.id;
    o.date = day;
    o.status = domain::DayStatus::kExcused;
    o.reason = "conference";
    ASSERT_TRUE(store->PutOverride(o,
                                   AuditEntry{0,
                                              school.id,
                                              user.id,
                                              0,
                                              domain::AuditAction::kReplace,
                                              "override",
                                              0,
                                              "",
                                              "",
                                              "why",
                                              "",
                                              std::nullopt,
                                              ""}));
    EXPECT_EQ(store->ListOverrides(school.id, day)->at(0).status, domain::DayStatus::kExcused);
    EXPECT_EQ(store->ListAudit(school.id, AuditFilter::Newest(1))->at(0).action, domain::AuditAction::kReplace);

    DayRecord absent{
        school.id, person.id, day, domain::DayStatus::kAbsent, {}, {}, 0, true, 4, domain::DayStatus::kAbsent, 1};
    DayRecord pending{school.id, person.id, day, domain::DayStatus::kPending, {}, {}, 0, false, 0, std::nullopt, 1};
    const auto hook = *store->CreateWebhook(Webhook{0, school.id, "http://gw.example/", {}, {1, 2}, true, 0});
    const auto d = Delivery(hook, "absent", person.id, day);
    ASSERT_TRUE(store->SaveRecompute(DayRecompute{DirtyDay{school.id, day, 0}, true, {absent}, {d}}));
    const auto record = store->ListDayRecords(school.id, day)->at(0);
    EXPECT_EQ(record.status, domain::DayStatus::kAbsent);
    EXPECT_EQ(record.reported_status, domain::DayStatus::kAbsent);
    auto delivery = store->ListDeliveries(school.id, hook.id, 1)->at(0);
    EXPECT_EQ(delivery.state, domain::DeliveryState::kPending);
    delivery.state = domain::DeliveryState::kFailed;
    delivery.attempts = 8;
    ASSERT_TRUE(store->UpdateDelivery(delivery));
    EXPECT_EQ(store->ListDeliveries(school.id, hook.id, 1)->at(0).state, domain::DeliveryState::kFailed);

    const auto in_file = [&](const std::string& sql) { return StoredText(path_, sql); };
    EXPECT_EQ(in_file("SELECT role FROM users WHERE id = " + std::to_string(user.id)), "super_admin");
    EXPECT_EQ(in_file("SELECT role FROM users WHERE id = " + std::to_string(head.id)), "school_admin");
    EXPECT_EQ(in_file("SELECT sync_mode || ' ' || direction || ' ' || status FROM devices"), "agent out inactive");
    EXPECT_EQ(in_file("SELECT kind FROM people"), "staff");
    EXPECT_EQ(in_file("SELECT status FROM overrides"), "excused");
    EXPECT_EQ(in_file("SELECT action FROM audit_log"), "replace");
    EXPECT_EQ(in_file("SELECT status || ' ' || reported_status FROM day_records"), "absent absent");
    EXPECT_EQ(in_file("SELECT state FROM webhook_deliveries"), "failed");

    // Nothing reported yet is stored as '' (the column is NOT NULL), and reads back as nothing.
    ASSERT_TRUE(store->SaveRecompute(DayRecompute{DirtyDay{school.id, day, 0}, false, {pending}, {}}));
    EXPECT_EQ(store->ListDayRecords(school.id, day)->at(0).reported_status, std::nullopt);
    EXPECT_EQ(in_file("SELECT '[' || reported_status || ']' FROM day_records"), "[]");
}

// A word the vocabulary does not have (a row written by hand, or by a newer server) is a damaged row: the read
// fails as a storage error, it does not become some other value.
TEST_F(SqliteStoreTest, ARowWithAWordTheVocabularyLacksIsAStorageErrorNotAnotherValue) {
    auto store = Open();
    auto [school, gate] = Seed(*store, "A");
    {
        sqlite::Db db(path_, false);
        db.Exec("UPDATE devices SET sync_mode = 'carrier-pigeon'");
    }
    const auto read = store->GetDevice(school.id, gate.id);
    ASSERT_FALSE(read.ok());
    EXPECT_EQ(read.error().code, core::Errc::kInternal);
}

TEST_F(SqliteStoreTest, ATerminalsUserTableReplacesTheLastOneShowsItsNamesAndGoesWithItsDevice) {
    auto store = Open();
    auto [school, device] = Seed(*store, "A");
    auto [other, other_device] = Seed(*store, "B");
    ASSERT_EQ(store->WritePunches(Batch(device, {{"17", "2026-03-12 08:00:00"}}))->inserted, 1U);
    TerminalUserTable table{
        school.id, device.id, {{"17", "AMINA NJERI", 4000017, 0}, {"18", "Brian O.", 0, 14}}, 50, 60};
    ASSERT_TRUE(store->ReplaceTerminalUsers(table));
    auto users = store->ListDeviceUsers(school.id, device.id).value();
    ASSERT_EQ(users.size(), 2U) << "the user who punched, and the one the terminal holds who never did";
    EXPECT_EQ(users[0].user_id, "17");
    EXPECT_EQ(users[0].name, "AMINA NJERI");
    EXPECT_EQ(users[0].punches, 1);
    EXPECT_TRUE(users[0].in_terminal);
    EXPECT_EQ(users[0].card, 4000017);
    EXPECT_EQ(users[1].user_id, "18");
    EXPECT_EQ(users[1].punches, 0);
    EXPECT_FALSE(users[1].first_seen) << "never punched";
    EXPECT_EQ(users[1].privilege, 14);
    EXPECT_EQ(store->GetTerminalUserRead(school.id, device.id).value()->read_at, 50);
    // The next read replaces the table whole: user 18 left the terminal.
    table.users = {{"17", "Amina Njeri", 0, 0}};
    ASSERT_TRUE(store->ReplaceTerminalUsers(table));
    users = store->ListDeviceUsers(school.id, device.id).value();
    ASSERT_EQ(users.size(), 1U);
    EXPECT_EQ(users[0].name, "Amina Njeri");
    // Another school can neither write into the device's table nor read it.
    TerminalUserTable intruder{other.id, device.id, {{"99", "Intruder", 0, 0}}, 1, 1};
    EXPECT_EQ(store->ReplaceTerminalUsers(intruder).error().code, core::Errc::kNotFound);
    EXPECT_TRUE(store->ListDeviceUsers(other.id, device.id).value().empty());
    EXPECT_FALSE(store->GetTerminalUserRead(other.id, device.id).value());
    // A device without punches is deleted with its terminal users.
    ASSERT_TRUE(store->ReplaceTerminalUsers({other.id, other_device.id, {{"5", "Chen L.", 0, 0}}, 1, 1}));
    ASSERT_EQ(store->ListDeviceUsers(other.id, other_device.id)->size(), 1U);
    ASSERT_TRUE(store->DeleteDevice(other.id, other_device.id));
    const auto created = store->CreateDevice(other_device).value();  // the id may come back: nothing must cling to it
    EXPECT_TRUE(store->ListDeviceUsers(other.id, created.id).value().empty());
    EXPECT_FALSE(store->GetTerminalUserRead(other.id, created.id).value());
}

}  // namespace
}  // namespace rollcall::storage
