// SPDX-License-Identifier: GPL-2.0-or-later
// What a client sends the helper (its Unix socket and its TLS port share this path): the
// input is the client's byte stream, read from a socket with the helper's framing and size
// bound (readMessage), each request decoded, and each StartCapture or Validate checked as
// the helper checks it (validateCapture: interfaces, durations, limits, the tcpdump filter
// in its bounded child, the --ebpf-filter) and printed for the log as the helper prints it.
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <string>

#include "capture_request.h"
#include "channel.h"
#include "filter_compiler.h"
#include "ipc_framing.h"

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv)
{
    // validateCapture compiles tcpdump filters in a child: this program, as the helper's is.
    if (*argc > 1 && std::strcmp((*argv)[1], "compile-filter") == 0)
        std::exit(ss::bpf::compileFilterChild());
    ss::bpf::rememberOwnProgram();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    namespace ipc = ss::ipc;
    namespace pb = stratoshark::helper::v1;
    int fds[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, fds) != 0)
        std::abort();
    // The stream as the client sent it (what fits in the socket's buffer), then its hang-up.
    std::size_t sent = 0;
    while (sent < size) {
        const ssize_t n = write(fds[1], data + sent, size - sent);
        if (n <= 0)
            break;
        sent += std::size_t(n);
    }
    close(fds[1]);
    ipc::Channel channel{ipc::UniqueFd(fds[0])};
    ss::helper::CaptureContext context;
    context.nodeName = "fuzz-node";
    for (int requests = 0; requests < 64; ++requests) {
        pb::Request request;
        if (ipc::readMessage(channel, request, ipc::kMaxRequestBytes, ipc::after(std::chrono::milliseconds(100))) !=
            ipc::ReadResult::Ok)
            break;
        if (request.has_hello())
            ss::helper::printable(request.hello().client(), 100);
        const pb::StartCapture* capture = request.has_start_capture() ? &request.start_capture()
                                          : request.has_validate()    ? &request.validate()
                                                                      : nullptr;
        if (!capture)
            continue;
        try {
            const ss::helper::CaptureSpec spec = ss::helper::validateCapture(*capture, context);
            ss::helper::printable(spec.describe());
            ss::helper::printable(spec.bpfFilter);
        } catch (const ss::helper::Refusal& refusal) {
            if (refusal.code() == pb::Error::UNSPECIFIED) // every refusal carries a code for programs
                std::abort();
        }
    }
    return 0;
}
