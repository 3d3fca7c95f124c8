if(ROLLCALL_SANITIZE)
    foreach(san IN LISTS ROLLCALL_SANITIZE)
        add_compile_options(-fsanitize=${san})
        add_link_options(-fsanitize=${san})
    endforeach()
    add_compile_options(-fno-omit-frame-pointer)
    if("thread" IN_LIST ROLLCALL_SANITIZE AND CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
        # gcc warns that TSan does not model atomic_thread_fence, which Asio's fenced blocks use around its
        # handler queues; those queues are also guarded by mutexes TSan does see.
        add_compile_options(-Wno-tsan)
    endif()
endif()
