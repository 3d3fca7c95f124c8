// Punches on the wire: what a terminal pushes and the agent uploads decodes to what was meant, a record of the
// wrong shape is refused alone with the reason the school's integrator reads in the answer (R3), and the
// server's report reads back as it was written.

#include "wire/punches.hpp"

#include <gtest/gtest.h>

namespace rollcall::wire {
namespace {

using core::Errc;

json::value Parsed(std::string_view text) {
    return json::parse(text);
}

TEST(Punches, AnUploadReadsBackAsTheAgentWroteIt) {
    AgentUpload upload;
    upload.batch.logs = {PunchRecord{"17", "2026-03-12 07:40:00", 0, 1},
                         PunchRecord{"18", "2026-03-12 07:41:05", 1, 15}};
    upload.read_at = 1773302400;  // 2026-03-12T08:00:00Z
    const auto encoded = json::value_from(upload);
    EXPECT_EQ(encoded.at("read_at").as_string(), "2026-03-12T08:00:00Z");
    EXPECT_EQ(encoded.at("logs").as_array()[1].at("timestamp").as_string(), "2026-03-12 07:41:05");
    const auto decoded = Decode<AgentUpload>(encoded);
    ASSERT_TRUE(decoded) << decoded.error().message;
    EXPECT_EQ(*decoded, upload);
    EXPECT_EQ(json::value_to<AgentUpload>(encoded), upload);
}

TEST(Punches, AnUploadWithoutReadAtMakesNoClaimAboutTheTerminal) {
    AgentUpload upload;
    upload.batch.logs = {PunchRecord{"1", "2026-03-12 07:40:00", 0, 1}};
    const auto encoded = json::value_from(upload);
    EXPECT_FALSE(encoded.as_object().contains("read_at"));
    EXPECT_EQ(Decode<AgentUpload>(encoded)->read_at, std::nullopt);
    EXPECT_EQ(Decode<AgentUpload>(Parsed(R"({"logs": [], "read_at": null})"))->read_at, std::nullopt);
}

TEST(Punches, TerminalsMaySendNumbersForUserIdsAndQuotedNumbersForCodes) {
    const auto batch = Decode<PunchBatch>(Parsed(R"({"logs": [
        {"user_id": 17, "timestamp": "2026-03-12 08:05:00", "status": "1", "verify": 15},
        {"user_id": 18446744073709551615, "timestamp": "2026-03-12 08:06:00", "status": 18446744073709551615}]})"));
    ASSERT_TRUE(batch) << batch.error().message;
    ASSERT_EQ(batch->logs.size(), 2U);
    EXPECT_TRUE(batch->rejects.empty());
    EXPECT_EQ(batch->logs[0], (PunchRecord{"17", "2026-03-12 08:05:00", 1, 15}));
    EXPECT_EQ(batch->logs[1].user_id, "18446744073709551615");
    EXPECT_EQ(batch->logs[1].status, 256) << "beyond int64 reads as out of range, for the validation to refuse";
    EXPECT_EQ(batch->logs[1].verify, std::nullopt);
}

TEST(Punches, ARecordOfTheWrongShapeIsRefusedAloneWithItsReason) {
    const auto batch = Decode<PunchBatch>(Parsed(R"({"logs": [
        {"user_id": "1", "timestamp": "2026-03-12 08:05:00"},
        "not an object",
        {"user_id": 1.5, "timestamp": "2026-03-12 08:05:00"},
        {"user_id": "2", "timestamp": 20260312},
        {"user_id": "3", "timestamp": "2026-03-12 08:05:00", "status": "in"},
        {"user_id": "4", "timestamp": "2026-03-12 08:05:00", "verify": true},
        {"timestamp": "2026-03-12 08:05:00"}]})"));
    ASSERT_TRUE(batch) << batch.error().message;
    ASSERT_EQ(batch->logs.size(), 7U) << "every record keeps its place";
    const std::vector<RecordReject> expected = {
        {1, "record is not an object"},
        {2, "user_id must be a string or an integer"},
        {3, "timestamp must be a string \"YYYY-MM-DD HH:MM:SS\""},
        {4, "status must be an integer"},
        {5, "verify must be an integer"},
    };
    EXPECT_EQ(batch->rejects, expected);
    EXPECT_EQ(batch->logs[0].user_id, "1");
    EXPECT_EQ(batch->logs[6].user_id, std::nullopt) << "a missing user id is the validation's to refuse";
}

