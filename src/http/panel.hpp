#pragma once

// Serves the School Panel from the embedded files (panel_assets.hpp): any GET outside the API.

#include "http/panel_assets.hpp"
#include "net/http_message.hpp"

#include <span>
#include <string_view>

namespace rollcall::http {

/// Whether a path is the panel's rather than the API's: everything but /api/ and the probes.
bool IsPanelPath(std::string_view path);

/// The answer to a GET or HEAD of a panel path, from `assets`:
/// - a file by its exact path, compressed as the client accepts (brotli, else gzip, else as is), with an ETag
///   (304 for If-None-Match) and `immutable` caching for hashed files, `no-cache` for the rest;
/// - a missing file under /assets/ or with an extension is 404 (a stale script must not be answered with HTML);
/// - any other path is index.html, so a deep link or a reload opens its screen.
net::Response ServePanel(std::span<const PanelAsset> assets, const net::Request& request, std::string_view path);

}  // namespace rollcall::http
