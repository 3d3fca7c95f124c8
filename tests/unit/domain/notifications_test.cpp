// What a recomputed row tells the school's gateway: at most one event of each kind per person and day.

#include "domain/notifications.hpp"

#include "support/enum_table.hpp"

#include <gtest/gtest.h>

namespace rollcall::domain {
namespace {

std::vector<EventKind> Kinds(const NotifyDecision& d) {
    std::vector<EventKind> out;
    for (const auto& e : d.events) {
        out.push_back(e.kind);
    }
    return out;
}

using enum EventKind;

TEST(Notifications, EventKindNamesRoundTrip) {
    for (const auto kind : kAllEventKinds) {
        EXPECT_EQ(ParseEventKind(EventKindName(kind)), kind);
    }
    EXPECT_FALSE(ParseEventKind("birthday"));
}

TEST(Notifications, ADeliveryIsPendingDeliveredOrFailed) {
    test::ExpectNameTable<DeliveryState>({{DeliveryState::kPending, "pending"},
                                          {DeliveryState::kDelivered, "delivered"},
                                          {DeliveryState::kFailed, "failed"}});
    test::ExpectRefused<DeliveryState>("state", "lost", "state: must be pending, delivered or failed");
}

TEST(Notifications, PendingTellsNothing) {
    const auto d = DecideNotifications({}, {DayStatus::kPending, false}, true);
    EXPECT_TRUE(d.events.empty());
    EXPECT_EQ(d.next.sent, 0U);
}

TEST(Notifications, OnTimeArrivalIsAnArrivalOnly) {
    const auto d = DecideNotifications({}, {DayStatus::kPresent, true}, true);
    EXPECT_EQ(Kinds(d), std::vector<EventKind>{kArrival});
    EXPECT_FALSE(d.next.reported);
}

TEST(Notifications, OnlyAnOutIsNoArrival) {
    EXPECT_TRUE(DecideNotifications({}, {DayStatus::kPresent, false}, true).events.empty());
}

TEST(Notifications, LateArrivalIsAnArrivalAndALate) {
    const auto d = DecideNotifications({}, {DayStatus::kLate, true}, true);
    EXPECT_EQ(Kinds(d), (std::vector<EventKind>{kArrival, kLate}));
    EXPECT_EQ(d.next.reported, DayStatus::kLate);
}

TEST(Notifications, TheSameRowAgainTellsNothing) {
    const auto first = DecideNotifications({}, {DayStatus::kLate, true}, true);
    const auto again = DecideNotifications(first.next, {DayStatus::kLate, true}, true);
    EXPECT_TRUE(again.events.empty());
    EXPECT_EQ(again.next.sent, first.next.sent);
}

TEST(Notifications, AbsentIsSentOnce) {
    const auto d = DecideNotifications({}, {DayStatus::kAbsent, false}, true);
    EXPECT_EQ(Kinds(d), std::vector<EventKind>{kAbsent});
    EXPECT_TRUE(DecideNotifications(d.next, {DayStatus::kAbsent, false}, true).events.empty());
}

TEST(Notifications, R17_AbsentThenLateIsOneCorrectionNotAnArrival) {
    const auto absent = DecideNotifications({}, {DayStatus::kAbsent, false}, true);
    const auto late = DecideNotifications(absent.next, {DayStatus::kLate, true}, true);
    ASSERT_EQ(Kinds(late), std::vector<EventKind>{kCorrection});
    EXPECT_EQ(late.events[0].previous, DayStatus::kAbsent);
    EXPECT_EQ(late.next.reported, DayStatus::kLate);
    // Back and forth (an override set and cleared): still only the one correction.
    const auto excused = DecideNotifications(late.next, {DayStatus::kExcused, false}, true);
    EXPECT_TRUE(excused.events.empty());
    EXPECT_TRUE(DecideNotifications(excused.next, {DayStatus::kLate, true}, true).events.empty());
}

TEST(Notifications, LateThatBecomesPresentIsCorrected) {
    const auto late = DecideNotifications({}, {DayStatus::kLate, true}, true);
    const auto present = DecideNotifications(late.next, {DayStatus::kPresent, true}, true);
    ASSERT_EQ(Kinds(present), std::vector<EventKind>{kCorrection});
    EXPECT_EQ(present.events[0].previous, DayStatus::kLate);
}

TEST(Notifications, PresentThenLateByOverrideSendsTheLate) {
    const auto present = DecideNotifications({}, {DayStatus::kPresent, true}, true);
    const auto late = DecideNotifications(present.next, {DayStatus::kLate, true}, true);
    EXPECT_EQ(Kinds(late), std::vector<EventKind>{kLate});
}

TEST(Notifications, OldDaysArePassedOverAndNeverSentLater) {
    const auto old = DecideNotifications({}, {DayStatus::kLate, true}, false);
    EXPECT_TRUE(old.events.empty());
    EXPECT_FALSE(old.next.reported) << "nothing was told, so nothing can need correcting";
    // Even if the day counts as fresh again (a clock moved back), what was passed over stays passed over.
    EXPECT_TRUE(DecideNotifications(old.next, {DayStatus::kLate, true}, true).events.empty());
    EXPECT_TRUE(DecideNotifications(old.next, {DayStatus::kPresent, true}, false).events.empty());
}

TEST(Notifications, ACorrectionOfWhatWasSentGoesOutEvenForAnOldDay) {
    const auto absent = DecideNotifications({}, {DayStatus::kAbsent, false}, true);
    const auto later = DecideNotifications(absent.next, {DayStatus::kExcused, false}, false);
    EXPECT_EQ(Kinds(later), std::vector<EventKind>{kCorrection});
}

TEST(Notifications, AnAbsenceFinalOnlyAfterMidnightStillGoesOut) {
    // No start time: the day is final at its end, so its absences are decided the next day.
    const auto d = DecideNotifications({}, {DayStatus::kAbsent, false}, false, true);
    EXPECT_EQ(Kinds(d), std::vector<EventKind>{kAbsent});
    EXPECT_TRUE(DecideNotifications({}, {DayStatus::kLate, true}, false, true).events.empty());
}

// Issue 11, item 1: a row that goes back to pending (an override of an absence removed on a day not final)
// tells the gateway nothing; parents never read "status: pending". The next decided status is corrected once.
TEST(Notifications, NoEventEverAnnouncesPending) {
    const auto absent = DecideNotifications({}, {DayStatus::kAbsent, false}, true);
    const auto pending = DecideNotifications(absent.next, {DayStatus::kPending, false}, true);
    EXPECT_TRUE(pending.events.empty());
    EXPECT_EQ(pending.next.reported, DayStatus::kAbsent);
    EXPECT_TRUE(DecideNotifications(pending.next, {DayStatus::kAbsent, false}, true).events.empty());
    const auto late = DecideNotifications(pending.next, {DayStatus::kLate, true}, true);
    ASSERT_EQ(Kinds(late), std::vector<EventKind>{kCorrection});
    EXPECT_EQ(late.events[0].previous, DayStatus::kAbsent);
}

// Issue 11, item 5: a child whose only punch fell outside both windows is absent by the rules, but came.
TEST(Notifications, AChildWhoPunchedIsNeverAnnouncedAbsent) {
    const auto d = DecideNotifications({}, {DayStatus::kAbsent, false, true}, true);
    EXPECT_TRUE(d.events.empty());
    EXPECT_FALSE(d.next.reported);
    // An admin who then marks the child excused has nothing to correct.
    EXPECT_TRUE(DecideNotifications(d.next, {DayStatus::kExcused, false, true}, true).events.empty());
}

}  // namespace
}  // namespace rollcall::domain
