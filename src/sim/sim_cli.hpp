#pragma once

// `rollcall-sim` command line (docs/simulator.md "Flags"): `rollcall-sim zk ...` runs a
// simulated ZK terminal until SIGTERM or SIGINT.

#include "core/result.hpp"
#include "sim/zk_config.hpp"
#include "sim/zk_population.hpp"
#include "sim/zk_server.hpp"

#include <string>
#include <vector>

namespace rollcall::sim {

struct ZkSimOptions {
    ZkPopulationSpec population;
    ZkDeviceConfig device;
    ZkServerOptions server;
    /// Records as JSON lines (zk_export.hpp), written before the listening line and again on a clean stop.
    std::string export_file;
    /// Users as JSON lines, written at the same times.
    std::string export_users_file;
    bool verbose = false;
};

/// "HOST:PORT" or "[V6]:PORT". kInvalidArgument otherwise.
core::Status ParseListen(const std::string& text, ZkServerOptions& server);

/// The `zk` subcommand's arguments (without "rollcall-sim zk"). kInvalidArgument with the reason on a usage
/// error; CLI11's help text is not produced here.
core::Result<ZkSimOptions> ParseZkArguments(const std::vector<std::string>& args);

/// The whole program: parses, runs, returns the exit code (0 after a clean stop, 1 when it cannot start, 2 on a
/// usage error).
int RunSimCli(int argc, char** argv);

}  // namespace rollcall::sim
