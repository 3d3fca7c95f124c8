#pragma once

// The agent as a Windows service (docs/agent.md "Windows"). Windows only: the Linux agent runs under systemd
// (packaging/rollcall-agent.service) and has none of this.

#include "core/result.hpp"

#include <atomic>
#include <functional>
#include <string>

namespace rollcall::agent {

inline constexpr const char* kDefaultServiceName = "RollcallAgent";

/// Registers `"<this exe>" --config "<config_path>" service --name "<name>"` as an automatic (delayed) service that
/// Windows restarts when it fails. `config_path` must be absolute: a service starts in C:\Windows\System32.
core::Status InstallService(const std::string& name, const std::string& config_path);

/// Stops the service if it runs, then removes it.
core::Status UninstallService(const std::string& name);

/// Hands this process to the service control manager and runs `run` until Windows asks the service to stop
/// (or `run` returns). Fails when the process was not started by the service control manager.
core::Status RunAsService(const std::string& name, std::function<void(const std::atomic<bool>& stop)> run);

}  // namespace rollcall::agent
