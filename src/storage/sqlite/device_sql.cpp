#include "storage/sqlite/device_sql.hpp"

namespace rollcall::storage::sqlite {

std::optional<Device> SelectDeviceByTokenHash(Db& db, const std::vector<std::uint8_t>& hash) {
    return SelectWhere<Device>(db, "token_hash", std::span<const std::uint8_t>(hash));
}

bool DeviceHasPunches(Db& db, std::int64_t device_id) {
    Stmt has(db, "SELECT 1 FROM punches WHERE device_id = ? LIMIT 1");
    has.Bind(1, device_id);
    return has.Step();
}

void RaiseLastSeen(Db& db, std::int64_t device_id, std::int64_t seen_at) {
    Stmt(db, "UPDATE devices SET last_seen = max(ifnull(last_seen, 0), ?) WHERE id = ?")
        .Bind(1, seen_at)
        .Bind(2, device_id)
        .Exec();
}

}  // namespace rollcall::storage::sqlite
