#pragma once

// The agent as a Windows service (docs/agent.md "Windows"). Windows only: the Linux agent runs under systemd
// (packaging/rollcall-agent.service) and has none of this.

#include "core/result.hpp"

#include <filesystem>
#include <functional>
#include <string>

namespace rollcall::agent {

inline constexpr const char* kDefaultServiceName = "RollcallAgent";

/// Registers `"<this exe>" --config "<config_path>" service --name "<name>"` as an automatic (delayed) service
/// that Windows restarts when it fails. `config_path` must be absolute: a service starts in C:\Windows\System32.
core::Status InstallService(const std::string& name, const std::filesystem::path& config_path);

/// Lets only SYSTEM and the Administrators into `folder` (and what is and will be in it): the service runs as
/// LocalSystem and reads its token from there, and a folder under ProgramData is open to every user otherwise.
core::Status RestrictToAdministrators(const std::filesystem::path& folder);

/// Stops the service if it runs (waiting up to 60 s), then removes it. Fails, with the service marked for removal,
/// when it did not stop in time.
core::Status UninstallService(const std::string& name);

/// Hands this process to the service control manager and runs `run` until it returns (a non-zero return is the
/// service's own exit code); when Windows asks the service to stop, `stop` is called (on another thread) and
/// `run` must return soon after. Fails when the process was not started by the service control manager.
core::Status RunAsService(const std::string& name, std::function<int()> run, std::function<void()> stop);

}  // namespace rollcall::agent
