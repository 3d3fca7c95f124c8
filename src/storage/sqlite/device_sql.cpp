#include "storage/sqlite/device_sql.hpp"

#include "storage/sqlite/table.hpp"

namespace rollcall::storage::sqlite {
namespace {

struct DeviceTable {
    using Row = Device;
    static constexpr std::string_view kName = "devices";
    static constexpr std::string_view kColumns =
        "id, school_id, name, ip, port, sync_mode, direction, status, serial, comm_key, token_hash, "
        "token_encrypted, last_seen, created_at, timezone";
    static constexpr std::string_view kOrder = "id";

    static Device Read(const Stmt& s) {
        Device d;
        d.id = s.Int(0);
        d.school_id = s.Int(1);
        d.name = s.Text(2);
        d.ip = s.Text(3);
        d.port = static_cast<std::int32_t>(s.Int(4));
        d.sync_mode = s.Text(5);
        d.direction = s.Text(6);
        d.status = s.Text(7);
        d.serial = s.Text(8);
        d.comm_key = s.Text(9);
        d.token_hash = s.Blob(10);
        d.token_encrypted = s.Blob(11);
        d.last_seen = s.OptInt(12);
        d.created_at = s.Int(13);
        d.timezone = s.Text(14);
        return d;
    }

    static void Bind(Stmt& s, const Device& d) {
        s.Bind(1, d.school_id).Bind(2, d.name).Bind(3, d.ip).Bind(4, std::int64_t{d.port}).Bind(5, d.sync_mode);
        s.Bind(6, d.direction).Bind(7, d.status).Bind(8, d.serial).Bind(9, d.comm_key);
        s.Bind(10, std::span<const std::uint8_t>(d.token_hash));
        s.Bind(11, std::span<const std::uint8_t>(d.token_encrypted));
        s.Bind(12, d.last_seen).Bind(13, d.created_at).Bind(14, d.timezone);
    }
};

}  // namespace

std::int64_t InsertDevice(Db& db, const Device& device) {
    return Insert<DeviceTable>(db, device);
}

std::optional<Device> SelectDeviceByTokenHash(Db& db, const std::vector<std::uint8_t>& hash) {
    return SelectWhere<DeviceTable>(db, "token_hash", std::span<const std::uint8_t>(hash));
}

std::optional<Device> SelectDevice(Db& db, std::int64_t school_id, std::int64_t id) {
    return SelectOne<DeviceTable>(db, school_id, id);
}

std::vector<Device> SelectDevices(Db& db, std::int64_t school_id) {
    return SelectAll<DeviceTable>(db, school_id);
}

void UpdateDeviceRow(Db& db, const Device& device) {
    Stmt s(db,
           "UPDATE devices SET name=?2, ip=?3, port=?4, sync_mode=?5, direction=?6, status=?7, serial=?8, "
           "comm_key=?9, token_hash=?10, token_encrypted=?11, timezone=?14 WHERE school_id=?1 AND id=?15");
    DeviceTable::Bind(s, device);
    s.Bind(15, device.id).Exec();
}

bool DeviceHasPunches(Db& db, std::int64_t device_id) {
    Stmt has(db, "SELECT 1 FROM punches WHERE device_id = ? LIMIT 1");
    has.Bind(1, device_id);
    return has.Step();
}

bool RemoveDevice(Db& db, std::int64_t school_id, std::int64_t id) {
    return RemoveOne<DeviceTable>(db, school_id, id).has_value();
}

void RaiseLastSeen(Db& db, std::int64_t device_id, std::int64_t seen_at) {
    Stmt(db, "UPDATE devices SET last_seen = max(ifnull(last_seen, 0), ?) WHERE id = ?")
        .Bind(1, seen_at)
        .Bind(2, device_id)
        .Exec();
}

}  // namespace rollcall::storage::sqlite
