// Reports over real HTTP: late-comers, absentees, the summary, ignored punches, unmapped people; JSON and CSV.

#include "integration/school_test.hpp"
#include "support/zip_entry.hpp"

#include <chrono>
#include <condition_variable>
#include <future>
#include <memory>
#include <mutex>
#include <set>

#include <gtest/gtest.h>

namespace rollcall::test {
namespace {

namespace json = boost::json;

class Reports : public SchoolTest {
protected:
    Reports() : SchoolTest(Settings{{"reports.max_days", "31"}}) {}
    std::int64_t amina_ = 0;
    std::int64_t brian_ = 0;

    void SetUp() override {
        Rules({{"school_start_time", "08:00"}});
        amina_ = Person("Amina, N.", "5A");
        brian_ = Person("Brian", "5A");
        Person("Chao", "6B");  // never mapped
        Map("1", amina_);
        Map("2", brian_);
        const auto punches = PushLogBody({{"1", "2026-03-11 07:50:00"},
                                          {"2", "2026-03-11 08:20:00"},
                                          {"1", "2026-03-12 08:05:00"},
                                          {"1", "2026-03-12 13:30:00"},
                                          {"99", "2026-03-12 07:00:00"}});
        ASSERT_EQ(http_.Post("/api/v1/biometric/push-log", punches, s_.device_token).status, 200);
    }

