// The monthly register as a workbook a school office prints: one worksheet per group, each a page (or pages) of its
// own, laid out as the paper register it replaces.

#include "service/month_register.hpp"
#include "service/xlsx_file.hpp"

#include <array>
#include <cctype>
#include <cmath>
#include <set>

#include <fmt/format.h>

namespace rollcall::service {
namespace {

using domain::DayStatus;

constexpr lxw_row_t kHeadingRows = 6;  // school, month, group, a blank row, day numbers, weekdays
constexpr lxw_row_t kDayNumberRow = 4;
constexpr lxw_row_t kWeekdayRow = 5;
constexpr lxw_col_t kFirstDayColumn = 2;  // after the name and the ID
constexpr std::uint16_t kPaperA4 = 9;
constexpr lxw_color_t kShade = 0xD9D9D9;       // non-school days: light grey, still legible in black and white
constexpr lxw_color_t kOverridden = 0xFFF2CC;  // cells an admin set: pale yellow, and a '*' for paper

/// The person totals' columns after the days: heading and what they count.
constexpr std::array<std::string_view, 8> kTotalHeadings = {
    "P", "L", "A", "E", "?", "Days present", "School days", "%"};

/// The formats of one workbook, made once.
class Formats {
public:
    explicit Formats(lxw_workbook* wb) : wb_(wb) {
        title = Make([](lxw_format* f) {
            format_set_bold(f);
            format_set_font_size(f, 14);
        });
        subtitle = Make([](lxw_format* f) {
            format_set_bold(f);
            format_set_font_size(f, 12);
        });
        bold = Make([](lxw_format* f) { format_set_bold(f); });
        text = Make([](lxw_format* f) {
            format_set_border(f, LXW_BORDER_THIN);
            format_set_num_format(f, "@");  // identifiers stay text, even typed over in Excel
        });
        count = Make([](lxw_format* f) {
            format_set_border(f, LXW_BORDER_THIN);
            format_set_align(f, LXW_ALIGN_CENTER);
        });
        for (const bool shaded : {false, true}) {
            heading[shaded ? 1 : 0] = Make([&](lxw_format* f) {
                format_set_bold(f);
                format_set_border(f, LXW_BORDER_THIN);
                format_set_align(f, LXW_ALIGN_CENTER);
                if (shaded) {
                    format_set_bg_color(f, kShade);
                }
            });
            for (const bool overridden : {false, true}) {
                for (const bool strong : {false, true}) {
                    cell[Index(shaded, overridden, strong)] = Make([&](lxw_format* f) {
                        format_set_border(f, LXW_BORDER_THIN);
                        format_set_align(f, LXW_ALIGN_CENTER);
                        if (overridden) {
                            format_set_bg_color(f, kOverridden);
                            format_set_italic(f);
                        } else if (shaded) {
                            format_set_bg_color(f, kShade);
                        }
                        if (strong) {
                            format_set_bold(f);
                        }
                    });
                }
            }
        }
    }

    /// A day cell: shaded on a non-school day, marked when overridden, bold when absent (what the office looks for).
    lxw_format* Cell(bool shaded, bool overridden, bool strong) const {
        return cell[Index(shaded, overridden, strong)];
    }
    lxw_format* Heading(bool shaded) const { return heading[shaded ? 1 : 0]; }

    lxw_format* title = nullptr;
    lxw_format* subtitle = nullptr;
    lxw_format* bold = nullptr;
    lxw_format* text = nullptr;
    lxw_format* count = nullptr;

private:
    static std::size_t Index(bool shaded, bool overridden, bool strong) {
        return (shaded ? 4U : 0U) + (overridden ? 2U : 0U) + (strong ? 1U : 0U);
    }
    template <class Fn>
    lxw_format* Make(Fn&& fn) {
        lxw_format* f = workbook_add_format(wb_);
        fn(f);
        return f;
    }

