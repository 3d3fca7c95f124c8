#pragma once

// Debian's libxlsxwriter 1.1 writes workbooks only to files: each workbook is built in a private temporary file,
// read back and removed, here once for every XLSX the reports write.

#include "core/result.hpp"

#include <functional>
#include <string>

#include <xlsxwriter.h>

namespace rollcall::service {

/// The bytes of the workbook `fill` builds (it adds the sheets; the workbook is closed after it); its error, or
/// internal when the file cannot be made or written.
core::Result<std::string> BuildWorkbook(const std::function<core::Status(lxw_workbook*)>& fill);

/// An Excel sheet name from a title: at most 31 characters, none of []:*?/\ .
std::string SheetName(const std::string& title);

}  // namespace rollcall::service
