#include "storage/store.hpp"

#include <future>

namespace rollcall::storage {

core::Result<InsertStats> Store::WritePunches(PunchBatch batch) {
    std::promise<core::Result<InsertStats>> promise;
    auto future = promise.get_future();
    SubmitPunches(std::move(batch), [&promise](core::Result<InsertStats> r) { promise.set_value(std::move(r)); });
    return future.get();
}

}  // namespace rollcall::storage
