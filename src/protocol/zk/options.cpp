#include "protocol/zk/options.hpp"

namespace rollcall::protocol::zk {
namespace {

using core::Errc;
using core::MakeError;

core::Status CheckName(std::string_view name) {
    if (name.empty()) {
        return MakeError(Errc::kInvalidArgument, "option name is empty");
    }
    if (name.find_first_of(std::string_view("=\0", 2)) != std::string_view::npos) {
        return MakeError(Errc::kInvalidArgument, "option name contains '=' or NUL");
    }
    return {};
}

}  // namespace

core::Result<Bytes> EncodeOptionRequest(std::string_view name) {
    ROLLCALL_CHECK(CheckName(name));
    Bytes out = ToBytes(name);
    out.push_back(0);
    return out;
}

core::Result<std::string> DecodeOptionRequest(ByteView data) {
    std::string name = ReadText(data);
    if (name.empty()) {
        return MakeError(Errc::kInvalidArgument, "option request without a name");
    }
    return name;
}

core::Result<Bytes> EncodeOptionValue(const OptionValue& option) {
    ROLLCALL_CHECK(CheckName(option.name));
    if (option.value.find('\0') != std::string::npos) {
        return MakeError(Errc::kInvalidArgument, "option value contains NUL");
    }
    Bytes out = ToBytes(option.name);
    out.push_back('=');
    out.insert(out.end(), option.value.begin(), option.value.end());
    out.push_back(0);
    return out;
}

core::Result<OptionValue> DecodeOptionValue(ByteView data) {
    const std::string text = ReadText(data);
    const std::size_t eq = text.find('=');
    if (eq == std::string::npos || eq == 0) {
        return MakeError(Errc::kInvalidArgument, "option reply is not name=value");
    }
    return OptionValue{text.substr(0, eq), text.substr(eq + 1)};
}

std::string DecodeText(ByteView data) {
    return ReadText(data);
}

core::Result<Bytes> EncodeText(std::string_view text) {
    if (text.find('\0') != std::string_view::npos) {
        return MakeError(Errc::kInvalidArgument, "text contains NUL");
    }
    Bytes out = ToBytes(text);
    out.push_back(0);
    return out;
}

}  // namespace rollcall::protocol::zk
