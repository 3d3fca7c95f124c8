// docs/openapi.yaml against the server itself: the spec names every route the server registers and nothing
// else; every answer the server gives on a route's happy path has the shape the spec declares; every example
// in the spec conforms to its own schema, and every request example is accepted by the real server. An
// integrator (an SMS gateway, a school ERP) who codes against the spec gets what the server really does.

#include "integration/route_walk.hpp"
#include "support/json_schema.hpp"
#include "support/yaml_json.hpp"

#include <algorithm>
#include <cctype>
#include <set>

#include <gtest/gtest.h>

namespace rollcall::test {
namespace {

namespace json = boost::json;

const json::value& Spec() {
    static const json::value spec = LoadYamlFile(ROLLCALL_OPENAPI);
    return spec;
}

std::string Lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}

bool IsMethod(std::string_view key) {
    static const std::set<std::string_view> kMethods{"get", "put", "post", "delete", "patch", "head", "options"};
    return kMethods.contains(key);
}

/// The operation object of `method` on `pattern`, or null when the spec lacks it.
const json::object* Operation(const std::string& method, const std::string& pattern) {
    const auto* path = Spec().at("paths").as_object().if_contains(pattern);
    if (path == nullptr) {
        return nullptr;
    }
    const auto* op = path->as_object().if_contains(Lower(method));
    return op != nullptr ? &op->as_object() : nullptr;
}

/// A response or request body object, with a `$ref` into components followed.
const json::object& Deref(const json::value& v) {
    const auto& o = v.as_object();
    const auto* ref = o.if_contains("$ref");
    if (ref == nullptr) {
        return o;
    }
    const std::string_view r = ref->as_string();
    const auto last = r.rfind('/');
    const auto kind =
        r.substr(std::string_view("#/components/").size(), last - std::string_view("#/components/").size());
    return Spec().at("components").at(kind).at(r.substr(last + 1)).as_object();
}

/// The JSON schema of an operation's answer with `status`, or null when the answer has no JSON body.
const json::value* ResponseSchema(const json::object& op, int status) {
    const auto* response = op.at("responses").as_object().if_contains(std::to_string(status));
    if (response == nullptr) {
        return nullptr;
    }
    const auto* content = Deref(*response).if_contains("content");
    const auto* body = content != nullptr ? content->as_object().if_contains("application/json") : nullptr;
    return body != nullptr ? body->as_object().if_contains("schema") : nullptr;
}

bool Documents(const json::object& op, int status) {
    return op.at("responses").as_object().contains(std::to_string(status));
}

std::string Problems(const std::vector<std::string>& lines) {
    std::string out;
    for (const auto& line : lines) {
        out += "\n  " + line;
    }
    return out;
}

/// Every example of the spec with the schema it illustrates: request bodies and JSON answers.
struct Example {
    std::string where;
    const json::value* value;
    const json::value* schema;
    const json::object* media;
};

std::vector<Example> Examples() {
    std::vector<Example> out;
    for (const auto& [pattern, item] : Spec().at("paths").as_object()) {
        for (const auto& [method, op] : item.as_object()) {
            if (!IsMethod(method)) {
                continue;  // path-level parameters
            }
            const auto where = std::string(method) + " " + std::string(pattern) + " ";  // + "request" or a status
            auto add = [&](const json::object& holder, const std::string& what) {
                const auto* content = holder.if_contains("content");
                const auto* media = content != nullptr ? content->as_object().if_contains("application/json") : nullptr;
                if (media != nullptr && media->as_object().contains("example")) {
                    out.push_back({where + what,
                                   &media->as_object().at("example"),
                                   &media->as_object().at("schema"),
                                   &media->as_object()});
                }
            };
            if (const auto* body = op.as_object().if_contains("requestBody")) {
                add(Deref(*body), "request");
            }
            for (const auto& [status, response] : op.at("responses").as_object()) {
                add(Deref(response), std::string(status));
            }
        }
    }
    return out;
}

class OpenApi : public ::testing::Test {
protected:
    TestServer server_;
    RouteWalker walk_{server_};
    World w_ = walk_.Build("Hill School", "Africa/Nairobi");
    SchemaChecker checker_{Spec()};

    std::string TokenFor(const http::RouteInfo& route, const World& w) {
        switch (route.auth) {
            case http::RouteAuth::kNone:
                return "";
            case http::RouteAuth::kDevice:
                return w.device_token;
            case http::RouteAuth::kAgent:
                return w.agent_token;
            case http::RouteAuth::kAdmin:
                break;
        }
        // Logging out revokes the token it is sent with: give it a session of its own.
        return RouteName(route) == "POST /api/v1/auth/logout" ? server_.SuperAdminToken() : walk_.super_token();
    }

