# Warning flags for the project's own targets. -Werror comes only from the
# `ci` preset (CMAKE_COMPILE_WARNING_AS_ERROR), never from consumer builds.
function(ma_enable_warnings target)
    if(CMAKE_C_COMPILER_ID MATCHES "GNU|Clang")
        target_compile_options(${target} PRIVATE
            -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wstrict-prototypes
            -Wmissing-prototypes -Wcast-qual -Wformat=2 -Wvla -Wundef)
        if(CMAKE_C_COMPILER_ID MATCHES "Clang")
            target_compile_options(${target} PRIVATE -Wdocumentation -fcomment-block-commands=retval)
        endif()
    endif()
endfunction()
