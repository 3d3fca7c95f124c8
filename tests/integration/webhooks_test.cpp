// Recomputation (R18) and webhooks: real punches over HTTP, the recompute worker, signed events delivered
// over real HTTP to a local receiver standing in for the school's SMS gateway.

#include "auth/crypto.hpp"
#include "integration/school_test.hpp"
#include "service/webhook_dispatcher.hpp"
#include "storage/sqlite/sqlite_db.hpp"
#include "support/tcp_faults.hpp"
#include "support/webhook_receiver.hpp"

#include <chrono>
#include <filesystem>
#include <map>
#include <set>

#include <gtest/gtest.h>

namespace rollcall::test {
namespace {

namespace json = boost::json;

// The fixed clock says 2026-03-12 10:00 UTC: 13:00 in Nairobi, a Thursday.

// The steps every webhook test takes, for the fixture and for the tests that need their own server.
/// A student of the school since the start of the year, mapped to the device's user `user_id`.
void MapStudent(HttpClient& http, const SchoolFixture& s, const std::string& user_id, const std::string& name) {
    auto person =
        http.Post(SchoolPath(s, "/people"),
                  json::object{{"name", name}, {"kind", "student"}, {"group", "5A"}, {"active_from", "2026-01-01"}},
                  s.admin_token);
    ASSERT_EQ(person.status, 201) << person.body;
    auto r = http.Post(SchoolPath(s, "/mappings"),
                       json::object{{"user_id", user_id}, {"person_id", person.Json().at("id").as_int64()}},
                       s.admin_token);
    ASSERT_EQ(r.status, 201) << r.body;
}
void PushPunches(HttpClient& http,
                 const SchoolFixture& s,
                 const std::vector<std::pair<std::string, std::string>>& punches) {
    auto r = http.Post("/api/v1/biometric/push-log", PushLogBody(punches), s.device_token);
    ASSERT_EQ(r.status, 200) << r.body;
}
class Webhooks : public SchoolTest {
protected:
    explicit Webhooks(const Settings& settings = {}) : SchoolTest(settings) {}

    WebhookReceiver gateway_;

