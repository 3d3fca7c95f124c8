#pragma once

// The device side of the benchmark: keep-alive connections, each sending its pre-built requests one
// after another (one in flight per connection, as a terminal does), all on one client thread so the
// server keeps the machine's other core.

#include <cstdint>
#include <string>
#include <vector>

namespace rollcall::bench {

/// The raw bytes of one POST /api/v1/biometric/push-log request.
std::string PushRequest(const std::string& token, const std::string& body);

struct LoadResult {
    std::size_t requests = 0;  // answered 200 with the expected "inserted"
    std::size_t failures = 0;
    double seconds = 0;
    std::vector<double> latencies_ms;  // one per request sent, in no particular order
    std::string first_error;
};

/// Opens one connection per element of `connections` and sends its requests in order; every answer
/// must be 200 with "inserted" == expected_inserted.
LoadResult RunLoad(std::uint16_t port,
                   const std::vector<std::vector<std::string>>& connections,
                   std::int64_t expected_inserted);

/// The body of GET `target` (throws unless 200).
std::string HttpGet(std::uint16_t port, const std::string& target);

/// The q-quantile (0..1) of `values` (reordered).
double Quantile(std::vector<double>& values, double q);

}  // namespace rollcall::bench
