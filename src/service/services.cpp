#include "service/services.hpp"

namespace rollcall::service {

Services::Services(storage::Store& store,
                   const auth::Crypto& crypto,
                   const core::Clock& clock,
                   core::Metrics& metrics,
                   const ServiceConfig& config)
    : accounts(store, crypto, clock, AccountsConfig{config.password_cost, config.session_ttl_seconds}),
      devices(store, crypto, clock, config.unknown_token_sources),
      agents(store, crypto, clock),
      people(store, clock, config.record_limits.max_user_id_length),
      calendar(store, clock, config.recompute),
      attendance(store, clock, config.recompute),
      ingest(store, clock, metrics, config.record_limits),
      webhooks(store, crypto, clock, config.max_webhooks),
      reports(accounts, people, attendance, devices, calendar),
      terminal_users(store, clock, people, config.record_limits.max_user_id_length, config.max_terminal_users) {}

}  // namespace rollcall::service
