#include "support/tls_files.hpp"

#include <cstdio>
#include <memory>
#include <stdexcept>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>

namespace rollcall::test {
namespace {

struct Free {
    void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
    void operator()(X509* p) const { X509_free(p); }
    void operator()(X509_EXTENSION* p) const { X509_EXTENSION_free(p); }
    void operator()(BIGNUM* p) const { BN_free(p); }
    void operator()(std::FILE* p) const { std::fclose(p); }
};
template <class T>
using Owned = std::unique_ptr<T, Free>;

void Check(bool ok, const char* what) {
    if (!ok) {
        throw std::runtime_error(std::string("MakeSelfSignedCertificate: ") + what + " failed");
    }
}

void AddExtension(X509* cert, int nid, const char* value) {
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
    Owned<X509_EXTENSION> ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value));
    Check(ext != nullptr && X509_add_ext(cert, ext.get(), -1) == 1, value);
}

template <class Write>
void WritePem(const std::string& path, Write write) {
    Owned<std::FILE> file(std::fopen(path.c_str(), "w"));
    Check(file != nullptr, "opening the output file");
    Check(write(file.get()) == 1, "writing PEM");
}

}  // namespace

TlsFiles MakeSelfSignedCertificate(const std::string& dir) {
    TlsFiles files{dir + "/tls.crt", dir + "/tls.key"};
    Owned<EVP_PKEY> key(EVP_EC_gen("P-256"));
    Check(key != nullptr, "key generation");
    Owned<X509> cert(X509_new());
    Check(cert != nullptr && X509_set_version(cert.get(), X509_VERSION_3) == 1, "X509_new");
    // A random serial, as `openssl req -x509` gives.
    Owned<BIGNUM> serial(BN_new());
    Check(serial != nullptr && BN_rand(serial.get(), 63, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) == 1 &&
              BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert.get())) != nullptr,
          "serial");
    // Valid from an hour ago: a verifier whose clock is a little behind the test's still takes it as valid
    // (a certificate valid from this very second is not what a server presents).
    Check(X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600) != nullptr &&
              X509_gmtime_adj(X509_getm_notAfter(cert.get()), 2L * 24 * 3600) != nullptr,
          "validity");
    X509_NAME* name = X509_get_subject_name(cert.get());
    Check(X509_NAME_add_entry_by_txt(
              name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("127.0.0.1"), -1, -1, 0) == 1 &&
              X509_set_issuer_name(cert.get(), name) == 1 && X509_set_pubkey(cert.get(), key.get()) == 1,
          "names");
    // The extensions `openssl req -x509` writes, and the names the tests connect to.
    AddExtension(cert.get(), NID_basic_constraints, "critical,CA:TRUE");
    AddExtension(cert.get(), NID_subject_key_identifier, "hash");
    AddExtension(cert.get(), NID_authority_key_identifier, "keyid:always");
    AddExtension(cert.get(), NID_subject_alt_name, "IP:127.0.0.1,DNS:localhost");
    Check(X509_sign(cert.get(), key.get(), EVP_sha256()) > 0, "signing");
    WritePem(files.certificate, [&](std::FILE* f) { return PEM_write_X509(f, cert.get()); });
    WritePem(files.private_key,
             [&](std::FILE* f) { return PEM_write_PrivateKey(f, key.get(), nullptr, nullptr, 0, nullptr, nullptr); });
    return files;
}

}  // namespace rollcall::test