    void Push(const std::vector<std::pair<std::string, std::string>>& punches) { PushPunches(http_, s_, punches); }
    /// Registers the gateway; returns the signing secret.
    std::string Register(const json::array& events = {}) {
        json::object body{{"url", gateway_.Url()}};
        if (!events.empty()) {
            body["events"] = events;
        }
        auto r = http_.Post(Path("/webhooks"), body, s_.admin_token);
        EXPECT_EQ(r.status, 201) << r.body;
        return std::string(r.Json().at("secret").as_string());
    }
    /// What the worker threads do, run here so the test knows when it is done.
    void Process() {
        ASSERT_TRUE(server_.app().recompute().Sweep());
        ASSERT_TRUE(server_.app().recompute().RunPending());
        ASSERT_TRUE(server_.app().webhooks().DeliverDue());
    }
    /// Runs the workers a second before a retry due in `wait_seconds`, when the gateway must still have received only
    /// `received`, then at the retry's time.
    void WaitForRetry(std::int64_t wait_seconds, std::size_t received) {
        server_.clock().Advance(wait_seconds - 1);
        Process();
        EXPECT_EQ(gateway_.Received().size(), received) << "retried before its " << wait_seconds << " s";
        server_.clock().Advance(1);
        Process();
    }
    json::array Deliveries() {
        auto r = http_.Get(Path("/webhooks/deliveries"), s_.admin_token);
        EXPECT_EQ(r.status, 200) << r.body;
        return r.Json().at("items").as_array();
    }
    static std::vector<std::string> Types(const std::vector<ReceivedRequest>& received) {
        std::vector<std::string> out;
        out.reserve(received.size());
        for (const auto& r : received) {
            out.emplace_back(r.Json().at("type").as_string());
        }
        return out;
    }
};

TEST_F(Webhooks, ArrivalAndLateAreSentSignedOncePerPersonAndDay) {
    const auto secret = Register();
    EXPECT_TRUE(secret.starts_with("rcw_"));
    Rules({{"school_start_time", "08:00"}, {"grace_minutes", 10}});
    const auto amina = Person("Amina");
    const auto brian = Person("Brian");
    Map("1", amina);
    Map("2", brian);
    Push({{"1", "2026-03-12 07:55:00"}, {"2", "2026-03-12 08:25:00"}});
    Process();

    const auto received = gateway_.Received();
    ASSERT_EQ(received.size(), 3U);
    std::multiset<std::string> kinds;
    for (const auto& r : received) {
        const auto doc = r.Json();
        kinds.insert(std::string(doc.at("type").as_string()) + ":" +
                     std::string(doc.at("person").at("name").as_string()));
        EXPECT_EQ(r.headers.at("content-type"), "application/json");
        EXPECT_EQ("http://" + r.headers.at("host") + "/hook", gateway_.Url());
        EXPECT_EQ(r.headers.at("x-rollcall-event"), doc.at("type").as_string());
        // The signature covers "<timestamp>.<body>" under the secret the school was given.
        const auto ts = std::stoll(r.headers.at("x-rollcall-timestamp"));
        EXPECT_EQ(r.headers.at("x-rollcall-signature"), service::SignatureHeader(secret, ts, r.body));
        EXPECT_NE(r.headers.at("x-rollcall-signature"), service::SignatureHeader("rcw_wrong", ts, r.body));
        EXPECT_EQ(doc.at("date").as_string(), "2026-03-12");
        EXPECT_EQ(doc.at("school").at("name").as_string(), "Hill School");
    }
    EXPECT_EQ(kinds, (std::multiset<std::string>{"arrival:Amina", "arrival:Brian", "late:Brian"}));
    for (const auto& r : received) {
        const auto doc = r.Json();
        if (doc.at("type").as_string() == "late") {
            EXPECT_EQ(doc.at("in_time").as_string(), "08:25:00");
            EXPECT_EQ(doc.at("late_minutes").as_int64(), 25);
        }
    }

    // More punches the same day, a re-process, a sweep: nothing of the same kind twice.
    Push({{"1", "2026-03-12 07:58:00"}, {"2", "2026-03-12 08:40:00"}});
    ASSERT_EQ(http_.Post(Path("/recompute"), json::object{{"from", "2026-03-10"}, {"to", "2026-03-12"}}, s_.admin_token)
                  .status,
              202);
    ASSERT_TRUE(server_.app().recompute().Sweep());
    Process();
    EXPECT_EQ(gateway_.Received().size(), 3U);
    const auto log = Deliveries();
    ASSERT_EQ(log.size(), 3U);
    for (const auto& d : log) {
        EXPECT_EQ(d.at("state").as_string(), "delivered");
        EXPECT_EQ(d.at("attempts").as_int64(), 1);
        EXPECT_EQ(d.at("last_status").as_int64(), 200);
    }
}

TEST_F(Webhooks, LatePunchAfterFinalizationTurnsAbsentIntoLateAndSendsACorrection) {
    Register();
    Rules({{"school_start_time", "08:00"}});  // cutoff 10:00; it is 13:00
    const auto amina = Person("Amina");
    Map("1", amina);
    Process();
    EXPECT_TRUE(gateway_.Received().empty()) << "pending while the gate reader is silent (R16)";

    Push({});  // the device is heard from after the cutoff: Amina's absence is final
    Process();
    auto received = gateway_.Received();
    ASSERT_EQ(Types(received), std::vector<std::string>{"absent"});
    EXPECT_TRUE(received[0].Json().at("final").as_bool());

    // The gate reader uploads a backlog: Amina came at 08:12 (R17).
    Push({{"1", "2026-03-12 08:12:00"}});
    Process();
    received = gateway_.Received();
    ASSERT_EQ(Types(received), (std::vector<std::string>{"absent", "correction"}));
    const auto correction = received[1].Json();
    EXPECT_EQ(correction.at("previous_status").as_string(), "absent");
    EXPECT_EQ(correction.at("status").as_string(), "late");
    EXPECT_EQ(correction.at("in_time").as_string(), "08:12:00");
    EXPECT_EQ(correction.at("late_minutes").as_int64(), 12);
    EXPECT_EQ(correction.at("person").at("id").as_int64(), amina);
}

TEST_F(Webhooks, ASchoolThatLeftTheServiceSendsItsParentsNothing) {
    Register();
    Rules({{"school_start_time", "08:00"}, {"grace_minutes", 10}});
    Map("1", Person("Amina"));
    Push({{"1", "2026-03-12 08:25:00"}});
    ASSERT_TRUE(server_.app().recompute().RunPending());  // the late arrival is queued for the gateway

    // The school leaves before the queue is sent.
    ASSERT_EQ(http_.Patch(Path(""), json::object{{"status", "inactive"}}, s_.admin_token).status, 200);
    Process();
    // The days go by: nobody of a school that left is concluded absent.
    server_.clock().Advance(std::int64_t{2} * 86400);
    Process();
    EXPECT_TRUE(gateway_.Received().empty()) << Types(gateway_.Received()).front();
    s_.admin_token = server_.SuperAdminToken();  // the first login expired over those days
    const auto log = Deliveries();
    ASSERT_EQ(log.size(), 2U) << json::serialize(log) << ": the arrival and the late, nothing after";
    for (const auto& d : log) {
        EXPECT_EQ(d.at("state").as_string(), "failed");
        EXPECT_EQ(d.at("last_error").as_string(), "not sent: the school is deactivated");
    }
}

TEST_F(Webhooks, AnOverrideThatChangesASentLateSendsOneCorrection) {
    Register();
    Rules({{"school_start_time", "08:00"}});
    const auto amina = Person("Amina");
    Map("1", amina);
    Push({{"1", "2026-03-12 08:30:00"}});
    Process();
    ASSERT_EQ(Types(gateway_.Received()), (std::vector<std::string>{"arrival", "late"}));

    auto r = Override(amina, "2026-03-12", "excused", "dentist, note from parent");
    ASSERT_EQ(r.status, 201) << r.body;
    Process();
    const auto received = gateway_.Received();
    ASSERT_EQ(Types(received), (std::vector<std::string>{"arrival", "late", "correction"}));
    EXPECT_EQ(received[2].Json().at("previous_status").as_string(), "late");
    EXPECT_EQ(received[2].Json().at("status").as_string(), "excused");
}

TEST_F(Webhooks, AFailedDeliveryIsRetriedWithBackoffAndLogged) {
    Register({"arrival"});
    const auto amina = Person("Amina");
    Map("1", amina);
    gateway_.AnswerNext({500, 503});
    Push({{"1", "2026-03-12 07:50:00"}});
    Process();
    auto log = Deliveries();
    ASSERT_EQ(log.size(), 1U);
    EXPECT_EQ(log[0].at("state").as_string(), "pending");
    EXPECT_EQ(log[0].at("attempts").as_int64(), 1);
    EXPECT_EQ(log[0].at("last_status").as_int64(), 500);
    // The first retry waits retry_base_seconds (30).
    WaitForRetry(30, 1);
    log = Deliveries();
    EXPECT_EQ(log[0].at("attempts").as_int64(), 2);
    EXPECT_EQ(log[0].at("last_status").as_int64(), 503);
    // The second retry waits twice as long.
    WaitForRetry(60, 2);
    log = Deliveries();
    EXPECT_EQ(log[0].at("state").as_string(), "delivered");
    EXPECT_EQ(log[0].at("attempts").as_int64(), 3);
    const auto received = gateway_.Received();
    ASSERT_EQ(received.size(), 3U);
    // The same event each time: a gateway that saw it before can tell by its id.
    EXPECT_EQ(received[0].Json().at("id"), received[2].Json().at("id"));
    EXPECT_EQ(Types(received), (std::vector<std::string>{"arrival", "arrival", "arrival"}));
}

// Issue 12, item 8: one delivery whose stored payload is not JSON (a damaged database, an operator's edit) made the
// whole delivery log answer 500. The log still answers, that row says it cannot be read, and the others are intact.
TEST_F(Webhooks, ADeliveryWhosePayloadIsDamagedOnDiskIsListedAsUnreadableAndTheRestOfTheLogStays) {
    Register({"arrival"});
    Map("1", Person("Amina"));
    Map("2", Person("Brian"));
    Push({{"1", "2026-03-12 07:50:00"}, {"2", "2026-03-12 07:55:00"}});
    Process();
    auto log = Deliveries();
    ASSERT_EQ(log.size(), 2U);
    const auto damaged = log[0].at("id").as_int64();
    {
        storage::sqlite::Db db((std::filesystem::path(server_.data_dir()) / "rollcall.db").string(), false);
        db.Exec("UPDATE webhook_deliveries SET payload = '{\"id\": \"evt_1_' WHERE id = " + std::to_string(damaged));
        ASSERT_EQ(db.Changes(), 1);
    }
    auto r = http_.Get(Path("/webhooks/deliveries"), s_.admin_token);
    ASSERT_EQ(r.status, 200) << r.body;
    log = r.Json().at("items").as_array();
    ASSERT_EQ(log.size(), 2U);
    for (const auto& d : log) {
        EXPECT_EQ(d.at("state").as_string(), "delivered") << d;
        if (d.at("id").as_int64() == damaged) {
            EXPECT_TRUE(d.at("payload").is_null()) << d;
            EXPECT_TRUE(
                std::string(d.at("payload_error").as_string()).starts_with("the stored payload is not valid JSON"))
                << d;
        } else {
            EXPECT_TRUE(d.at("payload_error").is_null()) << d;
            EXPECT_EQ(d.at("payload").at("type").as_string(), "arrival") << d;
        }
    }
    // Asked for that webhook's deliveries alone, the same.
    const auto hook = log[0].at("webhook_id").as_int64();
    r = http_.Get(Path("/webhooks/deliveries?webhook_id=" + std::to_string(hook)), s_.admin_token);
    EXPECT_EQ(r.status, 200) << r.body;
}

class WebhooksWithThreeAttempts : public Webhooks {
protected:
    WebhooksWithThreeAttempts() : Webhooks({{"webhooks.max_attempts", "3"}}) {}
};

// operations.md: a gateway that keeps failing is retried with backoff until webhooks.max_attempts, then the
// delivery is failed; the delivery log shows each attempt's outcome as it happens.
TEST_F(WebhooksWithThreeAttempts, ADeliveryIsFailedAfterTheLastAttemptAndEveryAttemptIsLogged) {
    Register({"arrival"});
    Map("1", Person("Amina"));
    gateway_.AnswerNext({500, 502, 503});  // then 200: a fourth attempt would succeed, so none may be made
    Push({{"1", "2026-03-12 07:50:00"}});
    struct Expected {
        int status;
        const char* state;
        const char* next_attempt_at;  // retry_base_seconds (30) after the first, twice that after the second
        std::int64_t wait;
    };
    const Expected attempts[] = {{500, "pending", "2026-03-12T10:00:30Z", 30},
                                 {502, "pending", "2026-03-12T10:01:30Z", 60},
                                 {503, "failed", nullptr, 0}};
    for (std::size_t i = 0; i < 3; ++i) {
        const auto& want = attempts[i];
        Process();
        ASSERT_EQ(gateway_.Received().size(), i + 1);
        const auto log = Deliveries();
        ASSERT_EQ(log.size(), 1U);
        EXPECT_EQ(log[0].at("attempts").as_int64(), static_cast<std::int64_t>(i + 1));
        EXPECT_EQ(log[0].at("state").as_string(), want.state);
        EXPECT_EQ(log[0].at("last_status").as_int64(), want.status);
        EXPECT_EQ(log[0].at("last_error").as_string(), "HTTP " + std::to_string(want.status));
        if (want.next_attempt_at != nullptr) {
            EXPECT_EQ(log[0].at("next_attempt_at").as_string(), want.next_attempt_at);
        } else {
            EXPECT_TRUE(log[0].at("next_attempt_at").is_null());
            EXPECT_TRUE(log[0].at("delivered_at").is_null());
        }
        server_.clock().Advance(want.wait);
    }
    // Failed is final: hours later (retries wait at most webhooks.retry_max_seconds, an hour) the gateway would
    // answer 200, and it is not asked again.
    server_.clock().Advance(std::int64_t{6} * 3600);
    Process();
    EXPECT_EQ(gateway_.Received().size(), 3U);
    EXPECT_EQ(Deliveries()[0].at("state").as_string(), "failed");
    EXPECT_FALSE(server_.OpenDatabase()->NextDeliveryAt()->has_value());
}

class WebhooksWithAShortTimeout : public Webhooks {
protected:
    WebhooksWithAShortTimeout() : Webhooks({{"webhooks.timeout_ms", "300"}}) {}
};

// A gateway that takes the connection and then says nothing costs one webhooks.timeout_ms, not a hung sender.
TEST_F(WebhooksWithAShortTimeout, AGatewayThatNeverAnswersIsCutOffAtTheTimeoutAndTheLogSaysSo) {
    SilentGateway silent;
    auto r = http_.Post(
        Path("/webhooks"), json::object{{"url", silent.Url()}, {"events", json::array{"arrival"}}}, s_.admin_token);
    ASSERT_EQ(r.status, 201) << r.body;
    Map("1", Person("Amina"));
    Push({{"1", "2026-03-12 07:50:00"}});
    ASSERT_TRUE(server_.app().recompute().RunPending());

    const auto started = std::chrono::steady_clock::now();
    const auto attempts = server_.app().webhooks().DeliverDue();
    const auto took = std::chrono::steady_clock::now() - started;
    ASSERT_TRUE(attempts);
    EXPECT_EQ(*attempts, 1U);
    EXPECT_EQ(silent.WaitForConnections(1), 1U) << "the gateway took the connection; only its answer never came";
    EXPECT_GE(took, std::chrono::milliseconds(300));
    EXPECT_LT(took, std::chrono::milliseconds(4000)) << "cut off at webhooks.timeout_ms (300), not the default 5000";
    const auto log = Deliveries();
    ASSERT_EQ(log.size(), 1U);
    EXPECT_EQ(log[0].at("state").as_string(), "pending");
    EXPECT_EQ(log[0].at("attempts").as_int64(), 1);
    EXPECT_EQ(log[0].at("last_status").as_int64(), 0);
    EXPECT_EQ(log[0].at("last_error").as_string(), "no answer within 300 ms");
}

// A failing gateway's other events wait out its backoff (one failed attempt per backoff period, however big
// the backlog), and none is lost; another webhook of the same school and another school's gateway are not
// held up by it.
TEST_F(Webhooks, AFailingGatewaysBackoffHoldsItsOwnEventsOnlyAndLosesNone) {
    Register({"arrival"});
    WebhookReceiver second;
    auto r = http_.Post(
        Path("/webhooks"), json::object{{"url", second.Url()}, {"events", json::array{"arrival"}}}, s_.admin_token);
    ASSERT_EQ(r.status, 201) << r.body;
    const auto valley = MakeSchool(server_, "Valley School");
    WebhookReceiver valley_gateway;
    r = http_.Post(SchoolPath(valley, "/webhooks"),
                   json::object{{"url", valley_gateway.Url()}, {"events", json::array{"arrival"}}},
                   valley.admin_token);
    ASSERT_EQ(r.status, 201) << r.body;
    Map("1", Person("Amina"));
    Map("2", Person("Brian"));
    Map("3", Person("Chao"));
    MapStudent(http_, valley, "1", "Dana");
    MapStudent(http_, valley, "2", "Eli");

    gateway_.AnswerNext({500});
    Push({{"1", "2026-03-12 07:50:00"}, {"2", "2026-03-12 07:51:00"}, {"3", "2026-03-12 07:52:00"}});
    PushPunches(http_, valley, {{"1", "2026-03-12 07:50:00"}, {"2", "2026-03-12 07:51:00"}});
    Process();
    EXPECT_EQ(gateway_.Received().size(), 1U) << "after its failure, the gateway's other events wait";
    EXPECT_EQ(second.Received().size(), 3U);
    EXPECT_EQ(valley_gateway.Received().size(), 2U);
    const auto failing_id = http_.Get(Path("/webhooks"), s_.admin_token).Json().at("items").as_array()[0].at("id");
    int tried = 0;
    for (const auto& d : Deliveries()) {
        if (d.at("webhook_id") != failing_id) {
            EXPECT_EQ(d.at("state").as_string(), "delivered");
            continue;
        }
        EXPECT_EQ(d.at("state").as_string(), "pending");
        EXPECT_EQ(d.at("next_attempt_at").as_string(), "2026-03-12T10:00:30Z");
        tried += static_cast<int>(d.at("attempts").as_int64());
    }
    EXPECT_EQ(tried, 1) << "one attempt for the whole backlog";

    // An event that arrives during the backoff waits as well.
    server_.clock().Advance(10);
    Map("4", Person("Farah"));
    Push({{"4", "2026-03-12 07:53:00"}});
    Process();
    EXPECT_EQ(gateway_.Received().size(), 1U);
    EXPECT_EQ(second.Received().size(), 4U);

    // The backoff over, the gateway answers again and gets every one of its events.
    server_.clock().Advance(20);
    Process();
    const auto received = gateway_.Received();
    ASSERT_EQ(received.size(), 5U);  // the failed one again, the two that waited, the one that came later
    std::multiset<std::string> names;
    for (std::size_t i = 1; i < received.size(); ++i) {
        names.emplace(received[i].Json().at("person").at("name").as_string());
    }
    EXPECT_EQ(names, (std::multiset<std::string>{"Amina", "Brian", "Chao", "Farah"}));
    for (const auto& d : Deliveries()) {
        EXPECT_EQ(d.at("state").as_string(), "delivered") << d;
    }
}

// Issue 12, item 12: a school's failing gateway builds a backoff; the school deletes that webhook and another school
// registers one. SQLite handed the deleted id out again, and the new webhook inherited the backoff: the other
// school's parents heard nothing for the backoff's length. Ids are never reused, and a deleted webhook's backoff
// is dropped at once.
TEST_F(Webhooks, ADeletedWebhooksIdAndBackoffPassToNoOtherSchoolsNewWebhook) {
    Register({"arrival"});
    Map("1", Person("Amina"));
    gateway_.AnswerNext({500});
    Push({{"1", "2026-03-12 07:50:00"}});
    Process();
    const auto deleted = Deliveries().at(0).at("webhook_id").as_int64();
    ASSERT_TRUE(server_.app().webhooks().InBackoff(deleted)) << "the gateway failed: its events wait 30 s";
    ASSERT_EQ(http_.Delete(Path("/webhooks/" + std::to_string(deleted)), s_.admin_token).status, 204);
    EXPECT_FALSE(server_.app().webhooks().InBackoff(deleted)) << "nothing of a deleted webhook stays";

    const auto valley = MakeSchool(server_, "Valley School");
    WebhookReceiver valley_gateway;
    auto r = http_.Post(SchoolPath(valley, "/webhooks"),
                        json::object{{"url", valley_gateway.Url()}, {"events", json::array{"arrival"}}},
                        valley.admin_token);
    ASSERT_EQ(r.status, 201) << r.body;
    EXPECT_GT(r.Json().at("id").as_int64(), deleted) << "a new webhook gets an id no webhook ever had";
    MapStudent(http_, valley, "1", "Dana");
    PushPunches(http_, valley, {{"1", "2026-03-12 07:55:00"}});
    Process();  // the clock has not moved: within the deleted webhook's backoff
    const auto received = valley_gateway.Received();
    ASSERT_EQ(received.size(), 1U) << "Valley's first event goes at once";
    EXPECT_EQ(received[0].Json().at("person").at("name").as_string(), "Dana");
}

TEST_F(Webhooks, AnUnreachableGatewayIsLoggedWithTheReason) {
    RefusingPort closed;  // held by the test: nothing listens there, and nothing else can take it
    auto r = http_.Post(Path("/webhooks"), json::object{{"url", closed.Url()}}, s_.admin_token);
    ASSERT_EQ(r.status, 201) << r.body;
    Rules({{"school_start_time", "08:00"}});  // yesterday's absence was due yesterday: only today's arrival
    Map("1", Person("Amina"));
    Push({{"1", "2026-03-12 07:50:00"}});
    Process();
    const auto log = Deliveries();
    ASSERT_EQ(log.size(), 1U);
    EXPECT_EQ(log[0].at("state").as_string(), "pending");
    EXPECT_EQ(log[0].at("attempts").as_int64(), 1);
    EXPECT_EQ(log[0].at("last_status").as_int64(), 0);
    EXPECT_NE(std::string(log[0].at("last_error").as_string()).find("refused"), std::string::npos)
        << log[0].at("last_error");
}

TEST_F(Webhooks, OldDaysAreNotAnnouncedWhenAMappingFillsInThePast) {
    Register();
    Rules({{"school_start_time", "08:00"}});
    const auto amina = Person("Amina");
    Push({{"1", "2026-02-02 07:50:00"}, {"1", "2026-03-12 07:50:00"}});
    Map("1", amina);  // months later (R7): February fills in, but nobody is told about it now
    Process();
    const auto received = gateway_.Received();
    ASSERT_EQ(received.size(), 1U);
    EXPECT_EQ(received[0].Json().at("date").as_string(), "2026-03-12");
    EXPECT_EQ(received[0].Json().at("type").as_string(), "arrival");
}

TEST_F(Webhooks, WithoutAStartTimeYesterdaysAbsencesGoOutTheNextDay) {
    Register({"absent"});
    Map("1", Person("Amina"));  // no start time: a day's absences are decided only at its end (R16)
    Push({});                   // the gate reader is heard from now, after yesterday's end
    Process();
    const auto received = gateway_.Received();
    ASSERT_EQ(received.size(), 1U);
    EXPECT_EQ(received[0].Json().at("date").as_string(), "2026-03-11");
    EXPECT_TRUE(received[0].Json().at("final").as_bool());
}

TEST_F(Webhooks, EventsAreFilteredPerWebhook) {
    Register({"late"});
    Rules({{"school_start_time", "08:00"}});
    Map("1", Person("Amina"));
    Map("2", Person("Brian"));
    Push({{"1", "2026-03-12 07:50:00"}, {"2", "2026-03-12 08:20:00"}});
    Process();
    EXPECT_EQ(Types(gateway_.Received()), std::vector<std::string>{"late"});
}

TEST_F(Webhooks, BadWebhooksAreRefusedAndNamed) {
    auto bad = [&](json::object body, const std::string& field) {
        auto r = http_.Post(Path("/webhooks"), std::move(body), s_.admin_token);
        EXPECT_EQ(r.status, 400) << r.body;
        EXPECT_NE(r.body.find(field), std::string::npos) << r.body;
    };
    bad({{"url", "ftp://example.org/"}}, "url");
    bad({{"url", "http://"}}, "url");
    bad({{"url", "http://gateway.example/a b"}}, "url");
    bad({}, "url");
    bad({{"url", "http://gateway.example/"}, {"events", json::array{"arrival", "birthday"}}}, "events");
    // The secret is shown once, never listed.
    Register();
    auto list = http_.Get(Path("/webhooks"), s_.admin_token);
    ASSERT_EQ(list.status, 200);
    EXPECT_EQ(list.body.find("secret"), std::string::npos);
    EXPECT_EQ(list.Json().at("items").as_array().size(), 1U);
}

TEST_F(Webhooks, AnotherSchoolsAdminSeesNoneOfIt) {
    Register();
    const auto other = MakeSchool(server_, "Valley School");
    const auto other_admin = server_.SchoolAdminToken(other.school_id, "valley@example.org");
    EXPECT_EQ(http_.Get(Path("/webhooks"), other_admin).status, 404);
    EXPECT_EQ(http_.Get(Path("/webhooks/deliveries"), other_admin).status, 404);
    EXPECT_EQ(http_.Post(Path("/webhooks"), json::object{{"url", "http://evil.example/"}}, other_admin).status, 404);
    EXPECT_EQ(http_.Delete(Path("/webhooks/1"), other_admin).status, 404);
    EXPECT_EQ(
        http_.Post(Path("/recompute"), json::object{{"from", "2026-03-01"}, {"to", "2026-03-02"}}, other_admin).status,
        404);
    // The school's own admin can delete it; the same id under the other school is not found.
    const auto other_path = "/api/v1/schools/" + std::to_string(other.school_id);
    EXPECT_EQ(http_.Delete(other_path + "/webhooks/1", other_admin).status, 404);
    EXPECT_EQ(http_.Delete(Path("/webhooks/1"), s_.admin_token).status, 204);
}

TEST_F(Webhooks, ReprocessRangeIsLimited) {
    auto r = http_.Post(Path("/recompute"), json::object{{"from", "2025-01-01"}, {"to", "2026-03-12"}}, s_.admin_token);
    EXPECT_EQ(r.status, 400);
    EXPECT_NE(r.body.find("366"), std::string::npos) << r.body;
    EXPECT_EQ(http_.Post(Path("/recompute"), json::object{{"from", "2026-03-12"}, {"to", "2026-03-11"}}, s_.admin_token)
                  .status,
              400);
    r = http_.Post(Path("/recompute"), json::object{{"from", "2026-03-01"}, {"to", "2026-03-12"}}, s_.admin_token);
    ASSERT_EQ(r.status, 202) << r.body;
    EXPECT_EQ(r.Json().at("queued_days").as_int64(), 12);
    const auto database = server_.OpenDatabase();
    EXPECT_EQ(*database->CountDirty(), 12);
    Process();
    EXPECT_EQ(*database->CountDirty(), 0);
}

class WebhookLimit : public Webhooks {
protected:
    WebhookLimit() : Webhooks({{"webhooks.max_per_school", "2"}}) {}
};

TEST_F(WebhookLimit, MoreWebhooksThanTheSettingAllowsAreRefused) {
    Register();
    Register();
    auto r = http_.Post(Path("/webhooks"), json::object{{"url", gateway_.Url()}}, s_.admin_token);
    EXPECT_EQ(r.status, 409);
    EXPECT_NE(r.body.find("webhooks.max_per_school"), std::string::npos) << r.body;
}

class WebhooksWithWorker : public Webhooks {
protected:
    WebhooksWithWorker() : Webhooks({{"engine.worker", "true"}}) {}
};

TEST_F(WebhooksWithWorker, ThePushAloneWakesTheWorkerAndTheEventArrives) {
    Register();
    Map("1", Person("Amina"));
    Push({{"1", "2026-03-12 07:50:00"}});
    const auto received = gateway_.WaitFor(1);
    ASSERT_EQ(received.size(), 1U);
    EXPECT_EQ(received[0].Json().at("type").as_string(), "arrival");
}

// https: the gateway's certificate is verified (chain and host); an admin can trust a private CA.
TEST(WebhooksOverHttps, AreDeliveredToATrustedGatewayAndRefusedByAnUntrustedOne) {
    TempDir certs;
    const auto tls = MakeSelfSignedCertificate(certs.path());
    WebhookReceiver gateway(tls);
    for (const bool trusted : {true, false}) {
        Settings settings;
        if (trusted) {
            settings["webhooks.ca_file"] = tls.certificate;
        }
        TestServer server(settings);
        const auto s = MakeSchool(server);
        HttpClient http(server.port());
        const auto path = SchoolPath(s, "");
        ASSERT_EQ(http.Post(path + "/webhooks", json::object{{"url", gateway.Url()}}, s.admin_token).status, 201);
        MapStudent(http, s, "1", "Amina");
        PushPunches(http, s, {{"1", "2026-03-12 07:50:00"}});
        ASSERT_TRUE(server.app().recompute().RunPending());
        ASSERT_TRUE(server.app().webhooks().DeliverDue());
        const auto log = http.Get(path + "/webhooks/deliveries", s.admin_token).Json().at("items").as_array();
        ASSERT_EQ(log.size(), 1U);
        if (trusted) {
            EXPECT_EQ(log[0].at("state").as_string(), "delivered") << log[0].at("last_error");
            EXPECT_EQ(gateway.Received().size(), 1U);
        } else {
            EXPECT_EQ(log[0].at("state").as_string(), "pending");
            EXPECT_NE(std::string(log[0].at("last_error").as_string()).find("certificate"), std::string::npos)
                << log[0].at("last_error");
            EXPECT_EQ(gateway.Received().size(), 1U) << "nothing reached the untrusted gateway";
        }
    }
}

// With webhooks.allow_private_addresses off (the default; TestServer turns it on for every other test, whose
// gateways listen on 127.0.0.1), no URL reaches the server's own network: not the loopback gateway that is
// really listening, under any spelling (IPv4 inside IPv6 too), and no private, link-local, unique-local or other
// special-purpose address.
TEST(WebhooksByDefault, RefuseGatewaysOnPrivateAddressesAndSayWhy) {
    WebhookReceiver gateway;
    // The short timeout bounds the test should an address slip through the filter and be tried for real.
    TestServer server(Settings{{"webhooks.allow_private_addresses", "false"},
                               {"webhooks.max_per_school", "20"},
                               {"webhooks.timeout_ms", "500"}});
    const auto s = MakeSchool(server);
    HttpClient http(server.port());
    const auto path = SchoolPath(s, "");
    const auto url = gateway.Url();
    const auto port = url.substr(url.rfind(':') + 1, url.find("/hook") - url.rfind(':') - 1);
    const std::vector<std::string> urls = {
        url,                                            // 127.0.0.1, where a gateway really listens
        "http://localhost:" + port + "/hook",           // a name that resolves to loopback
        "http://[::1]:" + port + "/hook",               // IPv6 loopback
        "http://[::ffff:127.0.0.1]:" + port + "/hook",  // IPv4-mapped loopback
        "http://10.255.255.1/hook",
        "http://172.31.255.254/hook",
        "http://192.168.255.254/hook",
        "http://169.254.169.254/latest/meta-data/",  // a cloud's metadata service
        "http://[fd00::1]/hook",
        "http://[fe80::1]/hook",
        "http://[::ffff:10.0.0.1]/hook",
        // Issue 12, item 7: special-purpose blocks, and the loopback gateway inside IPv6 forms that carry IPv4.
        "http://198.18.0.1/hook",  // benchmarking: a live service in the probe
        "http://192.0.2.1/hook",
        "http://[64:ff9b::127.0.0.1]:" + port + "/hook",  // NAT64
        "http://[::127.0.0.1]:" + port + "/hook",         // IPv4-compatible
        "http://[2002:7f00:1::1]:" + port + "/hook",      // 6to4
    };
    std::map<std::int64_t, std::string> by_id;
    for (const auto& u : urls) {
        auto r =
            http.Post(path + "/webhooks", json::object{{"url", u}, {"events", json::array{"arrival"}}}, s.admin_token);
        ASSERT_EQ(r.status, 201) << u << ": " << r.body;
        by_id[r.Json().at("id").as_int64()] = u;
    }
    MapStudent(http, s, "1", "Amina");
    PushPunches(http, s, {{"1", "2026-03-12 07:50:00"}});
    ASSERT_TRUE(server.app().recompute().RunPending());
    ASSERT_TRUE(server.app().webhooks().DeliverDue());
    const auto doc = http.Get(path + "/webhooks/deliveries", s.admin_token).Json();
    const auto& log = doc.at("items").as_array();
    ASSERT_EQ(log.size(), urls.size());
    for (const auto& d : log) {
        const auto& u = by_id.at(d.at("webhook_id").as_int64());
        EXPECT_EQ(d.at("state").as_string(), "pending") << u;
        EXPECT_EQ(d.at("attempts").as_int64(), 1) << u;
        EXPECT_NE(std::string(d.at("last_error").as_string()).find("private or local address"), std::string::npos)
            << u << ": " << d.at("last_error");
    }
    EXPECT_TRUE(gateway.Received().empty()) << "nothing reached the address inside the server's network";
}

}  // namespace
}  // namespace rollcall::test
