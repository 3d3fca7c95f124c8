// The agent's side of the API, written once for both ends: the device list the server sends is the one the
// agent reads, and a status report reads back as the agent wrote it; a bad field is refused by name, as the
// server answers it (400).

#include "wire/agent_api.hpp"

#include <gtest/gtest.h>

namespace rollcall::wire {
namespace {

json::value Parsed(std::string_view text) {
    return json::parse(text);
}

TEST(AgentApi, TheDeviceListTheServerSendsIsTheOneTheAgentReads) {
    AgentDeviceList list;
    list.items.push_back(AgentDevice{.id = 7,
                                     .name = "Main gate",
                                     .ip = "192.168.1.20",
                                     .port = 4370,
                                     .comm_key = "12345",
                                     .serial = "ABCD1234",
                                     .direction = "in",
                                     .timezone = "",
                                     .local_time = core::ParseLocalDateTime("2026-03-12 13:00:00")});
    list.server_time = 1773309600;  // 2026-03-12T10:00:00Z
    const auto encoded = json::value_from(list);
    EXPECT_EQ(json::serialize(encoded),
              R"({"items":[{"id":7,"name":"Main gate","ip":"192.168.1.20","port":4370,"comm_key":"12345",)"
              R"("serial":"ABCD1234","direction":"in","timezone":"","local_time":"2026-03-12 13:00:00"}],)"
              R"("server_time":"2026-03-12T10:00:00Z"})");
    EXPECT_EQ(Decode<AgentDeviceList>(encoded).value(), list);
    EXPECT_EQ(json::value_to<AgentDeviceList>(encoded), list);
}

TEST(AgentApi, AKeptListWithoutLocalTimesStillReads) {
    const auto list = Decode<AgentDeviceList>(
        Parsed(R"({"items":[{"id":7,"name":"Gate","ip":"10.0.0.5","port":4370,"comm_key":"0"}]})"));
    ASSERT_TRUE(list) << list.error().message;
    ASSERT_EQ(list->items.size(), 1U);
    EXPECT_EQ(list->items[0].local_time, std::nullopt);
    EXPECT_EQ(list->items[0].timezone, "");
    EXPECT_EQ(list->server_time, std::nullopt);
}

TEST(AgentApi, AListThatIsNotTheServersIsRefusedByName) {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {R"(<html>proxy error</html>)", ""},
        {R"({"error": {"message": "down"}})", "items: expected an array"},
        {R"({"items": [{"id": 1, "name": "Gate", "port": 4370, "comm_key": "0"}]})", "ip: required"},
        {R"({"items": [{"id": 1, "name": "Gate", "ip": "10.0.0.5", "port": "4370", "comm_key": "0"}]})",
         "port: expected an integer"},
        {R"({"items": [{"id": 1, "name": "Gate", "ip": "10.0.0.5", "port": 70000, "comm_key": "0"}]})",
         "port: must be between 1 and 65535"},
        {R"({"items": [], "server_time": "yesterday"})", "server_time: expected YYYY-MM-DDTHH:MM:SSZ (UTC)"},
    };
    for (const auto& [text, message] : cases) {
        boost::system::error_code ec;
        const auto doc = json::parse(text, ec);
        if (ec) {
            EXPECT_FALSE(Decode<AgentDeviceList>(json::value(text))) << text;
            continue;
        }
        const auto list = Decode<AgentDeviceList>(doc);
        ASSERT_FALSE(list) << text;
        EXPECT_EQ(list.error().message, message) << text;
    }
}

TEST(AgentApi, AStatusReportReadsBackAsTheAgentWroteIt) {
    const DeviceStatusReport read{.reachable = true,
                                  .serial = "ABCD1234",
                                  .firmware = "Ver 6.60 Apr 28 2017",
                                  .users = 120,
                                  .records = 4500,
                                  .user_capacity = 3000,
                                  .record_capacity = 100000,
                                  .device_time = core::ParseLocalDateTime("2026-03-12 13:03:00"),
                                  .read_through = 1773309540,
                                  .last_error = ""};
    const auto encoded = json::value_from(read);
    EXPECT_EQ(encoded.at("device_time").as_string(), "2026-03-12 13:03:00");
    EXPECT_EQ(encoded.at("read_through").as_string(), "2026-03-12T09:59:00Z");
    EXPECT_EQ(Decode<DeviceStatusReport>(encoded).value(), read);

    // An unreachable terminal: only what the agent knows is sent.
    const DeviceStatusReport unreachable{.reachable = false,
                                         .serial = std::nullopt,
                                         .firmware = std::nullopt,
                                         .users = std::nullopt,
                                         .records = std::nullopt,
                                         .user_capacity = std::nullopt,
                                         .record_capacity = std::nullopt,
                                         .device_time = std::nullopt,
                                         .read_through = std::nullopt,
                                         .last_error = "connect timeout after 5000 ms"};
    EXPECT_EQ(json::serialize(json::value_from(unreachable)),
              R"({"reachable":false,"last_error":"connect timeout after 5000 ms"})");
    EXPECT_EQ(json::value_to<DeviceStatusReport>(json::value_from(unreachable)), unreachable);
}

TEST(AgentApi, BadStatusFieldsAreNamedAsTheServerAnswersThem) {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {R"({})", "reachable: required, true or false"},
        {R"({"reachable": "yes"})", "reachable: required, true or false"},
        {R"({"reachable": true, "serial": 5})", "serial: expected a string"},
        {R"({"reachable": true, "serial": ")" + std::string(201, 'x') + R"("})", "serial: at most 200 characters"},
        {R"({"reachable": true, "firmware": ")" + std::string(201, 'x') + R"("})", "firmware: at most 200 characters"},
        {R"({"reachable": true, "records": -1})", "records: must not be negative"},
        {R"({"reachable": true, "users": 1.5})", "users: expected an integer"},
        {R"({"reachable": true, "device_time": "yesterday"})",
         "device_time: expected YYYY-MM-DD HH:MM:SS (the device's clock)"},
        {R"({"reachable": true, "read_through": "2026-03-12 09:00:00"})",
         "read_through: expected YYYY-MM-DDTHH:MM:SSZ (UTC)"},
    };
    for (const auto& [text, message] : cases) {
        const auto status = DecodeBody<DeviceStatusReport>(text);
        ASSERT_FALSE(status) << text;
        EXPECT_EQ(status.error().code, core::Errc::kInvalidArgument) << text;
        EXPECT_EQ(status.error().message, message) << text;
    }
    const auto fine = DecodeBody<DeviceStatusReport>(R"({"reachable": true, "serial": ")" + std::string(200, 'x') +
                                                     R"(", "read_through": null})");
    ASSERT_TRUE(fine) << fine.error().message;
    EXPECT_EQ(fine->read_through, std::nullopt);
}

