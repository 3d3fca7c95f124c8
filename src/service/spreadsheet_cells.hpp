#pragma once

// How a report's cells are written into files a spreadsheet program opens (docs/api.md "Reports"): every CSV line
// goes through AppendCsvLine, and the CSV and XLSX writers agree on which cells are numbers (IsPlainNumber).

#include <cstddef>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace rollcall::service {

/// True for a number as the reports write one: an optional '-', digits without a leading zero, optionally '.' and
/// digits ("17", "-3", "0", "87.5"). Not "", "0017", "+17", "1e5", "nan", "inf", " 17" or "0x11": an identifier
/// that merely looks like a number must never become one (and lose its zeros) nor a formula.
bool IsPlainNumber(std::string_view cell);

/// A text cell as a spreadsheet program will read it: one that starts with '=', '+', '-', '@', a tab or a carriage
/// return would be taken for a formula (CSV injection: a device's user id "=HYPERLINK(...)" runs in the office's
/// spreadsheet), so it gets a leading single quote, which spreadsheets show as text and do not evaluate.
/// Every other text is returned unchanged.
std::string NeutralizeFormula(std::string_view text);

/// One RFC 4180 field: quoted, quotes doubled, when it holds a comma, a quote or a line break.
std::string CsvField(std::string_view value);

/// Appends one CSV line (CRLF-terminated) of `fields`. Each is text, neutralized (NeutralizeFormula), unless its
/// index is in `number_columns` and it is a plain number (IsPlainNumber): a count, minutes or a percentage the
/// server computed, written as is so that "-3" stays a negative number. A cell of a number column that is not a
/// plain number is text like any other.
void AppendCsvLine(std::string& out,
                   const std::vector<std::string>& fields,
                   const std::set<std::size_t>& number_columns = {});

}  // namespace rollcall::service
