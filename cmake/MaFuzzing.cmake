# MA_BUILD_FUZZERS: everything (library included) gets coverage instrumentation
# and the address and undefined-behaviour sanitizers; tests/fuzz links the
# harnesses with libFuzzer itself.
if(MA_BUILD_FUZZERS)
    if(NOT CMAKE_C_COMPILER_ID MATCHES "Clang")
        message(FATAL_ERROR "MA_BUILD_FUZZERS needs clang (configure with -DCMAKE_C_COMPILER=clang)")
    endif()
    if(NOT MA_BUILD_TESTS)
        message(FATAL_ERROR "MA_BUILD_FUZZERS needs MA_BUILD_TESTS (the harnesses use the test support code)")
    endif()
    add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
    add_link_options(-fsanitize=address,undefined)
endif()
