#pragma once

// Ingestion (R1-R3): the punches a device pushes or the agent uploads are validated and stored, each once.

#include "core/clock.hpp"
#include "core/metrics.hpp"
#include "core/result.hpp"
#include "domain/punch.hpp"
#include "service/live_events.hpp"
#include "storage/store.hpp"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace rollcall::service {

struct RejectedRecord {
    std::size_t index = 0;
    std::string reason;
};

struct IngestReport {
    std::size_t received = 0;
    std::size_t inserted = 0;
    std::size_t duplicates = 0;
    std::vector<RejectedRecord> rejected;
};

class Ingest {
public:
    Ingest(storage::Store& store, const core::Clock& clock, core::Metrics& metrics, domain::RecordLimits limits);

    /// Stores the valid records of one upload; `done` runs once they are durably committed.
    void Submit(const storage::Device& device,
                std::vector<domain::RawRecord> records,
                std::vector<RejectedRecord> decode_rejects,
                domain::PunchSource source,
                std::function<void(core::Result<IngestReport>)> done,
                std::int64_t seen_at = -1);  ///< PunchBatch::seen_at

    /// Who is told of each committed batch (PunchesStored, on the writer thread); null: nobody. Set before serving.
    void SetLiveEvents(LiveEvents* live) { live_.store(live); }

    /// Whether punches can be stored now: the database writer's health, as the last write found it.
    storage::WriterHealth StorageHealth() const { return store_.Health(); }

private:
    storage::Store& store_;
    const core::Clock& clock_;
    core::Metrics& metrics_;
    domain::RecordLimits limits_;
    std::atomic<LiveEvents*> live_{nullptr};
};

}  // namespace rollcall::service
