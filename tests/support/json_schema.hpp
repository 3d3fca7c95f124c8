#pragma once

// The part of JSON Schema (as OpenAPI 3.1 uses it) that docs/openapi.yaml needs, to check the server's real
// answers and the spec's own examples against the shapes the spec declares: type (one or a list, "null"
// included), properties, required, additionalProperties, items, enum, $ref into the same document, oneOf.
// Stricter than JSON Schema on purpose: an object schema with `properties` but without
// `additionalProperties` is closed, so a field the
// server sends and the spec does not document is a failure, not a silent extra.

#include <string>
#include <vector>

#include <boost/json.hpp>

namespace rollcall::test {

class SchemaChecker {
public:
    /// `document` holds the components that "$ref": "#/..." points into.
    explicit SchemaChecker(const boost::json::value& document) : document_(document) {}

    /// What does not conform, one line each with its JSON path ("$.rows[0].status: ..."); empty when it does.
    std::vector<std::string> Check(const boost::json::value& value, const boost::json::value& schema) const;

private:
    void Walk(const boost::json::value& value,
              const boost::json::value& schema,
              const std::string& path,
              std::vector<std::string>& out,
              int depth) const;
    const boost::json::value& Resolve(const boost::json::value& schema, const std::string& path) const;

    const boost::json::value& document_;
};

}  // namespace rollcall::test
