#include "service/spreadsheet_cells.hpp"

namespace rollcall::service {
namespace {

bool IsDigit(char c) {
    return c >= '0' && c <= '9';
}

}  // namespace

bool IsPlainNumber(std::string_view cell) {
    std::size_t i = cell.starts_with('-') ? 1 : 0;
    const auto digits = [&] {
        const auto start = i;
        while (i < cell.size() && IsDigit(cell[i])) {
            ++i;
        }
        return i > start;
    };
    const auto first = i;
    if (!digits() || (cell[first] == '0' && i - first > 1)) {
        return false;
    }
    if (i < cell.size() && cell[i] == '.') {
        ++i;
        if (!digits()) {
            return false;
        }
    }
    return i == cell.size();
}

std::string NeutralizeFormula(std::string_view text) {
    // The characters spreadsheet programs start a formula with (and the blanks they skip before one).
    constexpr std::string_view kFormulaStart = "=+-@\t\r";
    if (!text.empty() && kFormulaStart.find(text.front()) != std::string_view::npos) {
        return "'" + std::string(text);
    }
    return std::string(text);
}

std::string CsvField(std::string_view value) {
    if (value.find_first_of(",\"\n\r") == std::string_view::npos) {
        return std::string(value);
    }
    std::string out = "\"";
    for (const char c : value) {
        out += c == '"' ? std::string_view("\"\"") : std::string_view(&c, 1);
    }
    return out + "\"";
}

void AppendCsvLine(std::string& out,
                   const std::vector<std::string>& fields,
                   const std::set<std::size_t>& number_columns) {
    for (std::size_t i = 0; i < fields.size(); ++i) {
        const auto& cell = fields[i];
        const bool number = number_columns.contains(i) && IsPlainNumber(cell);
        out += i == 0 ? "" : ",";
        out += CsvField(number ? cell : NeutralizeFormula(cell));
    }
    out += "\r\n";
}

}  // namespace rollcall::service
