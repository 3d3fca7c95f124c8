#include "app/private_files.hpp"

#include <algorithm>
#include <stdexcept>
#include <vector>

#include <spdlog/spdlog.h>

#include <fcntl.h>
#include <unistd.h>

namespace rollcall::app {

namespace fs = std::filesystem;

void CreatePrivateDirectories(const fs::path& dir) {
    if (dir.empty()) {
        return;
    }
    std::vector<fs::path> missing;
    for (auto p = dir; !p.empty() && !fs::exists(p); p = p.parent_path()) {
        missing.push_back(p);
        if (p == p.parent_path()) {
            break;
        }
    }
    std::reverse(missing.begin(), missing.end());  // parents first
    for (const auto& d : missing) {
        fs::create_directory(d);
        fs::permissions(d, fs::perms::owner_all, fs::perm_options::replace);
    }
    if (missing.empty()) {
        const auto perms = fs::status(dir).permissions();
        if ((perms & (fs::perms::group_all | fs::perms::others_all)) != fs::perms::none) {
            spdlog::warn(
                "{} can be read by other users of this host; it holds password and token hashes: "
                "chmod 700 it",
                dir.string());
        }
    }
}

void RestrictDatabaseFiles(const std::string& database_path) {
    // O_CREAT with 0600 (the umask can only take bits away) so the file never exists with a wider mode.
    const int fd = ::open(database_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
        throw std::runtime_error("cannot create the database file " + database_path);
    }
    ::close(fd);
    for (const auto* suffix : {"", "-wal", "-shm"}) {
        const fs::path file = database_path + suffix;
        std::error_code ec;
        if (fs::exists(file, ec)) {
            fs::permissions(file, fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::replace, ec);
        }
    }
}

}  // namespace rollcall::app
