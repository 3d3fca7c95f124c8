#pragma once

#include <filesystem>
#include <string>

namespace rollcall::app {

/// Creates `dir` and whatever parents it lacks. The directories created here are 0700: the data directory holds
/// the password hashes, the token hashes and the server's key, which nobody else on the host may read.
/// A directory that already exists keeps its mode; a warning names one that others can read.
void CreatePrivateDirectories(const std::filesystem::path& dir);

/// Makes the database file 0600, creating it empty when missing, before SQLite opens it: SQLite gives the
/// `-wal` and `-shm` files it creates the mode of the database file. Those of an older installation, created
/// world-readable, are made 0600 too.
void RestrictDatabaseFiles(const std::string& database_path);

}  // namespace rollcall::app
