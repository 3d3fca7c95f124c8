#include "config/settings.hpp"

#include <charconv>
#include <cstdlib>
#include <stdexcept>

#include <fmt/format.h>
#include <toml++/toml.h>

namespace rollcall::config {
namespace {

using core::Errc;
using core::MakeError;

// The one table of server and agent settings. Limits live here so each has a name, a default and bounds.
constexpr SettingSpec kSettings[] = {
    {"listen", SettingType::kString, "127.0.0.1:8080", 0, 0, "ROLLCALL_LISTEN", "HOST:PORT the server listens on"},
    {"data_dir",
     SettingType::kString,
     "./var",
     0,
     0,
     "ROLLCALL_DATA_DIR",
     "directory of the embedded database and the secret key"},
    {"database",
     SettingType::kString,
     "",
     0,
     0,
     "ROLLCALL_DATABASE",
     "sqlite:PATH or postgres://...; empty means sqlite:<data_dir>/rollcall.db"},
    {"log.level", SettingType::kString, "info", 0, 0, "ROLLCALL_LOG_LEVEL", "trace, debug, info, warn, error"},
    {"log.json", SettingType::kBool, "false", 0, 0, "ROLLCALL_LOG_JSON", "structured JSON log lines"},
    {"clock.fixed",
     SettingType::kString,
     "",
     0,
     0,
     "ROLLCALL_CLOCK_FIXED",
     "for tests and demos only: pretend the time is this UTC instant (YYYY-MM-DDTHH:MM:SSZ)"},

    {"http.io_threads", SettingType::kInt, "2", 1, 64, "ROLLCALL_HTTP_IO_THREADS", "threads running connections"},
    {"http.max_connections",
     SettingType::kInt,
     "10000",
     1,
     1'000'000,
     "ROLLCALL_HTTP_MAX_CONNECTIONS",
     "open connections; more are answered 503 and closed"},
    {"http.trusted_proxies",
     SettingType::kString,
     "",
     0,
     0,
     "ROLLCALL_HTTP_TRUSTED_PROXIES",
     "reverse proxies (addresses or networks, comma-separated) whose X-Forwarded-For names the client"},
    {"http.max_connections_per_address",
     SettingType::kInt,
     "256",
     0,
     1'000'000,
     "ROLLCALL_HTTP_MAX_CONNECTIONS_PER_ADDRESS",
     "open connections from one client address (IPv6: one /64); more are answered 429 and closed; 0 is no cap; "
     "http.trusted_proxies are not capped"},
    {"http.max_connections_per_device",
     SettingType::kInt,
     "8",
     0,
     1'000'000,
     "ROLLCALL_HTTP_MAX_CONNECTIONS_PER_DEVICE",
     "connections carrying one push device's requests (its token) at once; more are answered 429 and closed; 0 is "
     "no cap"},
    {"http.body_budget_bytes",
     SettingType::kInt,
     "67108864",
     1024,
     std::int64_t{1} << 40,
     "ROLLCALL_HTTP_BODY_BUDGET_BYTES",
     "request body bytes all requests in flight hold together; a body that does not fit is answered 503 with "
     "Retry-After, unread; at least the largest http.body_limit.*"},
    {"http.header_limit",
     SettingType::kInt,
     "8192",
     512,
     1 << 20,
     "ROLLCALL_HTTP_HEADER_LIMIT",
     "bytes of all request header lines together; more gets 431"},
    {"http.body_limit.preauth",
     SettingType::kInt,
     "16384",
     0,
     1 << 30,
     "ROLLCALL_HTTP_BODY_LIMIT_PREAUTH",
     "body bytes accepted before the caller is authenticated (login, unknown tokens)"},
    {"http.body_limit.api",
     SettingType::kInt,
     "1048576",
     1024,
     1 << 30,
     "ROLLCALL_HTTP_BODY_LIMIT_API",
     "body bytes of an authenticated admin API request"},
    {"http.body_limit.push",
     SettingType::kInt,
     "2097152",
     1024,
     1 << 30,
     "ROLLCALL_HTTP_BODY_LIMIT_PUSH",
     "body bytes of an authenticated device push"},
    {"http.body_limit.import",
     SettingType::kInt,
     "8388608",
     1024,
     1 << 30,
     "ROLLCALL_HTTP_BODY_LIMIT_IMPORT",
     "body bytes of a CSV import"},
    {"http.request_timeout_ms",
     SettingType::kInt,
     "10000",
     10,
     3'600'000,
     "ROLLCALL_HTTP_REQUEST_TIMEOUT_MS",
     "whole request (header and body) must arrive within this"},
    {"http.idle_timeout_ms",
     SettingType::kInt,
     "120000",
     10,
     86'400'000,
     "ROLLCALL_HTTP_IDLE_TIMEOUT_MS",
     "keep-alive connection closed after this long without a request"},
    {"http.write_timeout_ms",
     SettingType::kInt,
     "10000",
     10,
     3'600'000,
     "ROLLCALL_HTTP_WRITE_TIMEOUT_MS",
     "a response must be taken by the client within this"},
    {"http.drain_timeout_ms",
     SettingType::kInt,
     "10000",
     0,
     3'600'000,
     "ROLLCALL_HTTP_DRAIN_TIMEOUT_MS",
     "on SIGTERM, how long in-flight requests may take to finish"},

    {"push.max_records",
     SettingType::kInt,
     "5000",
     1,
     1'000'000,
     "ROLLCALL_PUSH_MAX_RECORDS",
     "records in one push; a larger batch is refused with 413"},
    {"push.max_user_id_length",
     SettingType::kInt,
     "32",
     1,
     255,
     "ROLLCALL_PUSH_MAX_USER_ID_LENGTH",
     "characters of a user_id; longer records are rejected"},
    {"push.rate_per_second",
     SettingType::kInt,
     "200",
     1,
     1'000'000,
     "ROLLCALL_PUSH_RATE_PER_SECOND",
     "sustained push requests per second per device; more gets 429"},
    {"push.rate_burst",
     SettingType::kInt,
     "400",
     1,
     1'000'000,
     "ROLLCALL_PUSH_RATE_BURST",
     "push requests a device may send in a burst before the rate applies"},
    {"push.unknown_token_sources",
     SettingType::kInt,
     "1000",
     1,
     1'000'000,
     "ROLLCALL_PUSH_UNKNOWN_TOKEN_SOURCES",
     "source addresses of pushes with unknown tokens the server remembers (an hour each, for the panel); past it "
     "the one heard from longest ago is forgotten"},

    {"reports.max_days",
     SettingType::kInt,
     "366",
     1,
     3660,
     "ROLLCALL_REPORTS_MAX_DAYS",
     "days one report may cover; a longer period is refused with 400"},
    {"reports.worker_threads",
     SettingType::kInt,
     "2",
     1,
     64,
     "ROLLCALL_REPORTS_WORKER_THREADS",
     "threads for reports, apart from the admin requests' (a long report never holds up another school's admin)"},
    {"reports.queue_depth",
     SettingType::kInt,
     "8",
     0,
     10'000,
     "ROLLCALL_REPORTS_QUEUE_DEPTH",
     "reports waiting for a report thread; when all threads are busy and this many wait, 503"},
    {"reports.max_concurrent_per_school",
     SettingType::kInt,
     "1",
     1,
     64,
     "ROLLCALL_REPORTS_MAX_CONCURRENT_PER_SCHOOL",
     "reports of one school running or waiting at once; one more gets 429"},

    {"events.heartbeat_seconds",
     SettingType::kInt,
     "15",
     1,
     3600,
     "ROLLCALL_EVENTS_HEARTBEAT_SECONDS",
     "how often a live event stream (GET .../events) sends a heartbeat comment, so that proxies keep it open"},
    {"events.max_streams_per_school",
     SettingType::kInt,
     "20",
     1,
     10'000,
     "ROLLCALL_EVENTS_MAX_STREAMS_PER_SCHOOL",
     "live event streams one school may have open at once; one more is answered 429"},
    {"events.queue_depth",
     SettingType::kInt,
     "64",
     1,
     100'000,
     "ROLLCALL_EVENTS_QUEUE_DEPTH",
     "events waiting to be written to one live event stream; a client that falls this far behind is dropped"},

    {"engine.worker",
     SettingType::kBool,
     "true",
     0,
     0,
     "ROLLCALL_ENGINE_WORKER",
     "run the recompute worker and the webhook sender in this process"},
    {"engine.sweep_seconds",
     SettingType::kInt,
     "60",
     1,
     86400,
     "ROLLCALL_ENGINE_SWEEP_SECONDS",
     "how often the days not final yet are recomputed (absences become final with time, R16)"},
    {"engine.sweep_days",
     SettingType::kInt,
     "2",
     1,
     31,
     "ROLLCALL_ENGINE_SWEEP_DAYS",
     "today and the days before it that the sweep recomputes until they are final"},
    {"engine.reprocess_max_days",
     SettingType::kInt,
     "366",
     1,
     3660,
     "ROLLCALL_ENGINE_REPROCESS_MAX_DAYS",
     "days one re-process request may cover; a longer range is refused with 400. Also the reprocess window: no "
     "change marks days for recomputation before its start or after today"},
    {"engine.clock_correction_max_days",
     SettingType::kInt,
     "366",
     1,
     3660,
     "ROLLCALL_ENGINE_CLOCK_CORRECTION_MAX_DAYS",
     "days one clock correction may span (from..to on the device's clock); a longer span is refused with 400"},

    {"webhooks.max_per_school",
     SettingType::kInt,
     "10",
     0,
     1000,
     "ROLLCALL_WEBHOOKS_MAX_PER_SCHOOL",
     "webhook URLs one school may register; one more is refused with 409"},
    {"webhooks.max_event_age_days",
     SettingType::kInt,
     "0",
     0,
     366,
     "ROLLCALL_WEBHOOKS_MAX_EVENT_AGE_DAYS",
     "arrival, late and absent are sent for today and this many days before it, never for older days "
     "(corrections of what was sent always are)"},
    {"webhooks.timeout_ms",
     SettingType::kInt,
     "5000",
     100,
     120000,
     "ROLLCALL_WEBHOOKS_TIMEOUT_MS",
     "one delivery attempt: connect, send and the gateway's answer"},
    {"webhooks.max_attempts",
     SettingType::kInt,
     "8",
     1,
     100,
     "ROLLCALL_WEBHOOKS_MAX_ATTEMPTS",
     "attempts before a delivery is marked failed"},
    {"webhooks.retry_base_seconds",
     SettingType::kInt,
     "30",
     1,
     86400,
     "ROLLCALL_WEBHOOKS_RETRY_BASE_SECONDS",
     "wait before the first retry; each next retry waits twice as long"},
    {"webhooks.retry_max_seconds",
     SettingType::kInt,
     "3600",
     1,
     604800,
     "ROLLCALL_WEBHOOKS_RETRY_MAX_SECONDS",
     "the longest wait between two attempts"},
    {"webhooks.allow_private_addresses",
     SettingType::kBool,
     "false",
     0,
     0,
     "ROLLCALL_WEBHOOKS_ALLOW_PRIVATE_ADDRESSES",
     "allow webhook URLs on loopback, private, link-local and other special-purpose addresses (a gateway inside the "
     "server's network)"},
    {"webhooks.ca_file",
     SettingType::kString,
     "",
     0,
     0,
     "ROLLCALL_WEBHOOKS_CA_FILE",
     "PEM file of extra CAs trusted for https webhooks (the system's are always trusted)"},

    {"storage.writer_queue_depth",
     SettingType::kInt,
     "4096",
     1,
     1'000'000,
     "ROLLCALL_STORAGE_WRITER_QUEUE_DEPTH",
     "batches waiting for the writer; when full, pushes get 503 and retry"},
    {"storage.group_commit_max_rows",
     SettingType::kInt,
     "20000",
     1,
     10'000'000,
     "ROLLCALL_STORAGE_GROUP_COMMIT_MAX_ROWS",
     "punch rows coalesced into one transaction"},
    {"storage.read_connections",
     SettingType::kInt,
     "4",
     1,
     64,
     "ROLLCALL_STORAGE_READ_CONNECTIONS",
     "SQLite read-only connections"},

    {"service.worker_threads",
     SettingType::kInt,
     "4",
     1,
     256,
     "ROLLCALL_SERVICE_WORKER_THREADS",
     "threads for admin requests, off the io threads (reports have their own, reports.worker_threads)"},
    {"service.worker_queue_depth",
     SettingType::kInt,
     "1024",
     1,
     1'000'000,
     "ROLLCALL_SERVICE_WORKER_QUEUE_DEPTH",
     "admin requests waiting for a worker; when full, 503"},

    {"auth.argon2_ops", SettingType::kInt, "3", 1, 10, "ROLLCALL_AUTH_ARGON2_OPS", "argon2id passes"},
    {"auth.argon2_mem_kib",
     SettingType::kInt,
     "19456",
     8192,
     std::int64_t{4} * 1024 * 1024,
     "ROLLCALL_AUTH_ARGON2_MEM_KIB",
     "argon2id memory in KiB (OWASP minimum 19456)"},
    {"auth.session_ttl_minutes",
     SettingType::kInt,
     "720",
     1,
     525'600,
     "ROLLCALL_AUTH_SESSION_TTL_MINUTES",
     "login token and session cookie lifetime"},
    {"auth.login_attempts_per_minute",
     SettingType::kInt,
     "10",
     1,
     100'000,
     "ROLLCALL_AUTH_LOGIN_ATTEMPTS_PER_MINUTE",
     "login attempts per account and per address; more gets 429"},
    {"auth.rate_limit_buckets",
     SettingType::kInt,
     "50000",
     100,
     10'000'000,
     "ROLLCALL_AUTH_RATE_LIMIT_BUCKETS",
     "accounts, addresses and devices each rate limiter remembers; the least recently seen is forgotten first"},
    {"auth.hash_queue_depth",
     SettingType::kInt,
     "64",
     1,
     100'000,
     "ROLLCALL_AUTH_HASH_QUEUE_DEPTH",
     "logins waiting for the password hasher; when full, 503"},
    {"auth.secure_cookies",
     SettingType::kBool,
     "true",
     0,
     0,
     "ROLLCALL_AUTH_SECURE_COOKIES",
     "mark the session cookie Secure (turn off only for plain-HTTP local demos)"},

    {"agent.max_terminal_users",
     SettingType::kInt,
     "30000",
     1,
     100'000,
     "ROLLCALL_AGENT_MAX_TERMINAL_USERS",
     "users in one terminal user table an agent uploads (also within http.body_limit.import); more is 413"},
};

bool ParseBool(std::string_view text, bool& out) {
    if (text == "true" || text == "1" || text == "yes" || text == "on") {
        out = true;
        return true;
    }
    if (text == "false" || text == "0" || text == "no" || text == "off") {
        out = false;
        return true;
    }
    return false;
}

const SettingSpec* Find(std::string_view name) {
    for (const auto& s : kSettings) {
        if (s.name == name) {
            return &s;
        }
    }
    return nullptr;
}

core::Status Validate(const SettingSpec& spec, std::string_view value) {
    switch (spec.type) {
        case SettingType::kString:
            return {};
        case SettingType::kBool: {
            bool b = false;
            if (!ParseBool(value, b)) {
                return MakeError(Errc::kInvalidArgument, fmt::format("setting {}: expected true or false", spec.name));
            }
            return {};
        }
        case SettingType::kInt: {
            std::int64_t v = 0;
            const auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
            if (ec != std::errc() || ptr != value.data() + value.size()) {
                return MakeError(Errc::kInvalidArgument, fmt::format("setting {}: expected an integer", spec.name));
            }
            if (v < spec.min || v > spec.max) {
                return MakeError(Errc::kInvalidArgument,
                                 fmt::format("setting {}: {} is outside [{}, {}]", spec.name, v, spec.min, spec.max));
            }
            return {};
        }
    }
    return {};
}

core::Status LoadTable(const toml::table& table, const std::string& prefix, Config& config) {
    for (const auto& [key, node] : table) {
        const std::string name = prefix.empty() ? std::string(key.str()) : prefix + "." + std::string(key.str());
        if (const auto* sub = node.as_table()) {
            ROLLCALL_CHECK(LoadTable(*sub, name, config));
            continue;
        }
        std::string text;
        if (const auto* v = node.as_string()) {
            text = v->get();
        } else if (const auto* i = node.as_integer()) {
            text = std::to_string(i->get());
        } else if (const auto* b = node.as_boolean()) {
            text = b->get() ? "true" : "false";
        } else {
            return MakeError(Errc::kInvalidArgument, fmt::format("setting {}: unsupported value type", name));
        }
        ROLLCALL_CHECK(config.Set(name, text));
    }
    return {};
}

}  // namespace

std::span<const SettingSpec> AllSettings() {
    return kSettings;
}

Config::Config() {
    for (const auto& s : kSettings) {
        values_.emplace(std::string(s.name), std::string(s.default_value));
    }
}

core::Status Config::Set(std::string_view name, std::string_view value) {
    const auto* spec = Find(name);
    if (spec == nullptr) {
        return MakeError(Errc::kInvalidArgument, fmt::format("unknown setting '{}'", name));
    }
    ROLLCALL_CHECK(Validate(*spec, value));
    values_.find(name)->second = std::string(value);
    return {};
}

core::Status Config::LoadTomlFile(const std::string& path) {
    // Debian's toml++ is built with exceptions: a parse error is thrown, not returned.
    try {
        const toml::table table = toml::parse_file(path);
        return LoadTable(table, "", *this);
    } catch (const toml::parse_error& e) {
        return MakeError(Errc::kInvalidArgument, fmt::format("config file {}: {}", path, e.description()));
    }
}

core::Status Config::LoadEnvironment() {
    for (const auto& s : kSettings) {
        if (const char* v = std::getenv(std::string(s.env).c_str()); v != nullptr) {  // NOLINT(concurrency-mt-unsafe)
            ROLLCALL_CHECK(Set(s.name, v));
        }
    }
    return {};
}

std::int64_t Config::Int(std::string_view name) const {
    const auto it = values_.find(name);
    if (it == values_.end()) {
        throw std::logic_error(fmt::format("no setting {}", name));
    }
    return std::stoll(it->second);
}

const std::string& Config::String(std::string_view name) const {
    const auto it = values_.find(name);
    if (it == values_.end()) {
        throw std::logic_error(fmt::format("no setting {}", name));
    }
    return it->second;
}

bool Config::Bool(std::string_view name) const {
    bool b = false;
    ParseBool(String(name), b);
    return b;
}

std::string Config::Describe() const {
    std::string out;
    for (const auto& s : kSettings) {
        out += fmt::format("{} = {}    # {} (env {})\n", s.name, values_.find(s.name)->second, s.description, s.env);
    }
    return out;
}

}  // namespace rollcall::config
