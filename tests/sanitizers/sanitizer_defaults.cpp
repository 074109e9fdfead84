// SPDX-License-Identifier: GPL-2.0-or-later
// Linked into every program of a -DSTRATOSHARK_SANITIZE build (CMakeLists.txt): the options
// ASan, LSan and UBSan start with, so that `ctest` in that build needs no environment (the
// ASAN_OPTIONS, LSAN_OPTIONS and UBSAN_OPTIONS variables still override them).
//
// Leaks: reports stop the program (exit 23) except for what is listed here — memory that
// libraries we do not own keep until exit by design, each with its reason. Our own code is
// never listed: a leak in it is a bug.

extern "C" {

const char* __asan_default_options()
{
    // Stock tshark runs beside our programs in the golden tests; nothing is shared with it.
    return "detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1:"
           "check_initialization_order=1:print_suppressions=0:exitcode=23";
}

const char* __ubsan_default_options()
{
    return "print_stacktrace=1:halt_on_error=1";
}

const char* __lsan_default_suppressions()
{
    return
        // epan, wiretap and wsutil keep process-wide tables (protocols, fields, preferences,
        // name resolution) from epan_init until exit; epan_cleanup frees most, not all.
        "leak:libwireshark.so\n"
        "leak:libwiretap.so\n"
        "leak:libwsutil.so\n"
        // libgcrypt's secure-memory pool and its random-number state, set up by epan_init.
        "leak:libgcrypt.so\n"
        // GLib's type system, its once-initialised caches and thread pools are never freed.
        "leak:libglib-2.0.so\n"
        "leak:libgobject-2.0.so\n"
        "leak:libgio-2.0.so\n"
        // Qt keeps its plugin loader, font database and platform integration until exit.
        "leak:libQt6Core.so\n"
        "leak:libQt6Gui.so\n"
        "leak:libQt6Widgets.so\n"
        "leak:libfontconfig.so\n"
        // gRPC and protobuf keep their process-wide registries and completion-queue threads.
        "leak:libgrpc.so\n"
        "leak:libgrpc++.so\n"
        "leak:libprotobuf.so\n"
        // libpcap's compiler keeps its scanner's buffers.
        "leak:libpcap.so\n";
}

} // extern "C"
