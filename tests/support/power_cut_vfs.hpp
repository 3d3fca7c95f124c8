#pragma once

// A power cut for SQLite, in process and deterministic (no device-mapper, no dropping the page cache).
//
// kill -9 cannot test durability: the killed process's writes sit in the kernel's page cache and reach the
// file anyway, so a database that never calls fsync passes every kill -9 test. What a power cut keeps is
// what was fsynced. This shim is an SQLite VFS wrapped around the default one ("unix"): every call goes
// through unchanged, and at each successful xSync of a file it records the file's whole content as the
// disk would now hold it. CutPowerInto() writes those recorded contents into a fresh directory: each file as
// of its last sync, files never synced absent, deletions (a checkpointed -wal, a committed rollback journal)
// honoured. Opening the database there is what the server finds after the power comes back.
//
// How SQLite recovers such a copy (WAL mode): the -shm index is not on any disk the model keeps (SQLite maps
// it and never syncs it), so the first connection rebuilds it from the -wal file. It reads the -wal header
// (magic, page size, the two salts, a checksum) and then frame after frame while each frame's salts match
// the header's and the running checksum holds; the last frame that ends a transaction (non-zero "database
// size" field) is the end of the log. With synchronous=FULL the -wal is synced at every COMMIT, so every
// committed transaction is in the copy. With NORMAL it is synced only at checkpoints and with OFF never, so
// recent commits are missing from the copy: exactly what a power cut would do to them.
//
// The model is the pessimistic one SQLite itself is designed for: nothing written after a file's last sync
// survives. It does not tear pages or reorder writes within a sync (SQLite's checksums handle those), and it
// ignores directory entries (a file exists once it was synced). It proves what SQLite asked the OS to make
// durable before an acknowledgement; it cannot prove that a disk honours fsync.
//
// Register one at a time, for the life of a test; it becomes the process's default VFS, so the code under
// test opens its files through it unchanged. Connections must be closed before it is destroyed.

#include <cstddef>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>

#include <sqlite3.h>

