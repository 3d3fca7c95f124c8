#include "auth/crypto.hpp"

#include <fstream>
#include <stdexcept>

#include <sodium.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace rollcall::auth {
namespace {

using core::Errc;
using core::MakeError;

constexpr char kKdfContext[crypto_kdf_CONTEXTBYTES + 1] = "rollcall";
constexpr std::uint64_t kPepperSubkey = 1;
constexpr std::uint64_t kBoxSubkey = 2;

}  // namespace

void InitCrypto() {
    if (sodium_init() < 0) {
        throw std::runtime_error("libsodium initialisation failed");
    }
}

Crypto::Crypto(std::span<const std::uint8_t, 32> master_key) {
    static_assert(crypto_kdf_KEYBYTES == 32);
    crypto_kdf_derive_from_key(pepper_.data(), pepper_.size(), kPepperSubkey, kKdfContext, master_key.data());
    crypto_kdf_derive_from_key(box_key_.data(), box_key_.size(), kBoxSubkey, kKdfContext, master_key.data());
}

core::Result<Crypto> Crypto::LoadOrCreate(const std::string& key_file) {
    InitCrypto();
    std::array<std::uint8_t, 32> key{};
    std::ifstream in(key_file, std::ios::binary);
    if (in) {
        in.read(reinterpret_cast<char*>(key.data()), key.size());
        if (in.gcount() != static_cast<std::streamsize>(key.size())) {
            return MakeError(Errc::kInternal, "secret key file " + key_file + " is damaged (expected 32 bytes)");
        }
        return Crypto(key);
    }
    randombytes_buf(key.data(), key.size());
    // O_EXCL: two processes starting at once must not each write a different key.
    const int fd = ::open(key_file.c_str(), O_WRONLY | O_CREAT | O_EXCL, S_IRUSR | S_IWUSR);
    if (fd < 0) {
        std::ifstream again(key_file, std::ios::binary);
        if (again && again.read(reinterpret_cast<char*>(key.data()), key.size())) {
            return Crypto(key);
        }
        return MakeError(Errc::kInternal, "cannot create secret key file " + key_file);
    }
    const auto written = ::write(fd, key.data(), key.size());
    ::fsync(fd);
    ::close(fd);
    if (written != static_cast<ssize_t>(key.size())) {
        return MakeError(Errc::kInternal, "cannot write secret key file " + key_file);
    }
    return Crypto(key);
}

std::string Crypto::NewToken(std::string_view prefix) {
    std::array<std::uint8_t, 32> raw{};
    randombytes_buf(raw.data(), raw.size());
    std::string out(sodium_base64_ENCODED_LEN(raw.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
    sodium_bin2base64(out.data(), out.size(), raw.data(), raw.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    out.resize(std::char_traits<char>::length(out.c_str()));
    return std::string(prefix) + out;
}

std::vector<std::uint8_t> Crypto::HashToken(std::string_view token) const {
    std::vector<std::uint8_t> out(32);
    crypto_generichash(out.data(),
                       out.size(),
                       reinterpret_cast<const unsigned char*>(token.data()),
                       token.size(),
                       pepper_.data(),
                       pepper_.size());
    return out;
}

std::vector<std::uint8_t> Crypto::Encrypt(std::string_view plaintext) const {
    std::vector<std::uint8_t> out(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + plaintext.size());
    randombytes_buf(out.data(), crypto_secretbox_NONCEBYTES);
    crypto_secretbox_easy(out.data() + crypto_secretbox_NONCEBYTES,
                          reinterpret_cast<const unsigned char*>(plaintext.data()),
                          plaintext.size(),
                          out.data(),
                          box_key_.data());
    return out;
}

core::Result<std::string> Crypto::Decrypt(std::span<const std::uint8_t> sealed) const {
    if (sealed.size() < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) {
        return MakeError(Errc::kInternal, "sealed value too short");
    }
    std::string out(sealed.size() - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES, '\0');
    if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(out.data()),
                                   sealed.data() + crypto_secretbox_NONCEBYTES,
                                   sealed.size() - crypto_secretbox_NONCEBYTES,
                                   sealed.data(),
                                   box_key_.data()) != 0) {
        return MakeError(Errc::kInternal, "cannot decrypt: wrong server key or damaged value");
    }
    return out;
}

KeyedDigest::KeyedDigest() {
    InitCrypto();
    randombytes_buf(key_.data(), key_.size());
}

KeyedDigest::Value KeyedDigest::operator()(std::string_view message) const {
    Value out{};
    crypto_generichash(out.data(),
                       out.size(),
                       reinterpret_cast<const unsigned char*>(message.data()),
                       message.size(),
                       key_.data(),
                       key_.size());
    return out;
}

std::string HmacSha256Hex(std::string_view key, std::string_view message) {
    crypto_auth_hmacsha256_state state;
    crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(key.data()), key.size());
    crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(message.data()), message.size());
    std::array<unsigned char, crypto_auth_hmacsha256_BYTES> mac{};
    crypto_auth_hmacsha256_final(&state, mac.data());
    std::string hex(mac.size() * 2 + 1, '\0');
    sodium_bin2hex(hex.data(), hex.size(), mac.data(), mac.size());
    hex.pop_back();
    return hex;
}

bool ConstantTimeEqual(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b) {
    return a.size() == b.size() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

core::Result<std::string> HashPassword(std::string_view password, const PasswordCost& cost) {
    std::string out(crypto_pwhash_STRBYTES, '\0');
    if (crypto_pwhash_str_alg(out.data(),
                              password.data(),
                              password.size(),
                              cost.ops,
                              cost.mem_kib * 1024,
                              crypto_pwhash_ALG_ARGON2ID13) != 0) {
        return MakeError(Errc::kUnavailable, "out of memory while hashing the password");
    }
    out.resize(std::char_traits<char>::length(out.c_str()));
    return out;
}

bool VerifyPassword(const std::string& encoded, std::string_view password) {
    return crypto_pwhash_str_verify(encoded.c_str(), password.data(), password.size()) == 0;
}

bool PasswordNeedsRehash(const std::string& encoded, const PasswordCost& cost) {
    return crypto_pwhash_str_needs_rehash(encoded.c_str(), cost.ops, cost.mem_kib * 1024) != 0;
}

}  // namespace rollcall::auth
