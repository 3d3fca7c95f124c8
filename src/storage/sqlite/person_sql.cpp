#include "storage/sqlite/person_sql.hpp"

#include "storage/sqlite/sqlite_db.hpp"

namespace rollcall::storage::sqlite {
namespace {

std::optional<std::int64_t> DateToInt(std::optional<core::Date> d) {
    return d ? std::optional<std::int64_t>(d->days) : std::nullopt;
}
std::optional<core::Date> IntToDate(std::optional<std::int64_t> v) {
    return v ? std::optional<core::Date>(core::Date{static_cast<std::int32_t>(*v)}) : std::nullopt;
}

// created_at is stored as 0 and never read back.
constexpr std::string_view kPersonColumns =
    "id, school_id, name, kind, external_id, group_name, active_from, active_to, created_at";

Person ReadPerson(const Stmt& s) {
    Person p;
    p.id = s.Int(0);
    p.school_id = s.Int(1);
    p.name = s.Text(2);
    p.kind = s.Text(3);
    p.external_id = s.Text(4);
    p.group = s.Text(5);
    p.active_from = IntToDate(s.OptInt(6));
    p.active_to = IntToDate(s.OptInt(7));
    return p;
}

/// Column k of kPersonColumns at ?k.
void BindPerson(Stmt& s, const Person& p) {
    s.Bind(1, p.school_id).Bind(2, p.name).Bind(3, p.kind).Bind(4, p.external_id).Bind(5, p.group);
    s.Bind(6, DateToInt(p.active_from)).Bind(7, DateToInt(p.active_to)).Bind(8, std::int64_t{0});
}

constexpr std::string_view kMappingColumns = "id, school_id, device_id, user_id, person_id, created_at";

Mapping ReadMapping(const Stmt& s) {
    return Mapping{s.Int(0), s.Int(1), s.OptInt(2), s.Text(3), s.Int(4), s.Int(5)};
}

}  // namespace

std::int64_t InsertPerson(Db& db, const Person& person) {
    static const std::string sql = InsertSql("people", kPersonColumns);
    Stmt s(db, sql);
    BindPerson(s, person);
    s.Exec();
    return db.LastInsertId();
}

std::optional<Person> SelectPerson(Db& db, std::int64_t school_id, std::int64_t id) {
    static const std::string sql = SelectSql(kPersonColumns, "FROM people WHERE id = ? AND school_id = ?");
    Stmt s(db, sql);
    s.Bind(1, id).Bind(2, school_id);
    return ReadRow(s, ReadPerson);
}

std::vector<Person> SelectPeople(Db& db, std::int64_t school_id) {
    static const std::string sql = SelectSql(kPersonColumns, "FROM people WHERE school_id = ? ORDER BY id");
    Stmt s(db, sql);
    s.Bind(1, school_id);
    return ReadRows(s, ReadPerson);
}

void UpdatePersonRow(Db& db, const Person& person) {
    Stmt s(db,
           "UPDATE people SET name=?2, kind=?3, external_id=?4, group_name=?5, active_from=?6, active_to=?7 "
           "WHERE school_id=?1 AND id=?9");
    BindPerson(s, person);
    s.Bind(9, person.id).Exec();
}

bool RemovePerson(Db& db, std::int64_t school_id, std::int64_t id) {
    Stmt(db, "DELETE FROM people WHERE school_id = ? AND id = ?").Bind(1, school_id).Bind(2, id).Exec();
    return db.Changes() > 0;
}

std::int64_t InsertMapping(Db& db, const Mapping& m) {
    static const std::string sql = InsertSql("mappings", kMappingColumns);
    Stmt s(db, sql);
    s.Bind(1, m.school_id).Bind(2, m.device_id).Bind(3, m.user_id).Bind(4, m.person_id).Bind(5, m.created_at);
    s.Exec();
    return db.LastInsertId();
}

std::vector<Mapping> SelectMappings(Db& db, std::int64_t school_id) {
    static const std::string sql = SelectSql(kMappingColumns, "FROM mappings WHERE school_id = ? ORDER BY id");
    Stmt s(db, sql);
    s.Bind(1, school_id);
    return ReadRows(s, ReadMapping);
}

std::optional<Mapping> RemoveMapping(Db& db, std::int64_t school_id, std::int64_t id) {
    static const std::string sql =
        std::string("DELETE FROM mappings WHERE school_id = ? AND id = ? RETURNING ").append(kMappingColumns);
    Stmt s(db, sql);
    s.Bind(1, school_id).Bind(2, id);
    return ReadRow(s, ReadMapping);
}

}  // namespace rollcall::storage::sqlite
