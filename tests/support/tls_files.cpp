#include "support/tls_files.hpp"

#include "support/child_process.hpp"

#include <stdexcept>

namespace rollcall::test {

TlsFiles MakeSelfSignedCertificate(const std::string& dir) {
    TlsFiles files{dir + "/tls.crt", dir + "/tls.key"};
    const auto r = RunCommand({"/usr/bin/openssl",
                               "req",
                               "-x509",
                               "-newkey",
                               "ec",
                               "-pkeyopt",
                               "ec_paramgen_curve:prime256v1",
                               "-nodes",
                               "-days",
                               "2",
                               "-subj",
                               "/CN=127.0.0.1",
                               "-addext",
                               "subjectAltName=IP:127.0.0.1,DNS:localhost",
                               "-keyout",
                               files.private_key,
                               "-out",
                               files.certificate});
    if (r.exit_code != 0) {
        throw std::runtime_error("openssl req failed (exit " + std::to_string(r.exit_code) + "): " + r.err + r.out);
    }
    return files;
}

}  // namespace rollcall::test
