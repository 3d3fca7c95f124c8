// The request context: what admission learned about the caller (a device, an agent's school, an admin) reaches
// the route only as the type it was stored as, never through a blind cast.

#include "net/http_message.hpp"

#include <cstdint>
#include <string>

#include <gtest/gtest.h>

namespace rollcall::net {
namespace {

struct Caller {
    std::string name;
};

TEST(RequestContext, GivesItsValueBackOnlyAsTheTypeItWasStoredAs) {
    const auto context = RequestContext::Of(Caller{"admin@school"});
    ASSERT_TRUE(context);
    ASSERT_NE(context.Get<Caller>(), nullptr);
    EXPECT_EQ(context.Get<Caller>()->name, "admin@school");
    EXPECT_EQ(context.Get<std::int64_t>(), nullptr) << "a school id was never stored here";
    EXPECT_EQ(context.Get<std::string>(), nullptr);
}

TEST(RequestContext, NothingLearnedAtAdmissionIsEmptyForEveryType) {
    const RequestContext none = nullptr;
    EXPECT_FALSE(none);
    EXPECT_EQ(none.Get<Caller>(), nullptr);
    EXPECT_EQ(none.Get<std::int64_t>(), nullptr);
    EXPECT_FALSE(RequestContext{});
}

TEST(RequestContext, TravelsWithTheRequestAndItsCopies) {
    Admission admission{1024, std::nullopt, RequestContext::Of(std::int64_t{42}), {}};
    Request request;
    request.context = std::move(admission.context);
    const Request copy = request;
    ASSERT_NE(copy.context.Get<std::int64_t>(), nullptr);
    EXPECT_EQ(*copy.context.Get<std::int64_t>(), 42);
    EXPECT_EQ(copy.context.Get<std::int64_t>(), request.context.Get<std::int64_t>()) << "shared, not copied";
}

// The streamed body (Server-Sent Events): whoever pushes never waits, and a reader that falls behind is dropped.
TEST(ResponseStream, ChunksWaitInOrderUntilTheTransportTakesThem) {
    ResponseStream stream({.max_queued = 4, .keepalive = {}, .keepalive_every = {}});
    EXPECT_TRUE(stream.Push("a"));
    EXPECT_TRUE(stream.Push("b"));
    std::vector<std::string> taken;
    EXPECT_TRUE(stream.Take(taken));
    EXPECT_EQ(taken, (std::vector<std::string>{"a", "b"}));
    taken.clear();
    EXPECT_TRUE(stream.Take(taken));
    EXPECT_TRUE(taken.empty()) << "taken once";
}

TEST(ResponseStream, AFullQueueClosesTheStreamInsteadOfWaiting) {
    ResponseStream stream({.max_queued = 2, .keepalive = {}, .keepalive_every = {}});
    EXPECT_TRUE(stream.Push("1"));
    EXPECT_TRUE(stream.Push("2"));
    EXPECT_FALSE(stream.Push("3")) << "the reader is two events behind: dropped";
    EXPECT_TRUE(stream.Closed());
    EXPECT_TRUE(stream.Overflowed());
    EXPECT_FALSE(stream.Push("4"));
    std::vector<std::string> taken;
    EXPECT_FALSE(stream.Take(taken)) << "the transport closes the connection";
    EXPECT_TRUE(taken.empty()) << "what was queued is not written after the drop";
}

TEST(ResponseStream, TheTransportIsWokenOnceUntilItTakes) {
    ResponseStream stream({.max_queued = 8, .keepalive = {}, .keepalive_every = {}});
    int wakes = 0;
    stream.Attach([&] { ++wakes; });
    stream.Push("a");
    stream.Push("b");
    EXPECT_EQ(wakes, 1) << "one wake is pending: the second chunk needs none";
    std::vector<std::string> taken;
    stream.Take(taken);
    stream.Push("c");
    EXPECT_EQ(wakes, 2);
    stream.Take(taken);
    stream.Close();
    EXPECT_EQ(wakes, 3) << "a close wakes the transport too";
    EXPECT_FALSE(stream.Overflowed()) << "closed by the server, not for falling behind";
}

TEST(ResponseStream, ItsEndRunsOnceWhenTheConnectionEndsOrElseWhenItIsDestroyed) {
    int ended = 0;
    {
        ResponseStream stream({});
        stream.OnEnd([&] { ++ended; });
        stream.Ended();
        stream.Ended();
        EXPECT_EQ(ended, 1);
        EXPECT_TRUE(stream.Closed());
    }
    EXPECT_EQ(ended, 1);
    {
        ResponseStream never_answered({});
        never_answered.OnEnd([&] { ++ended; });
    }
    EXPECT_EQ(ended, 2) << "a stream whose answer was never written still gives its place back";
}

}  // namespace
}  // namespace rollcall::net
