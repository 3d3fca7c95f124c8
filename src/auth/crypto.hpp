#pragma once

#include "core/result.hpp"

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace rollcall::auth {

/// Prefixes that say what a token is for, so a leaked one is recognisable.
inline constexpr std::string_view kDeviceTokenPrefix = "rcd_";
inline constexpr std::string_view kSessionTokenPrefix = "rcs_";
inline constexpr std::string_view kAgentTokenPrefix = "rca_";
inline constexpr std::string_view kWebhookSecretPrefix = "rcw_";

/// The server's secret material, derived from one 32-byte master key kept in a file of the data directory:
/// a pepper for token hashes and a key that encrypts device tokens at rest.
class Crypto {
public:
    /// Reads the key file, or creates it (mode 0600) with a fresh random key.
    static core::Result<Crypto> LoadOrCreate(const std::string& key_file);
    /// From raw key bytes (tests).
    explicit Crypto(std::span<const std::uint8_t, 32> master_key);

    /// A new token: prefix + 32 random bytes in base64url.
    static std::string NewToken(std::string_view prefix);
    /// BLAKE2b-256 of the token keyed with the pepper; what the database keeps and searches.
    std::vector<std::uint8_t> HashToken(std::string_view token) const;
    /// Authenticated encryption (XSalsa20-Poly1305) with a random nonce.
    std::vector<std::uint8_t> Encrypt(std::string_view plaintext) const;
    core::Result<std::string> Decrypt(std::span<const std::uint8_t> sealed) const;

private:
    std::array<std::uint8_t, 32> pepper_{};
    std::array<std::uint8_t, 32> box_key_{};
};

/// A 16-byte BLAKE2b digest under a random key of its own: a fixed-size map key for a string an attacker chooses
/// (the login limiter's emails and addresses), so neither a long string nor crafted collisions cost memory or time.
class KeyedDigest {
public:
    using Value = std::array<std::uint8_t, 16>;
    KeyedDigest();  ///< a fresh random key
    Value operator()(std::string_view message) const;

private:
    std::array<std::uint8_t, 32> key_{};
};

/// HMAC-SHA256 of `message` under `key`, as lowercase hex (webhook signatures).
std::string HmacSha256Hex(std::string_view key, std::string_view message);

/// Constant-time equality (sodium_memcmp); false when the sizes differ.
bool ConstantTimeEqual(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b);

struct PasswordCost {
    std::uint64_t ops = 3;
    std::size_t mem_kib = 19456;
};

/// argon2id, self-describing encoded string.
core::Result<std::string> HashPassword(std::string_view password, const PasswordCost& cost);
bool VerifyPassword(const std::string& encoded, std::string_view password);
bool PasswordNeedsRehash(const std::string& encoded, const PasswordCost& cost);

/// Initialises libsodium once; throws on failure (start-up error).
void InitCrypto();

}  // namespace rollcall::auth
