#pragma once

// The School Panel's files, embedded in the binary at build time (web/scripts/embed.mjs writes the table from
// the panel's build; panel_assets_none.cpp is the empty table of a build without the panel).

#include <span>
#include <string_view>

namespace rollcall::http {

struct PanelAsset {
    std::string_view path;          ///< "/index.html", "/assets/index-CYVCR02e.js"
    std::string_view content_type;  ///< "text/javascript; charset=utf-8"
    bool immutable;                 ///< named by its content hash: cached for a year, never revalidated
    std::string_view etag;          ///< quoted, from the content
    std::span<const unsigned char> raw;
    std::span<const unsigned char> gzip;
    std::span<const unsigned char> brotli;
};

/// Every file of the panel, in path order; empty when the binary was built without it.
std::span<const PanelAsset> PanelAssets();

}  // namespace rollcall::http