    json::value Report(const std::string& name, const std::string& query = "?from=2026-03-11&to=2026-03-12") {
        auto r = http_.Get(Path("/reports/" + name + query), s_.admin_token);
        EXPECT_EQ(r.status, 200) << r.body;
        return r.Json();
    }
};

TEST_F(Reports, LateComersAndAbsentees) {
    const auto late = Report("late");
    EXPECT_EQ(late.at("school").as_string(), "Hill School");
    EXPECT_EQ(late.at("period").as_string(), "2026-03-11 to 2026-03-12");
    const auto rows = late.at("rows").as_array();
    ASSERT_EQ(rows.size(), 2U);
    EXPECT_EQ(rows[0].as_array()[0].as_string(), "2026-03-11");
    EXPECT_EQ(rows[0].as_array()[1].as_string(), "Brian");
    EXPECT_EQ(rows[0].as_array()[5].as_string(), "20");
    EXPECT_EQ(rows[1].as_array()[1].as_string(), "Amina, N.");
    EXPECT_EQ(rows[1].as_array()[5].as_string(), "5");

    const auto absent = Report("absent").at("rows").as_array();
    ASSERT_EQ(absent.size(), 1U);
    EXPECT_EQ(absent[0].as_array()[0].as_string(), "2026-03-12");
    EXPECT_EQ(absent[0].as_array()[1].as_string(), "Brian");
}

TEST_F(Reports, SummaryCountsEachPersonsDays) {
    const auto rows = Report("summary").at("rows").as_array();
    ASSERT_EQ(rows.size(), 3U);
    // Name, Kind, Group, School days, Present, Late, Absent, Excused, Pending, Attendance %
    const auto& amina = rows[0].as_array();
    EXPECT_EQ(amina[0].as_string(), "Amina, N.");
    EXPECT_EQ(amina[3].as_string(), "2");
    EXPECT_EQ(amina[4].as_string(), "1");
    EXPECT_EQ(amina[5].as_string(), "1");
    EXPECT_EQ(amina[9].as_string(), "100.0");
    const auto& brian = rows[1].as_array();
    EXPECT_EQ(brian[5].as_string(), "1");
    EXPECT_EQ(brian[6].as_string(), "1");
    EXPECT_EQ(brian[9].as_string(), "50.0");
    const auto& chao = rows[2].as_array();  // not tracked: no school days counted, no percentage
    EXPECT_EQ(chao[3].as_string(), "0");
    EXPECT_EQ(chao[9].as_string(), "");
}

TEST_F(Reports, IgnoredPunchesAndUnmappedPeople) {
    const auto ignored = Report("ignored-punches").at("rows").as_array();
    ASSERT_EQ(ignored.size(), 2U);
    EXPECT_EQ(ignored[0].as_array()[1].as_string(), "13:30:00");  // ahead of the school's clock
    EXPECT_EQ(ignored[0].as_array()[5].as_string(), "R4");
    EXPECT_EQ(ignored[0].as_array()[2].as_string(), "Main gate");
    EXPECT_EQ(ignored[1].as_array()[0].as_string(), "2026-03-12");
    EXPECT_EQ(ignored[1].as_array()[2].as_string(), "Main gate");
    EXPECT_EQ(ignored[1].as_array()[3].as_string(), "99");  // nobody is mapped to user 99
    EXPECT_EQ(ignored[1].as_array()[5].as_string(), "R7");
    // User 99 punched on the 12th only: a report of the 11th has nothing of them.
    EXPECT_TRUE(Report("ignored-punches", "?from=2026-03-11&to=2026-03-11").at("rows").as_array().empty());
    const auto unmapped = Report("unmapped-people", "").at("rows").as_array();
    ASSERT_EQ(unmapped.size(), 1U);
    EXPECT_EQ(unmapped[0].as_array()[0].as_string(), "Chao");
}

TEST_F(Reports, CsvHasTheSchoolThePeriodAndQuotedFields) {
    auto r = http_.Get(Path("/reports/late?from=2026-03-11&to=2026-03-12&format=csv"), s_.admin_token);
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.headers["content-type"], "text/csv; charset=utf-8");
    EXPECT_EQ(r.headers["content-disposition"], "attachment; filename=\"hill-school_late_2026-03-11_2026-03-12.csv\"");
    EXPECT_EQ(r.body,
              "Late-comers,Hill School\r\n"
              "Period,2026-03-11 to 2026-03-12\r\n"
              "\r\n"
              "Date,Name,Kind,Group,In time,Minutes late\r\n"
              "2026-03-11,Brian,student,5A,08:20:00,20\r\n"
              "2026-03-12,\"Amina, N.\",student,5A,08:05:00,5\r\n");
}

// Issue 12, item 6 (CSV injection): a terminal's user id, or a person's name, that a spreadsheet would run as a
// formula reaches the office's spreadsheet as text, with a leading single quote, in every CSV report; the numbers the
// server computed stay numbers, and the JSON keeps the data as it was sent.
TEST_F(Reports, AFormulaSentAsAUserIdOrTypedAsANameIsTextInEveryDownloadedCsv) {
    const std::string hyperlink = R"(=HYPERLINK("http://x","y"))";
    const auto mallory = Person("=1+2");
    Map("-5", mallory);
    const auto punches = PushLogBody({{hyperlink, "2026-03-12 07:10:00"},  // nobody is mapped to it (R7)
                                      {"@SUM(A1)", "2026-03-12 07:11:00"},
                                      {"+1", "2026-03-12 07:12:00"},
                                      {"-5", "2026-03-12 08:30:00"},    // late
                                      {"-5", "2026-03-12 13:40:00"}});  // ahead of the school's clock (R4)
    ASSERT_EQ(http_.Post("/api/v1/biometric/push-log", punches, s_.device_token).status, 200);

    auto ignored = http_.Get(Path("/reports/ignored-punches?from=2026-03-12&to=2026-03-12&format=csv"), s_.admin_token);
    ASSERT_EQ(ignored.status, 200);
    for (const std::string line : {
             "2026-03-12,,Main gate,\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",,R7,unmapped user (1 punches)\r\n",
             "2026-03-12,,Main gate,'@SUM(A1),,R7,unmapped user (1 punches)\r\n",
             "2026-03-12,,Main gate,'+1,,R7,unmapped user (1 punches)\r\n",
             "2026-03-12,13:40:00,Main gate,'-5,'=1+2,R4,",
         }) {
        EXPECT_NE(ignored.body.find(line), std::string::npos) << line << " in:\n" << ignored.body;
    }
    auto late = http_.Get(Path("/reports/late?from=2026-03-12&to=2026-03-12&format=csv"), s_.admin_token);
    ASSERT_EQ(late.status, 200);
    EXPECT_NE(late.body.find("2026-03-12,'=1+2,student,5A,08:30:00,30\r\n"), std::string::npos) << late.body;
    auto summary = http_.Get(Path("/reports/summary?from=2026-03-12&to=2026-03-12&format=csv"), s_.admin_token);
    EXPECT_NE(summary.body.find("'=1+2,student,5A,1,0,1,0,0,0,100.0\r\n"), std::string::npos) << summary.body;
    // Nothing in any CSV starts a cell with a formula.
    for (const auto* body : {&ignored.body, &late.body, &summary.body}) {
        for (const std::string cell : {",=", ",+", ",@", ",-", "\n=", "\"="}) {
            EXPECT_EQ(body->find(cell), std::string::npos) << cell << " in:\n" << *body;
        }
    }
    // JSON is data for programs, not a spreadsheet: the user id is what the terminal sent.
    bool found = false;
    const auto json = Report("ignored-punches", "?from=2026-03-12&to=2026-03-12");
    for (const auto& row : json.at("rows").as_array()) {
        found = found || row.as_array()[3].as_string() == hyperlink;
    }
    EXPECT_TRUE(found);
}

// Issue 12, item 13: terminal user ids that look like numbers reach the workbook as the text the terminal sent. As
// numbers, "nan" and "inf" made Excel refuse the file and user 0017 read as 17.
TEST_F(Reports, UserIdsThatLookLikeNumbersAreTextInTheDownloadedWorkbook) {
    const std::vector<std::string> ids = {"0017", "1e5", "inf", "nan"};
    std::vector<std::pair<std::string, std::string>> punches;
    for (const auto& id : ids) {
        punches.emplace_back(id, "2026-03-10 07:30:00");  // nobody is mapped to them (R7)
    }
    ASSERT_EQ(http_.Post("/api/v1/biometric/push-log", PushLogBody(punches), s_.device_token).status, 200);
    auto r = http_.Get(Path("/reports/ignored-punches?from=2026-03-10&to=2026-03-10&format=xlsx"), s_.admin_token);
    ASSERT_EQ(r.status, 200) << r.body;
    // Title, Period, a blank row, the header in row 4; Date, Time, Device, User ID: the ids are in D5 to D8.
    std::set<std::string> seen;
    for (int row = 5; row <= 8; ++row) {
        const auto cell = CellOfXlsx(r.body, "D" + std::to_string(row));
        EXPECT_TRUE(cell.text) << "D" << row << " is written as the number " << cell.value;
        seen.insert(cell.value);
    }
    EXPECT_EQ(seen, std::set<std::string>(ids.begin(), ids.end()));
    // The counts of the summary are still numbers: 2 school days (the 10th and the 11th) for Amina.
    auto summary = http_.Get(Path("/reports/summary?from=2026-03-10&to=2026-03-11&format=xlsx"), s_.admin_token);
    ASSERT_EQ(summary.status, 200);
    EXPECT_EQ(CellOfXlsx(summary.body, "A5").value, "Amina, N.");
    const auto days = CellOfXlsx(summary.body, "D5");
    EXPECT_FALSE(days.text);
    EXPECT_EQ(days.value, "2");
}

// Issue 11, item 6: before 2026 the school had no start time, so nobody could be late; the report says so in
// every format instead of being silently empty.
TEST_F(Reports, LateComersWithoutAStartTimeSayWhyInJsonCsvAndXlsx) {
    const std::string warning = "no school start time is set: nobody is marked late (R15)";
    const auto late = Report("late", "?from=2025-12-01&to=2025-12-05");
    EXPECT_TRUE(late.at("rows").as_array().empty());
    EXPECT_EQ(late.at("warnings"), (json::array{warning}));
    EXPECT_TRUE(Report("late").at("warnings").as_array().empty());

    auto csv = http_.Get(Path("/reports/late?from=2025-12-01&to=2025-12-05&format=csv"), s_.admin_token);
    ASSERT_EQ(csv.status, 200);
    EXPECT_EQ(csv.body,
              "Late-comers,Hill School\r\n"
              "Period,2025-12-01 to 2025-12-05\r\n"
              "Warning," +
                  warning +
                  "\r\n"
                  "\r\n"
                  "Date,Name,Kind,Group,In time,Minutes late\r\n");
    auto xlsx = http_.Get(Path("/reports/late?from=2025-12-01&to=2025-12-05&format=xlsx"), s_.admin_token);
    ASSERT_EQ(xlsx.status, 200);
    EXPECT_NE(ZipEntry(xlsx.body, "xl/sharedStrings.xml").find(warning), std::string::npos);
}

TEST_F(Reports, PeriodIsValidatedAndBounded) {
    EXPECT_EQ(http_.Get(Path("/reports/late?from=2026-03-11"), s_.admin_token).status, 400);
    EXPECT_EQ(http_.Get(Path("/reports/late?from=2026-03-12&to=2026-03-11"), s_.admin_token).status, 400);
    EXPECT_EQ(http_.Get(Path("/reports/late?from=2026-01-01&to=2026-02-01"), s_.admin_token).status, 400);  // 32 days
    EXPECT_EQ(http_.Get(Path("/reports/late?from=2026-01-01&to=2026-01-31"), s_.admin_token).status, 200);
    auto other = MakeSchool(server_, "Lake School");
    const auto admin_b = server_.SchoolAdminToken(other.school_id, "head@lake.example.org");
    EXPECT_EQ(http_.Get(Path("/reports/late?from=2026-03-11&to=2026-03-12"), admin_b).status, 404);
}

TEST_F(Reports, XlsxIsAWorkbookWithTheReportSheet) {
    auto r = http_.Get(Path("/reports/summary?from=2026-03-11&to=2026-03-12&format=xlsx"), s_.admin_token);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.headers["content-type"], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    EXPECT_EQ(r.headers["content-disposition"],
              "attachment; filename=\"hill-school_summary_2026-03-11_2026-03-12.xlsx\"");
    // A zip (OOXML) whose entry names are stored uncompressed.
    ASSERT_GT(r.body.size(), 1000U);
    EXPECT_EQ(r.body.substr(0, 2), "PK");
    EXPECT_NE(r.body.find("xl/worksheets/sheet1.xml"), std::string::npos);
    EXPECT_NE(r.body.find("xl/sharedStrings.xml"), std::string::npos);
    EXPECT_EQ(http_.Get(Path("/reports/summary?from=2026-03-11&to=2026-03-12&format=pdf"), s_.admin_token).status, 400);
}

/// Holds each report of one school at its start until released: the test hook of the reports service
/// (Reports::SetStartHookForTests), because no real dataset holds a report for as long as a test needs, exactly.
class ReportLatch {
public:
    explicit ReportLatch(std::int64_t school_id) : school_id_(school_id) {}
    void Hold(std::int64_t school_id) {
        if (school_id != school_id_) {
            return;
        }
        std::unique_lock lock(mu_);
        ++entered_;
        cv_.notify_all();
        cv_.wait(lock, [&] { return released_; });
    }
    /// Whether `count` reports of the school reached the latch (waits a generous while for them).
    bool WaitEntered(std::size_t count) {
        std::unique_lock lock(mu_);
        return cv_.wait_for(lock, std::chrono::seconds(30), [&] { return entered_ >= count; });
    }
    void Release() {
        std::lock_guard lock(mu_);
        released_ = true;
        cv_.notify_all();
    }

private:
    std::int64_t school_id_;
    std::mutex mu_;
    std::condition_variable cv_;
    std::size_t entered_ = 0;
    bool released_ = false;
};

/// Releases the latch when the test leaves, before the held request's future waits for its answer.
struct ReleaseOnExit {
    ReportLatch& latch;
    ~ReleaseOnExit() { latch.Release(); }
};

// Issue 12, item 16: reports have a pool of their own, and a school a share of it.
class ReportPool : public SchoolTest {
protected:
    explicit ReportPool(const std::string& report_threads)
        : SchoolTest(Settings{{"service.worker_threads", "1"},
                              {"reports.worker_threads", report_threads},
                              {"reports.queue_depth", "0"},
                              {"reports.max_concurrent_per_school", "1"}}) {}

