#include "storage/sqlite/punch_sql.hpp"

#include "storage/sqlite/sqlite_db.hpp"

namespace rollcall::storage::sqlite {
namespace {

constexpr std::string_view kPunchColumns = "device_id, user_id, ts, status, verify, source, received_at, batch_id";

StoredPunch ReadPunch(const Stmt& s) {
    return StoredPunch{s.Int(0),
                       s.Text(1),
                       core::LocalDateTime{s.Int(2)},
                       Narrow(s.OptInt(3)),
                       Narrow(s.OptInt(4)),
                       s.Text(5),
                       s.Int(6),
                       s.Int(7)};
}

const std::string& PunchesBetweenSql() {
    static const std::string sql =
        SelectSql(kPunchColumns, "FROM punches WHERE school_id = ? AND ts >= ? AND ts < ? ORDER BY ts, device_id");
    return sql;
}

}  // namespace

std::vector<StoredPunch> SelectPunches(Db& db,
                                       std::int64_t school_id,
                                       core::LocalDateTime from,
                                       core::LocalDateTime to) {
    Stmt s(db, PunchesBetweenSql());
    s.Bind(1, school_id).Bind(2, from.seconds).Bind(3, to.seconds);
    return ReadRows(s, ReadPunch);
}

std::vector<StoredPunch> SelectPunchesOfUsers(
    Db& db, std::int64_t school_id, core::LocalDateTime from, core::LocalDateTime to, const UserIdSet& users) {
    Stmt s(db, PunchesBetweenSql());
    s.Bind(1, school_id).Bind(2, from.seconds).Bind(3, to.seconds);
    // Filtered here rather than in SQL: a hash lookup per row costs less than SQLite's IN probe.
    std::vector<StoredPunch> out;
    while (s.Step()) {
        if (users.contains(s.TextView(1))) {
            out.push_back(ReadPunch(s));
        }
    }
    return out;
}

std::vector<StoredPunch> SelectDevicePunches(Db& db,
                                             std::int64_t school_id,
                                             std::int64_t device_id,
                                             std::int64_t limit) {
    static const std::string sql =
        SelectSql(kPunchColumns, "FROM punches WHERE school_id = ? AND device_id = ? ORDER BY ts DESC LIMIT ?");
    Stmt s(db, sql);
    s.Bind(1, school_id).Bind(2, device_id).Bind(3, limit);
    return ReadRows(s, ReadPunch);
}

std::vector<DeviceUser> SelectDeviceUsers(Db& db, std::int64_t school_id, std::optional<std::int64_t> device_id) {
    // Who punched (device_users), with what the terminal's own user table says of them, then the users of that table
    // who never punched. The terminal's name wins over device_users.name, which only an older import could fill.
    // The device-specific mapping beats the school-wide one (R6).
    Stmt s(db,
           "WITH users AS ("
           "  SELECT du.device_id, du.user_id, coalesce(nullif(tu.name, ''), du.name) AS name, du.punches, "
           "         du.first_seen, du.last_seen, tu.user_id IS NOT NULL AS in_terminal, tu.card, tu.privilege "
           "  FROM device_users du LEFT JOIN terminal_users tu "
           "    ON tu.device_id = du.device_id AND tu.user_id = du.user_id AND tu.school_id = du.school_id "
           "  WHERE du.school_id = ?1 AND (?2 IS NULL OR du.device_id = ?2) "
           "  UNION ALL "
           "  SELECT tu.device_id, tu.user_id, tu.name, 0, NULL, NULL, 1, tu.card, tu.privilege "
           "  FROM terminal_users tu WHERE tu.school_id = ?1 AND (?2 IS NULL OR tu.device_id = ?2) "
           "    AND NOT EXISTS (SELECT 1 FROM device_users du "
           "                    WHERE du.device_id = tu.device_id AND du.user_id = tu.user_id)) "
           "SELECT u.device_id, u.user_id, u.name, u.punches, u.first_seen, u.last_seen, "
           "  coalesce((SELECT person_id FROM mappings m WHERE m.school_id = ?1 "
           "            AND m.device_id = u.device_id AND m.user_id = u.user_id), "
           "           (SELECT person_id FROM mappings m WHERE m.school_id = ?1 "
           "            AND m.device_id IS NULL AND m.user_id = u.user_id)), "
           "  u.in_terminal, u.card, u.privilege "
           "FROM users u ORDER BY u.device_id, u.user_id");
    s.Bind(1, school_id).Bind(2, device_id);
    return ReadRows(s, [](const Stmt& row) {
        const auto local = [&](int column) {
            const auto t = row.OptInt(column);
            return t ? std::optional<core::LocalDateTime>(core::LocalDateTime{*t}) : std::nullopt;
        };
        return DeviceUser{row.Int(0),
                          row.Text(1),
                          row.Text(2),
                          row.Int(3),
                          local(4),
                          local(5),
                          row.OptInt(6),
                          row.Int(7) != 0,
                          row.OptInt(8).value_or(0),
                          static_cast<std::int32_t>(row.OptInt(9).value_or(0))};
    });
}

std::vector<DeviceUser> SelectUnmappedUsersBetween(Db& db,
                                                   std::int64_t school_id,
                                                   core::LocalDateTime from,
                                                   core::LocalDateTime to) {
    // R6/R7: a punch nobody is mapped to has neither a mapping on its device nor a school-wide one.
    Stmt s(db,
           "SELECT p.device_id, p.user_id, count(*), min(p.ts), max(p.ts) FROM punches p "
           "WHERE p.school_id = ?1 AND p.ts >= ?2 AND p.ts < ?3 AND NOT EXISTS (SELECT 1 FROM mappings m "
           "  WHERE m.school_id = ?1 AND m.user_id = p.user_id AND (m.device_id IS NULL OR m.device_id = p.device_id)) "
           "GROUP BY p.device_id, p.user_id ORDER BY p.device_id, p.user_id");
    s.Bind(1, school_id).Bind(2, from.seconds).Bind(3, to.seconds);
    return ReadRows(s, [](const Stmt& row) {
        return DeviceUser{row.Int(0),
                          row.Text(1),
                          std::string(),
                          row.Int(2),
                          core::LocalDateTime{row.Int(3)},
                          core::LocalDateTime{row.Int(4)},
                          std::nullopt,
                          false,
                          0,
                          0};
    });
}

}  // namespace rollcall::storage::sqlite
