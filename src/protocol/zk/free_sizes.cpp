#include "protocol/zk/free_sizes.hpp"

#include <string>

namespace rollcall::protocol::zk {
namespace {

using core::Errc;
using core::MakeError;

// Index of each field in the table of u32 (byte offset = 4 * index).
constexpr std::size_t kUsers = 4;
constexpr std::size_t kFingers = 6;
constexpr std::size_t kRecords = 8;
constexpr std::size_t kOplogs = 10;
constexpr std::size_t kAdmins = 12;
constexpr std::size_t kPasswords = 13;
constexpr std::size_t kFingerCapacity = 14;
constexpr std::size_t kUserCapacity = 15;
constexpr std::size_t kRecordCapacity = 16;
constexpr std::size_t kFingersFree = 17;
constexpr std::size_t kUsersFree = 18;
constexpr std::size_t kRecordsFree = 19;
constexpr std::size_t kFaces = 20;
constexpr std::size_t kFaceCapacity = 22;

constexpr std::size_t kCountsUnknownSize = 4;

}  // namespace

core::Result<std::optional<FreeSizes>> DecodeFreeSizes(ByteView data) {
    if (data.size() == kCountsUnknownSize) {
        return std::optional<FreeSizes>();
    }
    if (data.size() < kFreeSizesMinSize) {
        return MakeError(Errc::kInvalidArgument,
                         "free-sizes reply of " + std::to_string(data.size()) + " bytes, expected at least 80");
    }
    const auto at = [&](std::size_t index) { return ReadU32(data, 4 * index); };
    FreeSizes s;
    s.users = at(kUsers);
    s.fingers = at(kFingers);
    s.records = at(kRecords);
    s.oplogs = at(kOplogs);
    s.admins = at(kAdmins);
    s.passwords = at(kPasswords);
    s.finger_capacity = at(kFingerCapacity);
    s.user_capacity = at(kUserCapacity);
    s.record_capacity = at(kRecordCapacity);
    s.fingers_free = at(kFingersFree);
    s.users_free = at(kUsersFree);
    s.records_free = at(kRecordsFree);
    if (data.size() >= kFreeSizesFullSize) {
        s.faces = FaceSizes{at(kFaces), at(kFaceCapacity)};
    }
    return std::optional<FreeSizes>(s);
}

Bytes EncodeFreeSizes(const FreeSizes& s) {
    Bytes out(s.faces ? kFreeSizesFullSize : kFreeSizesMinSize, 0);
    const auto put = [&](std::size_t index, std::uint32_t value) { WriteU32(out, 4 * index, value); };
    put(kUsers, s.users);
    put(kFingers, s.fingers);
    put(kRecords, s.records);
    put(kOplogs, s.oplogs);
    put(kAdmins, s.admins);
    put(kPasswords, s.passwords);
    put(kFingerCapacity, s.finger_capacity);
    put(kUserCapacity, s.user_capacity);
    put(kRecordCapacity, s.record_capacity);
    put(kFingersFree, s.fingers_free);
    put(kUsersFree, s.users_free);
    put(kRecordsFree, s.records_free);
    if (s.faces) {
        put(kFaces, s.faces->count);
        put(kFaceCapacity, s.faces->capacity);
    }
    return out;
}

}  // namespace rollcall::protocol::zk
