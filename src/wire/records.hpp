#pragma once

// The JSON shapes of the stored records as the admin API answers them (docs/api.md "Admin side";
// docs/openapi.yaml describes each). Each record converts with Boost.JSON's own `json::value_from(record)`,
// and so does a vector of them. The converters live in the records' namespace because that is where
// argument-dependent lookup finds them; they are declared here, beside the other shapes of src/wire/, so a
// record's JSON is written once for the API and for the audit trail's snapshots (service/audit.cpp).

#include "storage/records.hpp"
#include "wire/fields.hpp"

#include <initializer_list>
#include <string_view>

namespace rollcall::storage {

void tag_invoke(boost::json::value_from_tag, boost::json::value& out, const School& s);
/// A user without their password hash.
void tag_invoke(boost::json::value_from_tag, boost::json::value& out, const User& u);
void tag_invoke(boost::json::value_from_tag, boost::json::value& out, const Device& d);
void tag_invoke(boost::json::value_from_tag, boost::json::value& out, const DeviceStatus& s);
void tag_invoke(boost::json::value_from_tag, boost::json::value& out, const Person& p);
void tag_invoke(boost::json::value_from_tag, boost::json::value& out, const Mapping& m);
void tag_invoke(boost::json::value_from_tag, boost::json::value& out, const DeviceUser& u);
void tag_invoke(boost::json::value_from_tag, boost::json::value& out, const Holiday& h);
void tag_invoke(boost::json::value_from_tag, boost::json::value& out, const StoredPunch& p);
void tag_invoke(boost::json::value_from_tag, boost::json::value& out, const Override& o);
void tag_invoke(boost::json::value_from_tag, boost::json::value& out, const ClockCorrection& c);
void tag_invoke(boost::json::value_from_tag, boost::json::value& out, const AuditEntry& a);
void tag_invoke(boost::json::value_from_tag, boost::json::value& out, const AgentToken& t);
void tag_invoke(boost::json::value_from_tag, boost::json::value& out, const Webhook& w);
void tag_invoke(boost::json::value_from_tag, boost::json::value& out, const WebhookDelivery& d);

}  // namespace rollcall::storage

namespace rollcall::wire {

/// A user id of the unmapped inbox (R7): a device user with the name its terminal holds, without its person.
struct UnmappedUser {
    const storage::DeviceUser& user;
};
void tag_invoke(json::value_from_tag, json::value& out, const UnmappedUser& u);

/// The fields of `record`'s JSON named in `fields`, in that order: what the audit trail keeps of it.
template <class Record>
json::object Pick(const Record& record, std::initializer_list<std::string_view> fields) {
    const auto all = json::value_from(record);
    json::object out;
    for (const auto field : fields) {
        out[field] = all.as_object().at(field);
    }
    return out;
}

}  // namespace rollcall::wire
