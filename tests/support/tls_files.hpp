#pragma once

#include <string>

namespace rollcall::test {

struct TlsFiles {
    std::string certificate;  ///< PEM
    std::string private_key;  ///< PEM
};

/// A fresh self-signed certificate for 127.0.0.1 and localhost in `dir`, like `openssl req -x509` makes but
/// valid from an hour ago. localhost is for wine, whose certificate check matches host names but not IP
/// addresses.
TlsFiles MakeSelfSignedCertificate(const std::string& dir);

}  // namespace rollcall::test
