// The daily counts behind the Today screen's 30-day chart, over real HTTP (docs/api.md "Register"): each day's
// counts are the register's own for that day. Today is Thursday 2026-03-12 in Nairobi.

#include "integration/school_test.hpp"

#include <gtest/gtest.h>

namespace rollcall::test {
namespace {

namespace json = boost::json;

class AttendanceTrend : public SchoolTest {
protected:
    AttendanceTrend() : SchoolTest(Settings{{"reports.max_days", "40"}}) {}

    void SetUp() override {
        Rules({{"school_start_time", "08:00"}});
        const auto amina = Person("Amina", "5A");
        const auto brian = Person("Brian", "5A");
        Map("1", amina);
        Map("2", brian);
        const auto punches = PushLogBody({{"1", "2026-03-10 07:50:00"},
                                          {"2", "2026-03-10 08:05:00"},
                                          {"1", "2026-03-11 08:15:00"},
                                          {"1", "2026-03-12 07:40:00"}});
        ASSERT_EQ(http_.Post("/api/v1/biometric/push-log", punches, s_.device_token).status, 200);
        ASSERT_EQ(Override(brian, "2026-03-11", "excused", "clinic").status, 201);
        ASSERT_EQ(
            http_
                .Post(
                    Path("/holidays"), json::object{{"date", "2026-03-06"}, {"name", "Founders' Day"}}, s_.admin_token)
                .status,
            201);
    }
    json::array Trend(const std::string& query) {
        auto r = http_.Get(Path("/attendance/trend" + query), s_.admin_token);
        EXPECT_EQ(r.status, 200) << r.body;
        return r.status == 200 ? r.Json().at("items").as_array() : json::array();
    }
};

TEST_F(AttendanceTrend, EachDayHasTheRegistersCounts) {
    const auto items = Trend("?from=2026-03-06&to=2026-03-12");
    ASSERT_EQ(items.size(), 7U);
    EXPECT_EQ(items[0].at("date").as_string(), "2026-03-06");
    EXPECT_EQ(items[0].at("school_day"), false);
    EXPECT_EQ(items[0].at("holiday"), true);
    EXPECT_EQ(items[1].at("school_day"), false);  // Saturday
    EXPECT_EQ(items[1].at("holiday"), false);
    EXPECT_EQ(items[4],
              (json::object{{"date", "2026-03-10"},
                            {"school_day", true},
                            {"holiday", false},
                            {"final", true},
                            {"present", 1},
                            {"late", 1},
                            {"absent", 0},
                            {"excused", 0},
                            {"pending", 0}}));
    EXPECT_EQ(items[5].at("late").as_int64(), 1);
    EXPECT_EQ(items[5].at("excused").as_int64(), 1);  // Brian's override counts as it shows
    for (const auto& item : items) {
        const std::string date(item.at("date").as_string());
        const auto counts = http_.Get(Path("/attendance?date=" + date), s_.admin_token).Json().at("counts").as_object();
        for (const auto* status : {"present", "late", "absent", "excused", "pending"}) {
            const auto* n = counts.if_contains(status);
            EXPECT_EQ(item.at(status).as_int64(), n != nullptr ? n->as_int64() : 0) << date << " " << status;
        }
    }
}

TEST_F(AttendanceTrend, WithoutAPeriodItIsTheThirtyDaysUpToTheSchoolsToday) {
    const auto items = Trend("");
    ASSERT_EQ(items.size(), 30U);
    EXPECT_EQ(items.front().at("date").as_string(), "2026-02-11");
    EXPECT_EQ(items.back().at("date").as_string(), "2026-03-12");
    EXPECT_EQ(Trend("?to=2026-03-10").back().at("date").as_string(), "2026-03-10");
}

TEST_F(AttendanceTrend, ThePeriodIsCheckedAndBoundedByReportsMaxDays) {
    EXPECT_EQ(http_.Get(Path("/attendance/trend?from=2026-03-12&to=2026-03-11"), s_.admin_token).status, 400);
    EXPECT_EQ(http_.Get(Path("/attendance/trend?from=2026-01-01&to=2026-03-12"), s_.admin_token).status, 400);
    EXPECT_EQ(http_.Get(Path("/attendance/trend?from=yesterday"), s_.admin_token).status, 400);
    EXPECT_EQ(Trend("?from=2026-02-02&to=2026-03-12").size(), 39U);
}

}  // namespace
}  // namespace rollcall::test
