#include "http/panel.hpp"

#include <algorithm>

namespace rollcall::http {
namespace {

constexpr std::string_view kIndex = "/index.html";

std::string_view Lower(std::string_view text, std::string& buffer) {
    buffer.assign(text);
    std::transform(buffer.begin(), buffer.end(), buffer.begin(), [](unsigned char c) {
        return static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
    });
    return buffer;
}

/// Whether Accept-Encoding lists the coding without refusing it (";q=0").
bool Accepts(const net::Request& request, std::string_view coding) {
    const auto header = request.Header("accept-encoding");
    if (!header) {
        return false;
    }
    std::string buffer;
    std::string_view rest = Lower(*header, buffer);
    while (!rest.empty()) {
        const auto comma = rest.find(',');
        auto item = rest.substr(0, comma);
        rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
        while (!item.empty() && item.front() == ' ') {
            item.remove_prefix(1);
        }
        const auto semi = item.find(';');
        auto name = item.substr(0, semi);
        while (!name.empty() && name.back() == ' ') {
            name.remove_suffix(1);
        }
        if (name != coding) {
            continue;
        }
        if (semi == std::string_view::npos) {
            return true;
        }
        auto params = item.substr(semi + 1);
        params.remove_prefix(std::min(params.find_first_not_of(' '), params.size()));
        // q=0, q=0.0, q=0.000 refuse it; any other weight accepts it.
        if (params.starts_with("q=")) {
            const auto q = params.substr(2);
            return q.find_first_not_of("0.") != std::string_view::npos;
        }
        return true;
    }
    return false;
}

const PanelAsset* Find(std::span<const PanelAsset> assets, std::string_view path) {
    const auto it = std::lower_bound(
        assets.begin(), assets.end(), path, [](const PanelAsset& a, std::string_view p) { return a.path < p; });
    return it != assets.end() && it->path == path ? &*it : nullptr;
}

bool LooksLikeAFile(std::string_view path) {
    const auto last = path.substr(path.rfind('/') + 1);
    return last.find('.') != std::string_view::npos;
}

net::Response NotFound() {
    net::Response r;
    r.status = 404;
    r.content_type = "text/plain; charset=utf-8";
    r.body = "not found\n";
    return r;
}

}  // namespace

bool IsPanelPath(std::string_view path) {
    return !(path == "/api" || path.starts_with("/api/") || path == "/healthz" || path == "/readyz" ||
             path == "/metrics");
}

net::Response ServePanel(std::span<const PanelAsset> assets, const net::Request& request, std::string_view path) {
    if (assets.empty()) {
        net::Response r = NotFound();
        r.body = "The School Panel is not part of this build (ROLLCALL_BUILD_PANEL=OFF); the API is at /api/v1.\n";
        return r;
    }
    if (path == "/") {
        path = kIndex;
    }
    const PanelAsset* asset = Find(assets, path);
    if (asset == nullptr) {
        if (path.starts_with("/assets/") || LooksLikeAFile(path)) {
            return NotFound();
        }
        asset = Find(assets, kIndex);
        if (asset == nullptr) {
            return NotFound();
        }
    }
    net::Response r;
    r.content_type = std::string(asset->content_type);
    r.headers.emplace_back("Cache-Control", asset->immutable ? "public, max-age=31536000, immutable" : "no-cache");
    r.headers.emplace_back("ETag", std::string(asset->etag));
    r.headers.emplace_back("Vary", "Accept-Encoding");
    const auto match = request.Header("if-none-match");
    if (match && match->find(asset->etag) != std::string_view::npos) {
        r.status = 304;
        return r;
    }
    std::span<const unsigned char> body = asset->raw;
    if (Accepts(request, "br")) {
        body = asset->brotli;
        r.headers.emplace_back("Content-Encoding", "br");
    } else if (Accepts(request, "gzip")) {
        body = asset->gzip;
        r.headers.emplace_back("Content-Encoding", "gzip");
    }
    r.body.assign(reinterpret_cast<const char*>(body.data()), body.size());
    return r;
}

}  // namespace rollcall::http
