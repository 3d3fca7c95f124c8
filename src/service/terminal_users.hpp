#pragma once

// Terminals' own user tables (docs/api.md "Terminal users"): what the agent reads of each terminal it syncs (ID,
// name, card, privilege), stored whole per device, and what the admin makes of the names there: the person of the
// school each unmapped user's name is closest to (R7.1), and accepting those suggestions as mappings.

#include "core/clock.hpp"
#include "core/result.hpp"
#include "service/people.hpp"
#include "service/principal.hpp"
#include "storage/store.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace rollcall::service {

/// A user of an uploaded table with its index in the upload, so a refusal can name it.
struct IndexedTerminalUser {
    std::size_t index = 0;
    storage::TerminalUser user;
};

/// What storing an uploaded table did: the users kept, and those refused by index with the reason.
struct TerminalTableSaved {
    std::size_t stored = 0;
    std::vector<std::pair<std::size_t, std::string>> rejected;
};

/// A person of the school whose name is like a terminal user's.
struct NameMatch {
    std::int64_t person_id = 0;
    std::string name;
    double similarity = 0;  ///< NameSimilarity, in [0, 1]
};

/// The person an unmapped terminal user's name is closest to, and the next closest.
struct MappingSuggestion {
    std::int64_t device_id = 0;
    std::string user_id;
    std::string terminal_name;
    std::int64_t punches = 0;
    NameMatch best;
    std::optional<NameMatch> runner_up;
    /// The runner-up is as close as the best (two people of the same name): accepting "all above" skips it.
    bool ambiguous = false;
};

/// A suggestion (or any device user and person) the admin accepts: a mapping on that device.
struct SuggestionPick {
    std::int64_t device_id = 0;
    std::string user_id;
    std::int64_t person_id = 0;
};

struct SkippedPick {
    std::int64_t device_id = 0;
    std::string user_id;
    std::string reason;
};

struct AcceptReport {
    std::vector<storage::Mapping> accepted;
    std::vector<SkippedPick> skipped;
};

class TerminalUsers {
public:
    TerminalUsers(storage::Store& store,
                  const core::Clock& clock,
                  People& people,
                  std::size_t max_user_id_length,
                  std::size_t max_users);

    /// Replaces the device's stored user table with what its agent read (the caller has checked the device is the
    /// agent's). A user whose id or name cannot be stored, or whose id came before, is refused by its index; the
    /// others are stored. `read_at` (Unix seconds) is when the agent read it; none or later than now is now.
    core::Result<TerminalTableSaved> SaveTable(std::int64_t school_id,
                                               std::int64_t device_id,
                                               std::vector<IndexedTerminalUser> users,
                                               std::optional<std::int64_t> read_at);
    /// When the device's table was last read; none before its agent uploaded one.
    core::Result<std::optional<std::int64_t>> TableReadAt(std::int64_t school_id, std::int64_t device_id);

    /// For each unmapped user of the school's terminals that has a name there, the active person of the school
    /// (active_to not before today) whose name is closest (R7.1), with the runner-up; closest first. Users no
    /// person's name shares a bigram with are left out.
    core::Result<std::vector<MappingSuggestion>> Suggestions(std::int64_t school_id);
    /// Accepts every suggestion at or above `min_similarity` (in [0, 1]) that is not ambiguous, each as a
    /// mapping on its device, audited as one.
    core::Result<AcceptReport> AcceptAbove(const Principal& by, std::int64_t school_id, double min_similarity);
    /// Maps each pick's user to its person on its device, audited; a pick that cannot be made (the user is
    /// mapped already, no such device or person in the school) is skipped with the reason.
    core::Result<AcceptReport> Accept(const Principal& by,
                                      std::int64_t school_id,
                                      const std::vector<SuggestionPick>& picks);

private:
    /// `picks` with their audit reasons, each made as a mapping unless its user is mapped already.
    core::Result<AcceptReport> MapAll(const Principal& by,
                                      std::int64_t school_id,
                                      const std::vector<std::pair<SuggestionPick, std::string>>& picks);

    storage::Store& store_;
    const core::Clock& clock_;
    People& people_;
    std::size_t max_user_id_length_;
    std::size_t max_users_;
};

}  // namespace rollcall::service
