#include "app/data_dir_lock.hpp"

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace rollcall::app {
namespace {

/// The pid the current holder wrote, or "" when the file holds none (a holder between open and write).
std::string HolderPid(int fd) {
    char buf[32] = {};
    const auto n = pread(fd, buf, sizeof buf - 1, 0);
    std::string text(buf, n > 0 ? static_cast<std::size_t>(n) : 0);
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) {
        text.pop_back();
    }
    return text;
}

}  // namespace

DataDirLock::DataDirLock(const std::string& database_path) {
    const std::string path = database_path + ".lock";
    fd_ = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd_ < 0) {
        throw std::runtime_error("cannot open the lock file " + path + ": " + std::strerror(errno));
    }
    if (flock(fd_, LOCK_EX | LOCK_NB) != 0) {
        const int err = errno;
        const std::string holder = HolderPid(fd_);
        close(fd_);
        fd_ = -1;
        if (err == EWOULDBLOCK) {
            throw std::runtime_error("another rollcall server" + (holder.empty() ? "" : " (pid " + holder + ")") +
                                     " is already using the database " + database_path +
                                     "; stop it first, or give this one its own --data-dir");
        }
        throw std::runtime_error("cannot lock " + path + ": " + std::strerror(err));
    }
    const std::string pid = std::to_string(getpid()) + "\n";
    // The pid is for the message above only; the flock is the lock, so a failed write changes nothing.
    if (ftruncate(fd_, 0) == 0) {
        [[maybe_unused]] const auto written = pwrite(fd_, pid.data(), pid.size(), 0);
    }
}

DataDirLock::~DataDirLock() {
    if (fd_ >= 0) {
        close(fd_);  // releases the flock; the file stays, harmless, for the next server to lock
    }
}

}  // namespace rollcall::app
