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
    // Only a school someone watches live pays for the copy of its punches.
    std::shared_ptr<PunchesStored> live_batch;
    LiveEvents* live = live_.load();
    if (live != nullptr && live->Watched(batch.school_id)) {
        live_batch = std::make_shared<PunchesStored>();
        live_batch->school_id = batch.school_id;
        live_batch->device_id = batch.device_id;
        live_batch->source = batch.source;
        live_batch->received_at = batch.received_at;
        const auto first = batch.rows.size() - std::min(batch.rows.size(), PunchesStored::kMaxPunches);
        live_batch->omitted = first;
        for (std::size_t i = first; i < batch.rows.size(); ++i) {
            const auto& r = batch.rows[i];
            live_batch->punches.push_back(LivePunch{r.user_id, r.timestamp, r.status, r.verify, false});
        }
    }
    store_.SubmitPunches(
        std::move(batch),
        [report, done = std::move(done), live, live_batch, this](core::Result<storage::InsertStats> stats) {
            if (!stats) {
                done(stats.error());
                return;
            }
            report->inserted = stats->inserted;
            report->duplicates = stats->duplicates;
            metrics_.AddPunches(report->inserted, report->duplicates, report->rejected.size());
            const auto received = report->received;
            const auto rejected = report->rejected.size();
            done(std::move(*report));  // the device's answer first: the live event is handed off after it
            if (live_batch) {
                live_batch->received = received;
                live_batch->inserted = stats->inserted;
                live_batch->duplicates = stats->duplicates;
                live_batch->rejected = rejected;
                for (std::size_t i = 0; i < live_batch->punches.size(); ++i) {
                    const auto row = live_batch->omitted + i;
                    live_batch->punches[i].duplicate = row < stats->duplicate.size() && stats->duplicate[row];
                }
                live->PunchesStored(std::move(*live_batch));
            }
        });
}

}  // namespace rollcall::service
