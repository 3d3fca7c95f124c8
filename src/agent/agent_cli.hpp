#pragma once

// `rollcall-agent` command line (docs/agent.md "Install" and "Configuration"): the settings, `--once`, `--probe`,
// the long-running mode that ends on SIGTERM or SIGINT, and on Windows the service's install, uninstall and run.

#include "agent/agent.hpp"
#include "agent/zk_client.hpp"
#include "core/result.hpp"

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace rollcall::agent {

struct AgentCliOptions {
    AgentConfig config;
    bool once = false;
    std::string log_file;
    std::string probe;  ///< HOST:PORT of a terminal to read without a server
    std::uint32_t probe_comm_key = 0;
};

/// The arguments (without the program's name), a settings file given with --config included. kInvalidArgument
/// with CLI11's reason on a usage error. The settings are not checked for working here: ConfigProblem does.
core::Result<AgentCliOptions> ParseAgentArguments(const std::vector<std::string>& args);

/// What keeps these settings from working (no server or token; a CA file on Windows), or empty.
std::string ConfigProblem(const AgentConfig& config);

/// The terminal `--probe HOST:PORT` names; kInvalidArgument for a target that is not HOST:PORT.
core::Result<ZkOptions> ProbeTarget(const std::string& target,
                                    std::uint32_t comm_key,
                                    std::chrono::milliseconds timeout);

/// `--probe`: reads one terminal and returns what it found as one JSON line (transport, serial, records, skipped,
/// seconds, peak_rss_kib), without a server. For an IT person checking that this PC reaches a terminal, and for
/// bench/agent.
core::Result<std::string> ProbeTerminal(const ZkOptions& terminal);

/// The whole program: parses, runs, returns the exit code. 0: done (with --once: every device read and
/// everything acknowledged); 1: cannot start or no device list; 2: with --once, something left undone, and
/// with --probe, the terminal could not be read.
int RunAgentCli(int argc, char** argv);

}  // namespace rollcall::agent
