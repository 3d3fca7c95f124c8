// Issue 12, item 1: what one school's request may queue for the recompute worker (R18). A black-box probe stalled
// every school with a clock correction to the year 9999, punches dated 0001 and 9999 and a settings version from
// 0001: each marked millions of days. Every mark is now clamped to the reprocess window up to the school's today
// (engine.reprocess_max_days), the requests themselves are bounded, and the worker drains schools in turns.

#include "integration/school_test.hpp"

#include <gtest/gtest.h>

namespace rollcall::test {
namespace {

namespace json = boost::json;

/// The server's today in Nairobi, and the first day of its reprocess window (366 days up to today).
const core::Date kToday = core::DateFromYmd(2026, 3, 12);
const core::Date kWindowStart{kToday.days - 365};

class Recompute : public SchoolTest {
protected:
    HttpResponse Push(const SchoolFixture& school, const std::vector<std::pair<std::string, std::string>>& punches) {
        return http_.Post("/api/v1/biometric/push-log", PushLogBody(punches), school.device_token);
    }
    /// Recomputes whatever setting the school up marked, so a test sees only the marks of what it does next.
    void Settle() {
        const auto done = server_.app().recompute().RunPending();
        ASSERT_TRUE(done.ok()) << done.error().message;
        ASSERT_EQ(*database_->CountDirty(), 0);
    }
    /// The days marked for recomputation, newest first, as the server stored them.
    std::vector<storage::DirtyDay> Marked() const { return database_->ListDirty(100'000).value(); }
    /// Every marked day lies in the reprocess window; none is after today.
    void ExpectAllInTheWindow() const {
        for (const auto& d : Marked()) {
            EXPECT_LE(d.date, kToday) << core::FormatDate(d.date) << " is after today";
            EXPECT_GE(d.date, kWindowStart) << core::FormatDate(d.date) << " is before the reprocess window";
        }
    }
    json::object Explain(std::int64_t person, const std::string& date) {
        const auto r =
            http_.Get(Path("/attendance/" + std::to_string(person) + "/" + date + "/explain"), s_.admin_token);
        EXPECT_EQ(r.status, 200) << r.body;
        return r.Json().as_object();
    }
    json::object Row(const std::string& date, std::int64_t person) {
        const auto doc = http_.Get(Path("/attendance?date=" + date), s_.admin_token).Json();
        for (const auto& row : doc.at("rows").as_array()) {
            if (row.at("person_id").as_int64() == person) {
                return row.as_object();
            }
        }
        ADD_FAILURE() << "no row for person " << person;
        return {};
    }

    std::unique_ptr<storage::Store> database_ = server_.OpenDatabase();
};

TEST_F(Recompute, AClockCorrectionToTheYear9999IsRefusedAndTheLongestOneMarksOnlyTheReprocessWindow) {
    const auto lake = MakeSchool(server_, "Lake School");
    Settle();
    json::object correction{{"device_id", s_.device_id},
                            {"from", "2026-01-01 00:00:00"},
                            {"to", "9999-12-31 23:59:59"},
                            {"offset_seconds", -3600},
                            {"reason", "probe"}};
    auto r = http_.Post(Path("/clock-corrections"), correction, s_.admin_token);
    EXPECT_EQ(r.status, 400);
    EXPECT_NE(r.body.find("engine.clock_correction_max_days"), std::string::npos) << r.body;
    EXPECT_EQ(*database_->CountDirty(), 0);

    // The longest span allowed, most of it in the future: it marks the days up to today it moves punches from
    // and to (29 December to 12 March), never the rest of the year.
    correction["to"] = "2026-12-31 23:59:59";
    r = http_.Post(Path("/clock-corrections"), correction, s_.admin_token);
    ASSERT_EQ(r.status, 201) << r.body;
    EXPECT_EQ(*database_->CountDirty(), kToday.days - core::DateFromYmd(2025, 12, 30).days + 1);
    ExpectAllInTheWindow();

    // Another school's push of this morning is stored, and recomputed before Hill's backlog.
    ASSERT_EQ(Push(lake, {{"1", "2026-03-12 07:50:00"}}).status, 200);
    int slices = 0;
    std::size_t hill_left = 0;
    ASSERT_TRUE(server_.app().recompute().RunPending([&] {
        ++slices;
        hill_left = database_->ListDirtyDays(s_.school_id, kWindowStart, kToday, 1000)->size();
        return database_->ListDirtyDays(lake.school_id, kToday, kToday, 1)->empty();
    }));
    EXPECT_LE(slices, 2) << "Hill's today, then Lake's";
    EXPECT_GE(hill_left, 73U - 2U) << "Hill's older days wait for their turn";
}

TEST_F(Recompute, PunchesDatedTheYears0001And9999AreStoredAndLeftOutAndMarkNothingBeyondTheirPlausibleNeighbour) {
    Settle();
    const auto r = Push(s_, {{"9", "0001-01-01 08:00:00"}, {"9", "9999-12-31 08:00:00"}, {"9", "2026-03-12 07:50:00"}});
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.Json().at("inserted").as_int64(), 3);
    const auto logs = http_.Get(DevicePath(s_.device_id) + "/logs", s_.admin_token).Json().at("items").as_array();
    EXPECT_EQ(logs.size(), 3U) << "kept as they came (R2)";
    ASSERT_EQ(Marked().size(), 1U);
    EXPECT_EQ(Marked()[0].date, kToday);
    // The unmapped inbox: first and last punch are the plausible one's.
    const auto inbox = http_.Get(Path("/unmapped"), s_.admin_token).Json().at("items").as_array();
    ASSERT_EQ(inbox.size(), 1U);
    EXPECT_EQ(inbox[0].at("first_seen").as_string(), "2026-03-12 07:50:00");
    EXPECT_EQ(inbox[0].at("last_seen").as_string(), "2026-03-12 07:50:00");
    Settle();

    // Mapping the user marks a bounded range: its plausible punch's day and the one before (the one after is
    // tomorrow), not ten thousand years.
    const auto amina = Person("Amina");
    Map("9", amina);
    EXPECT_EQ(Marked().size(), 2U);
    ExpectAllInTheWindow();
    // Explain shows the two left out, with the reason (R4, R20).
    for (const auto* date : {"0001-01-01", "9999-12-31"}) {
        const auto punches = Explain(amina, date).at("punches").as_array();
        ASSERT_EQ(punches.size(), 1U) << date;
        EXPECT_EQ(punches[0].at("rule").as_string(), "R4") << date;
        EXPECT_NE(std::string(punches[0].at("note").as_string()).find("clock_suspect"), std::string::npos);
    }
    Settle();

    // So does a change of the device's direction or zone.
    PatchDevice(s_.device_id, json::object{{"direction", "in"}});
    EXPECT_EQ(Marked().size(), 2U);
    PatchDevice(s_.device_id, json::object{{"timezone", "Pacific/Kiritimati"}});
    EXPECT_EQ(Marked().size(), 2U);
    ExpectAllInTheWindow();
}

TEST_F(Recompute, AClockResetTo2000IsRecoveredByACorrectionAndItsDayRecomputed) {
    Rules({{"school_start_time", "08:00"}});
    const auto amina = Person("Amina");
    Map("1", amina);
    // The clock battery died overnight: the terminal restarted at 2000-01-01 00:00 when the school opened.
    ASSERT_EQ(Push(s_, {{"1", "2000-01-01 07:55:00"}}).status, 200);
    Settle();
    EXPECT_EQ(Row("2026-03-12", amina).at("status").as_string(), "absent");

    const auto offset = std::int64_t{kToday.days - core::DateFromYmd(2000, 1, 1).days} * 86400;
    const auto r = http_.Post(Path("/clock-corrections"),
                              json::object{{"device_id", s_.device_id},
                                           {"from", "2000-01-01 00:00:00"},
                                           {"to", "2000-01-01 23:59:59"},
                                           {"offset_seconds", offset},
                                           {"reason", "clock battery died; reset to 2000 this morning"}},
                              s_.admin_token);
    ASSERT_EQ(r.status, 201) << r.body;

    const auto row = Row("2026-03-12", amina);
    EXPECT_EQ(row.at("status").as_string(), "present");
    EXPECT_EQ(row.at("in_time").as_string(), "07:55:00");
    const auto marked = Marked();
    ASSERT_FALSE(marked.empty());
    EXPECT_EQ(marked[0].date, kToday) << "the day it moves the punch to is recomputed";
    ExpectAllInTheWindow();
}

TEST_F(Recompute, ASettingsVersionFromTheYear0001IsRefusedAndOneFromBeforeTheWindowMarksOnlyTheWindow) {
    Settle();
    for (const auto* date : {"0001-01-01", "1999-12-31", "2027-03-14"}) {
        const auto r = http_.Put(Path("/settings/attendance"),
                                 json::object{{"effective_from", date}, {"school_start_time", "08:00"}},
                                 s_.admin_token);
        EXPECT_EQ(r.status, 400) << date;
        EXPECT_NE(r.body.find("effective_from"), std::string::npos) << r.body;
    }
    EXPECT_EQ(*database_->CountDirty(), 0);
    // Dated back to the start of last school year, the days before the window still read with it (R18), but only
    // the window is recomputed.
    const auto r = http_.Put(Path("/settings/attendance"),
                             json::object{{"effective_from", "2025-01-06"}, {"school_start_time", "08:00"}},
                             s_.admin_token);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(*database_->CountDirty(), 366);
    ExpectAllInTheWindow();
}

TEST_F(Recompute, AReprocessRequestMarksOnlyTheDaysOfTheWindowUpToToday) {
    Settle();
    auto r = http_.Post(Path("/recompute"), json::object{{"from", "2026-03-01"}, {"to", "2026-03-31"}}, s_.admin_token);
    ASSERT_EQ(r.status, 202) << r.body;
    EXPECT_EQ(r.Json().at("queued_days").as_int64(), 12) << "1 to 12 March; the rest is the future";
    EXPECT_EQ(*database_->CountDirty(), 12);
    r = http_.Post(Path("/recompute"), json::object{{"from", "2024-01-01"}, {"to", "2024-12-31"}}, s_.admin_token);
    ASSERT_EQ(r.status, 202) << r.body;
    EXPECT_EQ(r.Json().at("queued_days").as_int64(), 0);
    EXPECT_EQ(*database_->CountDirty(), 12);
}

}  // namespace
}  // namespace rollcall::test
