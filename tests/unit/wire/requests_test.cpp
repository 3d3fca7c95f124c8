// The admin API's request bodies decoded into the services' inputs: what a school's form or integrator sends
// reads as meant, and a bad field is refused by name, before any service sees it.

#include "wire/requests.hpp"

#include <gtest/gtest.h>

namespace rollcall::wire {
namespace {

template <class T>
std::string ErrorOf(std::string_view body) {
    const auto decoded = DecodeBody<T>(body);
    EXPECT_FALSE(decoded) << body;
    if (decoded) {
        return "";
    }
    EXPECT_EQ(decoded.error().code, core::Errc::kInvalidArgument) << body;
    return decoded.error().message;
}

TEST(Requests, ADevicePatchCarriesOnlyTheFieldsTheAdminChanged) {
    const auto patch = DecodeBody<service::DevicePatch>(R"({"name": "Back gate", "port": 4371})");
    ASSERT_TRUE(patch) << patch.error().message;
    EXPECT_EQ(patch->name, "Back gate");
    EXPECT_EQ(patch->port, 4371);
    EXPECT_FALSE(patch->ip);
    EXPECT_FALSE(patch->sync_mode);
}

TEST(Requests, ADeviceBodyWithABadFieldIsRefusedByName) {
    EXPECT_EQ(ErrorOf<service::DevicePatch>(R"({"port": 70000})"), "port: must be between 1 and 65535");
    EXPECT_EQ(ErrorOf<service::DevicePatch>(R"({"port": 0})"), "port: must be between 1 and 65535");
    EXPECT_EQ(ErrorOf<service::DevicePatch>(R"({"name": 5})"), "name: expected a string");
    EXPECT_EQ(ErrorOf<service::DevicePatch>(R"([1, 2])"), "body must be a JSON object");
}

TEST(Requests, APersonsLimitsCanBeClearedWithNullAndLeftAloneByOmission) {
    const auto patch = DecodeBody<service::PersonPatch>(R"({"active_to": null, "active_from": "2026-09-01"})");
    ASSERT_TRUE(patch) << patch.error().message;
    ASSERT_TRUE(patch->active_to.has_value());
    EXPECT_FALSE(patch->active_to->has_value());  // explicitly cleared
    EXPECT_EQ(patch->active_from, std::optional(core::ParseDate("2026-09-01")));
    EXPECT_FALSE(patch->name);
    EXPECT_EQ(ErrorOf<service::PersonPatch>(R"({"active_from": "1/9/2026"})"),
              R"(active_from: expected "YYYY-MM-DD" or null)");
}

TEST(Requests, AnOverrideReadsItsStatusTimesAndReason) {
    const auto input = DecodeBody<service::OverrideInput>(
        R"({"person_id": 9, "date": "2026-03-12", "status": "excused", "in_time": "08:05", "out_time": "",
            "reason": "clinic visit"})");
    ASSERT_TRUE(input) << input.error().message;
    EXPECT_EQ(input->person_id, 9);
    EXPECT_EQ(input->date, *core::ParseDate("2026-03-12"));
    EXPECT_EQ(input->status, domain::DayStatus::kExcused);
    EXPECT_EQ(input->in_time, 8 * 3600 + 5 * 60);
    EXPECT_EQ(input->out_time, std::nullopt);  // "" is no time given
    EXPECT_EQ(input->reason, "clinic visit");
}

TEST(Requests, AnOverrideCannotSetAStatusTheRegisterDecidesItself) {
    const std::string head = R"({"person_id": 9, "date": "2026-03-12", "reason": "x", "status": )";
    EXPECT_EQ(ErrorOf<service::OverrideInput>(head + R"("pending"})"),
              "status: must be present, late, absent or excused");
    EXPECT_EQ(ErrorOf<service::OverrideInput>(head + R"("holiday"})"),
              "status: must be present, late, absent or excused");
    EXPECT_EQ(ErrorOf<service::OverrideInput>(head + R"("late", "in_time": "8h05"})"),
              "in_time: expected HH:MM or HH:MM:SS");
    EXPECT_EQ(ErrorOf<service::OverrideInput>(R"({"person_id": 9, "status": "late", "reason": "x"})"),
              "date: required");
    // A missing field is named before a malformed one.
    EXPECT_EQ(ErrorOf<service::OverrideInput>(R"({"person_id": 9, "date": "12/03/2026", "reason": "x"})"),
              "status: required");
}

TEST(Requests, AClockCorrectionReadsTheDevicesOwnClockTimes) {
    const auto input = DecodeBody<service::ClockCorrectionInput>(
        R"({"device_id": 3, "from": "2026-03-01 00:00:00", "to": "2026-03-05 23:59:59", "offset_seconds": 3600,
            "reason": "clock an hour behind"})");
    ASSERT_TRUE(input) << input.error().message;
    EXPECT_EQ(input->device_id, 3);
    EXPECT_EQ(input->from, *core::ParseLocalDateTime("2026-03-01 00:00:00"));
    EXPECT_EQ(input->offset_seconds, 3600);
    EXPECT_EQ(ErrorOf<service::ClockCorrectionInput>(
                  R"({"device_id": 3, "from": "2026-03-01", "to": "2026-03-05 23:59:59", "offset_seconds": 1,
                      "reason": "x"})"),
              "from: expected YYYY-MM-DD HH:MM:SS (the device's clock)");
    EXPECT_EQ(ErrorOf<service::ClockCorrectionInput>(
                  R"({"device_id": 3, "from": "2026-03-01 00:00:00", "to": "2026-03-05 23:59:59", "reason": "x"})"),
              "offset_seconds: required");
}

