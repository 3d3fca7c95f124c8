// The people CSV as spreadsheet programs save it: UTF-8 with or without a BOM, Windows-1252 from older Excel,
// and the header row that says which column is which.

#include "service/people_csv.hpp"

#include <gtest/gtest.h>

namespace rollcall::service {
namespace {

std::string Message(std::string_view csv) {
    auto table = ReadPeopleCsv(csv);
    EXPECT_FALSE(table.ok());
    return table.ok() ? std::string() : table.error().message;
}

TEST(PeopleCsv, AUtf8FileWithOrWithoutItsBomIsReadAsWritten) {
    for (const std::string bom : {"", "\xEF\xBB\xBF"}) {
        const auto table = ReadPeopleCsv(bom + "name,kind\r\nZoë Müller,student\r\n").value();
        EXPECT_EQ(table.encoding, CsvEncoding::kUtf8);
        ASSERT_EQ(table.rows.size(), 1U);
        EXPECT_EQ(table.rows[0].line, 2U);
        EXPECT_EQ(table.rows[0].fields, (std::vector<std::string>{"Zoë Müller", "student"}));
    }
}

TEST(PeopleCsv, AWindows1252FileFromOlderExcelIsConvertedToUtf8) {
    const auto table = ReadPeopleCsv(
                           "name,kind,group\r\nZo\xEB M\xFCller,student,5A\r\nFran\xE7ois \x93"
                           "Frankie\x94,staff,\r\n")
                           .value();
    EXPECT_EQ(table.encoding, CsvEncoding::kWindows1252);
    ASSERT_EQ(table.rows.size(), 2U);
    EXPECT_EQ(table.rows[0].fields[0], "Zoë Müller");
    EXPECT_EQ(table.rows[1].fields[0], "François “Frankie”");
    EXPECT_TRUE(table.rows[0].error.empty());
}

TEST(PeopleCsv, ALineInNeitherEncodingIsThatRowsErrorAndTheOthersAreRead) {
    // A byte Windows-1252 leaves undefined.
    auto table = ReadPeopleCsv("name,kind\nZo\xEB,student\nBad\x81,student\nAmina,student\n").value();
    EXPECT_EQ(table.encoding, CsvEncoding::kWindows1252);
    ASSERT_EQ(table.rows.size(), 3U);
    EXPECT_EQ(table.rows[0].fields[0], "Zoë");
    EXPECT_EQ(table.rows[1].line, 3U);
    EXPECT_TRUE(table.rows[1].fields.empty());
    EXPECT_NE(table.rows[1].error.find("neither UTF-8 nor Windows-1252"), std::string::npos) << table.rows[1].error;
    EXPECT_EQ(table.rows[2].fields[0], "Amina");

    // A UTF-8 file with one line from elsewhere: that line is an error, never the whole file misread.
    table = ReadPeopleCsv("name,kind\nZoë,student\nZo\xEB,student\n").value();
    EXPECT_EQ(table.encoding, CsvEncoding::kUtf8);
    EXPECT_EQ(table.rows[0].fields[0], "Zoë");
    EXPECT_NE(table.rows[1].error.find("not UTF-8 text (byte 3)"), std::string::npos) << table.rows[1].error;

    // After a BOM, the file says it is UTF-8: a Windows-1252 line is an error, not converted.
    table = ReadPeopleCsv("\xEF\xBB\xBFname,kind\nZo\xEB,student\n").value();
    EXPECT_EQ(table.encoding, CsvEncoding::kUtf8);
    EXPECT_FALSE(table.rows[0].error.empty());
}

TEST(PeopleCsv, AUtf16FileIsRefusedWithWhatToSaveInstead) {
    EXPECT_EQ(Message(std::string("\xFF\xFEn\0a\0m\0e\0", 10)),
              "csv: the file is UTF-16 (\"Unicode text\"); save it as \"CSV UTF-8\" and import that");
    EXPECT_EQ(Message(std::string("n\0a\0m\0e\0", 8)),
              "csv: the file is UTF-16 (\"Unicode text\"); save it as \"CSV UTF-8\" and import that");
}

TEST(PeopleCsv, TheHeaderNamesEveryColumnItReadsAndAnUnknownOneIsNamed) {
    const auto table =
        ReadPeopleCsv(
            "Name, Kind ,external_id,group,active_from,active_to,user_id,device\n\nAmina,student,A1,5A,,,17,Main "
            "gate\n")
            .value();
    EXPECT_EQ(table.columns.size(), 8U);
    EXPECT_EQ(table.columns.at("kind"), 1U);
    EXPECT_EQ(table.columns.at("device"), 7U);
    ASSERT_EQ(table.rows.size(), 1U) << "a blank line is skipped";
    EXPECT_EQ(table.rows[0].line, 3U);
    EXPECT_EQ(table.rows[0].fields[7], "Main gate");

    EXPECT_EQ(Message("name,kind,grade\nAmina,student,5\n"),
              "csv: unknown column \"grade\"; the columns are name, kind, external_id, group, active_from, "
              "active_to, user_id, device");
    EXPECT_EQ(Message("name,kind,\n"),
              "csv: column 3 of the header row has no name; the columns are name, kind, external_id, group, "
              "active_from, active_to, user_id, device");
    EXPECT_EQ(Message("name,kind,Name\n"), "csv: the column \"name\" appears twice in the header row");
    EXPECT_NE(Message("name,group\nAmina,5A\n").find("needs the columns name and kind"), std::string::npos);
    EXPECT_NE(Message("").find("the file is empty"), std::string::npos);
    EXPECT_NE(Message("\r\n  \n").find("the file is empty"), std::string::npos);
}

TEST(PeopleCsv, QuotedFieldsKeepTheirCommasAndQuotes) {
    const auto table = ReadPeopleCsv("name,kind\n\"Otieno, Brian \"\"Bri\"\"\" , student\n").value();
    EXPECT_EQ(table.rows[0].fields, (std::vector<std::string>{"Otieno, Brian \"Bri\"", "student"}));
}

}  // namespace
}  // namespace rollcall::service
