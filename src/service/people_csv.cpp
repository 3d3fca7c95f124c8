#include "service/people_csv.hpp"

#include "core/text_encoding.hpp"

#include <algorithm>
#include <cctype>

namespace rollcall::service {
namespace {

using core::Errc;
using core::MakeError;

constexpr std::string_view kBom = "\xEF\xBB\xBF";
constexpr std::string_view kColumnList = "name, kind, external_id, group, active_from, active_to, user_id, device";

core::Error Refused(const std::string& why) {
    return MakeError(Errc::kInvalidArgument, "csv: " + why);
}

/// Splits one CSV line (RFC 4180 quoting) into fields, each trimmed of the spaces around it.
std::vector<std::string> SplitCsvLine(std::string_view line) {
    std::vector<std::string> fields(1);
    bool quoted = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (quoted) {
            if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
                fields.back().push_back('"');
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                fields.back().push_back(c);
            }
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            fields.emplace_back();
        } else {
            fields.back().push_back(c);
        }
    }
    for (auto& f : fields) {
        const auto start = f.find_first_not_of(' ');
        const auto end = f.find_last_not_of(' ');
        f = start == std::string::npos ? std::string() : f.substr(start, end - start + 1);
    }
    return fields;
}

/// Which encoding the file is in. A file with a BOM, or valid UTF-8 throughout, is UTF-8. A file with no UTF-8
/// character at all is Windows-1252 (every byte of which is a character, but for five). A file with both UTF-8
/// characters and bytes that are not UTF-8 is taken as UTF-8 with bad lines: reading it as Windows-1252 would
/// turn each of its UTF-8 characters into two wrong ones ("Ã©" for "é"), silently.
CsvEncoding Detect(std::string_view text, bool bom) {
    if (bom || core::IsValidUtf8(text) || core::HasUtf8Sequence(text)) {
        return CsvEncoding::kUtf8;
    }
    return CsvEncoding::kWindows1252;
}

/// One line's text as UTF-8, or the reason it has none.
core::Result<std::string> LineText(std::string_view line, CsvEncoding encoding) {
    if (encoding == CsvEncoding::kWindows1252) {
        if (auto converted = core::Windows1252ToUtf8(line)) {
            return *std::move(converted);
        }
        return MakeError(Errc::kInvalidArgument,
                         "the line is neither UTF-8 nor Windows-1252 text; save the file as \"CSV UTF-8\"");
    }
    if (const auto bad = core::FirstInvalidUtf8(line)) {
        return MakeError(Errc::kInvalidArgument,
                         "the line is not UTF-8 text (byte " + std::to_string(*bad + 1) +
                             "), unlike the rest of the file; save the file as \"CSV UTF-8\"");
    }
    return std::string(line);
}

core::Result<std::map<std::string, std::size_t>> ReadHeader(const std::vector<std::string>& fields) {
    std::map<std::string, std::size_t> columns;
    for (std::size_t i = 0; i < fields.size(); ++i) {
        const auto name = core::AsciiLower(fields[i]);
        if (name.empty()) {
            return Refused("column " + std::to_string(i + 1) + " of the header row has no name; the columns are " +
                           std::string(kColumnList));
        }
        if (std::find(std::begin(kPeopleColumns), std::end(kPeopleColumns), name) == std::end(kPeopleColumns)) {
            return Refused("unknown column \"" + fields[i] + "\"; the columns are " + std::string(kColumnList));
        }
        if (!columns.emplace(name, i).second) {
            return Refused("the column \"" + name + "\" appears twice in the header row");
        }
    }
    if (!columns.contains("name") || !columns.contains("kind")) {
        return Refused("the header row needs the columns name and kind (and may have " + std::string(kColumnList) +
                       ")");
    }
    return columns;
}

}  // namespace

std::string_view EncodingName(CsvEncoding encoding) {
    return encoding == CsvEncoding::kWindows1252 ? "windows-1252" : "utf-8";
}

core::Result<CsvTable> ReadPeopleCsv(std::string_view bytes) {
    if (bytes.starts_with("\xFF\xFE") || bytes.starts_with("\xFE\xFF") || bytes.find('\0') != std::string_view::npos) {
        return Refused("the file is UTF-16 (\"Unicode text\"); save it as \"CSV UTF-8\" and import that");
    }
    const bool bom = bytes.starts_with(kBom);
    if (bom) {
        bytes.remove_prefix(kBom.size());
    }
    CsvTable table;
    table.encoding = Detect(bytes, bom);
    std::size_t line_no = 0;
    for (std::size_t pos = 0; pos < bytes.size();) {
        auto end = bytes.find('\n', pos);
        if (end == std::string_view::npos) {
            end = bytes.size();
        }
        auto line = bytes.substr(pos, end - pos);
        pos = end + 1;
        ++line_no;
        if (line.ends_with('\r')) {
            line.remove_suffix(1);
        }
        if (line.find_first_not_of(' ') == std::string_view::npos) {
            continue;
        }
        auto text = LineText(line, table.encoding);
        if (table.columns.empty()) {
            if (!text) {
                return Refused("the header row (line " + std::to_string(line_no) + "): " + text.error().message);
            }
            ROLLCALL_TRY(table.columns, ReadHeader(SplitCsvLine(*text)));
            continue;
        }
        CsvRow row;
        row.line = line_no;
        if (text) {
            row.fields = SplitCsvLine(*text);
        } else {
            row.error = text.error().message;
        }
        table.rows.push_back(std::move(row));
    }
    if (table.columns.empty()) {
        return Refused("the file is empty; the header row needs the columns name and kind (and may have " +
                       std::string(kColumnList) + ")");
    }
    return table;
}

}  // namespace rollcall::service
