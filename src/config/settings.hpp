#pragma once

#include "core/result.hpp"

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>

namespace rollcall::config {

enum class SettingType { kInt, kString, kBool };

/// One row of the settings table: everything about a setting in one place.
struct SettingSpec {
    std::string_view name;  ///< dotted, as in the TOML file: "http.body_limit.push"
    SettingType type;
    std::string_view default_value;
    std::int64_t min = 0;  ///< kInt only
    std::int64_t max = 0;  ///< kInt only
    std::string_view env;  ///< environment variable that overrides it
    std::string_view description;
};

/// The table itself (settings.cpp).
std::span<const SettingSpec> AllSettings();

/// Effective configuration: defaults, then the TOML file, then the environment, then command-line flags.
/// Unknown keys and out-of-range values are errors that name the setting.
class Config {
public:
    /// Defaults only.
    Config();

    core::Status LoadTomlFile(const std::string& path);
    core::Status LoadEnvironment();
    /// Sets one value from text (command line, tests).
    core::Status Set(std::string_view name, std::string_view value);

    std::int64_t Int(std::string_view name) const;
    const std::string& String(std::string_view name) const;
    bool Bool(std::string_view name) const;

    /// "name = value  # description" lines, for `rollcall serve --print-config`.
    std::string Describe() const;

private:
    std::map<std::string, std::string, std::less<>> values_;
};

}  // namespace rollcall::config
