// The agent's side of the server (docs/api.md "Agent side"): agent tokens, the device list, uploads and
// device status, over real HTTP.

#include "integration/school_test.hpp"

#include <gtest/gtest.h>

namespace rollcall::test {
namespace {

namespace json = boost::json;

class AgentApi : public SchoolTest {
protected:
    std::int64_t gate_ = Device("Old gate", "agent", "192.168.1.20", "12345");
    std::string agent_token_ = NewAgentToken(s_.school_id);

    std::int64_t Device(const std::string& name,
                        const std::string& mode,
                        const std::string& ip = "",
                        const std::string& comm_key = "") {
        auto r = http_.Post(
            Path("/devices"),
            json::object{{"name", name}, {"sync_mode", mode}, {"ip", ip}, {"port", 4370}, {"comm_key", comm_key}},
            s_.admin_token);
        EXPECT_EQ(r.status, 201) << r.body;
        return r.Json().at("id").as_int64();
    }
    std::string NewAgentToken(std::int64_t school_id) {
        auto r = http_.Post(
            "/api/v1/schools/" + std::to_string(school_id) + "/agent-tokens", json::object{}, s_.admin_token);
        EXPECT_EQ(r.status, 201) << r.body;
        return std::string(r.Json().at("token").as_string());
    }
    static json::object Logs(const std::vector<std::pair<std::string, std::string>>& punches) {
        return PushLogBody(punches);
    }
    std::string Agent(std::int64_t device, const std::string& rest) const {
        return "/api/v1/agent/devices/" + std::to_string(device) + rest;
    }
};

TEST_F(AgentApi, TheAgentListsOnlyItsSchoolsActiveAgentDevicesWithWhatItNeedsToReadThem) {
    const auto other = MakeSchool(server_, "Valley School");
    HttpClient http(server_.port());
    ASSERT_EQ(http.Post("/api/v1/schools/" + std::to_string(other.school_id) + "/devices",
                        json::object{{"name", "Valley old gate"}, {"sync_mode", "agent"}, {"ip", "192.0.2.10"}},
                        s_.admin_token)
                  .status,
              201);
    const auto off = Device("Staff room", "agent", "192.168.1.21");
    PatchDevice(off, {{"status", "inactive"}});
    auto r = http_.Get("/api/v1/agent/devices", agent_token_);
    ASSERT_EQ(r.status, 200) << r.body;
    const auto items = r.Json().at("items").as_array();
    ASSERT_EQ(items.size(), 1U);  // not the push device, not the inactive one, not the other school's
    EXPECT_EQ(items[0].at("id").as_int64(), gate_);
    EXPECT_EQ(items[0].at("ip").as_string(), "192.168.1.20");
    EXPECT_EQ(items[0].at("port").as_int64(), 4370);
    EXPECT_EQ(items[0].at("comm_key").as_string(), "12345");
    EXPECT_EQ(r.Json().at("server_time").as_string(), "2026-03-12T10:00:00Z");
}

TEST_F(AgentApi, UnknownMissingAndRevokedTokensAre401) {
    EXPECT_EQ(http_.Get("/api/v1/agent/devices").status, 401);
    EXPECT_EQ(http_.Get("/api/v1/agent/devices", "rca_not-a-token").status, 401);
    EXPECT_EQ(http_.Get("/api/v1/agent/devices", s_.device_token).status, 401) << "a device token is no agent token";
    auto tokens = http_.Get(Path("/agent-tokens"), s_.admin_token);
    ASSERT_EQ(tokens.status, 200);
    const auto id = tokens.Json().at("items").as_array().at(0).at("id").as_int64();
    EXPECT_EQ(tokens.body.find("rca_"), std::string::npos) << "tokens are never shown again";
    ASSERT_EQ(http_.Delete(Path("/agent-tokens/" + std::to_string(id)), s_.admin_token).status, 204);
    auto r = http_.Get("/api/v1/agent/devices", agent_token_);
    EXPECT_EQ(r.status, 401);
    EXPECT_NE(r.body.find("revoked"), std::string::npos) << r.body;
}

TEST_F(AgentApi, UploadsAreIngestedLikePushesAndTheAgentCanOnlyUploadForItsSchoolsAgentDevices) {
    auto r = http_.Post(Agent(gate_, "/logs"),
                        Logs({{"1", "2026-03-12 07:40:00"}, {"2", "2026-03-12 07:41:00"}, {"", "x"}}),
                        agent_token_);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.Json().at("inserted").as_int64(), 2);
    EXPECT_EQ(r.Json().at("rejected").as_array().size(), 1U);
    // Sent again after a lost answer: duplicates, nothing stored twice (R1).
    r = http_.Post(Agent(gate_, "/logs"), Logs({{"1", "2026-03-12 07:40:00"}}), agent_token_);
    EXPECT_EQ(r.Json().at("duplicates").as_int64(), 1);
    auto logs = http_.Get(Path("/devices/" + std::to_string(gate_) + "/logs"), s_.admin_token);
    ASSERT_EQ(logs.Json().at("items").as_array().size(), 2U);
    EXPECT_EQ(logs.Json().at("items").as_array()[0].at("source").as_string(), "agent");

