// How the School Panel's embedded files are answered: compressed as the browser accepts, cached by their kind,
// and every screen's path answered with the panel so that a deep link or a reload works (docs/panel.md).

#include "http/panel.hpp"

#include <array>
#include <string>

#include <gtest/gtest.h>

namespace rollcall::http {
namespace {

constexpr unsigned char kIndexRaw[] = {'<', 'h', 't', 'm', 'l', '>'};
constexpr unsigned char kIndexGzip[] = {'g', 'z', 'i', 'p'};
constexpr unsigned char kIndexBrotli[] = {'b', 'r'};
constexpr unsigned char kScriptRaw[] = {'j', 's'};
constexpr unsigned char kScriptGzip[] = {'j', 's', 'g', 'z'};
constexpr unsigned char kScriptBrotli[] = {'j', 's', 'b', 'r'};

// In path order, as embed.mjs writes them.
const std::array<PanelAsset, 2> kAssets = {{
    {"/assets/index-AbC123.js",
     "text/javascript; charset=utf-8",
     true,
     "\"js-tag\"",
     kScriptRaw,
     kScriptGzip,
     kScriptBrotli},
    {"/index.html", "text/html; charset=utf-8", false, "\"html-tag\"", kIndexRaw, kIndexGzip, kIndexBrotli},
}};

net::Request Get(std::string path, std::string accept_encoding = "") {
    net::Request r;
    r.method = "GET";
    r.target = std::move(path);
    if (!accept_encoding.empty()) {
        r.headers.emplace_back("accept-encoding", std::move(accept_encoding));
    }
    return r;
}

std::string HeaderOf(const net::Response& r, const std::string& name) {
    for (const auto& [n, v] : r.headers) {
        if (n == name) {
            return v;
        }
    }
    return "";
}

TEST(Panel, AHashedScriptIsCachedForAYearAndNeverRevalidated) {
    const auto r = ServePanel(kAssets, Get("/assets/index-AbC123.js"), "/assets/index-AbC123.js");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.content_type, "text/javascript; charset=utf-8");
    EXPECT_EQ(HeaderOf(r, "Cache-Control"), "public, max-age=31536000, immutable");
    EXPECT_EQ(r.body, "js");
}

TEST(Panel, TheIndexPageIsRevalidatedEveryTimeSoANewBuildIsSeenAtOnce) {
    const auto r = ServePanel(kAssets, Get("/"), "/");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.content_type, "text/html; charset=utf-8");
    EXPECT_EQ(HeaderOf(r, "Cache-Control"), "no-cache");
    EXPECT_EQ(HeaderOf(r, "ETag"), "\"html-tag\"");
    EXPECT_EQ(r.body, "<html>");
}

TEST(Panel, BrotliIsPreferredThenGzipThenTheFileAsItIs) {
    auto r = ServePanel(kAssets, Get("/index.html", "gzip, deflate, br"), "/index.html");
    EXPECT_EQ(HeaderOf(r, "Content-Encoding"), "br");
    EXPECT_EQ(r.body, "br");
    r = ServePanel(kAssets, Get("/index.html", "gzip"), "/index.html");
    EXPECT_EQ(HeaderOf(r, "Content-Encoding"), "gzip");
    EXPECT_EQ(r.body, "gzip");
    r = ServePanel(kAssets, Get("/index.html", "BR;q=0, GZIP;q=0.5"), "/index.html");
    EXPECT_EQ(HeaderOf(r, "Content-Encoding"), "gzip") << "br;q=0 refuses brotli";
    r = ServePanel(kAssets, Get("/index.html", "identity"), "/index.html");
    EXPECT_EQ(HeaderOf(r, "Content-Encoding"), "");
    EXPECT_EQ(r.body, "<html>");
    EXPECT_EQ(HeaderOf(r, "Vary"), "Accept-Encoding");
}

TEST(Panel, AFileTheBrowserHoldsIsAnswered304WithoutItsBody) {
    auto request = Get("/index.html", "br");
    request.headers.emplace_back("if-none-match", "\"html-tag\"");
    const auto r = ServePanel(kAssets, request, "/index.html");
    EXPECT_EQ(r.status, 304);
    EXPECT_TRUE(r.body.empty());
}

TEST(Panel, AScreensDeepLinkIsAnsweredWithThePanel) {
    for (const char* path : {"/schools/3/today", "/schools/3/devices/7", "/login", "/admin/schools"}) {
        const auto r = ServePanel(kAssets, Get(path), path);
        EXPECT_EQ(r.status, 200) << path;
        EXPECT_EQ(r.body, "<html>") << path;
        EXPECT_EQ(HeaderOf(r, "Cache-Control"), "no-cache") << path;
    }
}

TEST(Panel, AMissingScriptOrFileIs404NeverThePageInItsPlace) {
    for (const char* path : {"/assets/index-Old999.js", "/assets/", "/favicon.ico", "/robots.txt"}) {
        const auto r = ServePanel(kAssets, Get(path), path);
        EXPECT_EQ(r.status, 404) << path;
        EXPECT_NE(r.body, "<html>") << path;
    }
}

TEST(Panel, TheApiAndTheProbesAreNeverThePanels) {
    EXPECT_FALSE(IsPanelPath("/api/v1/schools"));
    EXPECT_FALSE(IsPanelPath("/api"));
    EXPECT_FALSE(IsPanelPath("/healthz"));
    EXPECT_FALSE(IsPanelPath("/readyz"));
    EXPECT_FALSE(IsPanelPath("/metrics"));
    EXPECT_TRUE(IsPanelPath("/"));
    EXPECT_TRUE(IsPanelPath("/apiary"));
    EXPECT_TRUE(IsPanelPath("/schools/1/today"));
}

TEST(Panel, ABuildWithoutThePanelSaysSo) {
    const auto r = ServePanel({}, Get("/"), "/");
    EXPECT_EQ(r.status, 404);
    EXPECT_NE(r.body.find("not part of this build"), std::string::npos);
}

}  // namespace
}  // namespace rollcall::http
