#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>

namespace rollcall::core {

/// Process-wide counters, rendered in Prometheus text format at GET /metrics.
class Metrics {
public:
    void CountRequest(const std::string& route, int status);
    void AddPunches(std::uint64_t inserted, std::uint64_t duplicates, std::uint64_t rejected);
    void ObserveCommit(double seconds, std::uint64_t rows);
    /// Connections the transport cut (request_timeout, write_timeout).
    void CountEvent(const std::string& event);
    void SetWriterQueueDepth(std::int64_t depth) { writer_queue_depth_.store(depth); }
    std::int64_t WriterQueueDepth() const { return writer_queue_depth_.load(); }
    /// Live event streams (GET .../events) open now.
    void SetEventStreams(std::int64_t open) { event_streams_.store(open); }
    std::int64_t EventStreams() const { return event_streams_.load(); }
    /// A live event stream closed because its reader fell behind (its queue was full).
    void CountEventStreamDropped() { ++event_streams_dropped_; }
    std::uint64_t EventStreamsDropped() const { return event_streams_dropped_.load(); }

    std::string RenderPrometheus() const;

private:
    static constexpr std::array<double, 10> kCommitBuckets = {
        0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.5, 1.0};
    mutable std::mutex mu_;
    std::map<std::pair<std::string, int>, std::uint64_t> requests_;
    std::map<std::string, std::uint64_t> events_;
    std::array<std::uint64_t, kCommitBuckets.size()> commit_buckets_{};
    std::uint64_t commit_count_ = 0;
    double commit_sum_ = 0;
    std::uint64_t committed_rows_ = 0;
    std::atomic<std::uint64_t> punches_inserted_{0};
    std::atomic<std::uint64_t> punches_duplicate_{0};
    std::atomic<std::uint64_t> punches_rejected_{0};
    std::atomic<std::int64_t> writer_queue_depth_{0};
    std::atomic<std::int64_t> event_streams_{0};
    std::atomic<std::uint64_t> event_streams_dropped_{0};
};

}  // namespace rollcall::core
