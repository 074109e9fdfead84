// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace ss::bpf {

// A client of a container runtime's CRI socket (containerd, CRI-O): what the kubelet
// itself asks, so the pods it lists are the node's pods with their names. Each call waits
// at most 5 s; failures come back as text naming the socket and the call.
class CriClient {
public:
    // `socket`: a path, or "unix://PATH".
    explicit CriClient(const std::string& socket);
    ~CriClient();
    CriClient(const CriClient&) = delete;
    CriClient& operator=(const CriClient&) = delete;

    struct Sandbox {
        std::string id, name, ns, uid;
        std::map<std::string, std::string> labels;
        bool ready = false;
        std::vector<std::string> ips; // a ready sandbox's (PodSandboxStatus); none on the node's network
    };
    // Empty with `error` set when the runtime cannot be asked. A sandbox's IPs are asked once
    // (they do not change while it lives).
    std::vector<Sandbox> listPodSandboxes(std::string* error);

    struct Container {
        std::string id, sandboxId, name, image;
    };
    std::vector<Container> listContainers(std::string* error);

    // For tests and tools: a pod sandbox in the node's network namespace below
    // `cgroupParent`; its id, or "" with `error` set.
    struct PodSpec {
        std::string name, ns, uid, cgroupParent;
        bool ownNetwork = false; // a network namespace of its own (the runtime's CNI), not the node's
    };
    std::string runPodSandbox(const PodSpec& pod, std::string* error);
    // A container of `image` running `command` in that sandbox, started; its id or "".
    std::string runContainer(const std::string& sandboxId, const PodSpec& pod, const std::string& name,
                             const std::string& image, const std::string& command, std::string* error);
    bool removePodSandbox(const std::string& id, std::string* error);

    // The first of the well-known runtime sockets that exists ("" when none).
    static std::string defaultSocket();
    const std::string& socket() const { return socket_; }

private:
    struct Stub;
    std::vector<std::string> sandboxIps(const std::string& id);

    std::string socket_;
    std::unique_ptr<Stub> stub_;
    std::map<std::string, std::vector<std::string>> ips_; // sandbox id → IPs, for those listed last
};

} // namespace ss::bpf
