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

}  // namespace
}  // namespace rollcall::wire
