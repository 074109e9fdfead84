// SPDX-License-Identifier: GPL-2.0-or-later
#include <catch2/catch.hpp>

#include "syscall_decode.h"

#include <arpa/inet.h>
#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <netinet/in.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/un.h>

#include <cstring>

using namespace ss::syscalls;

TEST_CASE("syscall numbers name the calls the helper decodes")
{
    CHECK(name(42) == "connect");
    CHECK(name(165) == "mount");
    CHECK(name(257) == "openat");
    CHECK(name(288) == "accept4");
    CHECK(name(9999) == "syscall_9999");
}

TEST_CASE("flags decode to their names, unknown bits kept in hex")
{
    CHECK(openFlags(O_RDONLY) == "O_RDONLY");
    CHECK(openFlags(O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC) == "O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC");
    CHECK(openFlags(O_RDWR | O_TMPFILE) == "O_RDWR|O_TMPFILE");
    CHECK(mountFlags(0) == "0");
    CHECK(mountFlags(MS_BIND | MS_REC) == "MS_BIND|MS_REC");
    CHECK(mountFlags(MS_RDONLY | (1ull << 40)) == "MS_RDONLY|0x10000000000");
    CHECK(umountFlags(MNT_DETACH) == "MNT_DETACH");
    CHECK(cloneFlags(CLONE_NEWNET | CLONE_NEWNS) == "CLONE_NEWNS|CLONE_NEWNET");
    CHECK(cloneFlags(CLONE_VM | CLONE_VFORK | SIGCHLD) == "CLONE_VM|CLONE_VFORK|SIGCHLD");
    CHECK(ptraceRequest(16) == "PTRACE_ATTACH");
    CHECK(signalName(SIGKILL) == "SIGKILL");
    CHECK(errnoName(ECONNREFUSED) == "ECONNREFUSED");
    CHECK(errnoName(EPERM) == "EPERM");
}

TEST_CASE("socket addresses read from memory decode per family")
{
    sockaddr_in in{};
    in.sin_family = AF_INET;
    in.sin_port = htons(4444);
    inet_pton(AF_INET, "203.0.113.45", &in.sin_addr);
    CHECK(socketAddress(reinterpret_cast<const std::uint8_t*>(&in), sizeof in) == "203.0.113.45:4444");
    CHECK(socketAddress(reinterpret_cast<const std::uint8_t*>(&in), 4).empty()); // short read

    sockaddr_in6 in6{};
    in6.sin6_family = AF_INET6;
    in6.sin6_port = htons(53);
    inet_pton(AF_INET6, "::1", &in6.sin6_addr);
    CHECK(socketAddress(reinterpret_cast<const std::uint8_t*>(&in6), sizeof in6) == "[::1]:53");

    sockaddr_un un{};
    un.sun_family = AF_UNIX;
    std::strcpy(un.sun_path, "/run/stratoshark/helper.sock");
    CHECK(socketAddress(reinterpret_cast<const std::uint8_t*>(&un), sizeof un) == "/run/stratoshark/helper.sock");
    sockaddr_un abstract{};
    abstract.sun_family = AF_UNIX;
    std::memcpy(abstract.sun_path, "\0hidden", 7);
    CHECK(socketAddress(reinterpret_cast<const std::uint8_t*>(&abstract), sizeof(sa_family_t) + 7) == "@hidden");
}