TEST(Requests, AMappingTakesTheUserIdAsTheTerminalSendsItNumberOrText) {
    const auto numeric = DecodeBody<MappingRequest>(R"({"user_id": 42, "person_id": 9})");
    ASSERT_TRUE(numeric) << numeric.error().message;
    EXPECT_EQ(numeric->user_id, "42");
    EXPECT_EQ(numeric->device_id, std::nullopt);  // the whole school (R6)
    const auto text = DecodeBody<MappingRequest>(R"({"user_id": "0042", "person_id": 9, "device_id": 3})");
    ASSERT_TRUE(text) << text.error().message;
    EXPECT_EQ(text->user_id, "0042");  // leading zeros are part of a terminal's id
    EXPECT_EQ(text->device_id, 3);
    EXPECT_EQ(ErrorOf<MappingRequest>(R"({"user_id": "42"})"), "person_id: required");
    EXPECT_EQ(ErrorOf<MappingRequest>(R"({"person_id": 9})"), "user_id: required");
}

TEST(Requests, AWebhookWithoutEventsReceivesEveryKindAndBadEventsAreRefused) {
    const auto all = DecodeBody<WebhookRequest>(R"({"url": "https://sms.example/hook"})");
    ASSERT_TRUE(all) << all.error().message;
    EXPECT_TRUE(all->events.empty());
    const auto some = DecodeBody<WebhookRequest>(R"({"url": "https://sms.example/hook", "events": ["late"]})");
    ASSERT_TRUE(some) << some.error().message;
    EXPECT_EQ(some->events, std::vector<std::string>{"late"});
    EXPECT_EQ(ErrorOf<WebhookRequest>(R"({"url": "https://x", "events": "late"})"),
              "events: expected an array of event names");
    EXPECT_EQ(ErrorOf<WebhookRequest>(R"({"url": "https://x", "events": [1]})"),
              "events: expected an array of event names");
}

TEST(Requests, SmallBodiesNameTheirMissingOrMalformedField) {
    EXPECT_EQ(ErrorOf<LoginRequest>(R"({"email": "head@school.example"})"), "password: required");
    EXPECT_EQ(ErrorOf<SchoolRequest>(R"({"name": "Hillside"})"), "timezone: required");
    EXPECT_EQ(ErrorOf<HolidayRequest>(R"({"date": "13/03/2026", "name": "Sports day"})"), "date: expected YYYY-MM-DD");
    EXPECT_EQ(ErrorOf<RangeRequest>(R"({"from": "2026-03-01"})"), "to: required");
    const auto range = DecodeBody<RangeRequest>(R"({"from": "2026-03-01", "to": "2026-03-05"})");
    ASSERT_TRUE(range) << range.error().message;
    EXPECT_EQ(range->to.days - range->from.days, 4);
    const auto holiday = DecodeBody<HolidayRequest>(R"({"date": "2026-03-13", "name": "Sports day"})");
    ASSERT_TRUE(holiday) << holiday.error().message;
    EXPECT_EQ(holiday->name, "Sports day");
}

}  // namespace
}  // namespace rollcall::wire
