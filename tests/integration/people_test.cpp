// People over real HTTP, as a school's admin manages them: leavers, the CSV import of a whole school, and text
// from older spreadsheet programs (docs/api.md "People").

#include "core/text_encoding.hpp"
#include "integration/school_test.hpp"
#include "support/child_process.hpp"

#include <gtest/gtest.h>

namespace rollcall::test {
namespace {

namespace json = boost::json;

/// Python's own zip and XML readers, as a check independent of the library that wrote the file: every entry's
/// CRC, every XML part well-formed (which needs its text to be the UTF-8 it declares); prints the parts' text.
constexpr const char* kReadXlsx = R"py(
import io, sys, zipfile, xml.dom.minidom
book = zipfile.ZipFile(io.BytesIO(sys.stdin.buffer.read()))
broken = book.testzip()
if broken:
    sys.exit("bad CRC in " + broken)
for name in book.namelist():
    if name.endswith(".xml") or name.endswith(".rels"):
        xml.dom.minidom.parseString(book.read(name))
        sys.stdout.write(book.read(name).decode("utf-8"))
)py";

class People : public SchoolTest {
protected:
    /// Posts a people CSV as a spreadsheet program saved it.
    HttpResponse Import(const std::string& csv) {
        return http_.Request("POST",
                             Path("/people/import"),
                             csv,
                             {{"Authorization", "Bearer " + s_.admin_token}, {"Content-Type", "text/csv"}});
    }
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

TEST_F(People, APupilAddedTodayIsNotAbsentOnThePastSchoolDays) {
    Rules({{"school_start_time", "08:00"}});
    const auto created =
        http_.Post(Path("/people"), json::object{{"name", "Amina"}, {"kind", "student"}}, s_.admin_token);
    ASSERT_EQ(created.status, 201) << created.body;
    EXPECT_EQ(created.Json().at("active_from").as_string(), "2026-03-12") << "the school's today";
    const auto amina = created.Json().at("id").as_int64();
    Map("7", amina);
    Push({{"8", "2026-03-11 07:50:00"}});  // the gate was heard from: yesterday is final
    const auto yesterday = Get("/attendance?date=2026-03-11");
    ASSERT_TRUE(yesterday.at("final").as_bool());
    for (const auto& row : yesterday.at("rows").as_array()) {
        if (row.at("person_id").as_int64() == amina) {
            EXPECT_NE(row.at("status").as_string(), "absent");
        }
    }
}

TEST_F(People, ASchoolImportsItsPupilsAndTheirTerminalIdsInOneFile) {
    Rules({{"school_start_time", "08:00"}});
    const auto back =
        http_.Post(Path("/devices"), json::object{{"name", "Back gate"}, {"sync_mode", "push"}}, s_.admin_token)
            .Json()
            .at("id")
            .as_int64();
    const auto imported = Import(
        "name,kind,external_id,group,active_from,active_to,user_id,device\r\n"
        "Amina Njeri,student,ADM-1,5A,2026-01-05,,17,\r\n"
        "Brian Otieno,student,ADM-2,5A,2026-01-05,,18,Main gate\r\n"
        "Chao Li,student,ADM-3,6B,2026-01-05,2026-07-31,18," +
        std::to_string(back) +
        "\r\n"
        "Dana Wanjiru,staff,STF-1,,2026-01-05,,,\r\n");
    ASSERT_EQ(imported.status, 200) << imported.body;
    EXPECT_EQ(imported.Json().at("created").as_int64(), 4);
    EXPECT_EQ(imported.Json().at("mapped").as_int64(), 3);
    EXPECT_EQ(imported.Json().at("encoding").as_string(), "utf-8");
    EXPECT_TRUE(imported.Json().at("errors").as_array().empty());

    // The terminals' users are the school's people at once: their punches make the register, none is unmapped.
    Push({{"17", "2026-03-11 07:50:00"}, {"18", "2026-03-11 08:10:00"}});
    auto back_token = http_.Post(DevicePath(back) + "/rotate-token", json::object{}, s_.admin_token);
    ASSERT_EQ(back_token.status, 200) << back_token.body;
    ASSERT_EQ(http_
                  .Post("/api/v1/biometric/push-log",
                        PushLogBody({{"18", "2026-03-11 07:30:00"}}),
                        std::string(back_token.Json().at("api_token").as_string()))
                  .status,
              200);
    std::map<std::string, std::string> status;
    const auto day = Get("/attendance?date=2026-03-11");
    for (const auto& row : day.at("rows").as_array()) {
        status[std::string(row.at("name").as_string())] = std::string(row.at("status").as_string());
    }
    EXPECT_EQ(status["Amina Njeri"], "present");
    EXPECT_EQ(status["Brian Otieno"], "late") << "user 18 on the main gate";
    EXPECT_EQ(status["Chao Li"], "present") << "user 18 on the back gate";
    EXPECT_EQ(status["Dana Wanjiru"], "not_tracked") << "no mapping";
    EXPECT_TRUE(Get("/unmapped").at("items").as_array().empty());
    EXPECT_EQ(Get("/mappings").at("items").as_array().size(), 3U);
}

TEST_F(People, ADryRunShowsEachRowsErrorAndWhoWouldBeCreatedAndSavesNothing) {
    const std::string csv =
        "name,kind,external_id,group,user_id\r\n"
        "Amina Njeri,student,ADM-1,5A,17\r\n"
        "Brian Otieno,pupil,ADM-2,5A,18\r\n"
        "Chao Li,student,ADM-1,6B,\r\n"
        "Dana Wanjiru,staff,STF-1,,17\r\n";
    const auto trail_before = Get("/audit").at("items").as_array().size();
    const auto preview = http_.Request("POST",
                                       Path("/people/import?dry_run=true"),
                                       csv,
                                       {{"Authorization", "Bearer " + s_.admin_token}, {"Content-Type", "text/csv"}});
    ASSERT_EQ(preview.status, 200) << preview.body;
    const auto answer = preview.Json();
    EXPECT_TRUE(answer.at("dry_run").as_bool());
    EXPECT_EQ(answer.at("created").as_int64(), 1);
    EXPECT_EQ(answer.at("mapped").as_int64(), 1);
    const auto& errors = answer.at("errors").as_array();
    ASSERT_EQ(errors.size(), 3U) << preview.body;
    EXPECT_EQ(errors[0].at("line").as_int64(), 3);
    EXPECT_NE(std::string(errors[0].at("reason").as_string()).find("kind"), std::string::npos) << preview.body;
    EXPECT_EQ(errors[1].at("line").as_int64(), 4) << "ADM-1 is Amina's, earlier in the same file";
    EXPECT_EQ(errors[2].at("line").as_int64(), 5) << "user 17 is Amina's, earlier in the same file";
    ASSERT_EQ(answer.at("people").as_array().size(), 1U);
    EXPECT_EQ(answer.at("people").as_array()[0].at("name").as_string(), "Amina Njeri");
    EXPECT_EQ(answer.at("people").as_array()[0].at("user_id").as_string(), "17");
    // Nothing was stored, and nothing audited.
    EXPECT_TRUE(Get("/people").at("items").as_array().empty());
    EXPECT_TRUE(Get("/mappings").at("items").as_array().empty());
    EXPECT_EQ(Get("/audit").at("items").as_array().size(), trail_before);

    // The same file for real creates what the preview said.
    const auto imported = Import(csv);
    ASSERT_EQ(imported.status, 200) << imported.body;
    EXPECT_FALSE(imported.Json().at("dry_run").as_bool());
    EXPECT_EQ(imported.Json().at("created").as_int64(), 1);
    EXPECT_EQ(imported.Json().at("errors").as_array().size(), 3U);
    EXPECT_EQ(Get("/people").at("items").as_array().size(), 1U);
}

TEST_F(People, AnUnknownColumnIsReportedAndNobodyIsImported) {
    const auto refused = Import("name,kind,grade\nAmina,student,5\n");
    ASSERT_EQ(refused.status, 400) << refused.body;
    EXPECT_NE(std::string(refused.Json().at("error").at("message").as_string()).find("unknown column \"grade\""),
              std::string::npos)
        << refused.body;
    EXPECT_TRUE(Get("/people").at("items").as_array().empty());
}

TEST_F(People, AWindows1252CsvImportsWithTheAccentsRightAndThePeopleListIsValidJson) {
    Rules({{"school_start_time", "08:00"}});
    // As older Excel saves "CSV" on a Western European Windows: one byte a letter, and its own quotation marks.
    const auto imported = Import(
        "name,kind,group,active_from,user_id\r\n"
        "Zo\xEB M\xFCller,student,5A,2026-01-05,17\r\n"
        "Fran\xE7ois \x93"
        "Fran\xE7ou\x94 Lef\xE8vre,student,5A,2026-01-05,18\r\n"
        "\xC5sa \x8A"
        "ebalj,staff,,2026-01-05,19\r\n");
    ASSERT_EQ(imported.status, 200) << imported.body;
    EXPECT_EQ(imported.Json().at("encoding").as_string(), "windows-1252");
    EXPECT_EQ(imported.Json().at("created").as_int64(), 3);

    const auto list = http_.Get(Path("/people"), s_.admin_token);
    ASSERT_EQ(list.status, 200);
    ASSERT_TRUE(core::IsValidUtf8(list.body)) << list.body;
    std::vector<std::string> names;
    const auto listed = list.Json();
    for (const auto& p : listed.at("items").as_array()) {
        names.emplace_back(p.at("name").as_string());
    }
    EXPECT_EQ(names, (std::vector<std::string>{"Zoë Müller", "François “Françou” Lefèvre", "Åsa Šebalj"}));

    // The reports with those names are valid files: the XLSX reads back whole in another program's reader.
    Push({{"17", "2026-03-11 07:50:00"}, {"18", "2026-03-11 08:20:00"}});
    for (const auto* report : {"summary", "late"}) {
        const auto xlsx = http_.Get(
            Path("/reports/" + std::string(report) + "?from=2026-03-11&to=2026-03-11&format=xlsx"), s_.admin_token);
        ASSERT_EQ(xlsx.status, 200) << report;
        const auto read = RunCommand({ROLLCALL_PYTHON3, "-c", kReadXlsx}, xlsx.body);
        ASSERT_EQ(read.exit_code, 0) << report << ": " << read.err;
        EXPECT_NE(read.out.find("François “Françou” Lefèvre"), std::string::npos) << report;
    }
    const auto csv = http_.Get(Path("/reports/summary?from=2026-03-11&to=2026-03-11&format=csv"), s_.admin_token);
    EXPECT_TRUE(core::IsValidUtf8(csv.body));
    EXPECT_NE(csv.body.find("Åsa Šebalj"), std::string::npos) << csv.body;
}

TEST_F(People, TextThatIsNotUtf8IsRefusedWhereverItComesIn) {
    // A JSON body (Boost.JSON checks every string), a query parameter that would name a scope, a CSV line.
    EXPECT_EQ(http_
                  .Request("POST",
                           Path("/people"),
                           "{\"name\": \"Zo\xEB\", \"kind\": \"student\"}",
                           {{"Authorization", "Bearer " + s_.admin_token}})
                  .status,
              400);
    const auto scope = http_.Put(
        Path("/settings/attendance?group=5%E9"), json::object{{"school_start_time", "08:00"}}, s_.admin_token);
    EXPECT_EQ(scope.status, 400) << scope.body;
    EXPECT_EQ(scope.Json().at("error").at("message").as_string(), "query: parameters must be UTF-8 text");
    EXPECT_EQ(http_.Get(Path("/attendance?date=2026-03-12&group=%FF"), s_.admin_token).status, 400);
    const auto mixed = Import("name,kind\nZoë,student\nZo\xEB,student\n");
    ASSERT_EQ(mixed.status, 200) << mixed.body;
    EXPECT_EQ(mixed.Json().at("created").as_int64(), 1);
    EXPECT_EQ(mixed.Json().at("errors").at(0).at("line").as_int64(), 3);
    const auto people = http_.Get(Path("/people"), s_.admin_token);
    EXPECT_TRUE(core::IsValidUtf8(people.body));
    EXPECT_EQ(people.Json().at("items").as_array().size(), 1U);
}

}  // namespace
}  // namespace rollcall::test
