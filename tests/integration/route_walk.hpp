#pragma once

// Walking the server's own route table (http::Api::Routes): two schools with one of everything, and how any
// route's path parameters, query and body are filled. The tenancy, audit and CSRF walks share it, so a route
// added without teaching this file how to call it fails all of them instead of going unchecked.

#include "support/test_server.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

namespace rollcall::test {

/// One school with one of each object a route can name, built over HTTP.
struct World {
    std::int64_t school_id = 0;
    std::int64_t device_id = 0;        ///< push mode, with a punch
    std::int64_t agent_device_id = 0;  ///< agent mode, with a status report
    std::int64_t person_id = 0;
    std::int64_t mapping_id = 0;
    std::int64_t holiday_id = 0;
    std::int64_t clock_correction_id = 0;
    std::int64_t override_id = 0;
    std::int64_t webhook_id = 0;
    std::int64_t agent_token_id = 0;
    std::string device_token;
    std::string agent_token;
    std::string admin_token;  ///< the school's own admin (not the super admin)
    std::int64_t admin_user_id = 0;
    std::int64_t user_id = 0;  ///< another admin of the school, for the routes that manage users
};

/// A request ready to send.
struct WalkRequest {
    std::string method;
    std::string target;
    std::string body;
    std::string content_type = "application/json";
};

inline std::string RouteName(const http::RouteInfo& r) {
    return r.method + " " + r.pattern;
}

inline bool IsWrite(const http::RouteInfo& r) {
    return r.method == "POST" || r.method == "PUT" || r.method == "PATCH" || r.method == "DELETE";
}

inline const std::string kSchoolPrefix = "/api/v1/schools/{school_id}";
/// A group every walked school has settings of its own for, so deleting them has something to delete (R21).
inline constexpr std::string_view kWalkGroup = "1A";

inline bool UnderSchool(const http::RouteInfo& r) {
    return r.pattern.starts_with(kSchoolPrefix);
}

/// The {placeholders} of a pattern, each with the path segment before it ("devices/{id}").
inline std::vector<std::string> ParamKeys(const std::string& pattern) {
    std::vector<std::string> keys;
    std::string previous;
    std::size_t pos = 0;
    while (pos < pattern.size()) {
        const auto end = pattern.find('/', pos + 1);
        const auto seg = pattern.substr(pos + 1, end == std::string::npos ? std::string::npos : end - pos - 1);
        if (seg.size() > 2 && seg.front() == '{' && seg.back() == '}') {
            keys.push_back(previous);
            keys.back().append("/").append(seg);
        }
        previous = seg;
        pos = end == std::string::npos ? pattern.size() : end;
    }
    return keys;
}

/// The parameters that name an object of a school (not the school itself, not a date).
inline std::vector<std::string> ObjectKeys(const std::string& pattern) {
    auto keys = ParamKeys(pattern);
    std::erase_if(keys, [](const std::string& k) { return k == "schools/{school_id}" || k.ends_with("{date}"); });
    return keys;
}

class RouteWalker {
public:
    explicit RouteWalker(TestServer& server) : server_(server), http_(server.port()) {
        super_token_ = server.SuperAdminToken();
    }

    const std::string& super_token() const { return super_token_; }
    HttpClient& http() { return http_; }
    std::vector<http::RouteInfo> Routes() const { return server_.app().api().Routes(); }

