# Compiler settings shared by every native target.
#
# Code is built for baseline x86-64: AVX2/AVX-512 kernels are compiled with
# per-function target attributes and chosen at run time, so the library never
# dies with SIGILL on an older CPU.
set(CMAKE_CXX_STANDARD 17)
set(CMAKE_CXX_STANDARD_REQUIRED ON)
set(CMAKE_CXX_EXTENSIONS OFF)
if(NOT CMAKE_BUILD_TYPE)
    set(CMAKE_BUILD_TYPE Release)
endif()

option(EUCLID_WERROR "Treat compiler warnings as errors" ON)
# Debug builds that catch memory and undefined-behaviour errors; both off by default
# and never part of a release. SANITIZE: what `mvn -Psanitize` builds (gcc is fine).
# FUZZ: the libFuzzer targets in native/fuzz (clang only; see scripts/fuzz.sh).
option(EUCLID_SANITIZE "Build with AddressSanitizer + UndefinedBehaviorSanitizer" OFF)
option(EUCLID_FUZZ "Build the libFuzzer targets (clang; implies ASan + UBSan)" OFF)
option(EUCLID_FUZZ_COVERAGE "With EUCLID_FUZZ: source-based coverage, to measure what a corpus reaches" OFF)

if(EUCLID_FUZZ)
    if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
        message(FATAL_ERROR "EUCLID_FUZZ needs clang (libFuzzer): -DCMAKE_CXX_COMPILER=clang++")
    endif()
    # Every object gets coverage instrumentation; only the fuzz executables link libFuzzer's main.
    add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all
                        -fno-omit-frame-pointer -g)
    add_link_options(-fsanitize=fuzzer-no-link,address,undefined)
    if(EUCLID_FUZZ_COVERAGE)
        add_compile_options(-fprofile-instr-generate -fcoverage-mapping)
        add_link_options(-fprofile-instr-generate)
    endif()
elseif(EUCLID_SANITIZE)
    # Any UB report aborts, so a sanitized test run cannot pass with one in its log.
    add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer -g)
    add_link_options(-fsanitize=address,undefined)
endif()

function(euclid_set_warnings target)
    target_compile_options(${target} PRIVATE -Wall -Wextra)
    if(EUCLID_WERROR)
        target_compile_options(${target} PRIVATE -Werror)
    endif()
    # -O3 auto-vectorises the element-wise loops for SSE2; no -ffast-math,
    # which would make results depend on how the compiler reassociates sums.
    # No contraction of a * b + c into an FMA either (gcc's default for C++):
    # code built with FMA available must round like the portable code.
    target_compile_options(${target} PRIVATE $<$<CONFIG:Release>:-O3> -ffp-contract=off)
endfunction()