    std::shared_ptr<ReportLatch> latch_ = std::make_shared<ReportLatch>(s_.school_id);
    SchoolFixture valley_ = MakeSchool(server_, "Valley School");
    /// Answers that take longer than this did not come while the report was held.
    HttpClient quick_{server_.port(), std::chrono::seconds(10)};

    void SetUp() override {
        server_.app().services().reports.SetStartHookForTests(
            [latch = latch_](std::int64_t school_id) { latch->Hold(school_id); });
    }
    void TearDown() override { latch_->Release(); }

    /// Hill's late-comers report, asked on a connection of its own; held at its start until the latch is released.
    std::future<HttpResponse> HeldHillReport() {
        auto answer = std::async(std::launch::async, [this] {
            HttpClient own(server_.port());
            return own.Get(Path("/reports/late?from=2026-03-11&to=2026-03-12"), s_.admin_token);
        });
        EXPECT_TRUE(latch_->WaitEntered(1)) << "Hill's report never started";
        return answer;
    }
};

class ReportPoolOfOne : public ReportPool {
protected:
    ReportPoolOfOne() : ReportPool("1") {}
};

// The probe of issue 12: one school's reports slowed every school's admin API by up to 1.9 s, because they ran on
// the admin pool. Here Hill's report holds the only report thread for as long as the test likes, and the only
// admin thread still answers Valley at once. A second report of Hill's is over its share (429), and Valley's report
// finds the report pool full (503), both with Retry-After; once Hill's is done, both run.
TEST_F(ReportPoolOfOne, AnotherSchoolsAdminIsAnsweredWhileOneSchoolsReportHoldsTheReportPool) {
    auto held = HeldHillReport();
    ReleaseOnExit release{*latch_};
    EXPECT_EQ(quick_.Get(SchoolPath(valley_, "/people"), valley_.admin_token).status, 200);
    EXPECT_EQ(quick_.Get(SchoolPath(valley_, "/attendance?date=2026-03-12"), valley_.admin_token).status, 200);
    EXPECT_EQ(quick_
                  .Post(SchoolPath(valley_, "/holidays"),
                        json::object{{"date", "2026-04-03"}, {"name", "Good Friday"}},
                        valley_.admin_token)
                  .status,
              201);
    EXPECT_EQ(quick_.Get(Path("/people"), s_.admin_token).status, 200) << "Hill's own admin is answered too";

    auto again = quick_.Get(Path("/reports/summary?from=2026-03-11&to=2026-03-12"), s_.admin_token);
    EXPECT_EQ(again.status, 429) << again.body;
    EXPECT_EQ(again.headers["retry-after"], "1");
    auto busy = quick_.Get(SchoolPath(valley_, "/reports/late?from=2026-03-11&to=2026-03-12"), valley_.admin_token);
    EXPECT_EQ(busy.status, 503) << busy.body;
    EXPECT_EQ(busy.headers["retry-after"], "1");

    latch_->Release();
    const auto hill = held.get();
    EXPECT_EQ(hill.status, 200) << hill.body;
    EXPECT_EQ(hill.Json().at("period").as_string(), "2026-03-11 to 2026-03-12") << "the held report is answered";
    EXPECT_EQ(
        quick_.Get(SchoolPath(valley_, "/reports/late?from=2026-03-11&to=2026-03-12"), valley_.admin_token).status,
        200);
    EXPECT_EQ(quick_.Get(Path("/reports/summary?from=2026-03-11&to=2026-03-12"), s_.admin_token).status, 200);
}

class ReportPoolOfTwo : public ReportPool {
protected:
    ReportPoolOfTwo() : ReportPool("2") {}
};

// With two report threads and a share of one report per school, a school whose report is running cannot take the
// other thread: another school's report runs on it meanwhile.
TEST_F(ReportPoolOfTwo, OneSchoolsReportsLeaveTheRestOfTheReportPoolToOtherSchools) {
    auto held = HeldHillReport();
    ReleaseOnExit release{*latch_};
    EXPECT_EQ(quick_.Get(Path("/reports/absent?from=2026-03-11&to=2026-03-12&format=csv"), s_.admin_token).status, 429);
    const auto valley = quick_.Get(SchoolPath(valley_, "/reports/summary?from=2026-03-11&to=2026-03-12&format=xlsx"),
                                   valley_.admin_token);
    EXPECT_EQ(valley.status, 200) << valley.body;
    latch_->Release();
    EXPECT_EQ(held.get().status, 200);
}

}  // namespace
}  // namespace rollcall::test
