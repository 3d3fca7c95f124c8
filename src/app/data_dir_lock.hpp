#pragma once

#include <string>

namespace rollcall::app {

/// Holds an exclusive lock on a database for as long as one `rollcall serve` uses it, so that a second
/// server started on the same data directory refuses at once instead of sharing the database with the first
/// (two servers would each run a recompute worker and a webhook dispatcher over the same rows).
/// The lock is an flock(2) on `<database>.lock`, which the kernel releases when the process ends however it
/// ends; the file holds the owner's pid only so that the refusal can name it.
class DataDirLock {
public:
    /// Throws std::runtime_error naming the process that holds the lock, or why the file could not be opened.
    explicit DataDirLock(const std::string& database_path);
    ~DataDirLock();
    DataDirLock(const DataDirLock&) = delete;
    DataDirLock& operator=(const DataDirLock&) = delete;

private:
    int fd_ = -1;
};

}  // namespace rollcall::app
