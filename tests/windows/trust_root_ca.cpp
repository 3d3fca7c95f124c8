// trust-root-ca.exe [--check] FILE.pem: adds a certificate to the local machine's Trusted Root Certification
// Authorities, as `certutil -addstore Root FILE` does on Windows (wine's certutil does nothing). A test tool,
// built with the Windows agent: the https test trusts its self-signed server certificate the way a school's IT
// would. It then checks the chain as WinHTTP will, and exits 1 with the reason when Windows still does not trust
// it. --check only checks (from a process of its own, what the next program will find in the store).

#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

// wincrypt.h needs windows.h first.
// clang-format off
#include <windows.h>
#include <wincrypt.h>
// clang-format on

namespace {

/// The check WinHTTP makes of a server's certificate (a chain to a trusted root, for server authentication),
/// so that a test that fails after this tool says why in Windows' own words rather than "not trusted".
int CheckTrusted(const std::vector<BYTE>& der) {
    PCCERT_CONTEXT cert = CertCreateCertificateContext(X509_ASN_ENCODING, der.data(), static_cast<DWORD>(der.size()));
    if (cert == nullptr) {
        std::fprintf(stderr, "trust-root-ca: cannot read the certificate back (error %lu)\n", GetLastError());
        return 1;
    }
    char server_auth[] = szOID_PKIX_KP_SERVER_AUTH;
    char* usages[] = {server_auth};
    CERT_CHAIN_PARA para{};
    para.cbSize = sizeof para;
    para.RequestedUsage.dwType = USAGE_MATCH_TYPE_AND;
    para.RequestedUsage.Usage.cUsageIdentifier = 1;
    para.RequestedUsage.Usage.rgpszUsageIdentifier = usages;
    PCCERT_CHAIN_CONTEXT chain = nullptr;
    const bool built = CertGetCertificateChain(nullptr, cert, nullptr, nullptr, &para, 0, nullptr, &chain);
    const DWORD error = built ? 0 : GetLastError();
    CertFreeCertificateContext(cert);
    if (!built) {
        std::fprintf(stderr, "trust-root-ca: no chain can be built to the certificate (error %lu)\n", error);
        return 1;
    }
    const DWORD status = chain->TrustStatus.dwErrorStatus;
    CertFreeCertificateChain(chain);
    if (status != CERT_TRUST_NO_ERROR) {
        // CERT_TRUST_* bits: 0x1 not time valid, 0x8 bad signature, 0x10 wrong usage, 0x20 untrusted root.
        std::fprintf(
            stderr, "trust-root-ca: the certificate's chain is not trusted (CERT_TRUST status 0x%lx)\n", status);
        return 1;
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    const bool check_only = argc == 3 && std::string(argv[1]) == "--check";
    if (argc != 2 && !check_only) {
        std::fprintf(stderr, "usage: trust-root-ca [--check] FILE.pem\n");
        return 2;
    }
    const char* file = argv[argc - 1];
    std::ifstream in(file, std::ios::binary);
    const std::string pem((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    DWORD size = 0;
    if (pem.empty() ||
        !CryptStringToBinaryA(
            pem.c_str(), static_cast<DWORD>(pem.size()), CRYPT_STRING_BASE64HEADER, nullptr, &size, nullptr, nullptr)) {
        std::fprintf(stderr, "trust-root-ca: %s is not a PEM certificate\n", file);
        return 1;
    }
    std::vector<BYTE> der(size);
    CryptStringToBinaryA(
        pem.c_str(), static_cast<DWORD>(pem.size()), CRYPT_STRING_BASE64HEADER, der.data(), &size, nullptr, nullptr);
    if (check_only) {
        return CheckTrusted(der);
    }
    HCERTSTORE store = CertOpenStore(CERT_STORE_PROV_SYSTEM_A, 0, 0, CERT_SYSTEM_STORE_LOCAL_MACHINE, "Root");
    if (store == nullptr) {
        std::fprintf(stderr, "trust-root-ca: cannot open the Root store (error %lu)\n", GetLastError());
        return 1;
    }
    const bool added = CertAddEncodedCertificateToStore(
        store, X509_ASN_ENCODING, der.data(), size, CERT_STORE_ADD_REPLACE_EXISTING, nullptr);
    CertCloseStore(store, 0);
    if (!added) {
        std::fprintf(stderr, "trust-root-ca: cannot add the certificate (error %lu)\n", GetLastError());
        return 1;
    }
    return CheckTrusted(der);
}
