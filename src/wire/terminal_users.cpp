#include "wire/terminal_users.hpp"

#include "wire/records.hpp"

#include <cmath>

namespace rollcall::wire {
namespace {

/// A device's user id: text, or a number read as its decimal text, as devices send ids.
core::Result<std::string> UserIdOf(const json::value& v, std::string_view field) {
    if (v.is_int64()) {
        return std::to_string(v.as_int64());
    }
    if (v.is_string()) {
        return std::string(v.as_string());
    }
    return Invalid(std::string(field) + ": a user id is a string or an integer");
}

}  // namespace

core::Result<AcceptSuggestionsRequest> tag_invoke(DecodeTag<AcceptSuggestionsRequest>, const json::value& v) {
    if (!v.is_object()) {
        return Invalid("body must be a JSON object");
    }
    const auto& o = v.as_object();
    AcceptSuggestionsRequest out;
    const auto* min = o.if_contains("min_similarity");
    const auto* items = o.if_contains("items");
    if ((min == nullptr) == (items == nullptr)) {
        return Invalid("give either min_similarity (accept every suggestion at or above it) or items");
    }
    if (min != nullptr) {
        if (!min->is_number() || !(min->to_number<double>() >= 0 && min->to_number<double>() <= 1)) {
            return Invalid("min_similarity: a number from 0 to 1");
        }
        out.min_similarity = min->to_number<double>();
        return out;
    }
    if (!items->is_array()) {
        return Invalid("items: expected an array of {device_id, user_id, person_id}");
    }
    for (const auto& item : items->as_array()) {
        if (!item.is_object()) {
            return Invalid("items: expected objects {device_id, user_id, person_id}");
        }
        const auto& i = item.as_object();
        service::SuggestionPick pick;
        ROLLCALL_TRY(pick.device_id, RequiredInt(i, "device_id"));
        const auto* user = i.if_contains("user_id");
        if (user == nullptr) {
            return Invalid("user_id: required");
        }
        ROLLCALL_TRY(pick.user_id, UserIdOf(*user, "user_id"));
        ROLLCALL_TRY(pick.person_id, RequiredInt(i, "person_id"));
        out.items.push_back(std::move(pick));
    }
    return out;
}

core::Result<service::TerminalPeopleInput> tag_invoke(DecodeTag<service::TerminalPeopleInput>, const json::value& v) {
    if (!v.is_object()) {
        return Invalid("body must be a JSON object");
    }
    const auto& o = v.as_object();
    service::TerminalPeopleInput input;
    const auto* ids = o.if_contains("user_ids");
    if (ids == nullptr || !ids->is_array()) {
        return Invalid("user_ids: required, an array of the terminal's user ids");
    }
    for (const auto& id : ids->as_array()) {
        ROLLCALL_TRY(auto text, UserIdOf(id, "user_ids"));
        input.user_ids.push_back(std::move(text));
    }
    ROLLCALL_TRY(const auto kind, OptName<domain::PersonKind>(o, "kind"));
    input.kind = kind.value_or(domain::PersonKind::kStudent);
    ROLLCALL_TRY(const auto group, OptString(o, "group"));
    input.group = group.value_or("");
    ROLLCALL_TRY(const auto from, OptNullableDate(o, "active_from"));
    if (from) {
        input.active_from = *from;
    }
    return input;
}

}  // namespace rollcall::wire

namespace rollcall::service {

namespace json = boost::json;

namespace {

/// Similarities are shown with three decimals: the screen compares them with a threshold it shows.
double Rounded(double similarity) {
    return std::round(similarity * 1000) / 1000;
}

}  // namespace

void tag_invoke(json::value_from_tag, json::value& out, const NameMatch& m) {
    out = {{"person_id", m.person_id}, {"name", m.name}, {"similarity", Rounded(m.similarity)}};
}

void tag_invoke(json::value_from_tag, json::value& out, const MappingSuggestion& s) {
    out = {{"device_id", s.device_id},
           {"user_id", s.user_id},
           {"terminal_name", s.terminal_name},
           {"punches", s.punches},
           {"person_id", s.best.person_id},
           {"person_name", s.best.name},
           {"similarity", Rounded(s.best.similarity)},
           {"runner_up", s.runner_up ? json::value_from(*s.runner_up) : json::value(nullptr)},
           {"ambiguous", s.ambiguous}};
}

void tag_invoke(json::value_from_tag, json::value& out, const AcceptReport& r) {
    json::array skipped;
    for (const auto& s : r.skipped) {
        skipped.push_back(json::object{{"device_id", s.device_id}, {"user_id", s.user_id}, {"reason", s.reason}});
    }
    out = {{"accepted", json::value_from(r.accepted)}, {"skipped", std::move(skipped)}};
}

void tag_invoke(json::value_from_tag, json::value& out, const TerminalPeopleReport& r) {
    json::array created;
    for (const auto& c : r.created) {
        created.push_back(json::object{
            {"user_id", c.user_id}, {"person", json::value_from(c.person)}, {"mapping", json::value_from(c.mapping)}});
    }
    json::array skipped;
    for (const auto& s : r.skipped) {
        skipped.push_back(json::object{{"user_id", s.user_id}, {"reason", s.reason}});
    }
    out = {{"created", std::move(created)}, {"skipped", std::move(skipped)}};
}

}  // namespace rollcall::service
