#include "service/terminal_users.hpp"

#include "domain/name_similarity.hpp"
#include "service/time_zone.hpp"
#include "service/validation.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>
#include <tuple>
#include <unordered_map>

namespace rollcall::service {
namespace {

using core::Errc;
using core::MakeError;

/// A person whose name can be compared: their bigrams, counted (domain::NameBigrams, run-length encoded).
struct Candidate {
    const storage::Person* person = nullptr;
    std::size_t bigrams = 0;
};

/// The people of the school by their names' bigrams: comparing a name with every person costs the postings of its
/// own bigrams, not a pass over everyone.
class NameIndex {
public:
    explicit NameIndex(const std::vector<const storage::Person*>& people) {
        candidates_.reserve(people.size());
        for (const auto* p : people) {
            const auto bigrams = domain::NameBigrams(p->name);
            if (bigrams.empty()) {
                continue;
            }
            const auto at = static_cast<std::uint32_t>(candidates_.size());
            candidates_.push_back({p, bigrams.size()});
            for (const auto& [bigram, count] : Counted(bigrams)) {
                postings_[bigram].push_back({at, count});
            }
        }
        common_.assign(candidates_.size(), 0);
    }

    /// The closest person to `name` and the next one (by similarity, then by id); none when no person shares a bigram.
    std::pair<std::optional<NameMatch>, std::optional<NameMatch>> Closest(const std::string& name) {
        const auto bigrams = domain::NameBigrams(name);
        std::vector<std::uint32_t> touched;
        for (const auto& [bigram, count] : Counted(bigrams)) {
            const auto it = postings_.find(bigram);
            if (it == postings_.end()) {
                continue;
            }
            for (const auto& [at, theirs] : it->second) {
                if (common_[at] == 0) {
                    touched.push_back(at);
                }
                common_[at] += std::min(count, theirs);
            }
        }
        std::optional<NameMatch> best;
        std::optional<NameMatch> second;
        const auto better = [](const NameMatch& a, const std::optional<NameMatch>& b) {
            return !b || a.similarity > b->similarity || (a.similarity == b->similarity && a.person_id < b->person_id);
        };
        for (const auto at : touched) {
            const auto& c = candidates_[at];
            const NameMatch m{c.person->id,
                              c.person->name,
                              2.0 * static_cast<double>(common_[at]) / static_cast<double>(bigrams.size() + c.bigrams)};
            common_[at] = 0;
            if (better(m, best)) {
                second = std::move(best);
                best = m;
            } else if (better(m, second)) {
                second = m;
            }
        }
        return {std::move(best), std::move(second)};
    }

private:
    static std::vector<std::pair<domain::Bigram, std::uint32_t>> Counted(const std::vector<domain::Bigram>& sorted) {
        std::vector<std::pair<domain::Bigram, std::uint32_t>> out;
        for (const auto b : sorted) {
            if (!out.empty() && out.back().first == b) {
                ++out.back().second;
            } else {
                out.emplace_back(b, 1);
            }
        }
        return out;
    }