    /// A school named `name` with one of everything, and its own school admin.
    World Build(const std::string& name, const std::string& timezone) {
        World w;
        auto school =
            http_.Post("/api/v1/schools", boost::json::object{{"name", name}, {"timezone", timezone}}, super_token_);
        EXPECT_EQ(school.status, 201) << school.body;
        w.school_id = school.Json().at("id").as_int64();
        auto device = Create(w, "/devices", boost::json::object{{"name", "Main gate"}, {"sync_mode", "push"}});
        w.device_id = device.at("id").as_int64();
        w.device_token = std::string(device.at("api_token").as_string());
        w.agent_device_id = NewAgentDevice(w);
        w.person_id = NewPerson(w);
        w.mapping_id = NewMapping(w);
        w.holiday_id = NewHoliday(w);
        w.clock_correction_id = NewClockCorrection(w);
        w.override_id = NewOverride(w);
        w.webhook_id = NewWebhook(w);
        auto token = Create(w, "/agent-tokens", boost::json::object{});
        w.agent_token_id = token.at("id").as_int64();
        w.agent_token = std::string(token.at("token").as_string());
        auto settings = http_.Put(
            Path(w, "/settings/attendance"), boost::json::object{{"school_start_time", "08:00"}}, super_token_);
        EXPECT_EQ(settings.status, 200) << settings.body;
        auto group = http_.Put(Path(w, "/settings/attendance?group=" + std::string(kWalkGroup)),
                               boost::json::object{{"school_start_time", "09:00"}},
                               super_token_);
        EXPECT_EQ(group.status, 200) << group.body;
        auto push = http_.Post("/api/v1/biometric/push-log",
                               boost::json::object{{"logs",
                                                    boost::json::array{boost::json::object{
                                                        {"user_id", "1"}, {"timestamp", "2026-03-12 07:55:00"}}}}},
                               w.device_token);
        EXPECT_EQ(push.status, 200) << push.body;
        auto status = http_.Post("/api/v1/agent/devices/" + std::to_string(w.agent_device_id) + "/status",
                                 boost::json::object{{"reachable", true}},
                                 w.agent_token);
        EXPECT_EQ(status.status, 200) << status.body;
        UploadTerminalTable(w, w.agent_device_id);
        w.admin_token = server_.SchoolAdminToken(w.school_id, "admin-" + std::to_string(w.school_id) + "@example.org");
        w.admin_user_id = http_.Get("/api/v1/me", w.admin_token).Json().at("user_id").as_int64();
        w.user_id = NewUser(w);
        return w;
    }

    // Fresh objects, one per call, so a route that deletes or changes one leaves the others alone.
    std::int64_t NewDevice(const World& w) {
        return Create(w, "/devices", boost::json::object{{"name", "Gate " + Serial()}, {"sync_mode", "push"}})
            .at("id")
            .as_int64();
    }
    std::int64_t NewAgentDevice(const World& w) {
        return Create(
                   w,
                   "/devices",
                   boost::json::object{
                       {"name", "Old gate " + Serial()}, {"sync_mode", "agent"}, {"ip", "192.0.2.10"}, {"port", 4370}})
            .at("id")
            .as_int64();
    }
    std::int64_t NewPerson(const World& w) {
        return Create(w, "/people", boost::json::object{{"name", "Amina " + Serial()}, {"kind", "student"}})
            .at("id")
            .as_int64();
    }
    std::int64_t NewMapping(const World& w) {
        const auto person = NewPerson(w);
        return Create(w, "/mappings", boost::json::object{{"user_id", "u" + Serial()}, {"person_id", person}})
            .at("id")
            .as_int64();
    }
    std::int64_t NewHoliday(const World& w) {
        return Create(w, "/holidays", boost::json::object{{"date", FreshDate(2027)}, {"name", "Holiday"}})
            .at("id")
            .as_int64();
    }
    std::int64_t NewClockCorrection(const World& w) {
        return Create(w,
                      "/clock-corrections",
                      boost::json::object{{"device_id", w.device_id},
                                          {"from", "2026-03-01 00:00:00"},
                                          {"to", "2026-03-02 00:00:00"},
                                          {"offset_seconds", 60},
                                          {"reason", "clock was a minute behind"}})
            .at("id")
            .as_int64();
    }
    std::int64_t NewOverride(const World& w) {
        const auto person = NewPerson(w);
        return Create(w,
                      "/overrides",
                      boost::json::object{
                          {"person_id", person}, {"date", "2026-03-10"}, {"status", "excused"}, {"reason", "doctor"}})
            .at("id")
            .as_int64();
    }
    std::int64_t NewWebhook(const World& w) {
        return Create(w, "/webhooks", boost::json::object{{"url", "https://gw.example.org/" + Serial()}})
            .at("id")
            .as_int64();
    }
    std::int64_t NewUser(const World& w) {
        auto r = http_.Post("/api/v1/users",
                            boost::json::object{{"email", "deputy-" + Serial() + "@example.org"},
                                                {"password", kTestPassword},
                                                {"school_id", w.school_id}},
                            super_token_);
        EXPECT_EQ(r.status, 201) << r.body;
        return r.status == 201 ? r.Json().at("id").as_int64() : 0;
    }
    std::int64_t NewAgentToken(const World& w) {
        return Create(w, "/agent-tokens", boost::json::object{}).at("id").as_int64();
    }

