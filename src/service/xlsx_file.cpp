#include "service/xlsx_file.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string_view>

#include <unistd.h>

namespace rollcall::service {

core::Result<std::string> BuildWorkbook(const std::function<core::Status(lxw_workbook*)>& fill) {
    std::string path = (std::filesystem::temp_directory_path() / "rollcall-report-XXXXXX").string();
    const int fd = mkstemp(path.data());
    if (fd < 0) {
        return core::MakeError(core::Errc::kInternal, "cannot create a temporary file for the workbook");
    }
    close(fd);
    struct Remove {
        std::string path;
        ~Remove() { std::remove(path.c_str()); }
    } remove{path};

    lxw_workbook* workbook = workbook_new(path.c_str());
    if (workbook == nullptr) {
        return core::MakeError(core::Errc::kInternal, "cannot start the workbook");
    }
    if (auto filled = fill(workbook); !filled) {
        workbook_close(workbook);  // frees it; the half-written file goes with `remove`
        return filled.error();
    }
    if (workbook_close(workbook) != LXW_NO_ERROR) {
        return core::MakeError(core::Errc::kInternal, "cannot write the workbook");
    }
    std::ifstream in(path, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    return bytes.str();
}

std::string SheetName(const std::string& title) {
    std::string out;
    for (const char c : title) {
        if (std::string_view("[]:*?/\\").find(c) == std::string_view::npos) {
            out.push_back(c);
        }
    }
    return out.substr(0, 31);
}

}  // namespace rollcall::service
