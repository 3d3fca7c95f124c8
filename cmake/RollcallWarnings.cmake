add_library(rollcall_warnings INTERFACE)
target_compile_options(rollcall_warnings INTERFACE
    -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wimplicit-fallthrough)
# Not -Wnull-dereference: with -O2, g++ 12 reports false positives inside Asio and libstdc++ headers.
if(ROLLCALL_WERROR)
    target_compile_options(rollcall_warnings INTERFACE -Werror)
endif()
