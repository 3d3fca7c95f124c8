// People over real HTTP, as a school's admin manages them: leavers, the CSV import of a whole school, and text
// from older spreadsheet programs (docs/api.md "People").

#include "integration/school_test.hpp"

#include <gtest/gtest.h>

namespace rollcall::test {
namespace {

namespace json = boost::json;

class People : public SchoolTest {
protected:
    void Push(const std::vector<std::pair<std::string, std::string>>& punches) {
        auto r = http_.Post("/api/v1/biometric/push-log", PushLogBody(punches), s_.device_token);
        ASSERT_EQ(r.status, 200) << r.body;
    }
    json::value Get(const std::string& rest) {
        auto r = http_.Get(Path(rest), s_.admin_token);
        EXPECT_EQ(r.status, 200) << r.body;
        return r.Json();
    }
    /// The audit lines about people, newest first.
    std::vector<json::object> PersonAudit() {
        std::vector<json::object> out;
        const auto trail = Get("/audit");
        for (const auto& line : trail.at("items").as_array()) {
            if (line.at("entity").as_string() == "person") {
                out.push_back(line.as_object());
            }
        }
        return out;
    }
};

TEST_F(People, ALeaverIsDeactivatedNotErasedAndTheirMarchRegisterIsUnchanged) {
    Rules({{"school_start_time", "08:00"}});
    const auto amina = Person("Amina");
    const auto brian = Person("Brian");
    Map("7", amina);
    Map("8", brian);
    // Amina's first two weeks of March: on time, late on the 5th, away on the 6th and the 9th.
    Push({{"7", "2026-03-02 07:50:00"},
          {"7", "2026-03-03 07:55:00"},
          {"7", "2026-03-04 07:58:00"},
          {"7", "2026-03-05 08:20:00"},
          {"7", "2026-03-10 07:45:00"},
          {"7", "2026-03-11 07:52:00"},
          {"8", "2026-03-11 07:40:00"}});
    ASSERT_TRUE(server_.app().recompute().RunPending().ok());
    const auto march = [&] {
        std::vector<std::string> registers;
        for (int day = 2; day <= 11; ++day) {
            registers.push_back(json::serialize(
                Get("/attendance?date=2026-03-" + std::string(day < 10 ? "0" : "") + std::to_string(day))));
        }
        for (const auto* report : {"absent", "late", "summary"}) {
            registers.push_back(
                json::serialize(Get("/reports/" + std::string(report) + "?from=2026-03-01&to=2026-03-11").at("rows")));
        }
        return registers;
    };
    const auto before = march();
    ASSERT_NE(before[3].find(R"("status":"late")"), std::string::npos) << before[3];
    ASSERT_NE(before[4].find(R"("status":"absent")"), std::string::npos) << before[4];

    // She leaves. Deleting her is refused, and the answer says what to do instead.
    const auto refused = http_.Delete(Path("/people/" + std::to_string(amina)), s_.admin_token);
    ASSERT_EQ(refused.status, 409) << refused.body;
    const std::string message(refused.Json().at("error").at("message").as_string());
    EXPECT_NE(message.find("punches"), std::string::npos) << message;
    EXPECT_NE(message.find("set active_to"), std::string::npos) << message;
    EXPECT_EQ(PersonAudit().at(0).at("action").as_string(), "create") << "a refused delete leaves no line";

    // So the admin deactivates her: her last day was yesterday.
    const auto left = http_.Patch(
        Path("/people/" + std::to_string(amina)), json::object{{"active_to", "2026-03-11"}}, s_.admin_token);
    ASSERT_EQ(left.status, 200) << left.body;
    ASSERT_TRUE(server_.app().recompute().RunPending().ok());

    // March reads exactly as it did, day by day and in every report; from today she is not tracked.
    EXPECT_EQ(march(), before);
    EXPECT_EQ(Get("/people/" + std::to_string(amina)).at("active_to").as_string(), "2026-03-11");
    EXPECT_EQ(Get("/mappings").at("items").as_array().size(), 2U);
    const auto today = Get("/attendance?date=2026-03-12");
    for (const auto& row : today.at("rows").as_array()) {
        if (row.at("person_id").as_int64() == amina) {
            EXPECT_EQ(row.at("status").as_string(), "not_tracked");
        }
    }
    const auto change = PersonAudit().at(0);
    EXPECT_EQ(change.at("action").as_string(), "update");
    EXPECT_TRUE(change.at("old").at("active_to").is_null());
    EXPECT_EQ(change.at("new").at("active_to").as_string(), "2026-03-11");
}

TEST_F(People, APersonAddedByMistakeIsDeletedAndTheDeletionAudited) {
    const auto typo = Person("Amnia");
    Map("7", typo);
    ASSERT_EQ(http_.Delete(Path("/people/" + std::to_string(typo)), s_.admin_token).status, 204);
    EXPECT_EQ(http_.Get(Path("/people/" + std::to_string(typo)), s_.admin_token).status, 404);
    const auto line = PersonAudit().at(0);
    EXPECT_EQ(line.at("action").as_string(), "delete");
    EXPECT_EQ(line.at("entity_id").as_int64(), typo);
    EXPECT_EQ(line.at("old").at("name").as_string(), "Amnia");
    EXPECT_TRUE(line.at("new").is_null());
    EXPECT_TRUE(Get("/mappings").at("items").as_array().empty());
}

}  // namespace
}  // namespace rollcall::test
