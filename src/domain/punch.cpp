#include "domain/punch.hpp"

namespace rollcall::domain {
namespace {

using core::Errc;
using core::MakeError;

// Device punch-state and verify codes are small integers; anything far outside is a corrupt record.
constexpr std::int64_t kMaxCode = 255;

}  // namespace

core::Result<ValidPunch> ValidateRecord(const RawRecord& record, const RecordLimits& limits) {
    if (!record.user_id) {
        return MakeError(Errc::kInvalidArgument, "missing user_id");
    }
    const std::string& uid = *record.user_id;
    if (uid.empty()) {
        return MakeError(Errc::kInvalidArgument, "user_id is empty");
    }
    if (uid.size() > limits.max_user_id_length) {
        return MakeError(Errc::kInvalidArgument,
                         "user_id too long (max " + std::to_string(limits.max_user_id_length) + " characters)");
    }
    for (const char c : uid) {
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
            return MakeError(Errc::kInvalidArgument, "user_id contains control characters");
        }
    }
    if (!record.timestamp) {
        return MakeError(Errc::kInvalidArgument, "missing timestamp");
    }
    const auto ts = core::ParseLocalDateTime(*record.timestamp);
    if (!ts) {
        return MakeError(Errc::kInvalidArgument, "bad timestamp format (expected YYYY-MM-DD HH:MM:SS)");
    }
    ValidPunch punch{uid, *ts, std::nullopt, std::nullopt};
    if (record.status) {
        if (*record.status < 0 || *record.status > kMaxCode) {
            return MakeError(Errc::kInvalidArgument, "status out of range (0-255)");
        }
        punch.status = static_cast<std::int32_t>(*record.status);
    }
    if (record.verify) {
        if (*record.verify < 0 || *record.verify > kMaxCode) {
            return MakeError(Errc::kInvalidArgument, "verify out of range (0-255)");
        }
        punch.verify = static_cast<std::int32_t>(*record.verify);
    }
    return punch;
}

}  // namespace rollcall::domain
