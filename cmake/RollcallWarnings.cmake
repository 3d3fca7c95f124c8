add_library(rollcall_warnings INTERFACE)
target_compile_options(rollcall_warnings INTERFACE
    -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wnull-dereference -Wimplicit-fallthrough)
if(ROLLCALL_WERROR)
    target_compile_options(rollcall_warnings INTERFACE -Werror)
endif()
