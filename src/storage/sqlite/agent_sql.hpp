#pragma once

#include "storage/records.hpp"

#include <vector>

namespace rollcall::storage::sqlite {

class Db;

// The statements of agent tokens and device status, run inside the store's transactions and reads.

std::int64_t InsertAgentToken(Db& db,
                              std::int64_t school_id,
                              const std::vector<std::uint8_t>& token_hash,
                              std::int64_t created_at);
std::vector<AgentToken> SelectAgentTokens(Db& db,
                                          std::optional<std::int64_t> school_id,
                                          const std::vector<std::uint8_t>* hash);
bool MarkAgentTokenRevoked(Db& db, std::int64_t school_id, std::int64_t id, std::int64_t at);
void UpsertDeviceStatus(Db& db, const DeviceStatus& status);
std::vector<DeviceStatus> SelectDeviceStatuses(Db& db, std::int64_t school_id);

}  // namespace rollcall::storage::sqlite
