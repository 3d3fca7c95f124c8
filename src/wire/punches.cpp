#include "wire/punches.hpp"

#include <charconv>

namespace rollcall::wire {
namespace {

using core::Errc;
using core::MakeError;

/// `status` and `verify`: an integer, or one quoted by a firmware that sends small numbers as strings.
core::Result<std::optional<std::int64_t>> SmallCode(const json::object& o, std::string_view field) {
    const auto* f = o.if_contains(field);
    if (f == nullptr || f->is_null()) {
        return std::optional<std::int64_t>();
    }
    if (f->is_int64()) {
        return std::optional<std::int64_t>(f->as_int64());
    }
    if (f->is_uint64()) {
        return std::optional<std::int64_t>(f->as_uint64() > 255 ? 256 : static_cast<std::int64_t>(f->as_uint64()));
    }
    if (f->is_string()) {
        const auto& s = f->as_string();
        std::int64_t n = 0;
        const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
        if (ec == std::errc() && ptr == s.data() + s.size()) {
            return std::optional<std::int64_t>(n);
        }
    }
    return Invalid(std::string(field) + " must be an integer");
}

/// A count of the ingest report; never negative.
core::Result<std::size_t> Count(const json::object& o, std::string_view field) {
    ROLLCALL_TRY(const auto n, RequiredInt(o, field));
    if (n < 0) {
        return Invalid(std::string(field) + ": must not be negative");
    }
    return static_cast<std::size_t>(n);
}

const json::object* AsObject(const json::value& v) {
    return v.is_object() ? &v.as_object() : nullptr;
}

}  // namespace

void tag_invoke(json::value_from_tag, json::value& out, const PunchRecord& r) {
    auto& o = out.emplace_object();
    PutIfKnown(o, "user_id", r.user_id);
    PutIfKnown(o, "timestamp", r.timestamp);
    PutIfKnown(o, "status", r.status);
    PutIfKnown(o, "verify", r.verify);
}

void tag_invoke(json::value_from_tag, json::value& out, const RecordReject& r) {
    out = json::object{{"index", r.index}, {"reason", r.reason}};
}

void tag_invoke(json::value_from_tag, json::value& out, const PunchBatch& b) {
    out = json::object{{"logs", json::value_from(b.logs)}};
}

void tag_invoke(json::value_from_tag, json::value& out, const AgentUpload& u) {
    json::value_from(u.batch, out);
    if (u.read_at) {
        out.as_object()["read_at"] = core::FormatUnixUtc(*u.read_at);
    }
}

void tag_invoke(json::value_from_tag, json::value& out, const IngestReport& r) {
    out = json::object{{"received", r.received},
                       {"inserted", r.inserted},
                       {"duplicates", r.duplicates},
                       {"rejected", json::value_from(r.rejected)}};
}

core::Result<PunchRecord> tag_invoke(DecodeTag<PunchRecord>, const json::value& v) {
    const auto* o = AsObject(v);
    if (o == nullptr) {
        return Invalid("record is not an object");
    }
    PunchRecord r;
    if (const auto* uid = o->if_contains("user_id"); uid != nullptr && !uid->is_null()) {
        if (uid->is_string()) {
            r.user_id = std::string(uid->as_string());
        } else if (uid->is_int64()) {
            r.user_id = std::to_string(uid->as_int64());
        } else if (uid->is_uint64()) {
            r.user_id = std::to_string(uid->as_uint64());
        } else {
            return Invalid("user_id must be a string or an integer");
        }
    }
    if (const auto* ts = o->if_contains("timestamp"); ts != nullptr && !ts->is_null()) {
        if (!ts->is_string()) {
            return Invalid("timestamp must be a string \"YYYY-MM-DD HH:MM:SS\"");
        }
        r.timestamp = std::string(ts->as_string());
    }
    ROLLCALL_TRY(r.status, SmallCode(*o, "status"));
    ROLLCALL_TRY(r.verify, SmallCode(*o, "verify"));
    return r;
}

core::Result<RecordReject> tag_invoke(DecodeTag<RecordReject>, const json::value& v) {
    const auto* o = AsObject(v);
    if (o == nullptr) {
        return Invalid("rejected: expected objects");
    }
    RecordReject r;
    ROLLCALL_TRY(r.index, Count(*o, "index"));
    ROLLCALL_TRY(r.reason, RequiredString(*o, "reason"));
    return r;
}

core::Result<PunchBatch> tag_invoke(DecodeTag<PunchBatch>, const json::value& v, std::size_t max_records) {
    const auto* o = AsObject(v);
    const auto* logs = o != nullptr ? o->if_contains("logs") : nullptr;
    if (logs == nullptr || !logs->is_array()) {
        return Invalid("body must have a \"logs\" array");
    }
    const auto& array = logs->as_array();
    if (array.size() > max_records) {
        return MakeError(Errc::kPayloadTooLarge,
                         "too many records in one push (max " + std::to_string(max_records) + ")");
    }
    PunchBatch out;
    out.logs.resize(array.size());
    for (std::size_t i = 0; i < array.size(); ++i) {
        auto r = Decode<PunchRecord>(array[i]);
        if (r) {
            out.logs[i] = std::move(*r);
        } else {
            out.rejects.push_back({i, r.error().message});
        }
    }
    return out;
}

core::Result<PunchBatch> tag_invoke(DecodeTag<PunchBatch> tag, const json::value& v) {
    return tag_invoke(tag, v, kNoRecordLimit);
}

core::Result<AgentUpload> tag_invoke(DecodeTag<AgentUpload>, const json::value& v, std::size_t max_records) {
    AgentUpload out;
    ROLLCALL_TRY(out.batch, Decode<PunchBatch>(v, max_records));
    ROLLCALL_TRY(out.read_at, OptUtc(v.as_object(), "read_at"));
    return out;
}

core::Result<AgentUpload> tag_invoke(DecodeTag<AgentUpload> tag, const json::value& v) {
    return tag_invoke(tag, v, kNoRecordLimit);
}

core::Result<IngestReport> tag_invoke(DecodeTag<IngestReport>, const json::value& v) {
    const auto* o = AsObject(v);
    if (o == nullptr) {
        return Invalid("ingest report: expected an object");
    }
    IngestReport r;
    ROLLCALL_TRY(r.received, Count(*o, "received"));
    ROLLCALL_TRY(r.inserted, Count(*o, "inserted"));
    ROLLCALL_TRY(r.duplicates, Count(*o, "duplicates"));
    const auto* rejected = o->if_contains("rejected");
    if (rejected == nullptr || !rejected->is_array()) {
        return Invalid("rejected: expected an array");
    }
    for (const auto& x : rejected->as_array()) {
        ROLLCALL_TRY(auto reject, Decode<RecordReject>(x));
        r.rejected.push_back(std::move(reject));
    }
    return r;
}

}  // namespace rollcall::wire
