#include "sim/zk_export.hpp"

#include "protocol/zk/time_codec.hpp"

#include <cstdio>
#include <fstream>

namespace rollcall::sim {
namespace {

// Names written by clients (USER_WRQ) may hold any byte; non-ASCII bytes are escaped as Latin-1 code points so the
// output stays valid UTF-8.
void AppendJsonString(std::string& out, std::string_view text) {
    constexpr char kHex[] = "0123456789abcdef";
    out.push_back('"');
    for (const char c : text) {
        const auto b = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out.push_back('\\');
            out.push_back(c);
        } else if (b < 0x20 || b >= 0x7F) {
            out += "\\u00";
            out.push_back(kHex[b >> 4]);
            out.push_back(kHex[b & 0xF]);
        } else {
            out.push_back(c);
        }
    }
    out.push_back('"');
}

}  // namespace

std::string RecordsAsJsonLines(std::span<const protocol::zk::AttendanceRecord> records) {
    std::string out;
    out.reserve(records.size() * 72);
    for (const auto& r : records) {
        out += "{\"user_id\":";
        AppendJsonString(out, r.user_id);
        out += ",\"timestamp\":";
        if (const auto time = protocol::zk::DecodePackedTime(r.packed_time); time.ok()) {
            AppendJsonString(out, core::FormatLocalDateTime(protocol::zk::ToLocalDateTime(*time)));
        } else {
            out += "null,\"packed_time\":" + std::to_string(r.packed_time);
        }
        out += ",\"status\":" + std::to_string(r.state) + ",\"verify\":" + std::to_string(r.verify) + "}\n";
    }
    return out;
}

std::string UsersAsJsonLines(std::span<const protocol::zk::User> users) {
    std::string out;
    for (const auto& u : users) {
        out += "{\"uid\":" + std::to_string(u.uid) + ",\"user_id\":";
        AppendJsonString(out, u.user_id);
        out += ",\"name\":";
        AppendJsonString(out, u.name);
        out += ",\"privilege\":" + std::to_string(u.privilege) + ",\"card\":" + std::to_string(u.card) + "}\n";
    }
    return out;
}

core::Status WriteFileAtomically(const std::string& path, const std::string& content) {
    const std::string temp = path + ".tmp";
    {
        std::ofstream file(temp, std::ios::binary | std::ios::trunc);
        file.write(content.data(), static_cast<std::streamsize>(content.size()));
        file.close();
        if (!file) {
            return core::MakeError(core::Errc::kInternal, "cannot write " + temp);
        }
    }
    if (std::rename(temp.c_str(), path.c_str()) != 0) {
        return core::MakeError(core::Errc::kInternal, "cannot rename " + temp + " to " + path);
    }
    return {};
}

}  // namespace rollcall::sim
