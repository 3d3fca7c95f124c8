#include "app/offline.hpp"

#include <iostream>

namespace rollcall::app {

Offline::Offline(const config::Config& config)
    : clock(MakeClock(config)),
      store(OpenStore(config, StoreCreation::kMustExist, nullptr, {}, clock)),
      crypto(LoadCrypto(config)),
      services(*store, crypto, *clock, metrics, MakeServiceConfig(config)) {}

void PrintJson(const boost::json::value& v) {
    std::cout << boost::json::serialize(v) << "\n";
}

}  // namespace rollcall::app