    /// `w` with a fresh object for every object parameter of `route`.
    World FreshFor(const World& w, const http::RouteInfo& route) {
        World out = w;
        for (const auto& key : ParamKeys(route.pattern)) {
            if (key == "devices/{id}") {
                out.device_id = NewDevice(w);
                out.agent_device_id = NewAgentDevice(w);
                UploadTerminalTable(w, out.agent_device_id);
            } else if (key == "people/{id}" || key == "attendance/{person_id}") {
                out.person_id = NewPerson(w);
            } else if (key == "mappings/{id}") {
                out.mapping_id = NewMapping(w);
            } else if (key == "holidays/{id}") {
                out.holiday_id = NewHoliday(w);
            } else if (key == "clock-corrections/{id}") {
                out.clock_correction_id = NewClockCorrection(w);
            } else if (key == "overrides/{id}") {
                out.override_id = NewOverride(w);
            } else if (key == "webhooks/{id}") {
                out.webhook_id = NewWebhook(w);
            } else if (key == "agent-tokens/{id}") {
                out.agent_token_id = NewAgentToken(w);
            } else if (key == "users/{id}") {
                out.user_id = NewUser(w);
            }
        }
        return out;
    }

    /// The request for `route` on the path of `school`, naming the objects of `objects` (the same world, or another
    /// school's to probe tenancy), with a valid query and body. Nullopt, and `why` says what is missing, for a
    /// route or parameter this walker was not taught: the calling test fails on it.
    std::optional<WalkRequest> Fill(const http::RouteInfo& route,
                                    const World& school,
                                    const World& objects,
                                    std::string& why) {
        WalkRequest req;
        req.method = route.method;
        if (route.pattern == kSchoolPrefix + "/events") {
            req.method = "HEAD";  // a GET opens a stream that never ends; its head is answered like the GET's
        }
        std::string target = route.pattern;
        for (const auto& key : ParamKeys(route.pattern)) {
            const auto value = ParamValue(route, key, school, objects);
            if (!value) {
                why = RouteName(route) + ": the walk does not know how to fill " + key + " (teach route_walk.hpp)";
                return std::nullopt;
            }
            const auto param = key.substr(key.rfind('/') + 1);
            target.replace(target.find(param), param.size(), *value);
        }
        const auto input = InputFor(route, objects);
        if (!input) {
            why = RouteName(route) + ": the walk has no valid query and body for this route (teach route_walk.hpp)";
            return std::nullopt;
        }
        req.target = target + input->query;
        req.body = input->body;
        if (!input->content_type.empty()) {
            req.content_type = input->content_type;
        }
        return req;
    }

    /// Every GET under the school of `w`, as the super admin sees it: the school's data, to compare before and
    /// after something that must not change it.
    std::map<std::string, std::string> Snapshot(const World& w) {
        std::map<std::string, std::string> out;
        for (const auto& route : Routes()) {
            if (route.method != "GET" || !UnderSchool(route)) {
                continue;
            }
            std::string why;
            const auto req = Fill(route, w, w, why);
            if (!req) {
                ADD_FAILURE() << why;
                continue;
            }
            const auto r = Send(*req, super_token_);
            EXPECT_EQ(r.status, 200) << req->target << ": " << r.body;
            out[req->target] = r.body;
        }
        return out;
    }

    HttpResponse Send(const WalkRequest& req, const std::string& bearer) {
        std::map<std::string, std::string> headers{{"Content-Type", req.content_type}};
        if (!bearer.empty()) {
            headers["Authorization"] = "Bearer " + bearer;
        }
        return http_.Request(req.method, req.target, req.body, headers);
    }

private:
    struct Input {
        std::string query;
        std::string body;
        std::string content_type;
    };

    std::string Serial() { return std::to_string(++serial_); }

    /// The user table every agent device's terminal holds (t1, t2, ..., each named): people are made of them.
    static constexpr int kTerminalUsers = 40;
    static boost::json::object TerminalTable() {
        boost::json::array items;
        for (int i = 1; i <= kTerminalUsers; ++i) {
            items.push_back(boost::json::object{{"user_id", "t" + std::to_string(i)},
                                                {"name", "Terminal user " + std::to_string(i)}});
        }
        return {{"items", std::move(items)}, {"read_at", "2026-03-12T09:00:00Z"}};
    }
    void UploadTerminalTable(const World& w, std::int64_t agent_device) {
        auto r = http_.Put(
            "/api/v1/agent/devices/" + std::to_string(agent_device) + "/users", TerminalTable(), w.agent_token);
        EXPECT_EQ(r.status, 200) << r.body;
    }

