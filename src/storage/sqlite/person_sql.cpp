#include "storage/sqlite/person_sql.hpp"

#include "storage/sqlite/table.hpp"

namespace rollcall::storage::sqlite {
namespace {

std::optional<std::int64_t> DateToInt(std::optional<core::Date> d) {
    return d ? std::optional<std::int64_t>(d->days) : std::nullopt;
}
std::optional<core::Date> IntToDate(std::optional<std::int64_t> v) {
    return v ? std::optional<core::Date>(core::Date{static_cast<std::int32_t>(*v)}) : std::nullopt;
}

struct PersonTable {
    using Row = Person;
    static constexpr std::string_view kName = "people";
    // created_at is stored as 0 and never read back.
    static constexpr std::string_view kColumns =
        "id, school_id, name, kind, external_id, group_name, active_from, active_to, created_at";
    static constexpr std::string_view kOrder = "id";

    static Person Read(const Stmt& s) {
        return Person{s.Int(0),
                      s.Int(1),
                      s.Text(2),
                      s.Text(3),
                      s.Text(4),
                      s.Text(5),
                      IntToDate(s.OptInt(6)),
                      IntToDate(s.OptInt(7))};
    }

    static void Bind(Stmt& s, const Person& p) {
        s.Bind(1, p.school_id).Bind(2, p.name).Bind(3, p.kind).Bind(4, p.external_id).Bind(5, p.group);
        s.Bind(6, DateToInt(p.active_from)).Bind(7, DateToInt(p.active_to)).Bind(8, std::int64_t{0});
    }
};

struct MappingTable {
    using Row = Mapping;
    static constexpr std::string_view kName = "mappings";
    static constexpr std::string_view kColumns = "id, school_id, device_id, user_id, person_id, created_at";
    static constexpr std::string_view kOrder = "id";

    static Mapping Read(const Stmt& s) {
        return Mapping{s.Int(0), s.Int(1), s.OptInt(2), s.Text(3), s.Int(4), s.Int(5)};
    }

    static void Bind(Stmt& s, const Mapping& m) {
        s.Bind(1, m.school_id).Bind(2, m.device_id).Bind(3, m.user_id).Bind(4, m.person_id).Bind(5, m.created_at);
    }
};

}  // namespace

std::int64_t InsertPerson(Db& db, const Person& person) {
    return Insert<PersonTable>(db, person);
}

std::optional<Person> SelectPerson(Db& db, std::int64_t school_id, std::int64_t id) {
    return SelectOne<PersonTable>(db, school_id, id);
}

std::vector<Person> SelectPeople(Db& db, std::int64_t school_id) {
    return SelectAll<PersonTable>(db, school_id);
}

void UpdatePersonRow(Db& db, const Person& person) {
    Stmt s(db,
           "UPDATE people SET name=?2, kind=?3, external_id=?4, group_name=?5, active_from=?6, active_to=?7 "
           "WHERE school_id=?1 AND id=?9");
    PersonTable::Bind(s, person);
    s.Bind(9, person.id).Exec();
}

bool RemovePerson(Db& db, std::int64_t school_id, std::int64_t id) {
    return RemoveOne<PersonTable>(db, school_id, id).has_value();
}

std::int64_t InsertMapping(Db& db, const Mapping& mapping) {
    return Insert<MappingTable>(db, mapping);
}

std::vector<Mapping> SelectMappings(Db& db, std::int64_t school_id) {
    return SelectAll<MappingTable>(db, school_id);
}

std::optional<Mapping> RemoveMapping(Db& db, std::int64_t school_id, std::int64_t id) {
    return RemoveOne<MappingTable>(db, school_id, id);
}

}  // namespace rollcall::storage::sqlite
