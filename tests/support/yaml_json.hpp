#pragma once

// A YAML document read into Boost.JSON values with libyaml, so a test can walk docs/openapi.yaml like the JSON
// the server speaks. Plain scalars that read as integers, booleans or null become those; quoted scalars stay
// strings. Anchors, aliases and tags are refused: the spec does not use them.

#include <string>

#include <boost/json.hpp>

namespace rollcall::test {

/// The file's single document; throws std::runtime_error with the line of the problem.
boost::json::value LoadYamlFile(const std::string& path);
boost::json::value ParseYaml(const std::string& text);

}  // namespace rollcall::test
