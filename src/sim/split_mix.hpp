#pragma once

// A tiny deterministic random source. The standard distributions are implementation-defined, and the simulator's
// users and records must be the same for a given seed on every platform, so values are drawn from SplitMix64
// directly.

#include <cstdint>

namespace rollcall::sim {

class SplitMix64 {
public:
    explicit SplitMix64(std::uint64_t seed) : state_(seed) {}

    std::uint64_t Next() {
        std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }

    /// A value in [0, bound); bound must be positive. The modulo bias is far below anything a test could see.
    std::uint64_t Below(std::uint64_t bound) { return Next() % bound; }

private:
    std::uint64_t state_;
};

}  // namespace rollcall::sim
