// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace ss::bpf {

// Where a process runs, as far as its cgroup v2 path tells: the container runtimes and
// the kubelet name cgroups after the container and the pod, with either cgroup driver:
//   cgroupfs  /kubepods/besteffort/pod<uid>/<container id>
//   systemd   /kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod<uid with _>.slice/
//             cri-containerd-<container id>.scope   (also crio-…, docker-…)
//   docker    /docker/<container id>, /system.slice/docker-<container id>.scope
struct CgroupIdentity {
    std::string containerId; // 64 hex digits; empty when not a container's cgroup
    std::string podUid;      // with dashes; empty when not under a pod's cgroup
};
CgroupIdentity parseCgroupPath(const std::string& path);

// The cgroup v2 hierarchy's root: its mount point, or (as root, when none is mounted
// here) a private mount reached through a descriptor; "" when there is no cgroup v2.
std::string cgroup2Mount();

// Pods by uid, read from the output of `kubectl get pods -A -o json` (a list of Pods), or
// from a single Pod object.
struct PodInfo {
    std::string name, ns, uid, node, labels; // labels "key=value,key=value", sorted
    std::map<std::string, std::pair<std::string, std::string>> containers; // id → (name, image)
    std::vector<std::string> ips; // status.podIPs (trigger templates' {{ .pod_ip }})
};
class PodDirectory {
public:
    PodDirectory() = default;
    // Throws EngineError naming the file when it cannot be read or is not such JSON.
    static PodDirectory fromFile(const std::string& path);
    static PodDirectory fromJson(const std::string& text, const std::string& origin);

    const PodInfo* byUid(const std::string& uid) const;
    void add(PodInfo pod); // replaces a pod with the same uid
    std::vector<const PodInfo*> all() const;

private:
    std::map<std::string, PodInfo> byUid_;
};

// cgroup id (the directory's inode number, what bpf_get_current_cgroup_id returns) → what
// its path says; the tree is walked again when an unknown id is asked for, at most once a
// second, or on rescan(). A removed cgroup is forgotten one walk later.
class CgroupDirectory {
public:
    explicit CgroupDirectory(std::string root = cgroup2Mount());

    struct Entry {
        std::string path; // below the mount point, starting with '/'
        CgroupIdentity identity;
    };
    const Entry* find(std::uint64_t cgroupId);
    void rescan();
    const std::map<std::uint64_t, Entry>& entries() const { return entries_; }
    // Changes whenever a rescan finds cgroups come or gone.
    std::uint64_t generation() const { return generation_; }

private:
    std::string root_;
    std::map<std::uint64_t, Entry> entries_;
    std::map<std::uint64_t, Entry> retired_; // gone at the last walk, still findable until the next
    std::uint64_t generation_ = 0;
    std::chrono::steady_clock::time_point lastScan_{};
};

// What is known of a cgroup's container and pod (fields empty when unknown).
struct KubernetesView {
    std::string containerId, containerName, containerImage;
    std::string pod, ns, podUid, labels, node;
    bool empty() const { return containerId.empty() && podUid.empty(); }
};
KubernetesView describe(const CgroupIdentity& identity, const PodDirectory& pods);

// The pcapng comments (docs/FORMAT.md §1): "ContainerId: …" (with name and image) and
// "PodName: …", "PodNamespace: …", "PodUID: …", …; empty when none apply.
std::vector<std::string> kubernetesComments(const KubernetesView& view);

} // namespace ss::bpf
