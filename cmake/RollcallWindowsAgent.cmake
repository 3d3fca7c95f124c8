# The Windows build (make windows-agent): rollcall-agent.exe only, cross-compiled with mingw-w64.
#
# No Windows builds of Boost, spdlog, fmt or CLI11 are packaged, but the parts the agent uses are header-only:
# their Debian headers are exposed through a directory of symlinks, so the host's glibc headers stay out of
# the include path. The compiled parts (Boost.JSON, fmt) come from their header-only sources in one file.
# The agent's libraries are compiled from their sources: core/, protocol/zk/, wire/ (the API's JSON shapes) and agent/.
# TLS is Windows' own (WinHTTP, src/net/http_client_winhttp.cpp), since no OpenSSL for mingw is packaged.

set(host_include ${PROJECT_BINARY_DIR}/host-include)
file(MAKE_DIRECTORY ${host_include})
foreach(dir boost spdlog fmt CLI)
    if(NOT EXISTS /usr/include/${dir})
        message(FATAL_ERROR "/usr/include/${dir} is missing: run scripts/install-deps.sh windows")
    endif()
    file(CREATE_LINK /usr/include/${dir} ${host_include}/${dir} SYMBOLIC)
endforeach()

add_executable(rollcall-agent
    apps/rollcall-agent/main.cpp
    src/core/error.cpp src/core/civil_time.cpp src/core/background_loop.cpp src/core/text_encoding.cpp
    src/protocol/zk/packet.cpp src/protocol/zk/tcp_frame.cpp src/protocol/zk/commands.cpp
    src/protocol/zk/comm_key.cpp src/protocol/zk/time_codec.cpp src/protocol/zk/dataset.cpp
    src/protocol/zk/attendance_record.cpp src/protocol/zk/user_record.cpp src/protocol/zk/free_sizes.cpp
    src/protocol/zk/transfer.cpp src/protocol/zk/realtime.cpp src/protocol/zk/options.cpp
    src/wire/fields.cpp src/wire/punches.cpp src/wire/agent_api.cpp src/wire/error_body.cpp
    src/agent/zk_transport.cpp src/agent/zk_client.cpp src/agent/spool.cpp src/agent/agent.cpp
    src/agent/agent_cli.cpp src/agent/windows_service.cpp src/agent/user_table.cpp
    src/net/http_client_winhttp.cpp src/net/status_error.cpp src/net/header_only_impl.cpp)
target_include_directories(rollcall-agent PRIVATE ${PROJECT_SOURCE_DIR}/src)
target_include_directories(rollcall-agent SYSTEM PRIVATE ${host_include})
# Windows 8 or later (0x0602): WinHTTP's and the service API's newer options.
target_compile_definitions(rollcall-agent PRIVATE
    _WIN32_WINNT=0x0602 WIN32_LEAN_AND_MEAN NOMINMAX UNICODE _UNICODE FMT_HEADER_ONLY)
target_link_libraries(rollcall-agent PRIVATE rollcall_warnings winhttp crypt32 ws2_32 mswsock advapi32 psapi)
# One self-contained exe: no libstdc++, libgcc or winpthread DLLs to ship beside it.
target_link_options(rollcall-agent PRIVATE -static -static-libgcc -static-libstdc++ $<$<CONFIG:Release>:-s>)

# A test tool (tests/windows): trusts a certificate the way `certutil -addstore Root` does, which wine lacks.
add_executable(trust-root-ca tests/windows/trust_root_ca.cpp)
target_compile_definitions(trust-root-ca PRIVATE WIN32_LEAN_AND_MEAN)
target_link_libraries(trust-root-ca PRIVATE rollcall_warnings crypt32)
target_link_options(trust-root-ca PRIVATE -static -s)
