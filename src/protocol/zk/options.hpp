#pragma once

// Text payloads (§4.1, §4.2): CMD_OPTIONS_RRQ asks for "name" and is answered "name=value\0";
// CMD_OPTIONS_WRQ sends "name=value\0"; CMD_GET_VERSION is answered with a NUL-terminated firmware string.

#include "core/result.hpp"
#include "protocol/zk/bytes.hpp"

#include <string>
#include <string_view>

namespace rollcall::protocol::zk {

struct OptionValue {
    std::string name;
    std::string value;

    friend bool operator==(const OptionValue&, const OptionValue&) = default;
};

/// OPTIONS_RRQ data: the name and a NUL. kInvalidArgument for an empty name or one containing '=' or NUL.
core::Result<Bytes> EncodeOptionRequest(std::string_view name);

/// Device side: the requested name, with or without the NUL (zkteco-js omits it). kInvalidArgument when empty.
core::Result<std::string> DecodeOptionRequest(ByteView data);

/// "name=value\0": the OPTIONS_RRQ answer and the OPTIONS_WRQ request. kInvalidArgument for an empty name,
/// a name containing '=' or a NUL in either part.
core::Result<Bytes> EncodeOptionValue(const OptionValue& option);

/// Reads up to the first NUL, splits at the first '='. kInvalidArgument when there is no '=' or no name.
/// The value is kept as sent: pyzk's removal of stray '=' is left to callers that need it.
core::Result<OptionValue> DecodeOptionValue(ByteView data);

/// A NUL-terminated string such as the GET_VERSION reply ("Ver 6.60 Apr 28 2015"); text after the first NUL
/// is dropped, a missing NUL is tolerated.
std::string DecodeText(ByteView data);
/// Text plus NUL; kInvalidArgument when `text` contains a NUL.
core::Result<Bytes> EncodeText(std::string_view text);

}  // namespace rollcall::protocol::zk
