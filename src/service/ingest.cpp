#include "service/ingest.hpp"

#include "domain/attendance.hpp"

#include <algorithm>
#include <memory>

namespace rollcall::service {

Ingest::Ingest(storage::Store& store, const core::Clock& clock, core::Metrics& metrics, domain::RecordLimits limits)
    : store_(store), clock_(clock), metrics_(metrics), limits_(limits) {}

void Ingest::Submit(const storage::Device& device,
                    std::vector<domain::RawRecord> records,
                    std::vector<RejectedRecord> decode_rejects,
                    domain::PunchSource source,
                    std::function<void(core::Result<IngestReport>)> done,
                    std::int64_t seen_at) {
    auto report = std::make_shared<IngestReport>();
    report->received = records.size();
    report->rejected = std::move(decode_rejects);
    storage::PunchBatch batch;
    batch.school_id = device.school_id;
    batch.device_id = device.id;
    batch.source = std::string(domain::PunchSourceName(source));
    batch.received_at = clock_.NowUnix();
    batch.dirty_margin_days = device.timezone.empty() ? 0 : 1;
    batch.seen_at = seen_at;
    batch.rows.reserve(records.size());
    std::vector<bool> already_rejected(records.size(), false);
    for (const auto& r : report->rejected) {
        if (r.index < already_rejected.size()) {
            already_rejected[r.index] = true;
        }
    }
    for (std::size_t i = 0; i < records.size(); ++i) {
        if (already_rejected[i]) {
            continue;
        }
        auto valid = domain::ValidateRecord(records[i], limits_);
        if (!valid) {
            report->rejected.push_back({i, valid.error().message});
            continue;
        }
        const bool plausible = domain::InPlausibleWindow(valid->timestamp, batch.received_at);
        batch.rows.push_back({std::move(valid->user_id), valid->timestamp, valid->status, valid->verify, plausible});
    }
    std::sort(report->rejected.begin(), report->rejected.end(), [](const auto& a, const auto& b) {
        return a.index < b.index;
    });
    store_.SubmitPunches(std::move(batch),
                         [report, done = std::move(done), this](core::Result<storage::InsertStats> stats) {
                             if (!stats) {
                                 done(stats.error());
                                 return;
                             }
                             report->inserted = stats->inserted;
                             report->duplicates = stats->duplicates;
                             metrics_.AddPunches(report->inserted, report->duplicates, report->rejected.size());
                             done(std::move(*report));
                         });
}

}  // namespace rollcall::service
