// Counts the engine's heap allocations, so a test can prove what Workspace.h
// promises: after warm-up a step allocates nothing (heap_allocations in euclid.h).
//
// Every form of operator new is replaced here with hidden visibility: inside
// the one shared library that the engine archive and its JNI glue are linked
// into, every `new` (std::vector growth, std::function, JavaCPP's buffers)
// binds to these definitions at link time, while the rest of the process never
// sees them. Each one counts the call and forwards to the operator new that the
// library would otherwise have called (libstdc++'s, or a sanitizer's), looked
// up once by name: memory still comes from, and goes back to (operator delete
// is not replaced), the same allocator as before.
#include <dlfcn.h>

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <new>

#include "euclid/euclid.h"

namespace {

std::atomic<int64_t> g_allocations{0};

template <typename Fn>
Fn real(const char* symbol) {
    // These definitions are hidden, so the global lookup cannot return them.
    void* f = dlsym(RTLD_DEFAULT, symbol);
    if (!f) {
        std::fprintf(stderr, "euclid: %s not found: %s\n", symbol, dlerror());
        std::abort();
    }
    return reinterpret_cast<Fn>(f);
}

using New = void* (*)(std::size_t);
using NewNothrow = void* (*)(std::size_t, const std::nothrow_t&);
using NewAligned = void* (*)(std::size_t, std::align_val_t);
using NewAlignedNothrow = void* (*)(std::size_t, std::align_val_t, const std::nothrow_t&);

void count() { g_allocations.fetch_add(1, std::memory_order_relaxed); }

}  // namespace

// <new> declares these with default visibility and gcc refuses to override it in
// C++, so the assembler marks the definitions hidden (ELF), by mangled name.
__asm__(".hidden _Znwm\n.hidden _Znam\n.hidden _ZnwmRKSt9nothrow_t\n.hidden _ZnamRKSt9nothrow_t\n"
        ".hidden _ZnwmSt11align_val_t\n.hidden _ZnamSt11align_val_t\n"
        ".hidden _ZnwmSt11align_val_tRKSt9nothrow_t\n.hidden _ZnamSt11align_val_tRKSt9nothrow_t");

void* operator new(std::size_t n) {
    static const New next = real<New>("_Znwm");
    count();
    return next(n);
}

void* operator new[](std::size_t n) {
    static const New next = real<New>("_Znam");
    count();
    return next(n);
}

void* operator new(std::size_t n, const std::nothrow_t& t) noexcept {
    static const NewNothrow next = real<NewNothrow>("_ZnwmRKSt9nothrow_t");
    count();
    return next(n, t);
}

void* operator new[](std::size_t n, const std::nothrow_t& t) noexcept {
    static const NewNothrow next = real<NewNothrow>("_ZnamRKSt9nothrow_t");
    count();
    return next(n, t);
}

void* operator new(std::size_t n, std::align_val_t a) {
    static const NewAligned next = real<NewAligned>("_ZnwmSt11align_val_t");
    count();
    return next(n, a);
}

void* operator new[](std::size_t n, std::align_val_t a) {
    static const NewAligned next = real<NewAligned>("_ZnamSt11align_val_t");
    count();
    return next(n, a);
}

void* operator new(std::size_t n, std::align_val_t a, const std::nothrow_t& t) noexcept {
    static const NewAlignedNothrow next = real<NewAlignedNothrow>("_ZnwmSt11align_val_tRKSt9nothrow_t");
    count();
    return next(n, a, t);
}

void* operator new[](std::size_t n, std::align_val_t a, const std::nothrow_t& t) noexcept {
    static const NewAlignedNothrow next = real<NewAlignedNothrow>("_ZnamSt11align_val_tRKSt9nothrow_t");
    count();
    return next(n, a, t);
}

namespace euclid {

int64_t heap_allocations() { return g_allocations.load(std::memory_order_relaxed); }

}  // namespace euclid
