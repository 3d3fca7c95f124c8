#pragma once

// Bulk datasets (§6.1): a u32 little-endian byte count of the records that follow, then the records. Sizes
// the device announces (1503 reply, PREPARE_DATA) count the whole dataset including this 4-byte prefix.
// Also the record-size choice of §7.1, since no dataset says which record layout it uses.

#include "core/result.hpp"
#include "protocol/zk/bytes.hpp"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>

namespace rollcall::protocol::zk {

inline constexpr std::size_t kDatasetPrefixSize = 4;

/// The record bytes of a dataset. Empty input is an empty dataset (no capture shows what a real device sends
/// for an empty log, §6.5). kInvalidArgument when the prefix announces more bytes than are present; bytes
/// past the announced length are ignored, as pyzk does.
core::Result<ByteView> DatasetRecords(ByteView dataset);

/// Prefix + records.
Bytes MakeDataset(ByteView records);

/// Whether one record, read with a given size, has the shape of a real one.
using RecordSanity = std::function<bool(ByteView record, std::size_t record_size)>;

/// §7.1: among `candidates` (in order of preference), the record size that divides `records` evenly and whose
/// records look sane most often; among equally sane sizes the one whose record count is closest to
/// `expected_count` (FREE_SIZES; unknown when nullopt or 0, as on WL20 units), then the smaller size. When nothing
/// looks sane, the closest count, then the first preference. kInvalidArgument when no candidate divides the length.
core::Result<std::size_t> PickRecordSize(ByteView records,
                                         std::span<const std::size_t> candidates,
                                         std::optional<std::uint32_t> expected_count,
                                         const RecordSanity& looks_sane);

}  // namespace rollcall::protocol::zk
