#include "core/metrics.hpp"

#include <fmt/format.h>

namespace rollcall::core {

void Metrics::CountRequest(const std::string& route, int status) {
    std::lock_guard lock(mu_);
    ++requests_[{route, status}];
}

void Metrics::CountEvent(const std::string& event) {
    std::lock_guard lock(mu_);
    ++events_[event];
}

void Metrics::AddPunches(std::uint64_t inserted, std::uint64_t duplicates, std::uint64_t rejected) {
    punches_inserted_ += inserted;
    punches_duplicate_ += duplicates;
    punches_rejected_ += rejected;
}

void Metrics::ObserveCommit(double seconds, std::uint64_t rows) {
    std::lock_guard lock(mu_);
    for (std::size_t i = 0; i < kCommitBuckets.size(); ++i) {
        if (seconds <= kCommitBuckets[i]) {
            ++commit_buckets_[i];
        }
    }
    ++commit_count_;
    commit_sum_ += seconds;
    committed_rows_ += rows;
}

std::string Metrics::RenderPrometheus() const {
    std::string out;
    out += "# HELP rollcall_http_requests_total HTTP requests by route and status.\n";
    out += "# TYPE rollcall_http_requests_total counter\n";
    std::lock_guard lock(mu_);
    for (const auto& [key, n] : requests_) {
        out += fmt::format("rollcall_http_requests_total{{route=\"{}\",status=\"{}\"}} {}\n", key.first, key.second, n);
    }
    out += "# HELP rollcall_transport_events_total Connections cut by a transport limit.\n";
    out += "# TYPE rollcall_transport_events_total counter\n";
    for (const auto& [event, n] : events_) {
        out += fmt::format("rollcall_transport_events_total{{event=\"{}\"}} {}\n", event, n);
    }
    out += "# HELP rollcall_punches_total Punches received, by outcome.\n";
    out += "# TYPE rollcall_punches_total counter\n";
    out += fmt::format("rollcall_punches_total{{outcome=\"inserted\"}} {}\n", punches_inserted_.load());
    out += fmt::format("rollcall_punches_total{{outcome=\"duplicate\"}} {}\n", punches_duplicate_.load());
    out += fmt::format("rollcall_punches_total{{outcome=\"rejected\"}} {}\n", punches_rejected_.load());
    out += "# HELP rollcall_writer_queue_depth Batches waiting for the database writer.\n";
    out += "# TYPE rollcall_writer_queue_depth gauge\n";
    out += fmt::format("rollcall_writer_queue_depth {}\n", writer_queue_depth_.load());
    out += "# HELP rollcall_commit_seconds Latency of one group commit.\n";
    out += "# TYPE rollcall_commit_seconds histogram\n";
    for (std::size_t i = 0; i < kCommitBuckets.size(); ++i) {
        out += fmt::format("rollcall_commit_seconds_bucket{{le=\"{}\"}} {}\n", kCommitBuckets[i], commit_buckets_[i]);
    }
    out += fmt::format("rollcall_commit_seconds_bucket{{le=\"+Inf\"}} {}\n", commit_count_);
    out += fmt::format("rollcall_commit_seconds_sum {}\n", commit_sum_);
    out += fmt::format("rollcall_commit_seconds_count {}\n", commit_count_);
    out += "# HELP rollcall_committed_rows_total Punch rows written by group commits.\n";
    out += "# TYPE rollcall_committed_rows_total counter\n";
    out += fmt::format("rollcall_committed_rows_total {}\n", committed_rows_);
    out += "# HELP rollcall_event_streams Live event streams open now.\n";
    out += "# TYPE rollcall_event_streams gauge\n";
    out += fmt::format("rollcall_event_streams {}\n", event_streams_.load());
    out += "# HELP rollcall_event_streams_dropped_total Live event streams closed because their reader fell behind.\n";
    out += "# TYPE rollcall_event_streams_dropped_total counter\n";
    out += fmt::format("rollcall_event_streams_dropped_total {}\n", event_streams_dropped_.load());
    return out;
}

}  // namespace rollcall::core