    std::vector<Candidate> candidates_;
    std::unordered_map<domain::Bigram, std::vector<std::pair<std::uint32_t, std::uint32_t>>> postings_;
    std::vector<std::uint32_t> common_;  ///< per candidate, while one name is compared
};

std::string TwoDecimals(double similarity) {
    char text[16];
    std::snprintf(text, sizeof text, "%.2f", similarity);
    return text;
}

}  // namespace

TerminalUsers::TerminalUsers(storage::Store& store,
                             const core::Clock& clock,
                             People& people,
                             std::size_t max_user_id_length,
                             std::size_t max_users)
    : store_(store), clock_(clock), people_(people), max_user_id_length_(max_user_id_length), max_users_(max_users) {}

core::Result<TerminalTableSaved> TerminalUsers::SaveTable(std::int64_t school_id,
                                                          std::int64_t device_id,
                                                          std::vector<IndexedTerminalUser> users,
                                                          std::optional<std::int64_t> read_at) {
    const auto now = clock_.NowUnix();
    storage::TerminalUserTable table{school_id, device_id, {}, std::min(read_at.value_or(now), now), now};
    TerminalTableSaved saved;
    std::set<std::string, std::less<>> seen;
    for (auto& [index, user] : users) {
        auto checked = CheckText(user.user_id, "user_id", true, max_user_id_length_);
        if (checked) {
            checked = CheckText(user.name, "name", false, kMaxNameLength);
        }
        if (!checked) {
            saved.rejected.emplace_back(index, checked.error().message);
        } else if (!seen.insert(user.user_id).second) {
            saved.rejected.emplace_back(index, "user_id: listed before in this table");
        } else {
            table.users.push_back(std::move(user));
        }
    }
    ROLLCALL_CHECK(store_.ReplaceTerminalUsers(table));
    saved.stored = table.users.size();
    return saved;
}

core::Result<std::optional<std::int64_t>> TerminalUsers::TableReadAt(std::int64_t school_id, std::int64_t device_id) {
    ROLLCALL_TRY(const auto device, store_.GetDevice(school_id, device_id));
    ROLLCALL_TRY(const auto read, store_.GetTerminalUserRead(school_id, device.id));
    return read ? std::optional<std::int64_t>(read->read_at) : std::nullopt;
}

core::Result<std::vector<MappingSuggestion>> TerminalUsers::Suggestions(std::int64_t school_id) {
    ROLLCALL_TRY(const auto school, store_.GetSchool(school_id));
    ROLLCALL_TRY(const auto today, TodayIn(clock_, school.timezone));
    ROLLCALL_TRY(const auto people, store_.ListPeople(school_id));
    ROLLCALL_TRY(const auto users, store_.ListDeviceUsers(school_id, std::nullopt));
    std::vector<const storage::Person*> active;
    for (const auto& p : people) {
        if (!p.active_to || *p.active_to >= today) {
            active.push_back(&p);
        }
    }
    NameIndex index(active);
    std::vector<MappingSuggestion> out;
    for (const auto& u : users) {
        if (u.person_id || !u.in_terminal || u.name.empty()) {
            continue;
        }
        auto [best, second] = index.Closest(u.name);
        if (!best) {
            continue;
        }
        MappingSuggestion s{u.device_id, u.user_id, u.name, u.punches, std::move(*best), std::move(second), false};
        s.ambiguous = s.runner_up && s.runner_up->similarity == s.best.similarity;
        out.push_back(std::move(s));
    }
    std::stable_sort(out.begin(), out.end(), [](const MappingSuggestion& a, const MappingSuggestion& b) {
        return a.best.similarity > b.best.similarity;
    });
    return out;
}

core::Result<AcceptReport> TerminalUsers::AcceptAbove(const Principal& by,
                                                      std::int64_t school_id,
                                                      double min_similarity) {
    if (!(min_similarity >= 0 && min_similarity <= 1)) {
        return MakeError(Errc::kInvalidArgument, "min_similarity: a number from 0 to 1");
    }
    ROLLCALL_TRY(const auto suggestions, Suggestions(school_id));
    std::vector<std::pair<SuggestionPick, std::string>> picks;
    AcceptReport skipped_ambiguous;
    for (const auto& s : suggestions) {
        if (s.best.similarity < min_similarity) {
            continue;
        }
        if (s.ambiguous) {
            skipped_ambiguous.skipped.push_back(
                {s.device_id, s.user_id, "two people are as close (" + s.best.name + "): choose one"});
            continue;
        }
        picks.push_back({{s.device_id, s.user_id, s.best.person_id},
                         "accepted a name suggestion: \"" + s.terminal_name + "\" on the terminal, similarity " +
                             TwoDecimals(s.best.similarity)});
    }
    ROLLCALL_TRY(auto report, MapAll(by, school_id, picks));
    report.skipped.insert(report.skipped.end(), skipped_ambiguous.skipped.begin(), skipped_ambiguous.skipped.end());
    return report;
}

core::Result<AcceptReport> TerminalUsers::Accept(const Principal& by,
                                                 std::int64_t school_id,
                                                 const std::vector<SuggestionPick>& picks) {
    if (picks.empty()) {
        return MakeError(Errc::kInvalidArgument, "items: name at least one suggestion to accept");
    }
    if (picks.size() > max_users_) {
        return MakeError(Errc::kInvalidArgument,
                         "items: at most " + std::to_string(max_users_) + " (agent.max_terminal_users)");
    }
    std::vector<std::pair<SuggestionPick, std::string>> reasoned;
    reasoned.reserve(picks.size());
    for (const auto& p : picks) {
        reasoned.emplace_back(p, "accepted a name suggestion");
    }
    return MapAll(by, school_id, reasoned);
}

core::Result<AcceptReport> TerminalUsers::MapAll(const Principal& by,
                                                 std::int64_t school_id,
                                                 const std::vector<std::pair<SuggestionPick, std::string>>& picks) {
    ROLLCALL_TRY(const auto users, store_.ListDeviceUsers(school_id, std::nullopt));
    std::map<std::pair<std::int64_t, std::string>, std::int64_t> mapped;  // (device, user) -> person
    for (const auto& u : users) {
        if (u.person_id) {
            mapped.emplace(std::pair{u.device_id, u.user_id}, *u.person_id);
        }
    }
    AcceptReport report;
    for (const auto& [pick, reason] : picks) {
        const auto key = std::pair{pick.device_id, pick.user_id};
        if (const auto it = mapped.find(key); it != mapped.end()) {
            report.skipped.push_back(
                {pick.device_id, pick.user_id, "already mapped to person " + std::to_string(it->second)});
            continue;
        }
        auto mapping = people_.CreateMapping(by, school_id, pick.user_id, pick.person_id, pick.device_id, reason);
        if (!mapping) {
            if (mapping.error().code != Errc::kInvalidArgument && mapping.error().code != Errc::kConflict) {
                return mapping.error();  // the store failed: what was mapped so far stays, each audited
            }
            report.skipped.push_back({pick.device_id, pick.user_id, mapping.error().message});
            continue;
        }
        mapped.emplace(key, pick.person_id);
        report.accepted.push_back(std::move(*mapping));
    }
    return report;
}

}  // namespace rollcall::service