TEST(Punches, ABodyWithoutALogsArrayIsRefusedWhole) {
    for (const auto* text : {R"({"records": []})", R"({"logs": "x"})", R"([])"}) {
        const auto batch = Decode<PunchBatch>(Parsed(text));
        ASSERT_FALSE(batch) << text;
        EXPECT_EQ(batch.error().code, Errc::kInvalidArgument);
        EXPECT_EQ(batch.error().message, "body must have a \"logs\" array");
    }
    const auto not_json = DecodeBody<PunchBatch>("{not json");
    ASSERT_FALSE(not_json);
    EXPECT_EQ(not_json.error().message, "body is not valid JSON");
    const auto deep = DecodeBody<PunchBatch>(std::string(100, '['));
    ASSERT_FALSE(deep);
    EXPECT_EQ(deep.error().code, Errc::kInvalidArgument);
}

TEST(Punches, MoreRecordsThanAPushMayCarryIsTooLarge) {
    const auto batch = DecodeBody<PunchBatch>(R"({"logs": [{}, {}, {}]})", std::size_t{2});
    ASSERT_FALSE(batch);
    EXPECT_EQ(batch.error().code, Errc::kPayloadTooLarge);
    EXPECT_EQ(batch.error().message, "too many records in one push (max 2)");
    EXPECT_TRUE(DecodeBody<PunchBatch>(R"({"logs": [{}, {}]})", std::size_t{2}));
}

TEST(Punches, AReadAtThatIsNotUtcIsNamed) {
    for (const auto* text : {R"({"logs": [], "read_at": "2026-03-12 08:00:00"})",
                             R"({"logs": [], "read_at": "2026-03-12T08:00:00"})",
                             R"({"logs": [], "read_at": 1773302400})"}) {
        const auto upload = Decode<AgentUpload>(Parsed(text));
        ASSERT_FALSE(upload) << text;
        EXPECT_EQ(upload.error().message, "read_at: expected YYYY-MM-DDTHH:MM:SSZ (UTC)");
    }
    const auto too_many = DecodeBody<AgentUpload>(R"({"logs": [{}, {}], "read_at": "x"})", std::size_t{1});
    ASSERT_FALSE(too_many);
    EXPECT_EQ(too_many.error().code, Errc::kPayloadTooLarge) << "the size is judged before the fields beside logs";
}

TEST(Punches, TheServersReportReadsBackAsItWasWritten) {
    const IngestReport report{5, 2, 1, {{3, "missing user_id"}, {4, "timestamp: expected YYYY-MM-DD HH:MM:SS"}}};
    const auto encoded = json::value_from(report);
    EXPECT_EQ(json::serialize(encoded),
              R"({"received":5,"inserted":2,"duplicates":1,"rejected":[{"index":3,"reason":"missing user_id"},)"
              R"({"index":4,"reason":"timestamp: expected YYYY-MM-DD HH:MM:SS"}]})");
    EXPECT_EQ(Decode<IngestReport>(encoded).value(), report);
    const auto bad =
        Decode<IngestReport>(Parsed(R"({"received": 1, "inserted": -1, "duplicates": 0, "rejected": []})"));
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().message, "inserted: must not be negative");
    EXPECT_THROW((void)json::value_to<IngestReport>(Parsed(R"({"received": 1})")), std::invalid_argument);
}

}  // namespace
}  // namespace rollcall::wire
