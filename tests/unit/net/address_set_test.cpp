// Which reverse proxies are trusted, and whom a request is then from: what the login limits and the request log
// rely on behind a proxy.

#include "net/address_set.hpp"

#include <gtest/gtest.h>

namespace rollcall::net {
namespace {

AddressSet Set(std::string_view list) {
    auto set = AddressSet::Parse(list);
    EXPECT_TRUE(static_cast<bool>(set)) << list;
    return set ? *set : AddressSet{};
}

TEST(AddressSet, HoldsAddressesAndNetworksOfBothFamilies) {
    const auto set = Set("10.0.0.0/8, 192.168.1.7 fd00::/8,::1");
    EXPECT_TRUE(set.Contains("10.200.3.4"));
    EXPECT_TRUE(set.Contains("192.168.1.7"));
    EXPECT_FALSE(set.Contains("192.168.1.8"));
    EXPECT_TRUE(set.Contains("fd12::5"));
    EXPECT_TRUE(set.Contains("::1"));
    EXPECT_FALSE(set.Contains("11.0.0.1"));
    EXPECT_FALSE(set.Contains("not an address"));
}

TEST(AddressSet, AnIPv4PeerSeenByADualStackListenerStillMatches) {
    const auto set = Set("127.0.0.1");
    EXPECT_TRUE(set.Contains("::ffff:127.0.0.1"));
}

TEST(AddressSet, APrefixThatIsNotAWholeByteMatchesExactly) {
    const auto set = Set("172.16.0.0/12");
    EXPECT_TRUE(set.Contains("172.31.255.255"));
    EXPECT_FALSE(set.Contains("172.32.0.0"));
    EXPECT_FALSE(set.Contains("172.15.255.255"));
}

TEST(AddressSet, AnEntryThatIsNotAnAddressIsRefusedByName) {
    for (const auto* bad : {"10.0.0.0/33", "proxy.example.org", "10.0.0.0/", "::1/129", "10.0.0.0/8x"}) {
        const auto set = AddressSet::Parse(bad);
        ASSERT_FALSE(static_cast<bool>(set)) << bad;
        EXPECT_NE(set.error().message.find(bad), std::string::npos) << set.error().message;
    }
    EXPECT_TRUE(Set("").Empty());
}

TEST(ClientAddress, WithoutTrustedProxiesTheHeaderIsNeverBelieved) {
    EXPECT_EQ(ClientAddress(AddressSet{}, "203.0.113.9", "198.51.100.1"), "203.0.113.9");
    EXPECT_EQ(ClientAddress(Set("10.0.0.1"), "203.0.113.9", "198.51.100.1"), "203.0.113.9")
        << "a peer that is not a trusted proxy speaks for itself";
}

TEST(ClientAddress, TheClientIsTheNearestHopThatIsNotATrustedProxy) {
    const auto proxies = Set("10.0.0.0/24");
    EXPECT_EQ(ClientAddress(proxies, "10.0.0.1", "198.51.100.1"), "198.51.100.1");
    // What the client wrote itself stands to the left and is ignored; a second proxy in front is skipped.
    EXPECT_EQ(ClientAddress(proxies, "10.0.0.1", "6.6.6.6, 198.51.100.1, 10.0.0.2"), "198.51.100.1");
    EXPECT_EQ(ClientAddress(proxies, "10.0.0.1", ""), "10.0.0.1");
}

TEST(ClientAddress, AHopThatIsNotAnAddressStopsAtTheLastTrustedOne) {
    const auto proxies = Set("10.0.0.0/24");
    EXPECT_EQ(ClientAddress(proxies, "10.0.0.1", "198.51.100.1, garbage"), "10.0.0.1");
    EXPECT_EQ(ClientAddress(proxies, "10.0.0.1", "garbage, 10.0.0.2"), "10.0.0.2");
}

}  // namespace
}  // namespace rollcall::net
