#include "support/yaml_json.hpp"

#include <charconv>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <vector>

#include <yaml.h>

namespace rollcall::test {
namespace {

namespace json = boost::json;

std::string Where(const yaml_mark_t& mark) {
    return "line " + std::to_string(mark.line + 1) + ", column " + std::to_string(mark.column + 1);
}

json::value PlainScalar(const std::string& text) {
    if (text == "null" || text == "~" || text.empty()) {
        return nullptr;
    }
    if (text == "true") {
        return true;
    }
    if (text == "false") {
        return false;
    }
    std::int64_t n = 0;
    const auto* end = text.data() + text.size();
    if (const auto [ptr, ec] = std::from_chars(text.data(), end, n); ec == std::errc() && ptr == end) {
        return n;
    }
    return json::string(text);
}

/// Builds values from libyaml's event stream: a stack of open containers, each mapping with its pending key.
class Builder {
public:
    void Scalar(json::value v, bool quoted) {
        auto& top = stack_.back();
        if (top.value.is_object() && !top.key) {
            if (!quoted && !v.is_string()) {
                v = json::string(json::serialize(v));  // a plain key such as 200 or true is a name, not a number
            }
            top.key = std::string(v.as_string());
            return;
        }
        Add(std::move(v));
    }
    void Open(json::value container) { stack_.push_back({std::move(container), std::nullopt}); }
    void Close() {
        auto done = std::move(stack_.back().value);
        stack_.pop_back();
        Add(std::move(done));
    }
    json::value Result() { return std::move(result_); }

private:
    struct Open_ {
        json::value value;
        std::optional<std::string> key;
    };
    void Add(json::value v) {
        if (stack_.empty()) {
            result_ = std::move(v);
            return;
        }
        auto& top = stack_.back();
        if (top.value.is_array()) {
            top.value.as_array().push_back(std::move(v));
        } else {
            top.value.as_object()[*top.key] = std::move(v);
            top.key.reset();
        }
    }
    std::vector<Open_> stack_;
    json::value result_;
};

}  // namespace

json::value ParseYaml(const std::string& text) {
    yaml_parser_t parser;
    if (yaml_parser_initialize(&parser) == 0) {
        throw std::runtime_error("yaml: cannot initialise the parser");
    }
    const std::unique_ptr<yaml_parser_t, void (*)(yaml_parser_t*)> guard(&parser, yaml_parser_delete);
    yaml_parser_set_input_string(&parser, reinterpret_cast<const unsigned char*>(text.data()), text.size());
    Builder builder;
    for (bool done = false; !done;) {
        yaml_event_t event;
        if (yaml_parser_parse(&parser, &event) == 0) {
            throw std::runtime_error(std::string("yaml: ") +
                                     (parser.problem != nullptr ? parser.problem : "parse error") + " at " +
                                     Where(parser.problem_mark));
        }
        const std::unique_ptr<yaml_event_t, void (*)(yaml_event_t*)> event_guard(&event, yaml_event_delete);
        switch (event.type) {
            case YAML_STREAM_END_EVENT:
                done = true;
                break;
            case YAML_ALIAS_EVENT:
                throw std::runtime_error("yaml: aliases are not supported, at " + Where(event.start_mark));
            case YAML_SCALAR_EVENT: {
                const auto& s = event.data.scalar;
                if (s.anchor != nullptr || (s.tag != nullptr && s.plain_implicit == 0 && s.quoted_implicit == 0)) {
                    throw std::runtime_error("yaml: anchors and tags are not supported, at " + Where(event.start_mark));
                }
                std::string value(reinterpret_cast<const char*>(s.value), s.length);
                const bool quoted = s.style != YAML_PLAIN_SCALAR_STYLE;
                builder.Scalar(quoted ? json::value(json::string(value)) : PlainScalar(value), quoted);
                break;
            }
            case YAML_SEQUENCE_START_EVENT:
                builder.Open(json::array{});
                break;
            case YAML_MAPPING_START_EVENT:
                builder.Open(json::object{});
                break;
            case YAML_SEQUENCE_END_EVENT:
            case YAML_MAPPING_END_EVENT:
                builder.Close();
                break;
            default:
                break;  // stream and document boundaries
        }
    }
    return builder.Result();
}

json::value LoadYamlFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw std::runtime_error("cannot read " + path);
    }
    std::ostringstream text;
    text << in.rdbuf();
    return ParseYaml(text.str());
}

}  // namespace rollcall::test
