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

function(euclid_set_warnings target)
    target_compile_options(${target} PRIVATE -Wall -Wextra)
    if(EUCLID_WERROR)
        target_compile_options(${target} PRIVATE -Werror)
    endif()
    # -O3 auto-vectorises the element-wise loops for SSE2; no -ffast-math,
    # which would make results depend on how the compiler reassociates sums.
    target_compile_options(${target} PRIVATE $<$<CONFIG:Release>:-O3>)
endfunction()