    /// A date no other call of this walk used: holidays and finalized days are one per date.
    std::string FreshDate(int year) {
        const int n = ++serial_;
        char text[16];
        std::snprintf(text, sizeof text, "%04d-%02d-%02d", year - n / 336, 1 + n % 336 / 28, 1 + n % 28);
        return text;
    }

    static std::string Path(const World& w, const std::string& rest) {
        return "/api/v1/schools/" + std::to_string(w.school_id) + rest;
    }

    boost::json::object Create(const World& w, const std::string& rest, const boost::json::object& body) {
        auto r = http_.Post(Path(w, rest), body, super_token_);
        EXPECT_EQ(r.status, 201) << rest << ": " << r.body;
        return r.status == 201 ? r.Json().as_object()
                               : boost::json::object{{"id", 0}, {"api_token", ""}, {"token", ""}};
    }

    std::optional<std::string> ParamValue(const http::RouteInfo& route,
                                          const std::string& key,
                                          const World& school,
                                          const World& objects) {
        // The agent's routes, and making people of a terminal's users, are about the device an agent reads.
        const bool agent = route.pattern.starts_with("/api/v1/agent/") || route.pattern.ends_with("/create-people");
        const std::map<std::string, std::int64_t> ids{
            {"schools/{school_id}", school.school_id},
            {"devices/{id}", agent ? objects.agent_device_id : objects.device_id},
            {"people/{id}", objects.person_id},
            {"mappings/{id}", objects.mapping_id},
            {"holidays/{id}", objects.holiday_id},
            {"clock-corrections/{id}", objects.clock_correction_id},
            {"overrides/{id}", objects.override_id},
            {"webhooks/{id}", objects.webhook_id},
            {"agent-tokens/{id}", objects.agent_token_id},
            {"users/{id}", objects.user_id},
            {"attendance/{person_id}", objects.person_id},
        };
        if (const auto it = ids.find(key); it != ids.end()) {
            return std::to_string(it->second);
        }
        if (key == "attendance/{date}") {
            return FreshDate(2025);  // finalizing a past day once per date: every call is a change
        }
        if (key == "{person_id}/{date}") {
            return std::string("2026-03-12");
        }
        return std::nullopt;
    }

