// The webhook address filter, as a pure function: a school admin types the URL, so with
// webhooks.allow_private_addresses off nothing inside the server's own network may be reachable through it.
// The integration test (WebhooksByDefault) checks that the client really applies it.

#include "net/http_client.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace rollcall::net {
namespace {

struct Range {
    const char* what;
    std::vector<std::string> addresses;  ///< its edges and an address inside
};

TEST(HttpClient, TheWebhookAddressFilterRefusesEveryPrivateAndLocalRange) {
    const std::vector<Range> refused = {
        {"private 10/8", {"10.0.0.0", "10.1.2.3", "10.255.255.255"}},
        {"private 172.16/12", {"172.16.0.0", "172.20.1.1", "172.31.255.255"}},
        {"private 192.168/16", {"192.168.0.0", "192.168.1.1", "192.168.255.255"}},
        {"loopback 127/8", {"127.0.0.0", "127.0.0.1", "127.255.255.255"}},
        {"link-local 169.254/16 (cloud metadata)", {"169.254.0.0", "169.254.169.254", "169.254.255.255"}},
        {"carrier-grade NAT 100.64/10", {"100.64.0.0", "100.100.1.1", "100.127.255.255"}},
        {"this network, multicast, reserved", {"0.0.0.0", "0.1.2.3", "224.0.0.1", "240.0.0.1", "255.255.255.255"}},
        {"IPv6 loopback and unspecified", {"::1", "::"}},
        {"unique local fc00::/7", {"fc00::", "fc12:3456::1", "fd00::2", "fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"}},
        {"link-local fe80::/10", {"fe80::", "fe80::1", "febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff"}},
        {"site-local and multicast IPv6", {"fec0::1", "ff02::1"}},
        {"IPv4-mapped IPv6",
         {"::ffff:10.0.0.1", "::ffff:172.16.0.1", "::ffff:192.168.1.1", "::ffff:127.0.0.1", "::ffff:169.254.169.254"}},
        {"not an address", {"", "gateway.example", "10.0.0"}},
    };
    for (const auto& range : refused) {
        for (const auto& a : range.addresses) {
            EXPECT_FALSE(IsPublicAddress(a)) << a << " (" << range.what << ") must be refused";
        }
    }
    // The neighbours just outside each range are somebody's gateway on the internet.
    const std::vector<std::string> allowed = {
        "9.255.255.255",
        "11.0.0.0",
        "172.15.255.255",
        "172.32.0.0",
        "192.167.255.255",
        "192.169.0.0",
        "126.255.255.255",
        "128.0.0.0",
        "169.253.255.255",
        "169.255.0.0",
        "100.63.255.255",
        "100.128.0.0",
        "8.8.8.8",
        "::ffff:8.8.8.8",
        "2606:4700:4700::1111",
        "2001:4860:4860::8888",
        "2000::1",
        "3ffe:ffff::1",
    };
    for (const auto& a : allowed) {
        EXPECT_TRUE(IsPublicAddress(a)) << a << " is a public address";
    }
}

// Issue 12, item 7: the filter denies by default. Every block of the IANA special-purpose address registries is
// refused (198.18.0.0/15 reached a live service in the probe; the TEST-NETs and 192.0.0.0/24 were open), and an
// IPv6 address that carries an IPv4 address is judged as the IPv4 address it reaches.
TEST(HttpClient, TheWebhookAddressFilterDeniesEverySpecialPurposeBlockAndSeesTheIpv4InsideIpv6) {
    const std::vector<Range> refused = {
        {"IETF protocol assignments 192.0.0/24", {"192.0.0.0", "192.0.0.9", "192.0.0.170", "192.0.0.255"}},
        {"TEST-NET-1 192.0.2/24", {"192.0.2.0", "192.0.2.1", "192.0.2.255"}},
        {"TEST-NET-2 198.51.100/24", {"198.51.100.0", "198.51.100.7", "198.51.100.255"}},
        {"TEST-NET-3 203.0.113/24", {"203.0.113.0", "203.0.113.80", "203.0.113.255"}},
        {"benchmarking 198.18/15", {"198.18.0.0", "198.18.0.1", "198.19.255.255"}},
        {"AS112, AMT, 6to4 relay anycast", {"192.31.196.1", "192.52.193.1", "192.88.99.1", "192.175.48.1"}},
        {"multicast 224/4", {"224.0.0.0", "239.255.255.255"}},
        {"IPv4-compatible ::a.b.c.d", {"::10.0.0.1", "::127.0.0.1", "::198.18.0.1", "::0.0.0.2"}},
        {"IPv4-translated ::ffff:0:a.b.c.d", {"::ffff:0:10.0.0.1", "::ffff:0:127.0.0.1"}},
        {"IPv4-mapped, the new blocks", {"::ffff:198.18.0.1", "::ffff:192.0.2.1", "::ffff:192.0.0.1"}},
        {"NAT64 64:ff9b::/96", {"64:ff9b::10.0.0.1", "64:ff9b::127.0.0.1", "64:ff9b::169.254.169.254", "64:ff9b::"}},
        // The network chooses the local-use prefix's length, so the IPv4 address may sit where a /48, /56, /64 or
        // /96 puts it: each reading must be public. 8.8.8.8 as a /96 carries it reads 0.0.0.0 as a /48 would.
        {"local-use NAT64 64:ff9b:1::/48",
         {"64:ff9b:1::10.0.0.1",
          "64:ff9b:1:808:8:808:a00:1",
          "64:ff9b:1::808:808",
          "64:ff9b:1:a00:1::",
          "64:ff9b:1:ffff:ffff:ffff:ffff:ffff"}},
        {"6to4 2002::/16", {"2002:a00:1::1", "2002:7f00:1::", "2002:c0a8:101::1", "2002:a9fe:a9fe::1"}},
        {"Teredo 2001::/32: a private server, or a private client (inverted)",
         {"2001:0:a00:1::1", "2001:0:808:808::f5ff:fffe", "2001:0:7f00:1:0:0:f7f7:f7f7"}},
        {"IETF protocol assignments 2001::/23",
         {"2001:2::1", "2001:3::1", "2001:4:112::1", "2001:20::1", "2001:1ff::1"}},
        {"documentation", {"2001:db8::1", "2001:db8:ffff::1", "3fff::1", "3fff:fff::1"}},
        {"AS112 direct delegation 2620:4f:8000::/48", {"2620:4f:8000::1"}},
        {"outside global unicast 2000::/3",
         {"100::1", "5f00::1", "1fff:ffff::1", "4000::1", "fbff::1", "fe00::1", "ff0e::1", "::2:1:1:1"}},
    };
    for (const auto& range : refused) {
        for (const auto& a : range.addresses) {
            EXPECT_FALSE(IsPublicAddress(a)) << a << " (" << range.what << ") must be refused";
        }
    }
    // Public addresses, also when an IPv6 form carries one, and the neighbours just outside the new blocks.
    const std::vector<std::string> allowed = {
        "192.0.1.255",
        "192.0.3.0",
        "198.17.255.255",
        "198.20.0.0",
        "198.51.99.255",
        "198.51.101.0",
        "203.0.112.255",
        "203.0.114.0",
        "223.255.255.255",
        "::8.8.8.8",
        "::ffff:0:8.8.8.8",
        "64:ff9b::8.8.8.8",
        "64:ff9b::101:101",
        "64:ff9b:1:808:8:808:808:808",  // 8.8.8.8 wherever a /48, /56, /64 or /96 local-use prefix puts it
        "2002:808:808::1",              // 6to4 through 8.8.8.8
        "2001:0:808:808::f7f7:f7f7",    // Teredo: server 8.8.8.8, client 8.8.8.8
        "2001:200::1",                  // just past 2001::/23
        "2001:db7:ffff::1",
        "2001:db9::1",
        "3ffe::1",
        "3fff:1000::1",
        "2620:4f:7fff::1",
        "2620:4f:8001::1",
        "2a00:1450:4001::1",
    };
    for (const auto& a : allowed) {
        EXPECT_TRUE(IsPublicAddress(a)) << a << " is a public address";
    }
}

}  // namespace
}  // namespace rollcall::net
