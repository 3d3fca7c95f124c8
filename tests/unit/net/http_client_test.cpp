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
        "fbff::1",
        "fe00::1",
    };
    for (const auto& a : allowed) {
        EXPECT_TRUE(IsPublicAddress(a)) << a << " is a public address";
    }
}

}  // namespace
}  // namespace rollcall::net
