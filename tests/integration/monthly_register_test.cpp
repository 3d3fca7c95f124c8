// The monthly register over real HTTP (docs/api.md "Reports"): the grid of a month for one group or the whole
// school, as JSON for the panel, as CSV, and as a workbook a school office prints; another school's groups are not
// there. The server's clock says Thursday 2026-03-12, 13:00 in Nairobi.

#include "integration/school_test.hpp"
#include "support/zip_entry.hpp"

#include <gtest/gtest.h>

namespace rollcall::test {
namespace {

namespace json = boost::json;

/// A person's cells as one string, '.' for a blank.
std::string Letters(const json::value& person) {
    std::string out;
    for (const auto& cell : person.at("cells").as_array()) {
        const std::string letter(cell.as_string());
        out += letter.empty() ? std::string(".") : letter;
    }
    return out;
}

class MonthlyRegister : public SchoolTest {
protected:
    std::int64_t amina_ = 0;
    std::int64_t brian_ = 0;

    void SetUp() override {
        Rules({{"school_start_time", "08:00"}});
        ASSERT_EQ(
            http_
                .Post(
                    Path("/holidays"), json::object{{"date", "2026-03-06"}, {"name", "Founders' Day"}}, s_.admin_token)
                .status,
            201);
        amina_ = Person("Amina", "5A");
        // Brian joined on Tuesday the 10th.
        auto r = http_.Post(Path("/people"),
                            json::object{{"name", "Brian"},
                                         {"kind", "student"},
                                         {"group", "5A"},
                                         {"external_id", "0042"},
                                         {"active_from", "2026-03-10"}},
                            s_.admin_token);
        ASSERT_EQ(r.status, 201) << r.body;
        brian_ = r.Json().at("id").as_int64();
        Person("Chao", "6B");  // never mapped
        Map("1", amina_);
        Map("2", brian_);
        const auto punches = PushLogBody({{"1", "2026-03-02 07:55:00"},
                                          {"1", "2026-03-03 08:10:00"},
                                          {"1", "2026-03-12 07:50:00"},
                                          {"2", "2026-03-10 08:00:00"},
                                          {"2", "2026-03-12 08:30:00"}});
        // The push is the gate's word that it is alive: every day up to today is final (R16).
        ASSERT_EQ(http_.Post("/api/v1/biometric/push-log", punches, s_.device_token).status, 200);
        ASSERT_EQ(Override(amina_, "2026-03-05", "excused", "dentist").status, 201);
        ASSERT_EQ(Override(amina_, "2026-03-09", "present", "on a school trip").status, 201);
    }

