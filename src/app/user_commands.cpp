#include "app/user_commands.hpp"

#include "app/offline.hpp"
#include "app/password_prompt.hpp"
#include "core/enum_names.hpp"
#include "wire/records.hpp"

#include <iomanip>
#include <iostream>

namespace rollcall::app {
namespace {

namespace json = boost::json;

void PrintUsers(const std::vector<storage::User>& users) {
    if (users.empty()) {
        std::cout << "No users.\n";
        return;
    }
    std::cout << std::left << std::setw(6) << "ID" << std::setw(40) << "EMAIL" << std::setw(14) << "ROLE"
              << std::setw(8) << "SCHOOL"
              << "STATUS\n";
    for (const auto& u : users) {
        std::cout << std::setw(6) << u.id << std::setw(40) << u.email << std::setw(14) << core::NameOf(u.role)
                  << std::setw(8) << (u.school_id ? std::to_string(*u.school_id) : "-") << core::NameOf(u.status)
                  << "\n";
    }
}

}  // namespace

UserCommands::UserCommands(CLI::App& cli) {
    auto* user = cli.add_subcommand("user", "manage admin users")->require_subcommand(1);
    create_ = user->add_subcommand(
        "create", "create a user; the password is asked for at the terminal (or read from the first line of stdin)");
    create_->add_option("--email", email_)->required();
    create_->add_option("--role", role_, "super_admin or school_admin")->required();
    create_->add_option("--school", school_, "school id (school_admin)");

    list_ = user->add_subcommand("list", "list the users, or a school's admins");
    list_->add_option("--school", school_, "only this school's admins");

    disable_ = user->add_subcommand("disable", "disable a user: they cannot log in, and their sessions end");
    disable_->add_option("--email", email_)->required();
    enable_ = user->add_subcommand("enable", "enable a disabled user again");
    enable_->add_option("--email", email_)->required();

    reset_password_ = user->add_subcommand(
        "reset-password", "set a user's password (a forgotten one, a super admin's too); every session of theirs ends");
    reset_password_->add_option("--email", email_)->required();
}

bool UserCommands::Parsed() const {
    return create_->parsed() || list_->parsed() || disable_->parsed() || enable_->parsed() || reset_password_->parsed();
}

void UserCommands::Run(service::Services& services) const {
    auto& accounts = services.accounts;
    const auto by = service::CommandLinePrincipal();
    if (create_->parsed()) {
        service::UserInput input;
        input.email = email_;
        input.role = OrThrow(core::ParseField<domain::Role>("role", role_));
        input.school_id = school_;
        input.password = ReadNewPassword(std::cin, email_);
        PrintJson(json::value_from(OrThrow(accounts.CreateUser(by, std::move(input)))));
    } else if (list_->parsed()) {
        PrintUsers(OrThrow(accounts.ListUsers(by, school_)));
    } else if (disable_->parsed() || enable_->parsed()) {
        const auto user = OrThrow(accounts.FindUserByEmail(email_));
        const auto status = disable_->parsed() ? domain::ActiveStatus::kInactive : domain::ActiveStatus::kActive;
        PrintJson(json::value_from(OrThrow(accounts.SetUserStatus(by, user.id, status))));
    } else if (reset_password_->parsed()) {
        const auto user = OrThrow(accounts.FindUserByEmail(email_));
        OrThrow(accounts.ResetPassword(by, user.id, ReadNewPassword(std::cin, user.email)));
        std::cout << "The password of " << user.email << " is changed; every session of theirs has ended.\n";
    }
}

}  // namespace rollcall::app
