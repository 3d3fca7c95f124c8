#pragma once

// The statements every table of school data has, built from its one description. A table is a struct:
//
//   struct DeviceTable {
//       using Row = Device;
//       static constexpr std::string_view kName = "devices";
//       static constexpr std::string_view kColumns = "id, school_id, ...";  // the generated id first
//       static constexpr std::string_view kOrder = "id";                     // how a school's rows are listed
//       static Device Read(const Stmt& s);                                   // column k of kColumns is s.X(k)
//       static void Bind(Stmt& s, const Device& row);                        // column k of kColumns at ?k (k >= 1)
//   };
//
// so a column list and the reader and binder that follow it are written once, in the table's *_sql.cpp.

#include "storage/sqlite/sqlite_db.hpp"

#include <optional>
#include <string>
#include <vector>

namespace rollcall::storage::sqlite {

/// Inserts `row` (all columns but the id); returns the id SQLite gave it.
template <class Table>
std::int64_t Insert(Db& db, const typename Table::Row& row) {
    static const std::string sql = InsertSql(Table::kName, Table::kColumns);
    Stmt s(db, sql);
    Table::Bind(s, row);
    s.Exec();
    return db.LastInsertId();
}

/// The school's row of that id: another school's is not found.
template <class Table>
std::optional<typename Table::Row> SelectOne(Db& db, std::int64_t school_id, std::int64_t id) {
    static const std::string sql =
        SelectSql(Table::kColumns, std::string("FROM ").append(Table::kName).append(" WHERE id = ? AND school_id = ?"));
    Stmt s(db, sql);
    s.Bind(1, id).Bind(2, school_id);
    return ReadRow(s, Table::Read);
}

/// The one row whose `column` is `value`, if any (a key of any school: an id, an email, a token's hash).
template <class Table, class Value>
std::optional<typename Table::Row> SelectWhere(Db& db, std::string_view column, const Value& value) {
    Stmt s(db,
           SelectSql(Table::kColumns,
                     std::string("FROM ").append(Table::kName).append(" WHERE ").append(column).append(" = ?")));
    s.Bind(1, value);
    return ReadRow(s, Table::Read);
}

/// Every row of the school, in the table's order.
template <class Table>
std::vector<typename Table::Row> SelectAll(Db& db, std::int64_t school_id) {
    static const std::string sql = SelectSql(
        Table::kColumns,
        std::string("FROM ").append(Table::kName).append(" WHERE school_id = ? ORDER BY ").append(Table::kOrder));
    Stmt s(db, sql);
    s.Bind(1, school_id);
    return ReadRows(s, Table::Read);
}

/// Deletes the school's row of that id; the row as it was, if there was one.
template <class Table>
std::optional<typename Table::Row> RemoveOne(Db& db, std::int64_t school_id, std::int64_t id) {
    static const std::string sql = std::string("DELETE FROM ")
                                       .append(Table::kName)
                                       .append(" WHERE school_id = ? AND id = ? RETURNING ")
                                       .append(Table::kColumns);
    Stmt s(db, sql);
    s.Bind(1, school_id).Bind(2, id);
    return ReadRow(s, Table::Read);
}

}  // namespace rollcall::storage::sqlite
