#include "storage/sqlite/person_sql.hpp"

#include "storage/sqlite/sqlite_db.hpp"

namespace rollcall::storage::sqlite {

PersonHistory SelectPersonHistory(Db& db, std::int64_t school_id, std::int64_t person_id) {
    // device_users has a row for each device user that punched, kept by the punch writer in the punches'
    // transaction (R7), so it answers "did anyone mapped to them punch" without reading the punches.
    Stmt s(db,
           "SELECT EXISTS (SELECT 1 FROM mappings m JOIN device_users du ON du.school_id = m.school_id "
           "AND du.user_id = m.user_id WHERE m.school_id = ?1 AND m.person_id = ?2 AND du.punches > 0 "
           "AND (m.device_id = du.device_id OR (m.device_id IS NULL AND NOT EXISTS (SELECT 1 FROM mappings d "
           "WHERE d.school_id = ?1 AND d.device_id = du.device_id AND d.user_id = du.user_id)))), "
           "(SELECT count(*) FROM overrides WHERE school_id = ?1 AND person_id = ?2), "
           "(SELECT count(*) FROM day_records WHERE school_id = ?1 AND person_id = ?2 AND final <> 0), "
           "(SELECT count(*) FROM webhook_deliveries WHERE school_id = ?1 AND person_id = ?2)");
    s.Bind(1, school_id).Bind(2, person_id);
    PersonHistory out;
    if (s.Step()) {
        out.punched = s.Int(0) != 0;
        out.overrides = s.Int(1);
        out.final_days = s.Int(2);
        out.events = s.Int(3);
    }
    return out;
}

}  // namespace rollcall::storage::sqlite
