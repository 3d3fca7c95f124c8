#pragma once

#include "core/result.hpp"

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace rollcall::net {

/// A set of IP addresses and networks, written "10.0.0.0/8, 192.168.1.7, ::1, fd00::/8": the reverse proxies
/// trusted to say who the client is. An IPv4 address matches whether the socket reports it plainly or as
/// IPv4-mapped IPv6 (::ffff:a.b.c.d), so a dual-stack listener changes nothing.
class AddressSet {
public:
    /// Comma- or space-separated addresses and networks; an entry that is neither is an error naming it.
    static core::Result<AddressSet> Parse(std::string_view list);

    bool Contains(std::string_view address) const;
    bool Empty() const { return networks_.empty(); }

private:
    struct Network {
        std::array<std::uint8_t, 16> bytes{};  ///< IPv4 as IPv4-mapped IPv6
        int prefix = 128;
    };
    std::vector<Network> networks_;
};

/// Who sent a request: the socket's peer, unless the peer is a trusted proxy and X-Forwarded-For names
/// others. The list is read from the right (the hop nearest to us) and the first address not trusted is
/// the client; what lies to its left was written by the client itself and is never believed. An entry that
/// is not an address stops the walk at the last trusted hop.
std::string ClientAddress(const AddressSet& trusted_proxies, std::string_view peer, std::string_view forwarded_for);

}  // namespace rollcall::net
