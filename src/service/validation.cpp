#include "service/validation.hpp"

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
    for (const char c : value) {
        if (static_cast<unsigned char>(c) < 0x20) {
            return MakeError(Errc::kInvalidArgument, std::string(field) + ": control characters are not allowed");
        }
    }
    return {};
}

}  // namespace rollcall::service
