#include "protocol/zk/comm_key.hpp"

namespace rollcall::protocol::zk {
namespace {

std::uint32_t ReverseBits(std::uint32_t value) {
    std::uint32_t reversed = 0;
    for (int i = 0; i < 32; ++i) {
        reversed = (reversed << 1) | ((value >> i) & 1U);
    }
    return reversed;
}

}  // namespace

std::array<std::uint8_t, 4> MakeCommKey(std::uint32_t key, std::uint16_t session_id, std::uint8_t ticks) {
    // Unsigned arithmetic wraps, which is the "mod 2^32" of the algorithm.
    const std::uint32_t k = ReverseBits(key) + session_id;
    constexpr std::array<std::uint8_t, 4> kZkso = {'Z', 'K', 'S', 'O'};
    std::array<std::uint8_t, 4> c{};
    for (std::size_t i = 0; i < 4; ++i) {
        c[i] = static_cast<std::uint8_t>(((k >> (8 * i)) & 0xFF) ^ kZkso[i]);
    }
    // Halves swapped (c2 c3 c0 c1), then every byte but the third masked with the ticks, which takes its place.
    return {static_cast<std::uint8_t>(c[2] ^ ticks),
            static_cast<std::uint8_t>(c[3] ^ ticks),
            ticks,
            static_cast<std::uint8_t>(c[1] ^ ticks)};
}

bool VerifyCommKey(ByteView auth_data, std::uint32_t key, std::uint16_t session_id) {
    if (auth_data.size() != 4) {
        return false;
    }
    const auto expected = MakeCommKey(key, session_id, auth_data[2]);
    return auth_data[0] == expected[0] && auth_data[1] == expected[1] && auth_data[3] == expected[3];
}

}  // namespace rollcall::protocol::zk
