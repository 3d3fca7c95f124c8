// The XLSX report as Excel reads it: the sheet's XML, cell by cell.

#include "service/reports.hpp"
#include "support/zip_entry.hpp"

#include <gtest/gtest.h>

namespace rollcall::service {
namespace {

// Issue 12, item 13: a user id that looks like a number is written as text. As numbers, "nan" and "inf" made the
// sheet's XML invalid (Excel refused the file) and user 0017 read as 17.
TEST(Xlsx, UserIdsAndNamesAreTextWhateverTheyLookLikeAndComputedNumbersAreNumbers) {
    ReportTable table{"Late-comers",
                      "Hill School",
                      "2026-03-12 to 2026-03-12",
                      {"User ID", "Name", "Minutes late"},
                      {{"0017", "1e5", "5"}, {"nan", "inf", "-3"}, {"1e5", "0017", "12.5"}, {"inf", "-inf", ""}},
                      {},
                      {2}};
    const auto workbook = ToXlsx(table).value();
    // Title row 1, period row 2, a blank row, the header in row 4: the rows start in row 5.
    const std::vector<std::pair<std::string, std::string>> texts = {{"A5", "0017"},
                                                                    {"B5", "1e5"},
                                                                    {"A6", "nan"},
                                                                    {"B6", "inf"},
                                                                    {"A7", "1e5"},
                                                                    {"B7", "0017"},
                                                                    {"A8", "inf"},
                                                                    {"B8", "-inf"}};
    for (const auto& [ref, value] : texts) {
        const auto cell = test::CellOfXlsx(workbook, ref);
        EXPECT_TRUE(cell.text) << ref << " is written as the number " << cell.value;
        EXPECT_EQ(cell.value, value) << ref;
    }
    for (const auto& [ref, value] :
         std::vector<std::pair<std::string, std::string>>{{"C5", "5"}, {"C6", "-3"}, {"C7", "12.5"}}) {
        const auto cell = test::CellOfXlsx(workbook, ref);
        EXPECT_FALSE(cell.text) << ref << " is a count: a number";
        EXPECT_EQ(cell.value, value) << ref;
    }
    const auto sheet = test::ZipEntry(workbook, "xl/worksheets/sheet1.xml");
    EXPECT_EQ(sheet.find("<v>nan</v>"), std::string::npos);
    EXPECT_EQ(sheet.find("<v>inf</v>"), std::string::npos);
}

}  // namespace
}  // namespace rollcall::service
