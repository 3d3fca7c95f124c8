// The monthly register's workbook as Excel reads it: a sheet per group headed by the school, the month and the
// group, letters in the day columns, identifiers as text, counts as numbers, and the page set up for printing.

#include "service/month_register.hpp"
#include "support/zip_entry.hpp"

#include <regex>

#include <gtest/gtest.h>

namespace rollcall::service {
namespace {

using domain::DayStatus;
using test::CellOfXlsx;
using test::ZipEntry;

core::Date March(unsigned day) {
    return core::DateFromYmd(2026, 3, day);
}

MonthPerson Line(std::int64_t id, const std::string& name, const std::string& external_id) {
    storage::Person p;
    p.id = id;
    p.name = name;
    p.external_id = external_id;
    p.group = "5A";
    return MonthPerson{p, std::vector<MonthMark>(31, MonthMark::kBlank), {}, {}};
}

/// March 2026 for one 5A student: present, late, absent on the 2nd to the 4th, excused by an override on the 5th,
/// the 6th a holiday; and a second group whose name Excel would refuse as a sheet name.
MonthRegister March2026() {
    MonthRegister m;
    m.school = "Hill School";
    m.year = 2026;
    m.month = 3;
    m.today = March(12);
    m.filter.group = "5A";
    for (unsigned d = 1; d <= 31; ++d) {
        const auto date = March(d);
        m.days.push_back(MonthDay{date,
                                  core::Weekday(date) < 5 && d != 6,
                                  d == 6 ? std::optional<std::string>("Founders' Day") : std::nullopt});
    }
    MonthGroup g{domain::PersonKind::kStudent, "5A", {}, std::vector<StatusCounts>(31)};
    auto amina = Line(1, "Amina", "0017");
    amina.cells[0] = MonthMark::kWeekend;
    amina.cells[1] = MonthMark::kPresent;
    amina.cells[2] = MonthMark::kLate;
    amina.cells[3] = MonthMark::kAbsent;
    amina.cells[4] = MonthMark::kExcused;
    amina.cells[5] = MonthMark::kHoliday;
    amina.overridden = {4};
    for (const auto s : {DayStatus::kPresent, DayStatus::kLate, DayStatus::kAbsent, DayStatus::kExcused}) {
        amina.totals.Add(s);
    }
    g.day_totals[1].Add(DayStatus::kPresent);
    g.day_totals[3].Add(DayStatus::kAbsent);
    g.people.push_back(amina);
    m.groups.push_back(g);
    MonthGroup other{domain::PersonKind::kStudent, "6B/North", {}, std::vector<StatusCounts>(31)};
    other.people.push_back(Line(2, "Brian", "1e5"));
    m.groups.push_back(other);
    return m;
}

/// The style index of a cell of the first sheet: cells formatted alike share one.
std::string StyleOf(const std::string& sheet, const std::string& ref) {
    std::smatch m;
    if (!std::regex_search(sheet, m, std::regex("<c r=\"" + ref + "\" s=\"([0-9]+)\""))) {
        ADD_FAILURE() << "no styled cell " << ref;
        return {};
    }
    return m[1].str();
}

TEST(MonthRegisterXlsx, EachGroupHasASheetHeadedByTheSchoolTheMonthAndTheGroup) {
    const auto workbook = MonthToXlsx(March2026()).value();
    const auto book = ZipEntry(workbook, "xl/workbook.xml");
    EXPECT_NE(book.find("<sheet name=\"Group 5A\""), std::string::npos) << book;
    EXPECT_NE(book.find("<sheet name=\"Group 6BNorth\""), std::string::npos) << book;  // no '/' in a sheet name
    EXPECT_EQ(CellOfXlsx(workbook, "A1").value, "Hill School");
    EXPECT_EQ(CellOfXlsx(workbook, "A2").value, "Monthly register: March 2026");
    EXPECT_EQ(CellOfXlsx(workbook, "A3").value, "Group: 5A");
    EXPECT_EQ(CellOfXlsx(workbook, "A3", 2).value, "Group: 6B/North");
    // The day numbers as numbers, the weekdays under them.
    EXPECT_FALSE(CellOfXlsx(workbook, "C5").text);
    EXPECT_EQ(CellOfXlsx(workbook, "C5").value, "1");
    EXPECT_EQ(CellOfXlsx(workbook, "AG5").value, "31");
    EXPECT_EQ(CellOfXlsx(workbook, "C6").value, "Su");
    EXPECT_EQ(CellOfXlsx(workbook, "D6").value, "Mo");
}

TEST(MonthRegisterXlsx, ALinePerPersonHasTextIdentifiersALetterPerDayAndCountedTotals) {
    const auto workbook = MonthToXlsx(March2026()).value();
    const auto name = CellOfXlsx(workbook, "A7");
    EXPECT_TRUE(name.text);
    EXPECT_EQ(name.value, "Amina");
    const auto id = CellOfXlsx(workbook, "B7");
    EXPECT_TRUE(id.text) << "the ID 0017 was written as the number " << id.value;
    EXPECT_EQ(id.value, "0017");
    const auto other_id = CellOfXlsx(workbook, "B7", 2);
    EXPECT_TRUE(other_id.text);
    EXPECT_EQ(other_id.value, "1e5");
    for (const auto& [ref, letter] : std::vector<std::pair<std::string, std::string>>{
             {"C7", "W"}, {"D7", "P"}, {"E7", "L"}, {"F7", "A"}, {"G7", "E*"}, {"H7", "H"}}) {
        EXPECT_EQ(CellOfXlsx(workbook, ref).value, letter) << ref;
    }
    // After the 31 days (C..AG): P, L, A, E, ?, days present, school days, %.
    for (const auto& [ref, count] : std::vector<std::pair<std::string, std::string>>{
             {"AH7", "1"}, {"AI7", "1"}, {"AJ7", "1"}, {"AK7", "1"}, {"AL7", "0"}, {"AM7", "2"}, {"AN7", "4"}}) {
        const auto cell = CellOfXlsx(workbook, ref);
        EXPECT_FALSE(cell.text) << ref;
        EXPECT_EQ(cell.value, count) << ref;
    }
    EXPECT_EQ(CellOfXlsx(workbook, "AO7").value, "66.7");  // 2 of the 3 decided days
    // The day totals under the people: present, late, absent.
    EXPECT_EQ(CellOfXlsx(workbook, "A8").value, "Present");
    EXPECT_EQ(CellOfXlsx(workbook, "D8").value, "1");
    EXPECT_EQ(CellOfXlsx(workbook, "A10").value, "Absent");
    EXPECT_EQ(CellOfXlsx(workbook, "F10").value, "1");
    // An overridden cell looks different from a computed one, and a non-school day's from a school day's.
    const auto sheet = ZipEntry(workbook, "xl/worksheets/sheet1.xml");
    EXPECT_NE(StyleOf(sheet, "G7"), StyleOf(sheet, "D7"));
    EXPECT_NE(StyleOf(sheet, "C7"), StyleOf(sheet, "D7"));
    EXPECT_NE(StyleOf(sheet, "H5"), StyleOf(sheet, "D5"));  // the holiday's column heading is shaded
}

TEST(MonthRegisterXlsx, ThePageIsLandscapeOnePageWideWithTheHeadingOnEveryPageAndALegend) {
    const auto workbook = MonthToXlsx(March2026()).value();
    const auto sheet = ZipEntry(workbook, "xl/worksheets/sheet1.xml");
    EXPECT_NE(sheet.find("<pageSetUpPr fitToPage=\"1\"/>"), std::string::npos) << sheet;
    EXPECT_NE(sheet.find("orientation=\"landscape\""), std::string::npos);
    EXPECT_NE(sheet.find("fitToHeight=\"0\""), std::string::npos);  // one page wide, as many long as needed
    EXPECT_NE(sheet.find("paperSize=\"9\""), std::string::npos);
    EXPECT_NE(sheet.find("<oddHeader>&amp;LHill School&amp;CMonthly register: March 2026&amp;R5A</oddHeader>"),
              std::string::npos);
    EXPECT_NE(sheet.find("<pane xSplit=\"2\" ySplit=\"6\""), std::string::npos);
    const auto book = ZipEntry(workbook, "xl/workbook.xml");
    EXPECT_NE(book.find("<definedName name=\"_xlnm.Print_Titles\" localSheetId=\"0\">'Group 5A'!$1:$6</definedName>"),
              std::string::npos)
        << book;
    const auto strings = ZipEntry(workbook, "xl/sharedStrings.xml");
    EXPECT_NE(strings.find("P  present"), std::string::npos);
    EXPECT_NE(strings.find("Holiday 2026-03-06: Founders"), std::string::npos);
}

TEST(MonthRegisterXlsx, GroupsWhoseSheetNamesWouldCollideGetNamesOfTheirOwnAndEveryPrintTitleIsQuoted) {
    auto month = March2026();
    month.groups[1].group = "5a";
    month.groups.push_back(month.groups[1]);
    month.groups.back().group = "O'Brien";
    const auto book = ZipEntry(MonthToXlsx(month).value(), "xl/workbook.xml");
    EXPECT_NE(book.find("<sheet name=\"Group 5A\""), std::string::npos);
    EXPECT_NE(book.find("<sheet name=\"Group 5a (2)\""), std::string::npos) << book;
    // A sheet name in a reference is quoted, its own quote doubled, or Excel "repairs" the workbook.
    EXPECT_NE(book.find(">'Group 5a (2)'!$1:$6<"), std::string::npos) << book;
    EXPECT_NE(book.find(">'Group O''Brien'!$1:$6<"), std::string::npos) << book;
}

TEST(MonthRegisterXlsx, AMonthWithNobodyIsStillAWorkbookThatSaysSo) {
    auto month = March2026();
    month.groups.clear();
    const auto workbook = MonthToXlsx(month).value();
    EXPECT_EQ(CellOfXlsx(workbook, "A7").value, "Nobody to show for this month.");
}

}  // namespace
}  // namespace rollcall::service
