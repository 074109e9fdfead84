// SPDX-License-Identifier: GPL-2.0-or-later
#include "syscall_decode.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <cstring>
#include <utility>

namespace ss::syscalls {
namespace {

struct Bit {
    std::uint64_t value;
    const char* name;
};

template <std::size_t N>
std::string bits(std::uint64_t flags, const Bit (&table)[N], std::string out = {})
{
    for (const Bit& b : table) {
        if (b.value && (flags & b.value) == b.value) {
            if (!out.empty())
                out += '|';
            out += b.name;
            flags &= ~b.value;
        }
    }
    if (flags) {
        char rest[32];
        std::snprintf(rest, sizeof rest, "%s0x%llx", out.empty() ? "" : "|", static_cast<unsigned long long>(flags));
        out += rest;
    }
    return out.empty() ? "0" : out;
}

} // namespace

std::string name(std::uint32_t nr)
{
    // x86-64 numbers of the calls the helper decodes (arch/x86/entry/syscalls/syscall_64.tbl).
    static const std::pair<std::uint32_t, const char*> kNames[] = {
        {0, "read"},     {1, "write"},     {2, "open"},      {3, "close"},    {42, "connect"},
        {43, "accept"},  {44, "sendto"},   {45, "recvfrom"}, {49, "bind"},    {50, "listen"},
        {56, "clone"},   {57, "fork"},     {58, "vfork"},    {59, "execve"},  {62, "kill"},
        {101, "ptrace"}, {165, "mount"},   {166, "umount2"}, {200, "tkill"},  {234, "tgkill"},
        {257, "openat"}, {272, "unshare"}, {288, "accept4"}, {308, "setns"},  {322, "execveat"},
        {435, "clone3"},
    };
    for (const auto& [n, text] : kNames)
        if (n == nr)
            return text;
    return "syscall_" + std::to_string(nr);
}

std::string openFlags(std::uint64_t flags)
{
    static const Bit kFlags[] = {
        {O_CREAT, "O_CREAT"},       {O_EXCL, "O_EXCL"},         {O_NOCTTY, "O_NOCTTY"},
        {O_TRUNC, "O_TRUNC"},       {O_APPEND, "O_APPEND"},     {O_NONBLOCK, "O_NONBLOCK"},
        {__O_TMPFILE | O_DIRECTORY, "O_TMPFILE"}, {O_DIRECTORY, "O_DIRECTORY"}, {O_NOFOLLOW, "O_NOFOLLOW"},
        {O_CLOEXEC, "O_CLOEXEC"},   {O_PATH, "O_PATH"},         {O_SYNC, "O_SYNC"},
        {O_DSYNC, "O_DSYNC"},       {O_DIRECT, "O_DIRECT"},     {O_NOATIME, "O_NOATIME"},
        {O_LARGEFILE, "O_LARGEFILE"},
    };
    const std::uint64_t mode = flags & O_ACCMODE;
    const char* access = mode == O_WRONLY ? "O_WRONLY" : mode == O_RDWR ? "O_RDWR" : "O_RDONLY";
    const std::string rest = bits(flags & ~std::uint64_t(O_ACCMODE), kFlags);
    return rest == "0" ? access : std::string(access) + "|" + rest;
}

std::string mountFlags(std::uint64_t flags)
{
    static const Bit kFlags[] = {
        {MS_RDONLY, "MS_RDONLY"}, {MS_NOSUID, "MS_NOSUID"}, {MS_NODEV, "MS_NODEV"}, {MS_NOEXEC, "MS_NOEXEC"},
        {MS_SYNCHRONOUS, "MS_SYNCHRONOUS"}, {MS_REMOUNT, "MS_REMOUNT"}, {MS_MANDLOCK, "MS_MANDLOCK"},
        {MS_DIRSYNC, "MS_DIRSYNC"}, {MS_NOATIME, "MS_NOATIME"}, {MS_NODIRATIME, "MS_NODIRATIME"},
        {MS_BIND, "MS_BIND"}, {MS_MOVE, "MS_MOVE"}, {MS_REC, "MS_REC"}, {MS_SILENT, "MS_SILENT"},
        {MS_UNBINDABLE, "MS_UNBINDABLE"}, {MS_PRIVATE, "MS_PRIVATE"}, {MS_SLAVE, "MS_SLAVE"},
        {MS_SHARED, "MS_SHARED"}, {MS_RELATIME, "MS_RELATIME"}, {MS_STRICTATIME, "MS_STRICTATIME"},
        {MS_LAZYTIME, "MS_LAZYTIME"},
    };
    return bits(flags, kFlags);
}

std::string umountFlags(std::uint64_t flags)
{
    static const Bit kFlags[] = {{MNT_FORCE, "MNT_FORCE"}, {MNT_DETACH, "MNT_DETACH"}, {MNT_EXPIRE, "MNT_EXPIRE"},
                                 {UMOUNT_NOFOLLOW, "UMOUNT_NOFOLLOW"}};
    return bits(flags, kFlags);
}

std::string cloneFlags(std::uint64_t flags)
{
    static const Bit kFlags[] = {
        {CLONE_NEWNS, "CLONE_NEWNS"},     {CLONE_NEWUTS, "CLONE_NEWUTS"},   {CLONE_NEWIPC, "CLONE_NEWIPC"},
        {CLONE_NEWUSER, "CLONE_NEWUSER"}, {CLONE_NEWPID, "CLONE_NEWPID"},   {CLONE_NEWNET, "CLONE_NEWNET"},
        {CLONE_NEWCGROUP, "CLONE_NEWCGROUP"}, {CLONE_VM, "CLONE_VM"},       {CLONE_FS, "CLONE_FS"},
        {CLONE_FILES, "CLONE_FILES"},     {CLONE_SIGHAND, "CLONE_SIGHAND"}, {CLONE_PTRACE, "CLONE_PTRACE"},
        {CLONE_VFORK, "CLONE_VFORK"},     {CLONE_PARENT, "CLONE_PARENT"},   {CLONE_THREAD, "CLONE_THREAD"},
        {CLONE_SYSVSEM, "CLONE_SYSVSEM"}, {CLONE_SETTLS, "CLONE_SETTLS"},
        {CLONE_PARENT_SETTID, "CLONE_PARENT_SETTID"}, {CLONE_CHILD_CLEARTID, "CLONE_CHILD_CLEARTID"},
        {CLONE_UNTRACED, "CLONE_UNTRACED"}, {CLONE_CHILD_SETTID, "CLONE_CHILD_SETTID"},
    };
    // The low byte of clone's flags is the exit signal, not a flag.
    std::string out = bits(flags & ~std::uint64_t(0xff), kFlags);
    if (const int sig = int(flags & 0xff); sig)
        out = (out == "0" ? "" : out + "|") + signalName(sig);
    return out;
}

std::string ptraceRequest(std::int64_t request)
{
    static const std::pair<std::int64_t, const char*> kRequests[] = {
        {PTRACE_TRACEME, "PTRACE_TRACEME"},   {PTRACE_PEEKTEXT, "PTRACE_PEEKTEXT"},
        {PTRACE_PEEKDATA, "PTRACE_PEEKDATA"}, {PTRACE_POKETEXT, "PTRACE_POKETEXT"},
        {PTRACE_POKEDATA, "PTRACE_POKEDATA"}, {PTRACE_CONT, "PTRACE_CONT"},
        {PTRACE_KILL, "PTRACE_KILL"},         {PTRACE_SINGLESTEP, "PTRACE_SINGLESTEP"},
        {PTRACE_GETREGS, "PTRACE_GETREGS"},   {PTRACE_SETREGS, "PTRACE_SETREGS"},
        {PTRACE_ATTACH, "PTRACE_ATTACH"},     {PTRACE_DETACH, "PTRACE_DETACH"},
        {PTRACE_SYSCALL, "PTRACE_SYSCALL"},   {PTRACE_SETOPTIONS, "PTRACE_SETOPTIONS"},
        {PTRACE_SEIZE, "PTRACE_SEIZE"},       {PTRACE_INTERRUPT, "PTRACE_INTERRUPT"},
    };
    for (const auto& [value, text] : kRequests)
        if (value == request)
            return text;
    return "PTRACE_" + std::to_string(request);
}

std::string signalName(int signal)
{
    if (const char* abbrev = sigabbrev_np(signal))
        return std::string("SIG") + abbrev;
    return "SIG" + std::to_string(signal);
}

std::string errnoName(int error)
{
    if (const char* text = strerrorname_np(error))
        return text;
    return "E" + std::to_string(error);
}

std::string socketAddress(const std::uint8_t* data, std::size_t length)
{
    if (!data || length < sizeof(sa_family_t))
        return {};
    sa_family_t family;
    std::memcpy(&family, data, sizeof family);
    char text[INET6_ADDRSTRLEN];
    if (family == AF_INET && length >= sizeof(sockaddr_in)) {
        sockaddr_in in;
        std::memcpy(&in, data, sizeof in);
        inet_ntop(AF_INET, &in.sin_addr, text, sizeof text);
        return std::string(text) + ":" + std::to_string(ntohs(in.sin_port));
    }
    if (family == AF_INET6 && length >= sizeof(sockaddr_in6)) {
        sockaddr_in6 in6;
        std::memcpy(&in6, data, sizeof in6);
        inet_ntop(AF_INET6, &in6.sin6_addr, text, sizeof text);
        return "[" + std::string(text) + "]:" + std::to_string(ntohs(in6.sin6_port));
    }
    if (family == AF_UNIX && length > sizeof(sa_family_t)) {
        const char* path = reinterpret_cast<const char*>(data) + sizeof(sa_family_t);
        const std::size_t max = std::min(length - sizeof(sa_family_t), sizeof(sockaddr_un::sun_path));
        if (path[0] == '\0') // abstract: the name is the rest, not NUL-terminated
            return "@" + std::string(path + 1, max - 1);
        return std::string(path, strnlen(path, max));
    }
    return {};
}

} // namespace ss::syscalls
