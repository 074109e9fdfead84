// SPDX-License-Identifier: GPL-2.0-or-later
// For the capture tests: runs or removes a pod sandbox through a container runtime's CRI
// socket, as the kubelet would (with the helper's own CRI client).
//   cri_pod SOCKET run NAME NAMESPACE UID CGROUP-PARENT   → prints the sandbox id
//   cri_pod SOCKET run-net …                              → the same, with a network of its own (CNI)
//   cri_pod SOCKET container SANDBOX NAME NAMESPACE UID CGROUP-PARENT CONTAINER IMAGE COMMAND
//                                                         → prints the container id
//   cri_pod SOCKET rm ID
//   cri_pod SOCKET ls                                     → id name namespace uid ip, per line
#include "cri_client.h"

#include <cstdio>
#include <cstring>
#include <string>

int main(int argc, char** argv)
{
    if (argc < 3) {
        std::fputs("usage: cri_pod SOCKET run NAME NAMESPACE UID CGROUP-PARENT | container SANDBOX NAME NAMESPACE UID\n"
                   "       CGROUP-PARENT CONTAINER IMAGE COMMAND | rm ID | ls\n",
                   stderr);
        return 1;
    }
    ss::bpf::CriClient cri(argv[1]);
    std::string error;
    if (std::strcmp(argv[2], "container") == 0 && argc == 11) {
        const std::string id =
            cri.runContainer(argv[3], {argv[4], argv[5], argv[6], argv[7], false}, argv[8], argv[9], argv[10], &error);
        if (id.empty()) {
            std::fprintf(stderr, "cri_pod: %s\n", error.c_str());
            return 2;
        }
        std::printf("%s\n", id.c_str());
        return 0;
    }
    if ((std::strcmp(argv[2], "run") == 0 || std::strcmp(argv[2], "run-net") == 0) && argc == 7) {
        const std::string id =
            cri.runPodSandbox({argv[3], argv[4], argv[5], argv[6], std::strcmp(argv[2], "run-net") == 0}, &error);
        if (id.empty()) {
            std::fprintf(stderr, "cri_pod: %s\n", error.c_str());
            return 2;
        }
        std::printf("%s\n", id.c_str());
        return 0;
    }
    if (std::strcmp(argv[2], "rm") == 0 && argc == 4) {
        if (!cri.removePodSandbox(argv[3], &error)) {
            std::fprintf(stderr, "cri_pod: %s\n", error.c_str());
            return 2;
        }
        return 0;
    }
    if (std::strcmp(argv[2], "ls") == 0) {
        const auto pods = cri.listPodSandboxes(&error);
        if (!error.empty()) {
            std::fprintf(stderr, "cri_pod: %s\n", error.c_str());
            return 2;
        }
        for (const auto& p : pods)
            std::printf("%s %s %s %s %s\n", p.id.c_str(), p.name.c_str(), p.ns.c_str(), p.uid.c_str(),
                        p.ips.empty() ? "-" : p.ips.front().c_str());
        return 0;
    }
    std::fputs("cri_pod: unknown command\n", stderr);
    return 1;
}