    /// The server's answer must be a status the operation documents, with a body of its declared shape.
    void ExpectConforms(const json::object& op, const std::string& what, const HttpResponse& r) {
        ASSERT_TRUE(Documents(op, r.status))
            << what << " answered " << r.status << ", which the spec does not list: " << r.body;
        if (const auto* schema = ResponseSchema(op, r.status)) {
            const auto problems = checker_.Check(r.Json(), *schema);
            EXPECT_TRUE(problems.empty())
                << what << " answered a body the spec does not describe:" << Problems(problems) << "\nbody: " << r.body;
        }
    }
};

TEST(OpenApiSpec, IsAnOpenApi31DocumentWithInfoAndPaths) {
    EXPECT_EQ(Spec().at("openapi"), "3.1.0");
    EXPECT_FALSE(Spec().at("info").at("title").as_string().empty());
    EXPECT_GE(Spec().at("paths").as_object().size(), 40U);
}

TEST_F(OpenApi, EveryRegisteredRouteIsInTheSpecAndTheSpecHasNoOthers) {
    std::set<std::string> registered;
    for (const auto& route : walk_.Routes()) {
        registered.insert(Lower(route.method) + " " + route.pattern);
        EXPECT_NE(Operation(route.method, route.pattern), nullptr)
            << RouteName(route) << " is served but docs/openapi.yaml does not describe it";
    }
    for (const auto& [pattern, item] : Spec().at("paths").as_object()) {
        for (const auto& [method, op] : item.as_object()) {
            if (!IsMethod(method)) {
                continue;
            }
            EXPECT_TRUE(registered.contains(std::string(method) + " " + std::string(pattern)))
                << method << " " << pattern << " is in docs/openapi.yaml but the server has no such route";
            EXPECT_TRUE(op.as_object().contains("summary")) << method << " " << pattern << " has no summary";
        }
    }
}

TEST_F(OpenApi, EveryRouteAnswersItsHappyPathWithTheShapeTheSpecDeclares) {
    std::size_t walked = 0;
    for (const auto& route : walk_.Routes()) {
        const auto* op = Operation(route.method, route.pattern);
        if (op == nullptr) {
            continue;  // reported by the test above
        }
        const auto w = IsWrite(route) ? walk_.FreshFor(w_, route) : w_;
        std::string why;
        const auto req = walk_.Fill(route, w, w, why);
        ASSERT_TRUE(req) << why;
        const auto r = walk_.Send(*req, TokenFor(route, w));
        EXPECT_LT(r.status, 300) << RouteName(route) << ": " << r.body;
        ExpectConforms(*op, RouteName(route), r);
        ++walked;
    }
    EXPECT_GE(walked, 40U);
}

TEST_F(OpenApi, EveryExampleConformsToTheSchemaBesideIt) {
    const auto examples = Examples();
    EXPECT_GE(examples.size(), 30U) << "the spec should show an example of most shapes";
    for (const auto& e : examples) {
        const auto problems = checker_.Check(*e.value, *e.schema);
        EXPECT_TRUE(problems.empty()) << e.where << " example does not match its schema:" << Problems(problems);
    }
}

// A request example names objects by id; the walk's own objects stand in for them, so the example is sent as
// written otherwise. Its answer must be one the operation documents as a success, in the declared shape.
TEST_F(OpenApi, EveryRequestExampleIsAcceptedByTheRealServer) {
    std::size_t sent = 0;
    for (const auto& route : walk_.Routes()) {
        const auto* op = Operation(route.method, route.pattern);
        const auto* body = op != nullptr ? op->if_contains("requestBody") : nullptr;
        const auto* content = body != nullptr ? Deref(*body).if_contains("content") : nullptr;
        const auto* media = content != nullptr ? content->as_object().if_contains("application/json") : nullptr;
        if (media == nullptr || !media->as_object().contains("example")) {
            continue;
        }
        const auto w = walk_.FreshFor(w_, route);
        std::string why;
        auto req = walk_.Fill(route, w, w, why);
        ASSERT_TRUE(req) << why;
        auto example = media->as_object().at("example");
        if (example.is_object()) {
            auto& o = example.as_object();
            for (const auto& [key, id] : {std::pair<std::string, std::int64_t>{"person_id", w.person_id},
                                          {"device_id", w.device_id},
                                          {"school_id", w.school_id}}) {
                if (o.contains(key)) {
                    o[key] = id;
                }
            }
        }
        if (RouteName(route) == "POST /api/v1/auth/login") {
            server_.SchoolAdminToken(w_.school_id, std::string(example.at("email").as_string()));
        }
        req->body = json::serialize(example);
        const auto r = walk_.Send(*req, TokenFor(route, w));
        EXPECT_LT(r.status, 300) << RouteName(route) << " refused its own example " << req->body << ": " << r.body;
        ExpectConforms(*op, RouteName(route) + " (its example)", r);
        ++sent;
    }
    EXPECT_GE(sent, 12U);
}

// The checks above can fail: a field the spec does not document, a field of the wrong type and a missing
// required field in a real answer are each reported.
TEST_F(OpenApi, TheShapeCheckCatchesAnUndocumentedFieldAWrongTypeAndAMissingField) {
    const auto* op = Operation("GET", kSchoolPrefix + "/people/{id}");
    ASSERT_NE(op, nullptr);
    const auto r =
        walk_.http().Get("/api/v1/schools/" + std::to_string(w_.school_id) + "/people/" + std::to_string(w_.person_id),
                         walk_.super_token());
    ASSERT_EQ(r.status, 200) << r.body;
    const auto* schema = ResponseSchema(*op, 200);
    ASSERT_NE(schema, nullptr);
    auto body = r.Json().as_object();
    EXPECT_TRUE(checker_.Check(body, *schema).empty());

    auto extra = body;
    extra["nickname"] = "Mimi";
    EXPECT_EQ(checker_.Check(extra, *schema).size(), 1U);
    auto wrong = body;
    wrong["id"] = "seven";
    EXPECT_EQ(checker_.Check(wrong, *schema).size(), 1U);
    auto missing = body;
    missing.erase("name");
    EXPECT_EQ(checker_.Check(missing, *schema).size(), 1U);
}

}  // namespace
}  // namespace rollcall::test
