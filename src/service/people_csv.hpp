#pragma once

// The people CSV as a school's spreadsheet program saves it (docs/api.md "The people CSV"): its text encoding,
// its lines and RFC 4180 quoting, its header. People::ImportPeopleCsv makes a person of each row.

#include "core/result.hpp"

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace rollcall::service {

/// How the file's text was written: UTF-8 (with or without the byte order mark spreadsheet programs put first),
/// or Windows-1252, the "CSV" of older Excel on Western European Windows, converted to UTF-8 when read.
enum class CsvEncoding { kUtf8, kWindows1252 };

/// The name the import's answer gives an encoding: "utf-8", "windows-1252".
std::string_view EncodingName(CsvEncoding encoding);

/// One line of data: its fields as UTF-8, or why its text could not be read.
struct CsvRow {
    std::size_t line = 0;  ///< the line's number in the file, from 1 (the header is line 1 or later)
    std::vector<std::string> fields;
    std::string error;  ///< not empty: the line is in neither encoding, and has no fields
};

struct CsvTable {
    CsvEncoding encoding = CsvEncoding::kUtf8;
    std::map<std::string, std::size_t> columns;  ///< each column's name (lower case) and its index
    std::vector<CsvRow> rows;
};

/// The columns the import reads; any other is an error naming it.
inline constexpr std::string_view kPeopleColumns[] = {
    "name", "kind", "external_id", "group", "active_from", "active_to", "user_id", "device"};

/// Reads a people CSV: detects its encoding (a UTF-8 byte order mark; else UTF-8 when the text is; else
/// Windows-1252), finds the header (the first line that is not blank) and splits the lines after it. The file is
/// refused (InvalidArgument, "csv: ...") when it is empty, UTF-16, or its header lacks name or kind, names a column
/// twice, or names one the import does not read; a line in neither encoding is that row's error.
core::Result<CsvTable> ReadPeopleCsv(std::string_view bytes);

}  // namespace rollcall::service
