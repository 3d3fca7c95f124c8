#include "agent/user_table.hpp"

#include "core/text_encoding.hpp"

#include <set>

#include <boost/json.hpp>

namespace rollcall::agent {

wire::TerminalUserUpload UserTableOf(const std::vector<protocol::zk::User>& users,
                                     std::optional<std::int64_t> read_at,
                                     std::size_t& left_out) {
    wire::TerminalUserUpload out;
    out.read_at = read_at;
    out.items.reserve(users.size());
    left_out = 0;
    std::set<std::string, std::less<>> pins;
    for (const auto& u : users) {
        if (u.user_id.empty() || !core::IsValidUtf8(u.user_id) || !pins.insert(u.user_id).second) {
            ++left_out;
            continue;
        }
        out.items.push_back(wire::TerminalUserItem{u.user_id,
                                                   std::string(core::TrimAscii(core::DeviceTextToUtf8(u.name))),
                                                   std::int64_t{u.card},
                                                   std::int64_t{u.privilege}});
    }
    return out;
}

std::string UserTableDigest(const wire::TerminalUserUpload& table) {
    // The serialized users themselves: a few hundred kilobytes at most, kept in memory only.
    return boost::json::serialize(boost::json::value_from(table.items));
}

}  // namespace rollcall::agent
