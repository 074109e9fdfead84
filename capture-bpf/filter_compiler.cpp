// SPDX-License-Identifier: GPL-2.0-or-later
#include "filter_compiler.h"

#include "error.h"
#include "sanitizers.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <iterator>

extern char** environ;

namespace ss::bpf {
namespace {

std::string g_program = "/proc/self/exe"; // set once at start, read by client threads

// The child's answer: 'O' u32 count, count × {u16 code, u8 jt, u8 jf, u32 k}; or 'E' text.
std::string encode(const std::vector<ClassicInsn>& program)
{
    std::string out(1, 'O');
    const auto put = [&](const void* p, std::size_t n) { out.append(static_cast<const char*>(p), n); };
    const auto count = std::uint32_t(program.size());
    put(&count, 4);
    for (const ClassicInsn& i : program) {
        put(&i.code, 2);
        put(&i.jt, 1);
        put(&i.jf, 1);
        put(&i.k, 4);
    }
    return out;
}

std::vector<ClassicInsn> decode(const std::string& answer, const std::string& expression)
{
    const auto fail = [&](const std::string& why) { throw EngineError("compile capture filter", expression, why); };
    if (answer.empty())
        fail("the filter compiler ended without an answer");
    if (answer[0] == 'E')
        fail(answer.substr(1));
    std::uint32_t count = 0;
    if (answer[0] != 'O' || answer.size() < 5)
        fail("the filter compiler's answer is malformed");
    std::memcpy(&count, answer.data() + 1, 4);
    if (answer.size() != 5 + std::size_t(count) * 8)
        fail("the filter compiler's answer is malformed");
    std::vector<ClassicInsn> program(count);
    for (std::uint32_t n = 0; n < count; ++n) {
        const char* p = answer.data() + 5 + n * 8;
        std::memcpy(&program[n].code, p, 2);
        std::memcpy(&program[n].jt, p + 2, 1);
        std::memcpy(&program[n].jf, p + 3, 1);
        std::memcpy(&program[n].k, p + 4, 4);
    }
    return program;
}

struct Pipe {
    int fds[2] = {-1, -1};
    Pipe()
    {
        if (pipe2(fds, O_CLOEXEC) != 0)
            throw EngineError("compile capture filter", "pipe", std::strerror(errno));
    }
    ~Pipe()
    {
        for (int fd : fds)
            if (fd >= 0)
                close(fd);
    }
    void closeEnd(int i)
    {
        close(fds[i]);
        fds[i] = -1;
    }
};

} // namespace

void rememberOwnProgram()
{
    char path[4096];
    const ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
    if (n > 0)
        g_program.assign(path, std::size_t(n));
}

std::vector<ClassicInsn> compileTcpdumpFilterBounded(const std::string& expression)
{
    if (expression.size() > FilterCompileLimits::kMaxLength)
        throw EngineError("compile capture filter", expression.substr(0, 40) + "…",
                          "longer than " + std::to_string(FilterCompileLimits::kMaxLength) + " characters");
    if (expression.find('\0') != std::string::npos)
        throw EngineError("compile capture filter", expression, "contains a NUL byte");
    Pipe in, out;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in.fds[0], 0);
    posix_spawn_file_actions_adddup2(&actions, out.fds[1], 1);
    char* const argv[] = {const_cast<char*>("stratoshark-helper"), const_cast<char*>("compile-filter"), nullptr};
    pid_t child = -1;
    const int spawned = posix_spawn(&child, g_program.c_str(), &actions, nullptr, argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    if (spawned != 0)
        throw EngineError("compile capture filter", g_program, std::strerror(spawned));
    in.closeEnd(0);
    out.closeEnd(1);
    // At most 4 KiB: the pipe takes it at once.
    const bool sent = write(in.fds[1], expression.data(), expression.size()) == ssize_t(expression.size());
    in.closeEnd(1);
    std::string answer;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(FilterCompileLimits::kWallSeconds);
    bool timedOut = false;
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            timedOut = true;
            break;
        }
        pollfd p{out.fds[0], POLLIN, 0};
        if (::poll(&p, 1, int(left.count())) <= 0)
            continue;
        char chunk[4096];
        const ssize_t n = read(out.fds[0], chunk, sizeof chunk);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0 || answer.size() > (1u << 20))
            break;
        answer.append(chunk, std::size_t(n));
    }
    if (timedOut)
        kill(child, SIGKILL);
    int status = 0;
    while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
    }
    if (timedOut || (WIFSIGNALED(status) && (WTERMSIG(status) == SIGXCPU || WTERMSIG(status) == SIGKILL)))
        throw EngineError("compile capture filter", expression.size() > 60 ? expression.substr(0, 60) + "…" : expression,
                          "too complex: libpcap's optimizer needed more than " +
                              std::to_string(FilterCompileLimits::kCpuSeconds) +
                              " s of CPU; use fewer terms (e.g. a port range, portrange 8000-8100)");
    if (!sent || WIFSIGNALED(status))
        throw EngineError("compile capture filter", expression, "the filter compiler failed");
    return decode(answer, expression);
}

int compileFilterChild()
{
    const rlim_t cpu = FilterCompileLimits::kCpuSeconds;
    const rlimit cpuLimit{cpu, cpu + 1}, memoryLimit{rlim_t(FilterCompileLimits::kMemoryBytes),
                                                     rlim_t(FilterCompileLimits::kMemoryBytes)};
    setrlimit(RLIMIT_CPU, &cpuLimit);
#if !SS_ADDRESS_SANITIZER
    // ASan's shadow takes terabytes of address space: its builds keep the CPU limit only.
    setrlimit(RLIMIT_AS, &memoryLimit);
#else
    (void)memoryLimit;
#endif
    std::string expression((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
    if (expression.size() > FilterCompileLimits::kMaxLength)
        expression.resize(FilterCompileLimits::kMaxLength);
    std::string answer;
    try {
        answer = encode(compileTcpdumpFilter(expression));
    } catch (const EngineError& e) {
        answer = std::string("E") + e.what();
    } catch (const std::bad_alloc&) {
        answer = "Etoo complex: libpcap's compiler ran out of its memory limit";
    }
    return std::fwrite(answer.data(), 1, answer.size(), stdout) == answer.size() ? 0 : 1;
}

} // namespace ss::bpf
