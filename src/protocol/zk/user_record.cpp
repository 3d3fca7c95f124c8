#include "protocol/zk/user_record.hpp"

#include "protocol/zk/dataset.hpp"
#include "protocol/zk/fields.hpp"

#include <array>
#include <string>

namespace rollcall::protocol::zk {
namespace {

using core::Errc;
using core::MakeError;

// Offset and width of a fixed field.
struct Field {
    std::size_t at;
    std::size_t width;
};

// 72-byte layout (pyzk '<HB8s24sIx7sx24s', with adrobinoga's group byte at 39).
constexpr std::size_t kPrivilegeAt = 2;
constexpr Field kPassword72{3, 8};
constexpr Field kName72{11, 24};
constexpr std::size_t kCard72At = 35;
constexpr std::size_t kGroup72At = 39;
constexpr Field kGroupId72{40, 7};
constexpr Field kUserId72{48, 24};

// 28-byte layout (pyzk '<HB5s8sIxBhI'). Its text fields may be filled to the last byte, as pyzk writes them.
constexpr Field kPassword28{3, 5};
constexpr Field kName28{8, 8};
constexpr std::size_t kCard28At = 16;
constexpr std::size_t kPad28At = 20;
constexpr std::size_t kGroup28At = 21;
constexpr std::size_t kTimeZone28At = 22;
constexpr std::size_t kUserId28At = 24;

constexpr std::array<std::size_t, 2> kCandidateSizes = {72, 28};

ByteView Slice(ByteView bytes, Field f) {
    return bytes.subspan(f.at, f.width);
}

std::span<std::uint8_t> Slice(Bytes& bytes, Field f) {
    return std::span(bytes).subspan(f.at, f.width);
}

// Names may be in a local 8-bit code page, so only control characters mark a misaligned read.
bool LooksLikeText(ByteView field) {
    for (const std::uint8_t b : field) {
        if (b == 0) {
            return true;
        }
        if (b < 0x20 || b == 0x7F) {
            return false;
        }
    }
    return true;
}

bool LooksLikeUser(ByteView record, std::size_t size) {
    // Only a few privilege values exist (bit 0 plus levels 0-14).
    if (record[kPrivilegeAt] > 0x0F) {
        return false;
    }
    if (size == 72) {
        return LooksLikeUserId(Slice(record, kUserId72)) && LooksLikeText(Slice(record, kName72)) &&
               LooksLikeText(Slice(record, kPassword72));
    }
    // PIN 0 is not enrollable, and pyzk and the SDK leave the pad byte zero.
    return record[kPad28At] == 0 && ReadU32(record, kUserId28At) != 0 && LooksLikeText(Slice(record, kName28)) &&
           LooksLikeText(Slice(record, kPassword28));
}

}  // namespace

core::Result<User> DecodeUser(ByteView bytes, UserFormat format) {
    if (bytes.size() != RecordSize(format)) {
        return MakeError(Errc::kInvalidArgument,
                         "user record of " + std::to_string(bytes.size()) + " bytes, expected " +
                             std::to_string(RecordSize(format)));
    }
    User u;
    u.uid = ReadU16(bytes, 0);
    u.privilege = bytes[kPrivilegeAt];
    if (format == UserFormat::kExtended72) {
        u.password = ReadText(Slice(bytes, kPassword72));
        u.name = ReadText(Slice(bytes, kName72));
        u.card = ReadU32(bytes, kCard72At);
        u.group = bytes[kGroup72At];
        u.group_id = ReadText(Slice(bytes, kGroupId72));
        u.user_id = ReadText(Slice(bytes, kUserId72));
    } else {
        u.password = ReadText(Slice(bytes, kPassword28));
        u.name = ReadText(Slice(bytes, kName28));
        u.card = ReadU32(bytes, kCard28At);
        u.group = bytes[kGroup28At];
        u.time_zone = static_cast<std::int16_t>(ReadU16(bytes, kTimeZone28At));
        u.user_id = std::to_string(ReadU32(bytes, kUserId28At));
    }
    return u;
}

core::Result<Bytes> EncodeUser(const User& u, UserFormat format) {
    Bytes out(RecordSize(format), 0);
    WriteU16(out, 0, u.uid);
    out[kPrivilegeAt] = u.privilege;
    if (format == UserFormat::kExtended72) {
        // One byte of each field is kept for the NUL: peers read them as C strings.
        ROLLCALL_CHECK(CheckTextField(u.password, kPassword72.width - 1, "password"));
        ROLLCALL_CHECK(CheckTextField(u.name, kName72.width - 1, "name"));
        ROLLCALL_CHECK(CheckTextField(u.group_id, kGroupId72.width - 1, "group_id"));
        ROLLCALL_CHECK(CheckTextField(u.user_id, kUserId72.width - 1, "user_id"));
        WriteText(Slice(out, kPassword72), u.password);
        WriteText(Slice(out, kName72), u.name);
        WriteU32(out, kCard72At, u.card);
        out[kGroup72At] = u.group;
        WriteText(Slice(out, kGroupId72), u.group_id);
        WriteText(Slice(out, kUserId72), u.user_id);
    } else {
        ROLLCALL_CHECK(CheckTextField(u.password, kPassword28.width, "password"));
        ROLLCALL_CHECK(CheckTextField(u.name, kName28.width, "name"));
        ROLLCALL_TRY(const std::uint32_t numeric_id, NumericUserId(u.user_id));
        WriteText(Slice(out, kPassword28), u.password);
        WriteText(Slice(out, kName28), u.name);
        WriteU32(out, kCard28At, u.card);
        out[kGroup28At] = u.group;
        WriteU16(out, kTimeZone28At, static_cast<std::uint16_t>(u.time_zone));
        WriteU32(out, kUserId28At, numeric_id);
    }
    return out;
}

core::Result<std::vector<User>> DecodeUserDataset(ByteView dataset, UserFormat format) {
    ROLLCALL_TRY(const ByteView records, DatasetRecords(dataset));
    const std::size_t size = RecordSize(format);
    if (records.size() % size != 0) {
        return MakeError(Errc::kInvalidArgument,
                         "user dataset of " + std::to_string(records.size()) + " bytes is not a whole number of " +
                             std::to_string(size) + "-byte records");
    }
    std::vector<User> out;
    out.reserve(records.size() / size);
    for (std::size_t at = 0; at < records.size(); at += size) {
        ROLLCALL_TRY(User user, DecodeUser(records.subspan(at, size), format));
        out.push_back(std::move(user));
    }
    return out;
}

core::Result<Bytes> EncodeUserDataset(std::span<const User> users, UserFormat format) {
    Bytes body;
    body.reserve(users.size() * RecordSize(format));
    for (std::size_t i = 0; i < users.size(); ++i) {
        auto encoded = EncodeUser(users[i], format);
        if (!encoded) {
            return MakeError(Errc::kInvalidArgument, "user " + std::to_string(i) + ": " + encoded.error().message);
        }
        body.insert(body.end(), encoded->begin(), encoded->end());
    }
    return MakeDataset(body);
}

core::Result<UserFormat> DetectUserFormat(ByteView dataset, std::optional<std::uint32_t> expected_count) {
    ROLLCALL_TRY(const ByteView records, DatasetRecords(dataset));
    ROLLCALL_TRY(const std::size_t size, PickRecordSize(records, kCandidateSizes, expected_count, LooksLikeUser));
    // PickRecordSize only returns one of the candidates, each a UserFormat value.
    return static_cast<UserFormat>(size);
}

}  // namespace rollcall::protocol::zk
