// A report as an XLSX workbook (xlsx_file.hpp builds it).

#include "service/reports.hpp"
#include "service/spreadsheet_cells.hpp"
#include "service/xlsx_file.hpp"

#include <charconv>

namespace rollcall::service {
namespace {

/// A cell of a number column as a number; nullopt for anything else, which is written as text. Only plain decimals
/// count (IsPlainNumber): "nan" and "inf" would be written as such into the sheet's XML, which Excel then refuses to
/// open.
std::optional<double> AsNumber(const std::string& cell) {
    double v = 0;
    if (!IsPlainNumber(cell)) {
        return std::nullopt;
    }
    const auto [ptr, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), v);
    if (ec != std::errc() || ptr != cell.data() + cell.size()) {
        return std::nullopt;
    }
    return v;
}

/// The report's one sheet: the title, the period and the warnings, a blank row, the header and the rows.
core::Status WriteTable(lxw_workbook* workbook, const ReportTable& table) {
    lxw_worksheet* sheet = workbook_add_worksheet(workbook, SheetName(table.title).c_str());
    lxw_format* bold = workbook_add_format(workbook);
    format_set_bold(bold);
    worksheet_write_string(sheet, 0, 0, table.title.c_str(), bold);
    worksheet_write_string(sheet, 0, 1, table.school.c_str(), bold);
    if (!table.period.empty()) {
        worksheet_write_string(sheet, 1, 0, "Period", nullptr);
        worksheet_write_string(sheet, 1, 1, table.period.c_str(), nullptr);
    }
    for (std::size_t w = 0; w < table.warnings.size(); ++w) {
        const auto row = static_cast<lxw_row_t>(2 + w);
        worksheet_write_string(sheet, row, 0, "Warning", bold);
        worksheet_write_string(sheet, row, 1, table.warnings[w].c_str(), nullptr);
    }
    // The title, the period and the warnings, a blank row, then the header.
    const auto header_row = static_cast<lxw_row_t>(3 + table.warnings.size());
    for (std::size_t c = 0; c < table.columns.size(); ++c) {
        const auto col = static_cast<lxw_col_t>(c);
        worksheet_write_string(sheet, header_row, col, table.columns[c].c_str(), bold);
        worksheet_set_column(sheet, col, col, c == 1 ? 28 : 14, nullptr);
    }
    for (std::size_t r = 0; r < table.rows.size(); ++r) {
        const auto row = static_cast<lxw_row_t>(header_row + 1 + r);
        for (std::size_t c = 0; c < table.rows[r].size(); ++c) {
            const auto& cell = table.rows[r][c];
            // Identifiers and names are text even when they look like numbers: user 0017 stays 0017.
            if (const auto n = table.number_columns.contains(c) ? AsNumber(cell) : std::nullopt) {
                worksheet_write_number(sheet, row, static_cast<lxw_col_t>(c), *n, nullptr);
            } else {
                worksheet_write_string(sheet, row, static_cast<lxw_col_t>(c), cell.c_str(), nullptr);
            }
        }
    }
    worksheet_freeze_panes(sheet, header_row + 1, 0);
    return {};
}

}  // namespace

core::Result<std::string> ToXlsx(const ReportTable& table) {
    return BuildWorkbook([&](lxw_workbook* workbook) { return WriteTable(workbook, table); });
}

}  // namespace rollcall::service
