#include "support/json_schema.hpp"

#include <stdexcept>

namespace rollcall::test {
namespace {

namespace json = boost::json;

bool HasType(const json::value& value, std::string_view type) {
    if (type == "null") {
        return value.is_null();
    }
    if (type == "string") {
        return value.is_string();
    }
    if (type == "integer") {
        return value.is_int64() || value.is_uint64();
    }
    if (type == "number") {
        return value.is_number();
    }
    if (type == "boolean") {
        return value.is_bool();
    }
    if (type == "array") {
        return value.is_array();
    }
    if (type == "object") {
        return value.is_object();
    }
    throw std::runtime_error("schema: unknown type " + std::string(type));
}

}  // namespace

std::vector<std::string> SchemaChecker::Check(const json::value& value, const json::value& schema) const {
    std::vector<std::string> out;
    Walk(value, schema, "$", out, 0);
    return out;
}

const json::value& SchemaChecker::Resolve(const json::value& schema, const std::string& path) const {
    const auto& ref = schema.as_object().at("$ref").as_string();
    if (!ref.starts_with("#/")) {
        throw std::runtime_error(path + ": only local $ref is supported: " + std::string(ref));
    }
    const auto* at = &document_;
    std::string_view rest(ref.data() + 2, ref.size() - 2);
    while (!rest.empty()) {
        const auto slash = rest.find('/');
        const auto name = rest.substr(0, slash);
        const auto* next = at->is_object() ? at->as_object().if_contains(name) : nullptr;
        if (next == nullptr) {
            throw std::runtime_error(path + ": $ref " + std::string(ref) + " points nowhere");
        }
        at = next;
        rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
    }
    return *at;
}

void SchemaChecker::Walk(const json::value& value,
                         const json::value& schema_in,
                         const std::string& path,
                         std::vector<std::string>& out,
                         int depth) const {
    if (depth > 64) {
        throw std::runtime_error(path + ": schema nests too deep (a $ref loop?)");
    }
    if (!schema_in.is_object()) {
        throw std::runtime_error(path + ": a schema must be an object");
    }
    const auto& schema = schema_in.as_object().contains("$ref") ? Resolve(schema_in, path) : schema_in;
    const auto& s = schema.as_object();
    if (const auto* one_of = s.if_contains("oneOf")) {
        std::size_t matches = 0;
        for (const auto& alternative : one_of->as_array()) {
            std::vector<std::string> ignored;
            Walk(value, alternative, path, ignored, depth + 1);
            matches += ignored.empty() ? 1 : 0;
        }
        if (matches != 1) {
            out.push_back(path + ": matches " + std::to_string(matches) +
                          " of the oneOf alternatives, not exactly one");
        }
        return;
    }
    if (const auto* type = s.if_contains("type")) {
        bool ok = false;
        if (type->is_string()) {
            ok = HasType(value, type->as_string());
        } else {
            for (const auto& t : type->as_array()) {
                ok = ok || HasType(value, t.as_string());
            }
        }
        if (!ok) {
            out.push_back(path + ": " + json::serialize(value) + " is not of type " + json::serialize(*type));
            return;
        }
    }
    if (const auto* allowed = s.if_contains("enum")) {
        bool found = false;
        for (const auto& candidate : allowed->as_array()) {
            found = found || candidate == value;
        }
        if (!found) {
            out.push_back(path + ": " + json::serialize(value) + " is not one of " + json::serialize(*allowed));
        }
    }
    if (value.is_array()) {
        if (const auto* items = s.if_contains("items")) {
            const auto& a = value.as_array();
            for (std::size_t i = 0; i < a.size(); ++i) {
                Walk(a[i], *items, path + "[" + std::to_string(i) + "]", out, depth + 1);
            }
        }
    }
    if (value.is_object()) {
        const auto& o = value.as_object();
        const auto* properties = s.if_contains("properties");
        if (const auto* required = s.if_contains("required")) {
            for (const auto& name : required->as_array()) {
                if (!o.contains(name.as_string())) {
                    out.push_back(path + ": required field " + std::string(name.as_string()) + " is missing");
                }
            }
        }
        const auto* additional = s.if_contains("additionalProperties");
        for (const auto& [key, field] : o) {
            const auto child = path + "." + std::string(key);
            if (const auto* declared = properties != nullptr ? properties->as_object().if_contains(key) : nullptr) {
                Walk(field, *declared, child, out, depth + 1);
            } else if (additional != nullptr && additional->is_object()) {
                Walk(field, *additional, child, out, depth + 1);
            } else if ((additional == nullptr && properties != nullptr) ||
                       (additional != nullptr && additional->is_bool() && !additional->as_bool())) {
                out.push_back(child + ": not in the schema (document it)");
            }
        }
    }
}

}  // namespace rollcall::test
