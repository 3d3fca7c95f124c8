// A day's register as the school reads it: the override's status shown with the computed row beside it,
// counts per status and per class, and the warnings that explain why nobody is late or why absences wait.

#include "wire/register.hpp"

#include <gtest/gtest.h>

namespace rollcall::service {
namespace {

namespace json = boost::json;

RegisterRow Row(std::int64_t id, std::string name, std::string group, domain::DayStatus status) {
    RegisterRow row;
    row.person.id = id;
    row.person.name = std::move(name);
    row.person.group = std::move(group);
    row.result.status = status;
    row.result.status_rule = "R14.4";
    return row;
}

TEST(RegisterJson, AnOverriddenRowShowsTheOverrideAndKeepsTheComputedRowBesideIt) {
    Register reg;
    reg.date = *core::ParseDate("2026-03-12");
    reg.start_time_set = true;
    auto row = Row(9, "Amina", "5A", domain::DayStatus::kAbsent);
    row.result.status_rule = "R15.2";
    storage::Override o;
    o.id = 2;
    o.person_id = 9;
    o.date = reg.date;
    o.status = domain::DayStatus::kExcused;
    o.reason = "clinic visit";
    row.override_row = o;
    reg.rows.push_back(row);
    reg.rows.push_back(Row(10, "Baraka", "5A", domain::DayStatus::kLate));

    const auto v = json::value_from(reg);
    const auto& amina = v.at("rows").at(0);
    EXPECT_EQ(amina.at("status").as_string(), "excused");
    EXPECT_EQ(amina.at("status_rule").as_string(), "R14.1");
    EXPECT_EQ(amina.at("override").at("reason").as_string(), "clinic visit");
    EXPECT_EQ(amina.at("override").at("computed").at("status").as_string(), "absent");
    EXPECT_EQ(amina.at("override").at("computed").at("status_rule").as_string(), "R15.2");
    EXPECT_TRUE(v.at("rows").at(1).at("override").is_null());
    EXPECT_EQ(json::serialize(v.at("counts")), R"({"excused":1,"late":1})");
    EXPECT_EQ(json::serialize(v.at("groups")),
              R"([{"kind":"student","group":"5A","total":2,"counts":{"excused":1,"late":1}}])");
    EXPECT_EQ(v.at("warnings").as_array().size(), 0U);
}

TEST(RegisterJson, WithoutAStartTimeOrWithASilentGateTheRegisterSaysWhy) {
    Register reg;
    reg.date = *core::ParseDate("2026-03-12");
    reg.cutoff_passed = true;
    storage::Device gate;
    gate.id = 3;
    gate.name = "Main gate";
    reg.silent_devices.push_back(gate);
    const auto v = json::value_from(reg);
    ASSERT_EQ(v.at("warnings").as_array().size(), 2U);
    EXPECT_EQ(v.at("warnings").at(0).as_string(), "no school start time is set: nobody is marked late (R15)");
    EXPECT_EQ(v.at("warnings").at(1).as_string(),
              "absences stay pending: device 'Main gate' has not been heard from since the cutoff (R16)");
    EXPECT_EQ(json::serialize(v.at("silent_devices")), R"([{"id":3,"name":"Main gate","last_seen":null}])");

    reg.finalized_by_admin = true;  // "finalize anyway": the gate is still named, the warning goes
    EXPECT_EQ(json::value_from(reg).at("warnings").as_array().size(), 1U);
    reg.finalized_by_admin = false;  // found final before the gate was switched back on (R16): no wait either
    reg.final = true;
    EXPECT_EQ(json::value_from(reg).at("warnings").as_array().size(), 1U);
}

// Issue 11, item 5: the register never hides that someone came.
TEST(RegisterJson, ARowNamesThePunchesTheWindowsLeftOut) {
    Register reg;
    reg.date = *core::ParseDate("2026-03-12");
    RegisterRow row;
    row.person.id = 1;
    row.person.name = "Amina";
    row.result.status = domain::DayStatus::kAbsent;
    row.result.flags = {"outside_window"};
    row.result.outside_window_times = {11 * 3600 + 30 * 60};
    reg.rows.push_back(row);
    const auto v = json::value_from(reg).at("rows").at(0);
    EXPECT_EQ(json::serialize(v.at("flags")), R"(["outside_window"])");
    EXPECT_EQ(json::serialize(v.at("outside_window_times")), R"(["11:30:00"])");
}

TEST(RegisterJson, TheExplanationSaysWhichPunchBecameTheInAndWhy) {
    Explanation e;
    storage::StoredPunch p;
    p.device_id = 3;
    p.user_id = "42";
    p.timestamp = *core::ParseLocalDateTime("2026-03-12 07:41:00");
    e.punches.push_back(p);
    e.result.status = domain::DayStatus::kPresent;
    e.result.status_rule = "R14.4";
    e.result.explain.push_back(domain::PunchVerdict{.index = 0,
                                                    .direction = domain::PunchDirection::kIn,
                                                    .used_as = domain::PunchDirection::kIn,
                                                    .rule = "R11",
                                                    .note = "first punch in the In window"});
    const auto v = json::value_from(e);
    EXPECT_EQ(json::serialize(v.at("punches")),
              R"([{"device_id":3,"user_id":"42","timestamp":"2026-03-12 07:41:00","direction":"in",)"
              R"("used_as":"in","rule":"R11","note":"first punch in the In window"}])");
    EXPECT_EQ(v.at("status").as_string(), "present");
    EXPECT_TRUE(v.at("override").is_null());
}

TEST(RegisterJson, APushDeviceHasNoAgentStatusAndAnAgentDeviceShowsItsLastReport) {
    DeviceView view;
    view.device.id = 3;
    EXPECT_TRUE(json::value_from(view).at("agent_status").is_null());
    storage::DeviceStatus s;
    s.reachable = true;
    s.clock_drift_seconds = -95;
    view.agent_status = s;
    const auto v = json::value_from(view);
    EXPECT_EQ(v.at("agent_status").at("clock_drift_seconds").as_int64(), -95);
    EXPECT_EQ(v.at("id").as_int64(), 3);
}

}  // namespace
}  // namespace rollcall::service