namespace rollcall::test {

namespace power_cut_detail {

struct State {
    sqlite3_vfs* real = nullptr;
    sqlite3_vfs vfs{};
    sqlite3_io_methods methods{};
    std::mutex mu;
    std::map<std::string, std::string> durable;  ///< full path -> its bytes at its last sync
    std::size_t syncs = 0;
};

inline State& Shared() {
    static State state;  // static: SQLite keeps pointers to vfs and methods for as long as a file is open
    return state;
}

/// Our file: the sqlite3_file header SQLite sees, then the real VFS's file in the same allocation.
struct File {
    sqlite3_file base;
    sqlite3_file* real;
    std::string* path;  ///< null for SQLite's nameless temporary files, which are never durable
};
inline constexpr std::size_t kRealOffset =
    (sizeof(File) + alignof(std::max_align_t) - 1) & ~(alignof(std::max_align_t) - 1);

inline File* Self(sqlite3_file* f) {
    return reinterpret_cast<File*>(f);
}
inline sqlite3_file* Real(sqlite3_file* f) {
    return Self(f)->real;
}

inline int Close(sqlite3_file* f) {
    const int rc = Real(f)->pMethods->xClose(Real(f));
    delete Self(f)->path;
    Self(f)->path = nullptr;
    return rc;
}
inline int Read(sqlite3_file* f, void* out, int n, sqlite3_int64 offset) {
    return Real(f)->pMethods->xRead(Real(f), out, n, offset);
}
inline int Write(sqlite3_file* f, const void* data, int n, sqlite3_int64 offset) {
    return Real(f)->pMethods->xWrite(Real(f), data, n, offset);
}
inline int Truncate(sqlite3_file* f, sqlite3_int64 size) {
    return Real(f)->pMethods->xTruncate(Real(f), size);
}
/// The one call that changes what survives: the file's content now is what the disk holds from here on.
inline int Sync(sqlite3_file* f, int flags) {
    const int rc = Real(f)->pMethods->xSync(Real(f), flags);
    if (rc != SQLITE_OK || Self(f)->path == nullptr) {
        return rc;
    }
    sqlite3_int64 size = 0;
    if (const int s = Real(f)->pMethods->xFileSize(Real(f), &size); s != SQLITE_OK) {
        return s;
    }
    std::string bytes(static_cast<std::size_t>(size), '\0');
    if (size > 0) {
        if (const int r = Real(f)->pMethods->xRead(Real(f), bytes.data(), static_cast<int>(size), 0); r != SQLITE_OK) {
            return r;
        }
    }
    auto& state = Shared();
    std::lock_guard lock(state.mu);
    state.durable[*Self(f)->path] = std::move(bytes);
    ++state.syncs;
    return SQLITE_OK;
}
inline int FileSize(sqlite3_file* f, sqlite3_int64* size) {
    return Real(f)->pMethods->xFileSize(Real(f), size);
}
inline int Lock(sqlite3_file* f, int level) {
    return Real(f)->pMethods->xLock(Real(f), level);
}
inline int Unlock(sqlite3_file* f, int level) {
    return Real(f)->pMethods->xUnlock(Real(f), level);
}
inline int CheckReservedLock(sqlite3_file* f, int* out) {
    return Real(f)->pMethods->xCheckReservedLock(Real(f), out);
}
inline int FileControl(sqlite3_file* f, int op, void* arg) {
    return Real(f)->pMethods->xFileControl(Real(f), op, arg);
}
inline int SectorSize(sqlite3_file* f) {
    return Real(f)->pMethods->xSectorSize(Real(f));
}
/// Claims no atomic or ordered writes: with them SQLite would skip syncs that the model relies on seeing.
inline int DeviceCharacteristics(sqlite3_file* f) {
    return Real(f)->pMethods->xDeviceCharacteristics(Real(f)) &
           (SQLITE_IOCAP_POWERSAFE_OVERWRITE | SQLITE_IOCAP_UNDELETABLE_WHEN_OPEN);
}
inline int ShmMap(sqlite3_file* f, int page, int page_size, int extend, void volatile** out) {
    return Real(f)->pMethods->xShmMap(Real(f), page, page_size, extend, out);
}
inline int ShmLock(sqlite3_file* f, int offset, int n, int flags) {
    return Real(f)->pMethods->xShmLock(Real(f), offset, n, flags);
}
inline void ShmBarrier(sqlite3_file* f) {
    Real(f)->pMethods->xShmBarrier(Real(f));
}
inline int ShmUnmap(sqlite3_file* f, int delete_flag) {
    return Real(f)->pMethods->xShmUnmap(Real(f), delete_flag);
}
inline int Fetch(sqlite3_file* f, sqlite3_int64 offset, int n, void** out) {
    return Real(f)->pMethods->xFetch(Real(f), offset, n, out);
}
inline int Unfetch(sqlite3_file* f, sqlite3_int64 offset, void* p) {
    return Real(f)->pMethods->xUnfetch(Real(f), offset, p);
}

inline int Open(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* f, int flags, int* out_flags) {
    auto& state = Shared();
    File* self = Self(f);
    self->base.pMethods = nullptr;  // until the real file is open: SQLite then does not call xClose
    self->path = nullptr;
    self->real = reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(f) + kRealOffset);
    self->real->pMethods = nullptr;
    const int rc = state.real->xOpen(state.real, name, self->real, flags, out_flags);
    if (rc != SQLITE_OK) {
        if (self->real->pMethods != nullptr) {
            self->real->pMethods->xClose(self->real);
        }
        return rc;
    }
    if (name != nullptr) {
        self->path = new std::string(name);
    }
    self->base.pMethods = &state.methods;
    return SQLITE_OK;
}
inline int Delete(sqlite3_vfs*, const char* name, int sync_dir) {
    auto& state = Shared();
    const int rc = state.real->xDelete(state.real, name, sync_dir);
    if (rc == SQLITE_OK) {
        std::lock_guard lock(state.mu);
        state.durable.erase(name);
    }
    return rc;
}
inline int Access(sqlite3_vfs*, const char* name, int flags, int* out) {
    return Shared().real->xAccess(Shared().real, name, flags, out);
}
inline int FullPathname(sqlite3_vfs*, const char* name, int n, char* out) {
    return Shared().real->xFullPathname(Shared().real, name, n, out);
}
inline void* DlOpen(sqlite3_vfs*, const char* name) {
    return Shared().real->xDlOpen(Shared().real, name);
}
inline void DlError(sqlite3_vfs*, int n, char* out) {
    Shared().real->xDlError(Shared().real, n, out);
}
inline void (*DlSym(sqlite3_vfs*, void* handle, const char* symbol))(void) {
    return Shared().real->xDlSym(Shared().real, handle, symbol);
}
inline void DlClose(sqlite3_vfs*, void* handle) {
    Shared().real->xDlClose(Shared().real, handle);
}
inline int Randomness(sqlite3_vfs*, int n, char* out) {
    return Shared().real->xRandomness(Shared().real, n, out);
}
inline int Sleep(sqlite3_vfs*, int microseconds) {
    return Shared().real->xSleep(Shared().real, microseconds);
}
inline int CurrentTime(sqlite3_vfs*, double* out) {
    return Shared().real->xCurrentTime(Shared().real, out);
}
inline int GetLastError(sqlite3_vfs*, int n, char* out) {
    return Shared().real->xGetLastError(Shared().real, n, out);
}
inline int CurrentTimeInt64(sqlite3_vfs*, sqlite3_int64* out) {
    return Shared().real->xCurrentTimeInt64(Shared().real, out);
}

}  // namespace power_cut_detail

