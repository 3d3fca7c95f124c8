#pragma once

// The statements every table has, built from its one description: its name, its column list (the generated id
// first), how a school's rows are listed, its row reader (column k of the list is read at k) and its binder
// (column k at ?k, k >= 1). A table's description is the specialisation of kTable for the record its rows are;
// they are all in tables.hpp:
//
//   template <>
//   inline constexpr Table<Device> kTable<Device>{.name = "devices", .columns = "id, school_id, ...", .order = "id",
//                                                 .read = ReadDevice, .bind = BindDevice, .edits = "name=?2, ..."};
//
// so a column list, and the reader and binder that follow it, are written once. The store's adapters call these
// by the record type (`SelectOne<Device>(db, school_id, id)`, `Insert(db, device)`).

#include "storage/sqlite/sqlite_db.hpp"

#include <optional>
#include <string>
#include <vector>

namespace rollcall::storage::sqlite {

template <class Row>
struct Table {
    std::string_view name;
    std::string_view columns;
    std::string_view order;  ///< ORDER BY of a school's rows
    Row (*read)(const Stmt& s) = nullptr;
    void (*bind)(Stmt& s, const Row& row) = nullptr;
    std::string_view edits = {};  ///< what an edit of a row rewrites ("name=?2, ..."), for tables that have one
};

/// Specialised for each record stored in a table; the primary has no table.
template <class Row>
inline constexpr Table<Row> kTable{};

template <class Row>
constexpr const Table<Row>& TableOf() {
    static_assert(!kTable<Row>.name.empty(), "no table is described for this record (kTable)");
    return kTable<Row>;
}

/// Inserts `row` (all columns but the id); returns the id SQLite gave it.
template <class Row>
std::int64_t Insert(Db& db, const Row& row) {
    const auto& table = TableOf<Row>();
    static const std::string sql = InsertSql(table.name, table.columns);
    Stmt s(db, sql);
    table.bind(s, row);
    s.Exec();
    return db.LastInsertId();
}

/// The row of that id, in a table that is not a school's (schools, users).
template <class Row>
std::optional<Row> SelectById(Db& db, std::int64_t id) {
    const auto& table = TableOf<Row>();
    static const std::string sql = SelectSql(table.columns, std::string("FROM ").append(table.name) + " WHERE id = ?");
    Stmt s(db, sql);
    s.Bind(1, id);
    return ReadRow(s, table.read);
}

/// The one row whose `column` is `value`, if any (a key of any school: an email, a token's hash).
template <class Row, class Value>
std::optional<Row> SelectWhere(Db& db, std::string_view column, const Value& value) {
    const auto& table = TableOf<Row>();
    Stmt s(
        db,
        SelectSql(table.columns, std::string("FROM ").append(table.name) + " WHERE " + std::string(column) + " = ?"));
    s.Bind(1, value);
    return ReadRow(s, table.read);
}

/// The school's row of that id: another school's is not found.
template <class Row>
std::optional<Row> SelectOne(Db& db, std::int64_t school_id, std::int64_t id) {
    const auto& table = TableOf<Row>();
    static const std::string sql =
        SelectSql(table.columns, std::string("FROM ").append(table.name) + " WHERE id = ? AND school_id = ?");
    Stmt s(db, sql);
    s.Bind(1, id).Bind(2, school_id);
    return ReadRow(s, table.read);
}

/// Every row of the school, in the table's order.
template <class Row>
std::vector<Row> SelectAll(Db& db, std::int64_t school_id) {
    const auto& table = TableOf<Row>();
    static const std::string sql = SelectSql(
        table.columns,
        std::string("FROM ").append(table.name) + " WHERE school_id = ? ORDER BY " + std::string(table.order));
    Stmt s(db, sql);
    s.Bind(1, school_id);
    return ReadRows(s, table.read);
}

/// The school's rows whose `column` is `value`, in the table's order (a person's mappings, their overrides).
template <class Row>
std::vector<Row> SelectAllWhere(Db& db, std::int64_t school_id, std::string_view column, std::int64_t value) {
    const auto& table = TableOf<Row>();
    Stmt s(db,
           SelectSql(table.columns,
                     std::string("FROM ").append(table.name) + " WHERE school_id = ? AND " + std::string(column) +
                         " = ? ORDER BY " + std::string(table.order)));
    s.Bind(1, school_id).Bind(2, value);
    return ReadRows(s, table.read);
}

/// Rewrites what an edit may change (the table's `edits`) of the school's row of row.id. The binder binds every
/// column at its ?k (school_id at ?1); the id goes after them.
template <class Row>
void UpdateRow(Db& db, const Row& row) {
    static_assert(!kTable<Row>.edits.empty(), "the table describes no edit");
    const auto& table = TableOf<Row>();
    static const int id_at = ColumnCount(table.columns);
    static const std::string sql = std::string("UPDATE ").append(table.name) + " SET " + std::string(table.edits) +
                                   " WHERE school_id = ?1 AND id = ?" + std::to_string(id_at);
    Stmt s(db, sql);
    table.bind(s, row);
    s.Bind(id_at, row.id).Exec();
}

/// Deletes the school's row of that id; the row as it was, if there was one.
template <class Row>
std::optional<Row> RemoveOne(Db& db, std::int64_t school_id, std::int64_t id) {
    const auto& table = TableOf<Row>();
    static const std::string sql = std::string("DELETE FROM ").append(table.name) +
                                   " WHERE school_id = ? AND id = ? RETURNING " + std::string(table.columns);
    Stmt s(db, sql);
    s.Bind(1, school_id).Bind(2, id);
    return ReadRow(s, table.read);
}

}  // namespace rollcall::storage::sqlite
