#include "agent/spool.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>

#include <boost/json.hpp>

#ifdef _WIN32
#include <io.h>
#else
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#endif

namespace rollcall::agent {
namespace {

namespace json = boost::json;
using core::Errc;
using core::MakeError;

core::Error IoError(const std::string& what, const std::string& path) {
    return MakeError(Errc::kUnavailable, "spool: cannot " + what + " " + path);
}

/// Opens the file for appending, creating it. On Linux only the agent's user may read it, whatever the umask:
/// the spool holds the comm keys of the terminals (devices.json) and who punched when.
std::FILE* OpenForAppend(const std::string& path) {
#ifdef _WIN32
    return std::fopen(path.c_str(), "ab");  // the folder's ACL, set by `install`, keeps others out
#else
    const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, S_IRUSR | S_IWUSR);
    if (fd < 0) {
        return nullptr;
    }
    // A file an older agent created with the umask's mode is narrowed too.
    if (::fchmod(fd, S_IRUSR | S_IWUSR) != 0) {
        ::close(fd);
        return nullptr;
    }
    std::FILE* f = ::fdopen(fd, "ab");
    if (f == nullptr) {
        ::close(fd);
    }
    return f;
#endif
}

/// Creates the spool directory (and its parents); the directory itself is the agent's user's alone on Linux.
core::Status CreateSpoolDirectory(const std::string& directory) {
    std::error_code ec;
    const bool created = std::filesystem::create_directories(directory, ec);
    if (ec) {
        return IoError("create", directory);
    }
#ifndef _WIN32
    if (created) {
        std::filesystem::permissions(directory, std::filesystem::perms::owner_all, ec);
        if (ec) {
            return IoError("restrict", directory);
        }
    }
#else
    (void)created;
#endif
    return {};
}

/// Writes `bytes` at the end of the file and forces them to disk before returning.
core::Status AppendDurably(const std::string& path, const std::string& bytes) {
    std::FILE* f = OpenForAppend(path);
    if (f == nullptr) {
        return IoError("open", path);
    }
    const bool written = std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size() && std::fflush(f) == 0;
#ifdef _WIN32
    const bool synced = _commit(_fileno(f)) == 0;
#else
    const bool synced = fsync(fileno(f)) == 0;
#endif
    std::fclose(f);
    if (!written || !synced) {
        return IoError("write", path);
    }
    return {};
}

/// Replaces the file's content atomically: a crash leaves the old or the new content, never half.
core::Status ReplaceDurably(const std::string& path, const std::string& content) {
    const auto tmp = path + ".tmp";
    std::error_code ec;
    std::filesystem::remove(tmp, ec);
    ROLLCALL_CHECK(AppendDurably(tmp, content));
    std::filesystem::rename(tmp, path, ec);
    if (ec) {
        return IoError("replace", path);
    }
    return {};
}

}  // namespace

std::string SpoolLine(const SpoolRecord& r) {
    return json::serialize(json::object{{"user_id", r.user_id},
                                        {"timestamp", core::FormatLocalDateTime(r.timestamp)},
                                        {"status", r.status},
                                        {"verify", r.verify}}) +
           "\n";
}

core::Result<Spool> Spool::Open(const std::string& directory, std::int64_t device_id) {
    ROLLCALL_CHECK(CreateSpoolDirectory(directory));
    std::error_code ec;
    const auto base = (std::filesystem::path(directory) / ("device-" + std::to_string(device_id))).string();
    Spool spool(base + ".jsonl", base + ".ack");
    std::ifstream in(spool.log_path_, std::ios::binary);
    std::string line;
    std::size_t good_bytes = 0;
    bool torn = false;
    while (std::getline(in, line)) {
        if (in.eof()) {
            torn = true;  // no newline: the write of this line never completed
            break;
        }
        boost::system::error_code jec;
        const auto v = json::parse(line, jec);
        const auto ts = !jec && v.is_object() && v.as_object().contains("timestamp")
                            ? core::ParseLocalDateTime(std::string(v.at("timestamp").as_string()))
                            : std::nullopt;
        if (!ts) {
            torn = true;
            break;
        }
        SpoolRecord r{std::string(v.at("user_id").as_string()),
                      *ts,
                      static_cast<int>(v.at("status").as_int64()),
                      static_cast<int>(v.at("verify").as_int64())};
        spool.seen_.emplace(r.user_id, r.timestamp.seconds);
        spool.records_.push_back(std::move(r));
        good_bytes += line.size() + 1;
    }
    in.close();
    if (torn) {
        std::filesystem::resize_file(spool.log_path_, good_bytes, ec);
    }
    std::ifstream ack(spool.ack_path_);
    std::size_t acknowledged = 0;
    if (ack >> acknowledged) {
        spool.acknowledged_ = std::min(acknowledged, spool.records_.size());
    }
    return spool;
}

core::Result<std::size_t> Spool::Append(const std::vector<SpoolRecord>& records) {
    std::string bytes;
    std::vector<SpoolRecord> fresh;
    for (const auto& r : records) {
        if (seen_.emplace(r.user_id, r.timestamp.seconds).second) {
            bytes += SpoolLine(r);
            fresh.push_back(r);
        }
    }
    if (fresh.empty()) {
        return std::size_t{0};
    }
    if (auto s = AppendDurably(log_path_, bytes); !s) {
        for (const auto& r : fresh) {
            seen_.erase({r.user_id, r.timestamp.seconds});
        }
        return s.error();
    }
    records_.insert(records_.end(), fresh.begin(), fresh.end());
    return fresh.size();
}

std::vector<SpoolRecord> Spool::Pending() const {
    return {records_.begin() + static_cast<std::ptrdiff_t>(acknowledged_), records_.end()};
}

core::Status Spool::Acknowledge(std::size_t count) {
    const auto next = std::min(acknowledged_ + count, records_.size());
    ROLLCALL_CHECK(ReplaceDurably(ack_path_, std::to_string(next) + "\n"));
    acknowledged_ = next;
    return {};
}

namespace {
std::string DeviceListPath(const std::string& directory) {
    return (std::filesystem::path(directory) / "devices.json").string();
}
}  // namespace

core::Status SaveDeviceList(const std::string& directory, const std::string& json_text) {
    ROLLCALL_CHECK(CreateSpoolDirectory(directory));
    return ReplaceDurably(DeviceListPath(directory), json_text);
}

core::Result<std::string> LoadDeviceList(const std::string& directory) {
    std::ifstream in(DeviceListPath(directory), std::ios::binary);
    if (!in) {
        return MakeError(Errc::kNotFound, "no device list kept in " + directory);
    }
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

}  // namespace rollcall::agent
