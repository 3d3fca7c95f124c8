#include "http/json_util.hpp"

namespace rollcall::http {

net::Response Json(int status, const json::value& value) {
    net::Response r;
    r.status = status;
    r.body = json::serialize(value);
    return r;
}

}  // namespace rollcall::http