    EXPECT_EQ(http_.Post(Agent(s_.device_id, "/logs"), Logs({}), agent_token_).status, 403) << "a push device";
    const auto other = MakeSchool(server_, "Valley School");
    const auto other_token = NewAgentToken(other.school_id);
    EXPECT_EQ(http_.Post(Agent(gate_, "/logs"), Logs({}), other_token).status, 404);
    EXPECT_EQ(http_.Post(Agent(gate_, "/status"), json::object{{"reachable", true}}, other_token).status, 404);
    EXPECT_EQ(http_.Post(Agent(999, "/logs"), Logs({}), agent_token_).status, 404);
    EXPECT_EQ(http_.Post(Agent(gate_, "/logs"), json::object{{"records", 1}}, agent_token_).status, 400);
}

TEST_F(AgentApi, R16_OnlyAReadAfterTheCutoffMakesAbsencesFinal) {
    auto put = http_.Put(Path("/settings/attendance"),
                         json::object{{"effective_from", "2026-01-01"}, {"school_start_time", "08:00"}},
                         s_.admin_token);
    ASSERT_EQ(put.status, 200);
    PatchDevice(s_.device_id, {{"status", "inactive"}});
    auto final_now = [&] { return http_.Get(Path("/attendance?date=2026-03-12"), s_.admin_token).Json().at("final"); };
    // An upload of an old spool says nothing about the device now.
    ASSERT_EQ(http_.Post(Agent(gate_, "/logs"), Logs({}), agent_token_).status, 200);
    EXPECT_FALSE(final_now().as_bool());
    // The agent read the device at 09:00 local (before the 10:00 cutoff): still not final.
    auto logs = Logs({});
    logs["read_at"] = "2026-03-12T06:00:00Z";
    ASSERT_EQ(http_.Post(Agent(gate_, "/logs"), logs, agent_token_).status, 200);
    EXPECT_FALSE(final_now().as_bool());
    // Its status says it read the device through 12:30 local: final.
    auto st = http_.Post(Agent(gate_, "/status"),
                         json::object{{"reachable", true}, {"read_through", "2026-03-12T09:30:00Z"}},
                         agent_token_);
    ASSERT_EQ(st.status, 200) << st.body;
    EXPECT_TRUE(final_now().as_bool());
}

TEST_F(AgentApi, DeviceStatusIsStoredWithItsClockDriftAndShownWithTheDevice) {
    auto r = http_.Post(Agent(gate_, "/status"),
                        json::object{{"reachable", true},
                                     {"serial", "ABCD1234"},
                                     {"firmware", "Ver 6.60 Apr 28 2017"},
                                     {"users", 120},
                                     {"records", 4500},
                                     {"user_capacity", 3000},
                                     {"record_capacity", 100000},
                                     {"device_time", "2026-03-12 13:03:00"},  // 3 minutes fast (Nairobi 13:00)
                                     {"read_through", "2026-03-12T09:59:00Z"},
                                     {"last_error", ""}},
                        agent_token_);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.Json().at("clock_drift_seconds").as_int64(), 180);
    auto device = http_.Get(Path("/devices/" + std::to_string(gate_)), s_.admin_token);
    ASSERT_EQ(device.status, 200);
    const auto status = device.Json().at("agent_status");
    EXPECT_EQ(status.at("serial").as_string(), "ABCD1234");
    EXPECT_EQ(status.at("records").as_int64(), 4500);
    EXPECT_EQ(status.at("record_capacity").as_int64(), 100000);
    EXPECT_EQ(status.at("clock_drift_seconds").as_int64(), 180);
    EXPECT_TRUE(device.Json().at("last_seen").is_string());
    const auto list = http_.Get(Path("/devices"), s_.admin_token).Json().at("items").as_array();
    for (const auto& d : list) {
        EXPECT_EQ(d.at("agent_status").is_null(), d.at("id").as_int64() != gate_);
    }
    // An unreachable device: the error is kept, last_seen does not move.
    r = http_.Post(Agent(gate_, "/status"),
                   json::object{{"reachable", false}, {"last_error", "connect timeout after 5000 ms"}},
                   agent_token_);
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(http_.Get(Path("/devices/" + std::to_string(gate_)), s_.admin_token)
                  .Json()
                  .at("agent_status")
                  .at("last_error")
                  .as_string(),
              "connect timeout after 5000 ms");
}

TEST_F(AgentApi, BadStatusFieldsAreNamed) {
    auto bad = [&](json::object body, const std::string& field) {
        auto r = http_.Post(Agent(gate_, "/status"), std::move(body), agent_token_);
        EXPECT_EQ(r.status, 400) << r.body;
        EXPECT_NE(r.body.find(field), std::string::npos) << r.body;
    };
    bad({}, "reachable");
    bad({{"reachable", true}, {"records", -1}}, "records");
    bad({{"reachable", true}, {"device_time", "yesterday"}}, "device_time");
    bad({{"reachable", true}, {"read_through", "2026-03-12 09:00:00"}}, "read_through");
    bad({{"reachable", true}, {"serial", std::string(300, 'x')}}, "serial");
}

}  // namespace
}  // namespace rollcall::test
