// net/http_client.hpp on Windows: WinHTTP, so https uses Windows' own TLS and certificate store (no OpenSSL
// is packaged for mingw-w64). Only the agent is built for Windows (cmake/RollcallWindowsAgent.cmake).

#include "core/wide_text.hpp"
#include "net/http_client.hpp"

#include <memory>

#include <windows.h>
#include <winhttp.h>

namespace rollcall::net {
namespace {

using core::Errc;
using core::MakeError;

struct HandleCloser {
    void operator()(HINTERNET h) const { WinHttpCloseHandle(h); }
};
using Handle = std::unique_ptr<void, HandleCloser>;

using core::Widen;

/// One line for the log and the device status, in the words of the Linux client where there is one.
core::Error Failure(const char* step) {
    const DWORD code = GetLastError();
    std::string reason;
    switch (code) {
        case ERROR_WINHTTP_TIMEOUT:
        case WSAETIMEDOUT:  // wine passes the socket's own error through
            return MakeError(Errc::kTimeout, std::string(step) + ": timed out");
        case ERROR_WINHTTP_CANNOT_CONNECT:
            reason = "connection refused or unreachable";
            break;
        case ERROR_WINHTTP_NAME_NOT_RESOLVED:
            reason = "host name not found";
            break;
        case ERROR_WINHTTP_SECURE_CHANNEL_ERROR:  // also what wine answers for an untrusted certificate
            reason =
                "TLS: the handshake failed: the server's certificate is not trusted (Windows certificate store) "
                "or not for this host, or the server offers no TLS 1.2 or later";
            break;
        case ERROR_WINHTTP_SECURE_FAILURE:
        case ERROR_WINHTTP_SECURE_INVALID_CA:
        case ERROR_WINHTTP_SECURE_CERT_CN_INVALID:
        case ERROR_WINHTTP_SECURE_CERT_DATE_INVALID:
        case ERROR_WINHTTP_SECURE_INVALID_CERT:
        case ERROR_WINHTTP_SECURE_CERT_REVOKED:
            reason = "TLS: the server's certificate is not trusted (Windows certificate store) or not for this host";
            break;
        case ERROR_WINHTTP_CONNECTION_ERROR:
            reason = "connection reset";
            break;
        case ERROR_WINHTTP_INVALID_SERVER_RESPONSE:
            reason = "not an HTTP answer";
            break;
        default:
            reason = "WinHTTP error " + std::to_string(code);
    }
    return MakeError(Errc::kUnavailable, std::string(step) + ": " + reason);
}

}  // namespace

core::Result<ClientReply> Fetch(const ClientRequest& call, const ClientOptions& options) {
    // Only the agent runs on Windows: its server may well be on the school's LAN, and it never takes a URL
    // from a school admin, so the private-address refusal (webhooks, on the server) has no counterpart here.
    if (!options.allow_private_addresses) {
        return MakeError(Errc::kInvalidArgument, "url: private-address checks are not available on Windows");
    }
    if (!options.ca_file.empty()) {
        return MakeError(Errc::kInvalidArgument,
                         "ca_file is not used on Windows: add the CA to the Windows certificate store");
    }
    std::wstring wide_url = Widen(call.url);
    URL_COMPONENTS parts{};
    parts.dwStructSize = sizeof parts;
    parts.dwHostNameLength = static_cast<DWORD>(-1);
    parts.dwUrlPathLength = static_cast<DWORD>(-1);
    parts.dwExtraInfoLength = static_cast<DWORD>(-1);
    if (!WinHttpCrackUrl(wide_url.c_str(), static_cast<DWORD>(wide_url.size()), 0, &parts)) {
        return MakeError(Errc::kInvalidArgument, "url: not a valid http or https URL");
    }
    if (parts.nScheme != INTERNET_SCHEME_HTTP && parts.nScheme != INTERNET_SCHEME_HTTPS) {
        return MakeError(Errc::kInvalidArgument, "url: must be http or https");
    }
    if (parts.dwHostNameLength == 0) {
        return MakeError(Errc::kInvalidArgument, "url: a host is missing");
    }
    const std::wstring host(parts.lpszHostName, parts.dwHostNameLength);
    std::wstring path(parts.lpszUrlPath, parts.dwUrlPathLength);
    path.append(parts.lpszExtraInfo, parts.dwExtraInfoLength);
    if (path.empty()) {
        path = L"/";
    }

    // The proxy a school's IT set with `netsh winhttp set proxy` applies (a service has no user's IE settings).
    Handle session(WinHttpOpen(
        L"rollcall-agent", WINHTTP_ACCESS_TYPE_DEFAULT_PROXY, WINHTTP_NO_PROXY_NAME, WINHTTP_NO_PROXY_BYPASS, 0));
    if (!session) {
        return Failure("winhttp");
    }
    // TLS 1.2 and 1.3; Windows 8 and 8.1 do not offer 1.2 by default, and reject the 1.3 flag they do not know.
    DWORD protocols = WINHTTP_FLAG_SECURE_PROTOCOL_TLS1_2 | WINHTTP_FLAG_SECURE_PROTOCOL_TLS1_3;
    if (!WinHttpSetOption(session.get(), WINHTTP_OPTION_SECURE_PROTOCOLS, &protocols, sizeof protocols)) {
        protocols = WINHTTP_FLAG_SECURE_PROTOCOL_TLS1_2;
        WinHttpSetOption(session.get(), WINHTTP_OPTION_SECURE_PROTOCOLS, &protocols, sizeof protocols);
    }
    // WinHTTP bounds each step (resolve, connect, send, each read), not the exchange as a whole.
    const int ms = static_cast<int>(options.timeout.count());
    WinHttpSetTimeouts(session.get(), ms, ms, ms, ms);
    Handle connection(WinHttpConnect(session.get(), host.c_str(), parts.nPort, 0));
    if (!connection) {
        return Failure("connect");
    }
    const DWORD flags = parts.nScheme == INTERNET_SCHEME_HTTPS ? WINHTTP_FLAG_SECURE : 0;
    const std::wstring verb = Widen(call.method);
    Handle request(WinHttpOpenRequest(connection.get(),
                                      verb.c_str(),
                                      path.c_str(),
                                      nullptr,
                                      WINHTTP_NO_REFERER,
                                      WINHTTP_DEFAULT_ACCEPT_TYPES,
                                      flags));
    if (!request) {
        return Failure("request");
    }
    // Like the Linux client: a redirect is an answer, not something to follow with the token attached.
    DWORD no_redirects = WINHTTP_DISABLE_REDIRECTS;
    if (!WinHttpSetOption(request.get(), WINHTTP_OPTION_DISABLE_FEATURE, &no_redirects, sizeof no_redirects)) {
        return Failure("request");
    }

    std::wstring header_block;
    for (const auto& [name, value] : call.headers) {
        header_block += Widen(name) + L": " + Widen(value) + L"\r\n";
    }
    if (!WinHttpSendRequest(request.get(),
                            header_block.empty() ? WINHTTP_NO_ADDITIONAL_HEADERS : header_block.c_str(),
                            static_cast<DWORD>(header_block.size()),
                            call.body.empty() ? WINHTTP_NO_REQUEST_DATA : const_cast<char*>(call.body.data()),
                            static_cast<DWORD>(call.body.size()),
                            static_cast<DWORD>(call.body.size()),
                            0)) {
        return Failure("send");
    }
    if (!WinHttpReceiveResponse(request.get(), nullptr)) {
        return Failure("read");
    }
    DWORD status = 0;
    DWORD size = sizeof status;
    if (!WinHttpQueryHeaders(request.get(),
                             WINHTTP_QUERY_STATUS_CODE | WINHTTP_QUERY_FLAG_NUMBER,
                             WINHTTP_HEADER_NAME_BY_INDEX,
                             &status,
                             &size,
                             WINHTTP_NO_HEADER_INDEX)) {
        return Failure("read");
    }
    ClientReply reply;
    reply.status = static_cast<int>(status);
    for (;;) {
        DWORD available = 0;
        if (!WinHttpQueryDataAvailable(request.get(), &available)) {
            return Failure("read");
        }
        if (available == 0) {
            break;
        }
        if (reply.body.size() + available > options.max_response_body) {
            return MakeError(Errc::kUnavailable,
                             "read: the answer is larger than " + std::to_string(options.max_response_body) + " bytes");
        }
        const std::size_t old_size = reply.body.size();
        reply.body.resize(old_size + available);
        DWORD got = 0;
        if (!WinHttpReadData(request.get(), reply.body.data() + old_size, available, &got)) {
            return Failure("read");
        }
        reply.body.resize(old_size + got);
    }
    return reply;
}

}  // namespace rollcall::net