    lxw_workbook* wb_;
    std::array<lxw_format*, 8> cell{};
    std::array<lxw_format*, 2> heading{};
};

/// Text in a page header or footer: '&' starts a code there, so a school called "Hill & Dale" needs "&&".
std::string HeaderText(const std::string& text) {
    std::string out;
    for (const char c : text) {
        out += c == '&' ? std::string("&&") : std::string(1, c);
    }
    return out;
}

/// A group's sheet name. Never letters and digits alone: libxlsxwriter 1.1 quotes a sheet name in the print titles'
/// reference only when it has another character, and an unquoted "5A" (or "AB12", a cell) is a reference Excel
/// repairs the workbook over. "Group 5A", "Staff Science", "No group" and "Staff" read well and are safe.
std::string SheetTitle(const MonthGroup& group) {
    const bool staff = group.kind == domain::PersonKind::kStaff;
    if (group.group.empty()) {
        return staff ? "Staff" : "No group";
    }
    return (staff ? "Staff " : "Group ") + group.group;
}

/// A sheet name for each group, unique in the workbook (Excel refuses two alike, whatever their case).
std::string UniqueSheetName(const std::string& label, std::set<std::string>& taken) {
    const auto folded = [](std::string s) {
        for (auto& c : s) {
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
        return s;
    };
    auto base = SheetName(label);
    if (base.empty()) {
        base = "Register";
    }
    auto name = base;
    for (int n = 2; taken.contains(folded(name)); ++n) {
        const auto suffix = fmt::format(" ({})", n);
        name = base.substr(0, 31 - suffix.size()) + suffix;
    }
    taken.insert(folded(name));
    return name;
}

void WriteString(lxw_worksheet* sheet, lxw_row_t row, lxw_col_t col, const std::string& s, lxw_format* f) {
    worksheet_write_string(sheet, row, col, s.c_str(), f);
}

/// One group's sheet, or the only sheet of a month with nobody to show (`group` null).
void WriteSheet(lxw_workbook* wb,
                const Formats& fmt,
                const MonthRegister& month,
                const MonthGroup* group,
                std::set<std::string>& taken) {
    const auto label = group != nullptr ? GroupLabel(*group) : std::string("Register");
    lxw_worksheet* sheet =
        workbook_add_worksheet(wb, UniqueSheetName(group != nullptr ? SheetTitle(*group) : label, taken).c_str());
    const auto days = month.days.size();
    const auto totals_column = static_cast<lxw_col_t>(kFirstDayColumn + days);

    // The heading: the school, the month, the group; then the day numbers and weekdays over the grid.
    WriteString(sheet, 0, 0, month.school, fmt.title);
    WriteString(sheet, 1, 0, "Monthly register: " + month.MonthTitle(), fmt.subtitle);
    WriteString(sheet, 2, 0, "Group: " + label, fmt.bold);
    WriteString(sheet, kDayNumberRow, 0, "Name", fmt.Heading(false));
    WriteString(sheet, kDayNumberRow, 1, "ID", fmt.Heading(false));
    worksheet_write_blank(sheet, kWeekdayRow, 0, fmt.Heading(false));
    worksheet_write_blank(sheet, kWeekdayRow, 1, fmt.Heading(false));
    for (std::size_t k = 0; k < days; ++k) {
        const auto& day = month.days[k];
        const auto col = static_cast<lxw_col_t>(kFirstDayColumn + k);
        auto* f = fmt.Heading(!day.school_day);
        worksheet_write_number(sheet, kDayNumberRow, col, static_cast<double>(k + 1), f);
        WriteString(sheet, kWeekdayRow, col, std::string(WeekdayAbbreviation(day.date)), f);
    }
    for (std::size_t t = 0; t < kTotalHeadings.size(); ++t) {
        const auto col = static_cast<lxw_col_t>(totals_column + t);
        WriteString(sheet, kDayNumberRow, col, std::string(kTotalHeadings[t]), fmt.Heading(false));
        worksheet_write_blank(sheet, kWeekdayRow, col, fmt.Heading(false));
    }

    // A line per person: the name and ID as text, a letter per day, their totals as numbers.
    lxw_row_t row = kHeadingRows;
    if (group != nullptr) {
        for (const auto& person : group->people) {
            WriteString(sheet, row, 0, person.person.name, fmt.text);
            WriteString(sheet, row, 1, person.person.external_id, fmt.text);
            std::size_t next_override = 0;
            for (std::size_t k = 0; k < days; ++k) {
                const bool overridden =
                    next_override < person.overridden.size() && person.overridden[next_override] == k;
                next_override += overridden ? 1 : 0;
                auto letter = std::string(core::NameOf(person.cells[k]));
                if (overridden) {
                    letter += kOverriddenMark;
                }
                auto* f = fmt.Cell(!month.days[k].school_day, overridden, person.cells[k] == MonthMark::kAbsent);
                WriteString(sheet, row, static_cast<lxw_col_t>(kFirstDayColumn + k), letter, f);
            }
            const auto& t = person.totals;
            const std::array<std::int64_t, 7> counts = {t.Of(DayStatus::kPresent),
                                                        t.Of(DayStatus::kLate),
                                                        t.Of(DayStatus::kAbsent),
                                                        t.Of(DayStatus::kExcused),
                                                        t.Of(DayStatus::kPending),
                                                        t.Attended(),
                                                        t.SchoolDays()};
            for (std::size_t c = 0; c < counts.size(); ++c) {
                worksheet_write_number(
                    sheet, row, static_cast<lxw_col_t>(totals_column + c), static_cast<double>(counts[c]), fmt.count);
            }
            const auto percent_col = static_cast<lxw_col_t>(totals_column + counts.size());
            if (const auto p = t.AttendancePercent()) {
                worksheet_write_number(
                    sheet, row, percent_col, static_cast<double>(std::lround(*p * 10)) / 10, fmt.count);
            } else {
                worksheet_write_blank(sheet, row, percent_col, fmt.count);
            }
            ++row;
        }
        // The day totals, under the grid: how many were present (late ones apart), late and absent each day.
        for (const auto& [heading, status] : {std::pair{"Present", DayStatus::kPresent},
                                              std::pair{"Late", DayStatus::kLate},
                                              std::pair{"Absent", DayStatus::kAbsent}}) {
            WriteString(sheet, row, 0, heading, fmt.Heading(false));
            worksheet_write_blank(sheet, row, 1, fmt.Heading(false));
            for (std::size_t k = 0; k < days; ++k) {
                const auto col = static_cast<lxw_col_t>(kFirstDayColumn + k);
                const auto& c = group->day_totals[k];
                auto* f = fmt.Cell(!month.days[k].school_day, false, false);
                if (c.SchoolDays() > 0) {
                    worksheet_write_number(sheet, row, col, static_cast<double>(c.Of(status)), f);
                } else {
                    worksheet_write_blank(sheet, row, col, f);
                }
            }
            ++row;
        }
    } else {
        WriteString(sheet, row++, 0, "Nobody to show for this month.", nullptr);
    }

    // The legend, the month's holidays and the warnings, under the grid.
    ++row;
    WriteString(sheet, row++, 0, "Legend", fmt.bold);
    for (const auto& entry : kMonthLegend) {
        WriteString(sheet, row++, 0, fmt::format("{}  {}", core::NameOf(entry.mark), entry.meaning), nullptr);
    }
    WriteString(sheet, row++, 0, fmt::format("blank  {}", kBlankMeaning), nullptr);
    WriteString(sheet, row++, 0, fmt::format("{}  {} (shaded yellow)", kOverriddenMark, kOverriddenMeaning), nullptr);
    WriteString(sheet, row++, 0, "Grey columns: not school days. %: days present of the decided school days.", nullptr);
    for (const auto& day : month.days) {
        if (day.holiday) {
            WriteString(
                sheet, row++, 0, fmt::format("Holiday {}: {}", core::FormatDate(day.date), *day.holiday), nullptr);
        }
    }
    for (const auto& warning : month.warnings) {
        WriteString(sheet, row++, 0, "Warning: " + warning, fmt.bold);
    }

    // Printing: landscape A4, one page wide and as many long as the group needs, the heading on every page.
    worksheet_set_column(sheet, 0, 0, 26, nullptr);
    worksheet_set_column(sheet, 1, 1, 10, nullptr);
    worksheet_set_column(sheet, kFirstDayColumn, static_cast<lxw_col_t>(totals_column - 1), 3.3, nullptr);
    worksheet_set_column(sheet, totals_column, static_cast<lxw_col_t>(totals_column + 4), 3.6, nullptr);
    worksheet_set_column(sheet,
                         static_cast<lxw_col_t>(totals_column + 5),
                         static_cast<lxw_col_t>(totals_column + kTotalHeadings.size() - 1),
                         7,
                         nullptr);
    worksheet_freeze_panes(sheet, kHeadingRows, kFirstDayColumn);
    worksheet_set_landscape(sheet);
    worksheet_set_paper(sheet, kPaperA4);
    worksheet_set_margins(sheet, 0.4, 0.4, 0.6, 0.6);
    worksheet_fit_to_pages(sheet, 1, 0);
    worksheet_repeat_rows(sheet, 0, kHeadingRows - 1);
    worksheet_center_horizontally(sheet);
    const auto header = fmt::format("&L{}&C{}&R{}",
                                    HeaderText(month.school),
                                    HeaderText("Monthly register: " + month.MonthTitle()),
                                    HeaderText(label));
    worksheet_set_header(sheet, header.c_str());
    worksheet_set_footer(sheet, "&CPage &P of &N");
}

}  // namespace

core::Result<std::string> MonthToXlsx(const MonthRegister& month) {
    return BuildWorkbook([&](lxw_workbook* wb) -> core::Status {
        const Formats formats(wb);
        std::set<std::string> taken;
        if (month.groups.empty()) {
            WriteSheet(wb, formats, month, nullptr, taken);
        }
        for (const auto& group : month.groups) {
            WriteSheet(wb, formats, month, &group, taken);
        }
        return {};
    });
}

}  // namespace rollcall::service
