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

}  // namespace
}  // namespace rollcall::net
