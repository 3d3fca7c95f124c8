#pragma once

// The admin API's shapes for terminals' user tables (docs/api.md "Terminal users"): mapping suggestions, accepting
// them, and creating people from a terminal's users.

#include "service/terminal_users.hpp"
#include "wire/decode.hpp"

#include <optional>
#include <vector>

namespace rollcall::wire {

/// POST /mapping-suggestions/accept: every suggestion at or above `min_similarity`, or the `items` named.
struct AcceptSuggestionsRequest {
    std::optional<double> min_similarity;
    std::vector<service::SuggestionPick> items;
};

core::Result<AcceptSuggestionsRequest> tag_invoke(DecodeTag<AcceptSuggestionsRequest>, const json::value& v);
/// POST /devices/{id}/users/create-people: `{"user_ids", "kind", "group", "active_from"}`.
core::Result<service::TerminalPeopleInput> tag_invoke(DecodeTag<service::TerminalPeopleInput>, const json::value& v);

}  // namespace rollcall::wire

namespace rollcall::service {

void tag_invoke(boost::json::value_from_tag, boost::json::value& out, const NameMatch& m);
void tag_invoke(boost::json::value_from_tag, boost::json::value& out, const MappingSuggestion& s);
void tag_invoke(boost::json::value_from_tag, boost::json::value& out, const AcceptReport& r);
void tag_invoke(boost::json::value_from_tag, boost::json::value& out, const TerminalPeopleReport& r);

}  // namespace rollcall::service
