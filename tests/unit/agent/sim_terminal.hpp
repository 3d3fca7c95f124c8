#pragma once

// A simulated terminal in the test's process for the agent's unit tests: the simulator's own device and server
// (src/sim, what `rollcall-sim zk` runs) on 127.0.0.1:0, spoken to over real TCP and UDP sockets, with the device's
// state at hand to check what the agent did to it (enabled or not, its log).

#include "agent/zk_client.hpp"
#include "core/clock.hpp"
#include "e2e/agent_ports.hpp"
#include "protocol/zk/time_codec.hpp"
#include "sim/zk_device.hpp"
#include "sim/zk_server.hpp"

#include <chrono>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace rollcall::agent::test {

/// A punch as (user_id, "YYYY-MM-DD HH:MM:SS"): what a terminal holds and what the agent read compare as sets.
using Punch = std::pair<std::string, std::string>;

inline std::set<Punch> AsSet(const std::vector<DevicePunch>& punches) {
    std::set<Punch> out;
    for (const auto& p : punches) {
        out.emplace(p.user_id, core::FormatLocalDateTime(p.time));
    }
    return out;
}

class SimTerminal {
public:
    /// `users` and `records` generated for `seed`, `corrupt` of them with an impossible time. With
    /// `options.udp_only` its port number is held over TCP by the test (refusing), as at a real UDP-only terminal.
    SimTerminal(std::uint32_t users,
                std::uint32_t records,
                sim::ZkDeviceConfig config = {},
                sim::ZkServerOptions options = {},
                std::uint64_t seed = 3,
                std::uint32_t corrupt = 0)
        : device_(std::move(config), Population(users, records, seed, corrupt), clock_) {
        options.host = "127.0.0.1";
        options.port = 0;
        for (;;) {
            server_ = std::make_unique<sim::ZkServer>(device_, options);
            const auto port = server_->Start();
            if (!port.ok()) {
                throw std::runtime_error(port.error().message);
            }
            port_ = *port;
            if (!options.udp_only) {
                break;
            }
            if ((tcp_ = rollcall::test::RefusingPort::TryHold(port_))) {
                break;
            }
            server_.reset();  // someone has that number over TCP: another one, then
        }
    }

    std::uint16_t port() const { return port_; }
    sim::ZkServer& server() { return *server_; }
    ZkOptions Options(std::chrono::milliseconds timeout = std::chrono::seconds(30), std::uint32_t comm_key = 0) const {
        return ZkOptions{"127.0.0.1", port_, comm_key, timeout, true};
    }
    std::unique_ptr<ZkClient> Connect(std::chrono::milliseconds timeout = std::chrono::seconds(30)) const {
        auto client = ZkClient::Connect(Options(timeout));
        if (!client) {
            throw std::runtime_error(client.error().message);
        }
        return std::move(*client);
    }

    /// Whether the terminal takes punches at the gate now.
    bool Enabled() {
        bool enabled = false;
        server_->Run([&](sim::ZkDevice& d) { enabled = d.enabled(); });
        return enabled;
    }
    std::size_t RecordCount() {
        std::size_t n = 0;
        server_->Run([&](sim::ZkDevice& d) { n = d.records().size(); });
        return n;
    }
    /// The users the terminal holds.
    std::vector<protocol::zk::User> Users() {
        std::vector<protocol::zk::User> out;
        server_->Run([&](sim::ZkDevice& d) { out = d.users(); });
        return out;
    }
    /// Enrols a user, as an admin does at the terminal's keypad (the name as the terminal stores its bytes).
    void Enrol(std::uint16_t uid, std::string user_id, std::string name, std::uint32_t card = 0) {
        protocol::zk::User user;
        user.uid = uid;
        user.user_id = std::move(user_id);
        user.name = std::move(name);
        user.card = card;
        server_->Run([&](sim::ZkDevice& d) { d.PutUser(std::move(user)); });
    }
    /// Every record of its log with a readable time.
    std::set<Punch> Punches() {
        std::set<Punch> out;
        server_->Run([&](sim::ZkDevice& d) {
            for (const auto& r : d.records()) {
                if (const auto time = protocol::zk::DecodePackedTime(r.packed_time); time.ok()) {
                    out.emplace(r.user_id, core::FormatLocalDateTime(protocol::zk::ToLocalDateTime(*time)));
                }
            }
        });
        return out;
    }

private:
    static sim::ZkPopulation Population(std::uint32_t users,
                                        std::uint32_t records,
                                        std::uint64_t seed,
                                        std::uint32_t corrupt) {
        auto population = sim::GeneratePopulation({users, records, seed, corrupt});
        if (!population.ok()) {
            throw std::runtime_error(population.error().message);
        }
        return std::move(*population);
    }

    core::SystemClock clock_;
    sim::ZkDevice device_;
    std::unique_ptr<sim::ZkServer> server_;
    std::optional<rollcall::test::RefusingPort> tcp_;
    std::uint16_t port_ = 0;
};

}  // namespace rollcall::agent::test
