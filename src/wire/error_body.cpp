#include "wire/error_body.hpp"

namespace rollcall::wire {

void tag_invoke(json::value_from_tag, json::value& out, const ErrorBody& e) {
    out = {{"error", {{"code", e.code}, {"message", e.message}}}};
}

core::Result<ErrorBody> tag_invoke(DecodeTag<ErrorBody>, const json::value& v) {
    const auto* error = v.is_object() ? v.as_object().if_contains("error") : nullptr;
    if (error == nullptr || !error->is_object()) {
        return Invalid("error: expected an object");
    }
    ErrorBody e;
    ROLLCALL_TRY(e.code, RequiredString(error->as_object(), "code"));
    ROLLCALL_TRY(e.message, RequiredString(error->as_object(), "message"));
    return e;
}

}  // namespace rollcall::wire
