# Every third-party library comes from Debian's archive (scripts/install-deps.sh).
find_package(Threads REQUIRED)
find_package(Boost 1.81.0 EXACT REQUIRED CONFIG COMPONENTS json url system)
find_package(PkgConfig REQUIRED)
pkg_check_modules(SQLITE3 REQUIRED IMPORTED_TARGET sqlite3)
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
find_package(fmt REQUIRED)
find_package(spdlog REQUIRED)
pkg_check_modules(CLI11 REQUIRED IMPORTED_TARGET CLI11)
find_package(date REQUIRED)
find_package(tomlplusplus REQUIRED)
pkg_check_modules(XLSXWRITER REQUIRED IMPORTED_TARGET xlsxwriter)
find_package(OpenSSL REQUIRED)

# Asio and Beast are compiled once (src/net/asio_beast_impl.cpp); every user links rollcall_asio.
add_library(rollcall_asio_defs INTERFACE)
target_compile_definitions(rollcall_asio_defs INTERFACE
    BOOST_ASIO_SEPARATE_COMPILATION BOOST_BEAST_SEPARATE_COMPILATION BOOST_ASIO_NO_DEPRECATED)
target_link_libraries(rollcall_asio_defs INTERFACE Boost::boost Boost::system Threads::Threads OpenSSL::SSL OpenSSL::Crypto)
