#include "net/address_set.hpp"

#include "core/text_encoding.hpp"

#include <algorithm>
#include <charconv>
#include <optional>

#include <boost/asio/ip/address.hpp>

namespace rollcall::net {
namespace {

using Bytes = std::array<std::uint8_t, 16>;

/// The address as 16 bytes (IPv4 mapped) and whether it was IPv4.
std::optional<std::pair<Bytes, bool>> ParseAddress(std::string_view text) {
    boost::system::error_code ec;
    const auto address = boost::asio::ip::make_address(std::string(text), ec);
    if (ec) {
        return std::nullopt;
    }
    if (address.is_v4()) {
        return std::pair{boost::asio::ip::make_address_v6(boost::asio::ip::v4_mapped, address.to_v4()).to_bytes(),
                         true};
    }
    return std::pair{address.to_v6().to_bytes(), false};
}

bool InNetwork(const Bytes& address, const Bytes& network, int prefix) {
    const int whole = prefix / 8;
    if (!std::equal(address.begin(), address.begin() + whole, network.begin())) {
        return false;
    }
    const int rest = prefix % 8;
    if (rest == 0) {
        return true;
    }
    const auto mask = static_cast<std::uint8_t>(0xFF << (8 - rest));
    return (address[static_cast<std::size_t>(whole)] & mask) == (network[static_cast<std::size_t>(whole)] & mask);
}

}  // namespace

core::Result<AddressSet> AddressSet::Parse(std::string_view list) {
    AddressSet set;
    while (!list.empty()) {
        const auto end = list.find_first_of(", ");
        const auto entry = core::TrimAscii(list.substr(0, end));
        list = end == std::string_view::npos ? std::string_view{} : list.substr(end + 1);
        if (entry.empty()) {
            continue;
        }
        const auto slash = entry.find('/');
        const auto parsed = ParseAddress(entry.substr(0, slash));
        int prefix = parsed && parsed->second ? 32 : 128;
        bool ok = parsed.has_value();
        if (ok && slash != std::string_view::npos) {
            const auto digits = entry.substr(slash + 1);
            int value = -1;
            const auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
            ok = ec == std::errc{} && ptr == digits.data() + digits.size() && !digits.empty() && value >= 0 &&
                 value <= prefix;
            prefix = value;
        }
        if (!ok) {
            return core::MakeError(core::Errc::kInvalidArgument,
                                   "'" + std::string(entry) + "' is not an IP address or network (a.b.c.d/n, x::y/n)");
        }
        set.networks_.push_back(Network{parsed->first, parsed->second ? prefix + 96 : prefix});
    }
    return set;
}

bool AddressSet::Contains(std::string_view address) const {
    const auto parsed = ParseAddress(core::TrimAscii(address));
    return parsed && std::any_of(networks_.begin(), networks_.end(), [&](const Network& n) {
               return InNetwork(parsed->first, n.bytes, n.prefix);
           });
}

std::string ClientAddress(const AddressSet& trusted_proxies, std::string_view peer, std::string_view forwarded_for) {
    std::string client(peer);
    if (trusted_proxies.Empty() || !trusted_proxies.Contains(peer)) {
        return client;
    }
    while (!forwarded_for.empty()) {
        const auto comma = forwarded_for.rfind(',');
        const auto hop =
            core::TrimAscii(comma == std::string_view::npos ? forwarded_for : forwarded_for.substr(comma + 1));
        forwarded_for = comma == std::string_view::npos ? std::string_view{} : forwarded_for.substr(0, comma);
        boost::system::error_code ec;
        const auto address = boost::asio::ip::make_address(std::string(hop), ec);
        if (ec) {
            return client;
        }
        client = address.to_string();
        if (!trusted_proxies.Contains(client)) {
            return client;
        }
    }
    return client;
}

}  // namespace rollcall::net
