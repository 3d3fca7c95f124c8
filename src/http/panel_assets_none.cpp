// The asset table of a build without the School Panel (ROLLCALL_BUILD_PANEL=OFF: the fuzz targets, a build
// machine without Node.js): the API works the same, and the panel's paths say it is not part of this build.
#include "http/panel_assets.hpp"

namespace rollcall::http {

std::span<const PanelAsset> PanelAssets() {
    return {};
}

}  // namespace rollcall::http
