// trust-root-ca.exe FILE.pem: adds a certificate to the local machine's Trusted Root Certification Authorities,
// as `certutil -addstore Root FILE` does on Windows (wine's certutil does nothing). A test tool, built with the
// Windows agent: the https test trusts its self-signed server certificate the way a school's IT would.

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

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: trust-root-ca FILE.pem\n");
        return 2;
    }
    std::ifstream in(argv[1], std::ios::binary);
    const std::string pem((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    DWORD size = 0;
    if (pem.empty() ||
        !CryptStringToBinaryA(
            pem.c_str(), static_cast<DWORD>(pem.size()), CRYPT_STRING_BASE64HEADER, nullptr, &size, nullptr, nullptr)) {
        std::fprintf(stderr, "trust-root-ca: %s is not a PEM certificate\n", argv[1]);
        return 1;
    }
    std::vector<BYTE> der(size);
    CryptStringToBinaryA(
        pem.c_str(), static_cast<DWORD>(pem.size()), CRYPT_STRING_BASE64HEADER, der.data(), &size, nullptr, nullptr);
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
    return 0;
}
