// The settings preview over real HTTP (docs/api.md "Settings"): "with these settings, yesterday would have had N
// late" before the admin saves them. It checks the body exactly as the PUT does, stores nothing, marks nothing for
// recomputation, audits nothing, and what it shows is what the PUT then brings. Today is Thursday 2026-03-12.

#include "integration/school_test.hpp"

#include <gtest/gtest.h>

namespace rollcall::test {
namespace {

namespace json = boost::json;

class SettingsPreview : public SchoolTest {
protected:
    std::int64_t amina_ = 0;
    std::int64_t brian_ = 0;
    std::unique_ptr<storage::Store> database_ = server_.OpenDatabase();

    void SetUp() override {
        Rules({{"school_start_time", "08:00"}});
        amina_ = Person("Amina", "5A");
        brian_ = Person("Brian", "5A");
        const auto dana = Person("Dana", "", "staff");
        Map("1", amina_);
        Map("2", brian_);
        Map("3", dana);
        // Yesterday: Amina 08:20 and Dana 08:10 late by ten minutes or more, Brian 08:40.
        const auto punches =
            PushLogBody({{"1", "2026-03-11 08:20:00"}, {"2", "2026-03-11 08:40:00"}, {"3", "2026-03-11 08:10:00"}});
        ASSERT_EQ(http_.Post("/api/v1/biometric/push-log", punches, s_.device_token).status, 200);
        // What setting the school up marked is recomputed, so the test sees only what the preview would mark.
        ASSERT_TRUE(server_.app().recompute().RunPending().ok());
        ASSERT_EQ(*database_->CountDirty(), 0);
    }

    HttpResponse Preview(const std::string& query, const json::object& body) {
        return http_.Post(Path("/settings/attendance/preview" + query), body, s_.admin_token);
    }
    json::array Audit() { return http_.Get(Path("/audit"), s_.admin_token).Json().at("items").as_array(); }
};

TEST_F(SettingsPreview, ItSaysWhoWouldNoLongerBeLateAndChangesNothing) {
    const auto audit_before = Audit();
    const auto settings_before = http_.Get(Path("/settings/attendance"), s_.admin_token).body;

    const auto r = Preview("?date=2026-03-11", {{"school_start_time", "08:30"}});
    ASSERT_EQ(r.status, 200) << r.body;
    const auto preview = r.Json();
    EXPECT_EQ(preview.at("date").as_string(), "2026-03-11");
    EXPECT_EQ(preview.at("scope").as_string(), "school");
    EXPECT_EQ(preview.at("current").at("late").as_int64(), 3);
    EXPECT_EQ(preview.at("current").at("present").as_int64(), 0);
    EXPECT_EQ(preview.at("proposed").at("late").as_int64(), 1);
    EXPECT_EQ(preview.at("proposed").at("present").as_int64(), 2);
    EXPECT_EQ(preview.at("changed").as_int64(), 2);
    EXPECT_EQ(preview.at("changes_shown").as_int64(), 2);
    const auto& changes = preview.at("changes").as_array();
    ASSERT_EQ(changes.size(), 2U);
    // In register order: staff first.
    EXPECT_EQ(changes[0].at("name").as_string(), "Dana");
    EXPECT_EQ(changes[1],
              (json::object{{"person_id", amina_},
                            {"name", "Amina"},
                            {"kind", "student"},
                            {"group", "5A"},
                            {"current", "late"},
                            {"proposed", "present"},
                            {"in_time", "08:20:00"},
                            {"late_minutes", 0}}));

    EXPECT_EQ(Audit(), audit_before) << "a preview leaves no audit line";
    EXPECT_EQ(http_.Get(Path("/settings/attendance"), s_.admin_token).body, settings_before);
    EXPECT_EQ(*database_->CountDirty(), 0) << "a preview marks no day for recomputation";
    const auto reg = http_.Get(Path("/attendance?date=2026-03-11"), s_.admin_token).Json();
    EXPECT_EQ(reg.at("counts").at("late").as_int64(), 3);
}

TEST_F(SettingsPreview, WhatItShowsIsWhatThePutThenBrings) {
    const json::object body{{"school_start_time", "08:30"}, {"effective_from", "2026-03-11"}};
    const auto preview = Preview("?date=2026-03-11", body).Json();
    ASSERT_EQ(http_.Put(Path("/settings/attendance"), body, s_.admin_token).status, 200);
    const auto counts = http_.Get(Path("/attendance?date=2026-03-11"), s_.admin_token).Json().at("counts");
    for (const auto& [status, n] : preview.at("proposed").as_object()) {
        const auto* stored = counts.as_object().if_contains(status);
        EXPECT_EQ(stored != nullptr ? stored->as_int64() : 0, n.as_int64()) << status;
    }
    // The settings in force now are the proposed ones: previewing them again changes nobody.
    EXPECT_EQ(Preview("?date=2026-03-11", body).Json().at("changed").as_int64(), 0);
}

TEST_F(SettingsPreview, ABodyThePutRefusesIsRefusedWithTheSameAnswer) {
    const std::vector<json::object> bad{
        {{"school_start_time", "25:00"}},
        {{"grace_minutes", "ten"}},
        {{"in_window", json::object{{"start", "07:00"}, {"end", "08:00"}}}},
        {{"effective_from", "1999-12-31"}},
        {{"effective_from", "2028-01-01"}},
        {{"school_days", json::array{"mon", "someday"}}},
        {{"colour", "blue"}},
    };
    for (const auto& body : bad) {
        const auto put = http_.Put(Path("/settings/attendance"), body, s_.admin_token);
        const auto preview = Preview("?date=2026-03-11", body);
        EXPECT_EQ(put.status, 400) << json::serialize(body) << ": " << put.body;
        EXPECT_EQ(preview.status, put.status) << json::serialize(body);
        EXPECT_EQ(preview.body, put.body) << json::serialize(body);
    }
    EXPECT_EQ(Preview("?date=2026-03-11&kind=teacher", {{"school_start_time", "08:30"}}).status, 400);
    EXPECT_EQ(Preview("?date=yesterday", {{"school_start_time", "08:30"}}).status, 400);
}

TEST_F(SettingsPreview, AScopesPreviewCountsItsPeopleAndTheDateDefaultsToYesterday) {
    const auto staff = Preview("?kind=staff", {{"school_start_time", "08:30"}});
    ASSERT_EQ(staff.status, 200) << staff.body;
    const auto preview = staff.Json();
    EXPECT_EQ(preview.at("date").as_string(), "2026-03-11");
    EXPECT_EQ(preview.at("scope").as_string(), "kind:staff");
    EXPECT_EQ(preview.at("current").at("late").as_int64(), 1);
    EXPECT_EQ(preview.at("proposed").at("present").as_int64(), 1);
    const auto group = Preview("?group=5A&date=2026-03-11", {{"school_start_time", "08:45"}}).Json();
    EXPECT_EQ(group.at("scope").as_string(), "group:5A");
    EXPECT_EQ(group.at("current").at("late").as_int64(), 2);
    EXPECT_EQ(group.at("proposed").at("present").as_int64(), 2);
}

}  // namespace
}  // namespace rollcall::test
