#include "support/zip_entry.hpp"

#include <cstdint>
#include <regex>

#include <gtest/gtest.h>

#include <zlib.h>

namespace rollcall::test {
namespace {

std::uint32_t Le(std::string_view bytes, std::size_t at, int size) {
    std::uint32_t v = 0;
    for (int i = size - 1; i >= 0; --i) {
        v = (v << 8) | static_cast<unsigned char>(bytes[at + static_cast<std::size_t>(i)]);
    }
    return v;
}

std::string Inflate(std::string_view data, std::size_t size) {
    std::string out(size, '\0');
    z_stream z{};
    if (inflateInit2(&z, -MAX_WBITS) != Z_OK) {  // raw deflate, as ZIP stores it
        return {};
    }
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    z.avail_in = static_cast<uInt>(data.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    const int rc = inflate(&z, Z_FINISH);
    inflateEnd(&z);
    return rc == Z_STREAM_END ? out : std::string();
}

}  // namespace

std::string ZipEntry(std::string_view zip, std::string_view name) {
    // The sizes are in the central directory (a local header may defer them to a data descriptor).
    constexpr std::size_t kEndRecordSize = 22;
    const auto end = zip.size() < kEndRecordSize ? std::string_view::npos : zip.rfind("PK\x05\x06");
    if (end == std::string_view::npos || end + kEndRecordSize > zip.size()) {
        ADD_FAILURE() << "not a ZIP archive";
        return {};
    }
    const std::size_t entries = Le(zip, end + 10, 2);
    std::size_t at = Le(zip, end + 16, 4);
    for (std::size_t i = 0; i < entries && at + 46 <= zip.size(); ++i) {
        const auto method = Le(zip, at + 10, 2);
        const std::size_t compressed = Le(zip, at + 20, 4);
        const std::size_t size = Le(zip, at + 24, 4);
        const std::size_t name_length = Le(zip, at + 28, 2);
        const std::size_t skip = name_length + Le(zip, at + 30, 2) + Le(zip, at + 32, 2);
        const std::size_t local = Le(zip, at + 42, 4);
        if (zip.substr(at + 46, name_length) == name) {
            const std::size_t data = local + 30 + Le(zip, local + 26, 2) + Le(zip, local + 28, 2);
            const auto bytes = zip.substr(data, compressed);
            if (method == 0) {
                return std::string(bytes);
            }
            const auto text = method == 8 ? Inflate(bytes, size) : std::string();
            EXPECT_FALSE(text.empty()) << "cannot read " << name;
            return text;
        }
        at += 46 + skip;
    }
    ADD_FAILURE() << "no entry " << name;
    return {};
}

XlsxCell CellOfXlsx(std::string_view workbook, const std::string& ref, int sheet_number) {
    const auto sheet = ZipEntry(workbook, "xl/worksheets/sheet" + std::to_string(sheet_number) + ".xml");
    std::smatch cell;
    if (!std::regex_search(sheet, cell, std::regex("<c r=\"" + ref + "\"([^>]*)><v>([^<]*)</v></c>"))) {
        ADD_FAILURE() << "no cell " << ref << " in " << sheet;
        return {};
    }
    if (cell[1].str().find("t=\"s\"") == std::string::npos) {
        return XlsxCell{false, cell[2].str()};
    }
    // A shared string: the n-th <si> of sharedStrings.xml.
    const auto strings = ZipEntry(workbook, "xl/sharedStrings.xml");
    const std::regex si("<si><t[^>]*>([^<]*)</t></si>");
    auto index = std::stoul(cell[2].str());
    for (auto it = std::sregex_iterator(strings.begin(), strings.end(), si); it != std::sregex_iterator(); ++it) {
        if (index-- == 0) {
            return XlsxCell{true, (*it)[1].str()};
        }
    }
    ADD_FAILURE() << "no shared string " << cell[2].str();
    return {};
}

}  // namespace rollcall::test