class PowerCutVfs {
public:
    PowerCutVfs() {
        namespace d = power_cut_detail;
        auto& state = d::Shared();
        if (state.real != nullptr) {
            throw std::logic_error("PowerCutVfs: only one at a time");
        }
        state.real = sqlite3_vfs_find(nullptr);
        if (state.real == nullptr || state.real->iVersion < 2) {
            throw std::runtime_error("PowerCutVfs: no default SQLite VFS to wrap");
        }
        state.durable.clear();
        state.syncs = 0;
        auto& m = state.methods;
        m = sqlite3_io_methods{};
        m.iVersion = 3;
        m.xClose = d::Close;
        m.xRead = d::Read;
        m.xWrite = d::Write;
        m.xTruncate = d::Truncate;
        m.xSync = d::Sync;
        m.xFileSize = d::FileSize;
        m.xLock = d::Lock;
        m.xUnlock = d::Unlock;
        m.xCheckReservedLock = d::CheckReservedLock;
        m.xFileControl = d::FileControl;
        m.xSectorSize = d::SectorSize;
        m.xDeviceCharacteristics = d::DeviceCharacteristics;
        m.xShmMap = d::ShmMap;
        m.xShmLock = d::ShmLock;
        m.xShmBarrier = d::ShmBarrier;
        m.xShmUnmap = d::ShmUnmap;
        m.xFetch = d::Fetch;
        m.xUnfetch = d::Unfetch;
        auto& v = state.vfs;
        v = sqlite3_vfs{};
        v.iVersion = 2;
        v.szOsFile = static_cast<int>(d::kRealOffset) + state.real->szOsFile;
        v.mxPathname = state.real->mxPathname;
        v.zName = "rollcall-power-cut";
        v.xOpen = d::Open;
        v.xDelete = d::Delete;
        v.xAccess = d::Access;
        v.xFullPathname = d::FullPathname;
        v.xDlOpen = d::DlOpen;
        v.xDlError = d::DlError;
        v.xDlSym = d::DlSym;
        v.xDlClose = d::DlClose;
        v.xRandomness = d::Randomness;
        v.xSleep = d::Sleep;
        v.xCurrentTime = d::CurrentTime;
        v.xGetLastError = d::GetLastError;
        v.xCurrentTimeInt64 = d::CurrentTimeInt64;
        if (sqlite3_vfs_register(&v, 1) != SQLITE_OK) {
            state.real = nullptr;
            throw std::runtime_error("PowerCutVfs: sqlite3_vfs_register failed");
        }
    }

    ~PowerCutVfs() {
        auto& state = power_cut_detail::Shared();
        sqlite3_vfs_unregister(&state.vfs);
        sqlite3_vfs_register(state.real, 1);  // the default again, not whichever VFS SQLite would pick
        std::lock_guard lock(state.mu);
        state.durable.clear();
        state.real = nullptr;
    }

    PowerCutVfs(const PowerCutVfs&) = delete;
    PowerCutVfs& operator=(const PowerCutVfs&) = delete;

    /// The power goes off now: every file of `from_dir` as its disk holds it (its content at its last sync)
    /// is written to `to_dir`, which must exist. Later syncs in `from_dir` do not change the copy.
    void CutPowerInto(const std::string& from_dir, const std::string& to_dir) const {
        namespace fs = std::filesystem;
        auto& state = power_cut_detail::Shared();
        const auto from = fs::weakly_canonical(from_dir);
        std::lock_guard lock(state.mu);
        for (const auto& [path, bytes] : state.durable) {
            const fs::path p = fs::weakly_canonical(path);
            if (p.parent_path() != from) {
                continue;
            }
            std::ofstream out(fs::path(to_dir) / p.filename(), std::ios::binary | std::ios::trunc);
            out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
            if (!out) {
                throw std::runtime_error("PowerCutVfs: cannot write " + (fs::path(to_dir) / p.filename()).string());
            }
        }
    }

    /// Successful syncs seen so far, of any file.
    std::size_t syncs() const {
        auto& state = power_cut_detail::Shared();
        std::lock_guard lock(state.mu);
        return state.syncs;
    }
};

}  // namespace rollcall::test