TEST(AgentApi, ATerminalsUserTableRoundTripsAndABadUserIsRefusedByItsIndexAlone) {
    const TerminalUserUpload table{{{"17", "Zoë Müller", 4000017, 0}, {"1", "Admin", 0, 14}}, 1773309600, {}};
    const auto back = Decode<TerminalUserUpload>(json::value_from(table));
    ASSERT_TRUE(back) << back.error().message;
    EXPECT_EQ(*back, table);
    EXPECT_EQ(json::value_from(table).at("read_at").as_string(), "2026-03-12T10:00:00Z");

    const auto mixed = DecodeBody<TerminalUserUpload>(
        R"({"items": [{"user_id": 18, "name": "Brian"}, "x", {"name": "no id"}, {"user_id": "19", "card": -1},
                      {"user_id": "20", "privilege": 256}, {"user_id": "21", "name": 5}, {"user_id": "22"}]})");
    ASSERT_TRUE(mixed) << mixed.error().message;
    ASSERT_EQ(mixed->items.size(), 7U);
    EXPECT_EQ(mixed->items[0], (TerminalUserItem{"18", "Brian", 0, 0})) << "a number is its decimal text";
    EXPECT_EQ(mixed->items[6], (TerminalUserItem{"22", "", 0, 0}));
    ASSERT_EQ(mixed->rejects.size(), 5U);
    EXPECT_EQ(mixed->rejects[0], (RecordReject{1, "user is not an object"}));
    EXPECT_EQ(mixed->rejects[1], (RecordReject{2, "user_id: required, a string or an integer"}));
    EXPECT_EQ(mixed->rejects[2], (RecordReject{3, "card must be an integer from 0 to 4294967295"}));
    EXPECT_EQ(mixed->rejects[3], (RecordReject{4, "privilege must be an integer from 0 to 255"}));
    EXPECT_EQ(mixed->rejects[4], (RecordReject{5, "name must be a string"}));
    EXPECT_FALSE(mixed->read_at);
}

TEST(AgentApi, AUserTableWithoutItemsIsRefusedAndOneOverTheLimitIsTooLarge) {
    EXPECT_EQ(DecodeBody<TerminalUserUpload>(R"({"users": []})").error().code, core::Errc::kInvalidArgument);
    EXPECT_EQ(DecodeBody<TerminalUserUpload>(R"({"items": [{"user_id": 1}, {"user_id": 2}]})", 1).error().code,
              core::Errc::kPayloadTooLarge);
    EXPECT_TRUE(DecodeBody<TerminalUserUpload>(R"({"items": [{"user_id": 1}]})", 1));
    const TerminalUserReport report{3, 2, {{1, "user_id: listed before in this table"}}};
    EXPECT_EQ(Decode<TerminalUserReport>(json::value_from(report)).value(), report);
}

}  // namespace
}  // namespace rollcall::wire