    json::value Month(const std::string& query) {
        auto r = http_.Get(Path("/reports/monthly-register" + query), s_.admin_token);
        EXPECT_EQ(r.status, 200) << r.body;
        return r.status == 200 ? r.Json() : json::value();
    }
};

TEST_F(MonthlyRegister, AGroupsMonthShowsALetterPerDayWithOverridesMarkedAndTotals) {
    const auto month = Month("?month=2026-03&group=5A");
    EXPECT_EQ(month.at("school").as_string(), "Hill School");
    EXPECT_EQ(month.at("month").as_string(), "2026-03");
    EXPECT_EQ(month.at("title").as_string(), "March 2026");
    EXPECT_EQ(month.at("today").as_string(), "2026-03-12");
    EXPECT_EQ(month.at("group").as_string(), "5A");
    const auto& days = month.at("days").as_array();
    ASSERT_EQ(days.size(), 31U);
    EXPECT_EQ(days[0],
              (json::object{{"date", "2026-03-01"}, {"weekday", 7}, {"school_day", false}, {"holiday", nullptr}}));
    EXPECT_EQ(days[1].at("school_day"), true);
    EXPECT_EQ(days[5].at("holiday"), "Founders' Day");
    const auto& groups = month.at("groups").as_array();
    ASSERT_EQ(groups.size(), 1U);
    EXPECT_EQ(groups[0].at("group").as_string(), "5A");
    EXPECT_EQ(groups[0].at("kind").as_string(), "student");
    const auto& people = groups[0].at("people").as_array();
    ASSERT_EQ(people.size(), 2U);
    const auto& amina = people[0];
    EXPECT_EQ(amina.at("person_id").as_int64(), amina_);
    //                       1234567890123456789012345678901
    EXPECT_EQ(Letters(amina), "WPLAEHWWPAAP.WW.....WW.....WW..");
    EXPECT_EQ(amina.at("overridden"), (json::array{4, 8}));
    EXPECT_EQ(amina.at("totals"),
              (json::object{{"present", 3},
                            {"late", 1},
                            {"absent", 3},
                            {"excused", 1},
                            {"pending", 0},
                            {"days_present", 4},
                            {"school_days", 8},
                            {"attendance_percent", 57.1}}));
    const auto& brian = people[1];
    EXPECT_EQ(brian.at("external_id").as_string(), "0042");
    EXPECT_EQ(brian.at("active_from").as_string(), "2026-03-10");
    EXPECT_EQ(Letters(brian), ".........PAL.WW.....WW.....WW..");  // nothing before he joined
    const auto& day_totals = groups[0].at("day_totals").as_array();
    ASSERT_EQ(day_totals.size(), 31U);
    EXPECT_EQ(day_totals[9],
              (json::object{{"present", 1}, {"late", 0}, {"absent", 1}, {"excused", 0}, {"pending", 0}}));
    EXPECT_EQ(day_totals[11],
              (json::object{{"present", 1}, {"late", 1}, {"absent", 0}, {"excused", 0}, {"pending", 0}}));
    EXPECT_EQ(month.at("day_totals"), groups[0].at("day_totals"));
    EXPECT_TRUE(month.at("warnings").as_array().empty());
    const auto& legend = month.at("legend").as_array();
    EXPECT_EQ(legend[0], (json::object{{"letter", "P"}, {"meaning", "present"}}));
}

TEST_F(MonthlyRegister, TheWholeSchoolIsEveryGroupAndAKindOnlyItsPeople) {
    const auto month = Month("?month=2026-03");
    EXPECT_EQ(month.at("group"), nullptr);
    const auto& groups = month.at("groups").as_array();
    ASSERT_EQ(groups.size(), 2U);
    EXPECT_EQ(groups[0].at("group").as_string(), "5A");
    EXPECT_EQ(groups[1].at("group").as_string(), "6B");
    EXPECT_EQ(Letters(groups[1].at("people").at(0)), "WNNNNHWWNNNN.WW.....WW.....WW..");  // nothing can record Chao
    EXPECT_TRUE(Month("?month=2026-03&kind=staff").at("groups").as_array().empty());
}

TEST_F(MonthlyRegister, AnotherSchoolsGroupIsNotThereAndItsRegisterIsNotFound) {
    const auto lake = MakeSchool(server_, "Lake School");
    auto r = http_.Post(SchoolPath(lake, "/people"),
                        json::object{{"name", "Lake pupil"}, {"kind", "student"}, {"group", "9Z"}},
                        lake.admin_token);
    ASSERT_EQ(r.status, 201) << r.body;
    EXPECT_EQ(http_.Get(Path("/reports/monthly-register?month=2026-03&group=9Z"), s_.admin_token).status, 404);
    const auto lake_admin = server_.SchoolAdminToken(lake.school_id, "head@lake.example.org");
    EXPECT_EQ(http_.Get(Path("/reports/monthly-register?month=2026-03"), lake_admin).status, 404);
    EXPECT_EQ(http_.Get(SchoolPath(lake, "/reports/monthly-register?month=2026-03&group=9Z"), lake_admin).status, 200);
}

TEST_F(MonthlyRegister, TheMonthKindAndFormatAreChecked) {
    for (const auto* query : {"", "?month=2026-3", "?month=2026-13", "?month=March", "?month=2026-03-01"}) {
        const auto r = http_.Get(Path("/reports/monthly-register") + query, s_.admin_token);
        EXPECT_EQ(r.status, 400) << query;
        EXPECT_NE(r.body.find("month: expected YYYY-MM"), std::string::npos) << r.body;
    }
    EXPECT_EQ(http_.Get(Path("/reports/monthly-register?month=2026-03&kind=teacher"), s_.admin_token).status, 400);
    EXPECT_EQ(http_.Get(Path("/reports/monthly-register?month=2026-03&format=pdf"), s_.admin_token).status, 400);
}

TEST_F(MonthlyRegister, TheWorkbookHasTheGroupsSheetReadyToPrint) {
    auto r = http_.Get(Path("/reports/monthly-register?month=2026-03&group=5A&format=xlsx"), s_.admin_token);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.headers["content-type"], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    EXPECT_EQ(r.headers["content-disposition"],
              "attachment; filename=\"hill-school_monthly-register_2026-03_5a.xlsx\"");
    EXPECT_EQ(CellOfXlsx(r.body, "A1").value, "Hill School");
    EXPECT_EQ(CellOfXlsx(r.body, "A2").value, "Monthly register: March 2026");
    EXPECT_EQ(CellOfXlsx(r.body, "A3").value, "Group: 5A");
    EXPECT_EQ(CellOfXlsx(r.body, "A7").value, "Amina");
    EXPECT_EQ(CellOfXlsx(r.body, "D7").value, "P");   // the 2nd
    EXPECT_EQ(CellOfXlsx(r.body, "G7").value, "E*");  // the 5th, excused by an override
    const auto id = CellOfXlsx(r.body, "B8");
    EXPECT_TRUE(id.text) << "Brian's ID 0042 is the number " << id.value;
    EXPECT_EQ(id.value, "0042");
    const auto sheet = ZipEntry(r.body, "xl/worksheets/sheet1.xml");
    EXPECT_NE(sheet.find("orientation=\"landscape\""), std::string::npos);
    EXPECT_NE(sheet.find("<pageSetUpPr fitToPage=\"1\"/>"), std::string::npos);
    EXPECT_NE(ZipEntry(r.body, "xl/workbook.xml").find("_xlnm.Print_Titles"), std::string::npos);

    // The whole school: a sheet per group.
    auto all = http_.Get(Path("/reports/monthly-register?month=2026-03&format=xlsx"), s_.admin_token);
    ASSERT_EQ(all.status, 200);
    EXPECT_EQ(CellOfXlsx(all.body, "A3", 2).value, "Group: 6B");
    EXPECT_EQ(CellOfXlsx(all.body, "A7", 2).value, "Chao");
}

TEST_F(MonthlyRegister, TheCsvHasALinePerPerson) {
    auto r = http_.Get(Path("/reports/monthly-register?month=2026-03&group=5A&format=csv"), s_.admin_token);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.headers["content-type"], "text/csv; charset=utf-8");
    EXPECT_EQ(r.headers["content-disposition"], "attachment; filename=\"hill-school_monthly-register_2026-03_5a.csv\"");
    EXPECT_EQ(r.body.substr(0, r.body.find("\r\n")), "Monthly register,Hill School");
    EXPECT_NE(r.body.find("\r\nBrian,0042,,,,,,,,,,P,A,L,"), std::string::npos) << r.body;
}

}  // namespace
}  // namespace rollcall::test