    std::optional<Input> InputFor(const http::RouteInfo& route, const World& w) {
        const std::string name = RouteName(route);
        const std::string s = "POST " + kSchoolPrefix;
        auto json = [](const boost::json::object& o) { return Input{"", boost::json::serialize(o), ""}; };
        const auto logs = boost::json::object{
            {"logs", boost::json::array{boost::json::object{{"user_id", "9"}, {"timestamp", "2026-03-12 07:50:00"}}}}};
        if (name == "POST /api/v1/schools") {
            return json({{"name", "School " + Serial()}, {"timezone", "Africa/Nairobi"}});
        }
        if (name == s + "/devices") {
            return json({{"name", "Gate " + Serial()}, {"sync_mode", "push"}});
        }
        if (name == "PATCH " + kSchoolPrefix + "/devices/{id}") {
            return json({{"name", "Renamed gate " + Serial()}});
        }
        if (name == s + "/people") {
            return json({{"name", "Brian " + Serial()}, {"kind", "student"}});
        }
        if (name == s + "/people/import") {
            return Input{"", "name,kind,external_id,group\nChao " + Serial() + ",student,,5A\n", "text/csv"};
        }
        if (name == "PATCH " + kSchoolPrefix + "/people/{id}") {
            return json({{"group", "6B"}});
        }
        if (name == s + "/mappings") {
            return json({{"user_id", "u" + Serial()}, {"person_id", w.person_id}});
        }
        if (name == "PUT " + kSchoolPrefix + "/settings/attendance") {
            return json({{"school_start_time", "08:00"}, {"grace_minutes", static_cast<std::int64_t>(++serial_ % 30)}});
        }
        if (name == s + "/holidays") {
            return json({{"date", FreshDate(2028)}, {"name", "Founders' day"}});
        }
        if (name == s + "/clock-corrections") {
            return json({{"device_id", w.device_id},
                         {"from", "2026-03-03 00:00:00"},
                         {"to", "2026-03-04 00:00:00"},
                         {"offset_seconds", -120},
                         {"reason", "clock ran two minutes fast"}});
        }
        if (name == s + "/overrides") {
            return json({{"person_id", w.person_id}, {"date", "2026-03-11"}, {"status", "late"}, {"reason", "bus"}});
        }
        if (name == s + "/recompute") {
            return json({{"from", "2026-03-01"}, {"to", "2026-03-02"}});
        }
        if (name == s + "/webhooks") {
            return json({{"url", "https://gw.example.org/" + Serial()}, {"events", boost::json::array{"late"}}});
        }
        if (name == "POST /api/v1/agent/devices/{id}/logs") {
            auto body = logs;
            body["read_at"] = "2026-03-12T09:00:00Z";
            return json(body);
        }
        if (name == "POST /api/v1/agent/devices/{id}/status") {
            return json({{"reachable", true}});
        }
        if (name == "PUT /api/v1/agent/devices/{id}/users") {
            return json(TerminalTable());  // what the agent device holds already (Build): nothing changes
        }
        if (name == s + "/mapping-suggestions/accept") {
            return json({{"items",
                          boost::json::array{boost::json::object{
                              {"device_id", w.device_id}, {"user_id", "s" + Serial()}, {"person_id", w.person_id}}}}});
        }
        if (name == s + "/devices/{id}/users/create-people") {
            // Another user of the agent device's terminal table for each call, unmapped until then.
            const auto user = "t" + std::to_string(++terminal_users_taken_ % kTerminalUsers + 1);
            return json({{"user_ids", boost::json::array{boost::json::value(user)}}, {"kind", "staff"}});
        }
        if (name == "POST /api/v1/biometric/push-log") {
            return json(logs);
        }
        if (name == "POST /api/v1/users") {
            return json({{"email", "admin-" + Serial() + "@example.org"},
                         {"password", kTestPassword},
                         {"school_id", w.school_id}});
        }
        if (name == "PATCH /api/v1/users/{id}") {
            return json({{"status", "inactive"}});
        }
        if (name == "POST /api/v1/users/{id}/password") {
            return json({{"password", "a password given at the desk"}});
        }
        if (name == "POST /api/v1/me/password") {
            return json(
                {{"current_password", kTestPassword}, {"new_password", kTestPassword}});  // the sessions' own stays
        }
        if (name == "PATCH " + kSchoolPrefix) {
            return json({{"name", "Renamed school " + Serial()}});
        }
        if (name == "POST /api/v1/auth/login") {
            return json({{"email", "root@example.org"}, {"password", kTestPassword}});
        }
        if (name == "GET " + kSchoolPrefix + "/overrides" || name == "GET " + kSchoolPrefix + "/attendance") {
            return Input{"?date=2026-03-12", "", ""};
        }
        if (name == s + "/settings/attendance/preview") {
            return json({{"school_start_time", "08:30"}});
        }
        if (name == "GET " + kSchoolPrefix + "/reports/monthly-register") {
            return Input{"?month=2026-03", "", ""};
        }
        if (route.method == "GET" && route.pattern.starts_with(kSchoolPrefix + "/reports/") &&
            route.pattern != kSchoolPrefix + "/reports/unmapped-people") {
            return Input{"?from=2026-03-01&to=2026-03-12", "", ""};
        }
        if (name == "DELETE " + kSchoolPrefix + "/settings/attendance") {
            return Input{"?group=" + std::string(kWalkGroup), "", ""};  // its own settings, made by Build (R21)
        }
        // Everything else takes no body and no required query: GETs, DELETEs, and the POSTs listed here.
        static const std::vector<std::string> kBodiless{
            "POST /api/v1/auth/logout",
            s + "/devices/{id}/rotate-token",
            s + "/attendance/{date}/finalize",
            s + "/agent-tokens",
        };
        if (route.method == "GET" || route.method == "DELETE" ||
            std::find(kBodiless.begin(), kBodiless.end(), name) != kBodiless.end()) {
            return Input{};
        }
        return std::nullopt;
    }

    TestServer& server_;
    HttpClient http_;
    std::string super_token_;
    int serial_ = 0;
    int terminal_users_taken_ = 0;
};

}  // namespace rollcall::test
