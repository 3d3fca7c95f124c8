#pragma once

// The shapes most handlers share, so a route table can name them instead of spelling each one out: a value
// rendered as JSON, a list as {"items": [...]}, a delete as 204. The templates take the service (a member of
// Services) and its method, so `DeleteById<&Services::people, &service::People::DeletePerson>` is a handler.

#include "http/api.hpp"
#include "http/json_util.hpp"

#include <vector>

namespace rollcall::http {

/// `render(value)` answered with `status`, or the error.
template <class T, class Render>
Reply Rendered(const core::Result<T>& r, Render render, int status = 200) {
    if (!r) {
        return r.error();
    }
    return Json(status, render(*r));
}

/// `{"items": [render(x), ...]}`, or the error.
template <class T, class Render>
Reply RenderedList(const core::Result<std::vector<T>>& r, Render render) {
    if (!r) {
        return r.error();
    }
    json::array items;
    items.reserve(r->size());
    for (const auto& x : *r) {
        items.push_back(render(x));
    }
    return Json(json::object{{"items", std::move(items)}});
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

/// GET .../things: every thing of the school, rendered.
template <auto Service, auto List, auto Render>
Reply ListInSchool(const Backend& b, Call& call) {
    return RenderedList(((b.services.*Service).*List)(call.school_id), Render);
}

/// GET .../things/{id}: one thing of the school, rendered; 404 when the school has no such thing.
template <auto Service, auto Get, auto Render>
Reply GetById(const Backend& b, Call& call) {
    ROLLCALL_TRY(const auto id, call.Id(1));
    return Rendered(((b.services.*Service).*Get)(call.school_id, id), Render);
}

/// DELETE .../things/{id}: 204, the caller's audit line written with the delete.
template <auto Service, auto Delete>
Reply DeleteById(const Backend& b, Call& call) {
    ROLLCALL_TRY(const auto id, call.Id(1));
    return NoContent(((b.services.*Service).*Delete)(*call.principal, call.school_id, id));
}

}  // namespace rollcall::http
