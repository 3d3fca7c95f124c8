// A terminal's user table as the agent uploads it: every user the terminal holds, names as UTF-8 whatever its code
// page, and nothing the server could not take.

#include "agent/user_table.hpp"

#include "core/text_encoding.hpp"

#include <gtest/gtest.h>

namespace rollcall::agent {
namespace {

protocol::zk::User UserOf(std::string pin, std::string name, std::uint32_t card = 0, std::uint8_t privilege = 0) {
    protocol::zk::User u;
    u.user_id = std::move(pin);
    u.name = std::move(name);
    u.card = card;
    u.privilege = privilege;
    return u;
}

TEST(UserTable, EveryUserGoesUpWithTheirNameCardAndPrivilegeAndWhenTheTableWasRead) {
    std::size_t left_out = 9;
    const auto table =
        UserTableOf({UserOf("17", "Amina Njeri", 4000017), UserOf("1", "Admin", 0, 14)}, 1773309600, left_out);
    EXPECT_EQ(left_out, 0U);
    ASSERT_EQ(table.items.size(), 2U);
    EXPECT_EQ(table.items[0], (wire::TerminalUserItem{"17", "Amina Njeri", 4000017, 0}));
    EXPECT_EQ(table.items[1], (wire::TerminalUserItem{"1", "Admin", 0, 14}));
    EXPECT_EQ(table.read_at, 1773309600);
    const auto decoded = wire::Decode<wire::TerminalUserUpload>(boost::json::value_from(table));
    ASSERT_TRUE(decoded) << decoded.error().message;
    EXPECT_EQ(decoded->items, table.items) << "what the server reads is what the agent sent";
}

TEST(UserTable, NamesInAnyCodePageArriveAsUtf8AndABadNameCostsNoOtherUser) {
    std::size_t left_out = 0;
    const auto table = UserTableOf({UserOf("1", "Zo\xEB M\xFCller"),            // Windows-1252
                                    UserOf("2", "Jos\xC3\xA9"),                 // UTF-8
                                    UserOf("3", "Wanjiru Njeri Kamau Zo\xC3"),  // UTF-8 cut by the field
                                    UserOf("4", "\x81\x8D"),                    // in neither
                                    UserOf("5", "  Brian O.  ")},
                                   std::nullopt,
                                   left_out);
    ASSERT_EQ(table.items.size(), 5U);
    EXPECT_EQ(table.items[0].name, "Zoë Müller");
    EXPECT_EQ(table.items[1].name, "José");
    EXPECT_EQ(table.items[2].name, "Wanjiru Njeri Kamau Zo");
    EXPECT_TRUE(core::IsValidUtf8(table.items[3].name));
    EXPECT_EQ(table.items[4].name, "Brian O.");
    EXPECT_EQ(left_out, 0U);
    // The JSON the agent sends parses: one bad name never sinks the table.
    boost::system::error_code ec;
    (void)boost::json::parse(boost::json::serialize(boost::json::value_from(table)), ec);
    EXPECT_FALSE(ec) << ec.message();
}

TEST(UserTable, AUserWithoutAUsablePinIsLeftOutAndCounted) {
    std::size_t left_out = 0;
    const auto table = UserTableOf(
        {UserOf("", "No Pin"), UserOf("\xFF\xFE", "Garbled"), UserOf("7", "Chen"), UserOf("7", "Chen again")},
        std::nullopt,
        left_out);
    ASSERT_EQ(table.items.size(), 1U);
    EXPECT_EQ(table.items[0].user_id, "7");
    EXPECT_EQ(table.items[0].name, "Chen");
    EXPECT_EQ(left_out, 3U);
}

TEST(UserTable, TheDigestChangesWithTheUsersNotWithTheTimeOfTheRead) {
    std::size_t left_out = 0;
    const auto a = UserTableOf({UserOf("1", "Amina")}, 100, left_out);
    const auto later = UserTableOf({UserOf("1", "Amina")}, 200, left_out);
    const auto renamed = UserTableOf({UserOf("1", "Amina N.")}, 100, left_out);
    EXPECT_EQ(UserTableDigest(a), UserTableDigest(later));
    EXPECT_NE(UserTableDigest(a), UserTableDigest(renamed));
}

}  // namespace
}  // namespace rollcall::agent
