#pragma once

// The shapes most handlers share, so a route table can name them instead of spelling each one out: a value as
// its wire shape (src/wire/: `json::value_from`), a list as {"items": [...]}, a delete as 204. The templates
// take the service (a member of Services) and its method, so
// `DeleteById<&Services::people, &service::People::DeletePerson>` is a handler.

#include "http/api.hpp"
#include "http/json_util.hpp"
#include "wire/register.hpp"

#include <type_traits>
#include <vector>

namespace rollcall::http {

/// The value's wire shape answered with `status`, or the error.
template <class T>
Reply Rendered(const core::Result<T>& r, int status = 200) {
    if (!r) {
        return r.error();
    }
    return Json(status, json::value_from(*r));
}

/// `{"items": [...]}` of each value's wire shape, or of `View{value}`'s when a list shows its values another
/// way (the unmapped inbox shows device users without their persons); or the error.
template <class View = void, class T>
Reply RenderedList(const core::Result<std::vector<T>>& r) {
    if (!r) {
        return r.error();
    }
    if constexpr (std::is_void_v<View>) {
        return Json(json::object{{"items", json::value_from(*r)}});
    } else {
        json::array items;
        items.reserve(r->size());
        for (const auto& x : *r) {
            items.push_back(json::value_from(View{x}));
        }
        return Json(json::object{{"items", std::move(items)}});
    }
}

/// 204 without a body, or the error.
inline Reply NoContent(const core::Status& s) {
    if (!s) {
        return s.error();
    }
    net::Response r;
    r.status = 204;
    return r;
}

/// GET .../things: every thing of the school.
template <auto Service, auto List, class View = void>
Reply ListInSchool(const Backend& b, Call& call) {
    return RenderedList<View>(((b.services.*Service).*List)(call.school_id));
}

/// GET .../things/{id}: one thing of the school; 404 when the school has no such thing.
template <auto Service, auto Get>
Reply GetById(const Backend& b, Call& call) {
    ROLLCALL_TRY(const auto id, call.Id(1));
    return Rendered(((b.services.*Service).*Get)(call.school_id, id));
}

/// DELETE .../things/{id}: 204, the caller's audit line written with the delete.
template <auto Service, auto Delete>
Reply DeleteById(const Backend& b, Call& call) {
    ROLLCALL_TRY(const auto id, call.Id(1));
    return NoContent(((b.services.*Service).*Delete)(*call.principal, call.school_id, id));
}

}  // namespace rollcall::http
