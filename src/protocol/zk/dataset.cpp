#include "protocol/zk/dataset.hpp"

#include <algorithm>
#include <string>
#include <vector>

namespace rollcall::protocol::zk {
namespace {

using core::Errc;
using core::MakeError;

struct Candidate {
    std::size_t size = 0;
    std::uint64_t sane = 0;
    std::uint64_t total = 0;
};

}  // namespace

core::Result<ByteView> DatasetRecords(ByteView dataset) {
    if (dataset.empty()) {
        return dataset;
    }
    if (dataset.size() < kDatasetPrefixSize) {
        return MakeError(Errc::kInvalidArgument,
                         "dataset of " + std::to_string(dataset.size()) + " bytes is shorter than its 4-byte prefix");
    }
    const std::uint32_t announced = ReadU32(dataset, 0);
    const std::size_t present = dataset.size() - kDatasetPrefixSize;
    if (announced > present) {
        return MakeError(
            Errc::kInvalidArgument,
            "dataset announces " + std::to_string(announced) + " record bytes but carries " + std::to_string(present));
    }
    return dataset.subspan(kDatasetPrefixSize, announced);
}

Bytes MakeDataset(ByteView records) {
    Bytes out;
    out.reserve(kDatasetPrefixSize + records.size());
    AppendU32(out, static_cast<std::uint32_t>(records.size()));
    out.insert(out.end(), records.begin(), records.end());
    return out;
}

core::Result<std::size_t> PickRecordSize(ByteView records,
                                         std::span<const std::size_t> candidates,
                                         std::optional<std::uint32_t> expected_count,
                                         const RecordSanity& looks_sane) {
    std::vector<Candidate> fitting;
    for (const std::size_t size : candidates) {
        if (size > 0 && records.size() % size == 0) {
            fitting.push_back(Candidate{size});
        }
    }
    if (fitting.empty()) {
        return MakeError(Errc::kInvalidArgument,
                         "no known record size divides a dataset of " + std::to_string(records.size()) + " bytes");
    }
    if (records.empty() || fitting.size() == 1) {
        return fitting.front().size;
    }
    for (Candidate& c : fitting) {
        for (std::size_t at = 0; at < records.size(); at += c.size) {
            c.sane += looks_sane(records.subspan(at, c.size), c.size) ? 1 : 0;
            ++c.total;
        }
    }
    // The records themselves come first: the highest share of sane records wins. A count from GET_FREE_SIZES
    // only breaks ties, since a download that came short (or grew by a punch) no longer matches it, and the size
    // whose count happens to be closest would then decode garbage and hide the shortfall.
    const auto share_above = [](const Candidate& a, const Candidate& b) { return a.sane * b.total > b.sane * a.total; };
    const Candidate best_share = *std::max_element(
        fitting.begin(), fitting.end(), [&](const Candidate& a, const Candidate& b) { return share_above(b, a); });
    std::erase_if(fitting, [&](const Candidate& c) { return share_above(best_share, c); });
    if (fitting.size() > 1 && expected_count && *expected_count > 0) {
        const auto distance = [&](const Candidate& c) {
            const std::uint64_t count = records.size() / c.size;
            return count > *expected_count ? count - *expected_count : *expected_count - count;
        };
        std::uint64_t best = distance(fitting.front());
        for (const Candidate& c : fitting) {
            best = std::min(best, distance(c));
        }
        std::erase_if(fitting, [&](const Candidate& c) { return distance(c) != best; });
    }
    // Still a tie: the smaller size, since records read at a multiple of their true size look just as sane (each
    // group starts aligned: 8-byte records read as 16 bytes). When nothing looks sane the first preference stays.
    if (best_share.sane == 0) {
        return fitting.front().size;
    }
    return std::min_element(
               fitting.begin(), fitting.end(), [](const Candidate& a, const Candidate& b) { return a.size < b.size; })
        ->size;
}

}  // namespace rollcall::protocol::zk
