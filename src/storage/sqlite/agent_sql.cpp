#include "storage/sqlite/agent_sql.hpp"

#include "storage/sqlite/sqlite_db.hpp"

namespace rollcall::storage::sqlite {

std::int64_t InsertAgentToken(Db& db,
                              std::int64_t school_id,
                              const std::vector<std::uint8_t>& token_hash,
                              std::int64_t created_at) {
    Stmt(db, "INSERT INTO agent_tokens(school_id, token_hash, created_at) VALUES(?,?,?)")
        .Bind(1, school_id)
        .Bind(2, std::span<const std::uint8_t>(token_hash))
        .Bind(3, created_at)
        .Exec();
    return db.LastInsertId();
}

std::vector<AgentToken> SelectAgentTokens(Db& db,
                                          std::optional<std::int64_t> school_id,
                                          const std::vector<std::uint8_t>* hash) {
    Stmt s(db,
           "SELECT id, school_id, token_hash, created_at, revoked_at FROM agent_tokens "
           "WHERE (?1 IS NULL OR school_id = ?1) AND (?2 IS NULL OR token_hash = ?2) ORDER BY id");
    s.Bind(1, school_id);
    if (hash != nullptr) {
        s.Bind(2, std::span<const std::uint8_t>(*hash));
    } else {
        s.BindNull(2);
    }
    std::vector<AgentToken> out;
    while (s.Step()) {
        out.push_back(AgentToken{s.Int(0), s.Int(1), s.Blob(2), s.Int(3), s.OptInt(4)});
    }
    return out;
}

bool MarkAgentTokenRevoked(Db& db, std::int64_t school_id, std::int64_t id, std::int64_t at) {
    Stmt(db, "UPDATE agent_tokens SET revoked_at = ifnull(revoked_at, ?) WHERE school_id = ? AND id = ?")
        .Bind(1, at)
        .Bind(2, school_id)
        .Bind(3, id)
        .Exec();
    return db.Changes() > 0;
}

void UpsertDeviceStatus(Db& db, const DeviceStatus& st) {
    Stmt(db,
         "INSERT OR REPLACE INTO device_status(device_id, school_id, reachable, serial, firmware, users, records, "
         "user_capacity, record_capacity, device_time, clock_drift_seconds, read_through, last_error, reported_at) "
         "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?)")
        .Bind(1, st.device_id)
        .Bind(2, st.school_id)
        .Bind(3, std::int64_t{st.reachable ? 1 : 0})
        .Bind(4, st.serial)
        .Bind(5, st.firmware)
        .Bind(6, st.users)
        .Bind(7, st.records)
        .Bind(8, st.user_capacity)
        .Bind(9, st.record_capacity)
        .Bind(10, st.device_time ? std::optional<std::int64_t>(st.device_time->seconds) : std::nullopt)
        .Bind(11, st.clock_drift_seconds)
        .Bind(12, st.read_through)
        .Bind(13, st.last_error)
        .Bind(14, st.reported_at)
        .Exec();
}

std::vector<DeviceStatus> SelectDeviceStatuses(Db& db, std::int64_t school_id) {
    Stmt s(db,
           "SELECT device_id, school_id, reachable, serial, firmware, users, records, user_capacity, "
           "record_capacity, device_time, clock_drift_seconds, read_through, last_error, reported_at "
           "FROM device_status WHERE school_id = ? ORDER BY device_id");
    s.Bind(1, school_id);
    std::vector<DeviceStatus> out;
    while (s.Step()) {
        DeviceStatus st;
        st.device_id = s.Int(0);
        st.school_id = s.Int(1);
        st.reachable = s.Int(2) != 0;
        st.serial = s.Text(3);
        st.firmware = s.Text(4);
        st.users = s.OptInt(5);
        st.records = s.OptInt(6);
        st.user_capacity = s.OptInt(7);
        st.record_capacity = s.OptInt(8);
        if (const auto t = s.OptInt(9)) {
            st.device_time = core::LocalDateTime{*t};
        }
        st.clock_drift_seconds = s.OptInt(10);
        st.read_through = s.OptInt(11);
        st.last_error = s.Text(12);
        st.reported_at = s.Int(13);
        out.push_back(std::move(st));
    }
    return out;
}

}  // namespace rollcall::storage::sqlite
