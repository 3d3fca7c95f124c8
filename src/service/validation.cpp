#include "service/validation.hpp"

#include "core/text_encoding.hpp"

namespace rollcall::service {

core::Status CheckText(const std::string& value, std::string_view field, bool required, std::size_t max) {
    using core::Errc;
    using core::MakeError;
    if (required && value.empty()) {
        return MakeError(Errc::kInvalidArgument, std::string(field) + ": required");
    }
    if (value.size() > max) {
        return MakeError(Errc::kInvalidArgument, std::string(field) + ": too long (max " + std::to_string(max) + ")");
    }
    if (!core::IsValidUtf8(value)) {
        // Stored as it came, it would make every answer that shows it invalid JSON, and every report a broken file.
        return MakeError(Errc::kInvalidArgument, std::string(field) + ": not valid UTF-8 text");
    }
    for (const char c : value) {
        if (static_cast<unsigned char>(c) < 0x20) {
            return MakeError(Errc::kInvalidArgument, std::string(field) + ": control characters are not allowed");
        }
    }
    return {};
}

}  // namespace rollcall::service
