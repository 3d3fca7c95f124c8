#include "app/cli.hpp"

#include "app/app.hpp"
#include "app/logging.hpp"
#include "app/offline.hpp"
#include "app/user_commands.hpp"

#include <csignal>
#include <filesystem>
#include <iostream>

#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <spdlog/spdlog.h>

namespace rollcall::app {
namespace {

namespace json = boost::json;

struct GlobalOptions {
    std::string data_dir;
    std::string database;
    std::string config_file;
};

config::Config LoadConfig(const GlobalOptions& g, const std::vector<std::string>& sets) {
    config::Config config;
    if (!g.config_file.empty()) {
        if (auto s = config.LoadTomlFile(g.config_file); !s) {
            throw std::runtime_error(s.error().message);
        }
    }
    if (auto s = config.LoadEnvironment(); !s) {
        throw std::runtime_error(s.error().message);
    }
    if (!g.data_dir.empty()) {
        (void)config.Set("data_dir", g.data_dir);
    }
    if (!g.database.empty()) {
        (void)config.Set("database", g.database);
    }
    for (const auto& kv : sets) {
        const auto eq = kv.find('=');
        if (eq == std::string::npos) {
            throw std::runtime_error("--set expects NAME=VALUE, got '" + kv + "'");
        }
        if (auto s = config.Set(kv.substr(0, eq), kv.substr(eq + 1)); !s) {
            throw std::runtime_error(s.error().message);
        }
    }
    return config;
}

int Serve(const config::Config& config, bool print_config) {
    if (print_config) {
        std::cout << config.Describe();
        return 0;
    }
    ConfigureLogging(config.String("log.level"), config.Bool("log.json"));
    // Block the stop signals before any thread starts so only sigwait below receives them.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);

    App app(config);
    const auto port = app.Start();
    auto [host, configured_port] = ParseListen(config.String("listen"));
    const bool every_interface = host == "0.0.0.0" || host == "::";
    if (every_interface) {
        host = "127.0.0.1";  // a URL to open on this machine; other machines use its network address
    }
    const std::string url =
        "http://" + (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" + std::to_string(port);
    spdlog::info("rollcall listening on {} (data dir {})", url, config.String("data_dir"));
    std::cout << "Rollcall is running at " << url << "  (health: " << url << "/healthz)"
              << (every_interface ? "; listening on every network interface" : "") << std::endl;
    if (auto has = app.services().accounts.HasUsers(); has && !*has) {
        std::cout << "No users yet. Create the first super admin in another terminal:\n"
                  << "  rollcall user create --email admin@example.org --role super_admin --data-dir "
                  << config.String("data_dir") << "   (it asks for the password)\n"
                  << "then log in: curl -s " << url
                  << "/api/v1/auth/login -H 'Content-Type: application/json' -d "
                     "'{\"email\":\"admin@example.org\",\"password\":\"...\"}'"
                  << std::endl;
    }
    int sig = 0;
    sigwait(&signals, &sig);
    spdlog::info("signal {}: draining in-flight requests", sig);
    app.Stop();
    spdlog::info("stopped cleanly");
    return 0;
}

/// `rollcall init`: the one command besides `serve` that may create a database.
int Init(const config::Config& config) {
    const auto path = DatabasePath(config);
    const bool existed = std::filesystem::exists(path);
    OpenStore(config, StoreCreation::kCreateIfMissing, nullptr)->Flush();
    (void)LoadCrypto(config);
    std::cout << (existed ? "The database at " + path + " already exists; nothing changed."
                          : "Created a new database at " + path + ".")
              << "\n";
    return 0;
}

}  // namespace

int RunCli(int argc, char** argv) {
    CLI::App cli{"Rollcall: biometric attendance for schools"};
    cli.require_subcommand(1);
    cli.fallthrough();
    GlobalOptions g;
    std::vector<std::string> sets;
    cli.add_option("--data-dir", g.data_dir, "data directory (default ./var)");
    cli.add_option("--database", g.database, "sqlite:PATH (postgres:// in a later release)");
    cli.add_option("--config", g.config_file, "TOML settings file");
    cli.add_option("--set", sets, "override a setting: NAME=VALUE (repeatable)");

    auto* serve = cli.add_subcommand("serve", "run the server");
    std::string listen;
    bool print_config = false;
    serve->add_option("--listen", listen, "HOST:PORT (default 127.0.0.1:8080)");
    serve->add_flag("--print-config", print_config, "print the effective settings and exit");

    auto* init = cli.add_subcommand("init", "create the database in the data directory (serve does it too)");

    auto* school = cli.add_subcommand("school", "manage schools")->require_subcommand(1);
    auto* school_create = school->add_subcommand("create", "create a school");
    std::string school_name;
    std::string timezone;
    school_create->add_option("--name", school_name)->required();
    school_create->add_option("--timezone", timezone, "IANA zone, e.g. Africa/Nairobi")->required();

    const UserCommands users(cli);

    auto* device = cli.add_subcommand("device", "manage devices")->require_subcommand(1);
    auto* device_create = device->add_subcommand("create", "create a device and print its token");
    std::int64_t device_school = 0;
    service::DevicePatch patch;
    std::string device_name;
    std::string sync_mode;
    std::string direction = "auto";
    std::string ip;
    std::optional<std::int64_t> port;
    std::string serial;
    device_create->add_option("--school", device_school)->required();
    device_create->add_option("--name", device_name)->required();
    device_create->add_option("--sync-mode", sync_mode, "push or agent")->required();
    device_create->add_option("--direction", direction, "auto, in or out");
    device_create->add_option("--ip", ip);
    device_create->add_option("--port", port);
    device_create->add_option("--serial", serial);

    auto* agent_token = cli.add_subcommand("agent-token", "manage sync agent tokens")->require_subcommand(1);
    auto* agent_token_create = agent_token->add_subcommand("create", "create an agent token for a school");
    std::int64_t agent_school = 0;
    agent_token_create->add_option("--school", agent_school)->required();

    try {
        cli.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return cli.exit(e);
    }

    try {
        auto config = LoadConfig(g, sets);
        if (!listen.empty()) {
            if (auto s = config.Set("listen", listen); !s) {
                throw std::runtime_error(s.error().message);
            }
        }
        if (serve->parsed()) {
            return Serve(config, print_config);
        }
        // Warnings only, and to stderr: stdout carries the commands' JSON results, which scripts parse.
        ConfigureLogging("warn", false);
        if (init->parsed()) {
            return Init(config);
        }
        Offline offline(config);
        auto& services = offline.services;
        if (school_create->parsed()) {
            auto s = OrThrow(services.accounts.CreateSchool(service::CommandLinePrincipal(), school_name, timezone));
            PrintJson(json::object{{"id", s.id}, {"name", s.name}, {"timezone", s.timezone}});
        } else if (users.Parsed()) {
            users.Run(services);
        } else if (device_create->parsed()) {
            patch.name = device_name;
            patch.sync_mode = OrThrow(core::ParseField<domain::SyncMode>("sync_mode", sync_mode));
            patch.direction = OrThrow(core::ParseField<domain::DeviceDirection>("direction", direction));
            patch.ip = ip;
            patch.port = port;
            patch.serial = serial;
            auto d = OrThrow(services.devices.CreateDevice(service::CommandLinePrincipal(), device_school, patch));
            PrintJson(json::object{{"id", d.device.id}, {"name", d.device.name}, {"api_token", d.api_token}});
        } else if (agent_token_create->parsed()) {
            const auto [id, token] =
                OrThrow(services.agents.CreateAgentToken(service::CommandLinePrincipal(), agent_school));
            PrintJson(json::object{{"id", id}, {"token", token}});
        }
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "rollcall: " << e.what() << "\n";
        return 1;
    }
}

}  // namespace rollcall::app
