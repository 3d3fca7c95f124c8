// What the report files say cell by cell: a text that a spreadsheet would run as a formula is neutralized, numbers
// the server computed stay numbers, and RFC 4180 quoting is kept.

#include "service/spreadsheet_cells.hpp"

#include <gtest/gtest.h>

namespace rollcall::service {
namespace {

// Issue 12, item 6: every text a spreadsheet program would start a formula with gets a leading single quote.
TEST(NeutralizeFormula, EveryTextASpreadsheetWouldRunAsAFormulaStartsWithAQuote) {
    EXPECT_EQ(NeutralizeFormula(R"(=HYPERLINK("http://x","y"))"), R"('=HYPERLINK("http://x","y"))");
    EXPECT_EQ(NeutralizeFormula("+1+cmd|' /C calc'!A0"), "'+1+cmd|' /C calc'!A0");
    EXPECT_EQ(NeutralizeFormula("-2+3"), "'-2+3");
    EXPECT_EQ(NeutralizeFormula("@SUM(1+1)"), "'@SUM(1+1)");
    EXPECT_EQ(NeutralizeFormula("\t=1+1"), "'\t=1+1");
    EXPECT_EQ(NeutralizeFormula("\r=1+1"), "'\r=1+1");
    // A negative number in a text column is someone's identifier, not arithmetic: it is text too.
    EXPECT_EQ(NeutralizeFormula("-17"), "'-17");
    // Nothing else changes: a formula character later in the text is harmless.
    for (const std::string plain : {"", "Amina Njeri", "17", "0017", "a=b", "Otieno, Brian", "'quoted", " =1"}) {
        EXPECT_EQ(NeutralizeFormula(plain), plain);
    }
}

TEST(IsPlainNumber, OnlyNumbersAsTheServerWritesThemAreNumbers) {
    for (const std::string number : {"0", "17", "-3", "87.5", "100.0", "-0.5"}) {
        EXPECT_TRUE(IsPlainNumber(number)) << number;
    }
    for (const std::string text : {"",
                                   "-",
                                   "0017",
                                   "+17",
                                   "1e5",
                                   "nan",
                                   "inf",
                                   "-inf",
                                   " 17",
                                   "17 ",
                                   "0x11",
                                   "1.",
                                   ".5",
                                   "1.2.3",
                                   "1,5",
                                   "=1"}) {
        EXPECT_FALSE(IsPlainNumber(text)) << text;
    }
}

TEST(AppendCsvLine, TextIsNeutralizedAndQuotedAndComputedNumbersStayAsTheyAre) {
    std::string out;
    AppendCsvLine(out, {"2026-03-12", R"(=HYPERLINK("http://x","y"))", "-3", "-3", "=1+1", "Otieno, Brian"}, {3, 4});
    // The user id is quoted (it holds commas and quotes) after its leading quote; "-3" is text in column 2 and a
    // number in column 3; a number column's cell that is no number is text like any other.
    EXPECT_EQ(out, "2026-03-12,\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",'-3,-3,'=1+1,\"Otieno, Brian\"\r\n");
    AppendCsvLine(out, {"two\nlines"});
    EXPECT_TRUE(out.ends_with("\"two\nlines\"\r\n"));
}

}  // namespace
}  // namespace rollcall::service
