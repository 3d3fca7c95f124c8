#pragma once

// What a simulated terminal holds, as JSON lines a test can compare with what a client read (docs/simulator.md
// "Flags": `rollcall-sim zk --export FILE`). Records: {"user_id", "timestamp", "status", "verify"} with the device's
// naive wall-clock time as "YYYY-MM-DD HH:MM:SS"; a record whose stored time is corrupt has "timestamp": null and its
// raw "packed_time". Users: {"uid", "user_id", "name", "privilege", "card"}.

#include "core/result.hpp"
#include "protocol/zk/attendance_record.hpp"
#include "protocol/zk/user_record.hpp"

#include <span>
#include <string>

namespace rollcall::sim {

/// `status` is the in/out state and `verify` the verify method, as in the push API.
std::string RecordsAsJsonLines(std::span<const protocol::zk::AttendanceRecord> records);
std::string UsersAsJsonLines(std::span<const protocol::zk::User> users);

/// Writes through a temporary file and a rename, so a reader never sees half a file. kInternal on I/O errors.
core::Status WriteFileAtomically(const std::string& path, const std::string& content);

}  // namespace rollcall::sim
