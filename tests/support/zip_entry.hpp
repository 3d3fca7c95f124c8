#pragma once

// Reads one file out of a ZIP archive held in memory (the XLSX reports are ZIPs of XML), so a test can check what
// a workbook says rather than only that it is one.

#include <string>
#include <string_view>

namespace rollcall::test {

/// The uncompressed bytes of the entry `name` of `zip` (stored or deflated); a failed assertion and "" when the
/// archive has no such entry or cannot be read.
std::string ZipEntry(std::string_view zip, std::string_view name);

/// One cell of an XLSX workbook's first sheet as Excel reads it: text (a shared string, resolved) or a number.
struct XlsxCell {
    bool text = false;
    std::string value;
};
/// The cell `ref` ("D5") of `workbook`'s first sheet, or of its sheet number `sheet` (1 the first); a failed
/// assertion and {} when there is none.
XlsxCell CellOfXlsx(std::string_view workbook, const std::string& ref, int sheet = 1);

}  // namespace rollcall::test
