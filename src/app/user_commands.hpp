#pragma once

// `rollcall user ...`: the server host's own way to manage admin users (docs/operations.md "Users"), above all to
// let a super admin who forgot their password back in. Every change is audited as the command line (user 0).

#include "service/services.hpp"

#include <cstdint>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>

namespace rollcall::app {

class UserCommands {
public:
    /// Adds `user` and its subcommands to `cli`.
    explicit UserCommands(CLI::App& cli);

    /// Whether one of them was given.
    bool Parsed() const;
    /// Runs the one given; output on stdout, a failure thrown as runtime_error.
    void Run(service::Services& services) const;

private:
    CLI::App* create_ = nullptr;
    CLI::App* list_ = nullptr;
    CLI::App* disable_ = nullptr;
    CLI::App* enable_ = nullptr;
    CLI::App* reset_password_ = nullptr;
    std::string email_;
    std::string role_;
    std::optional<std::int64_t> school_;
};

}  // namespace rollcall::app
