// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "error.h"
#include "meta_filter.h"

namespace ss::bpf {

class CgroupDirectory;
class PodDirectory;

// `--ebpf-filter`: a metadata expression in display-filter style, run in the kernel.
//   field [== value | != value]    (a field alone: the field is present)
//   fields: proc.pid, proc.name, container.id, k8s.pod, k8s.ns
//   combined with and/&&, or/||, not/!, parentheses; values bare or "quoted".
// Each comparison becomes an atom (one bit); the kernel ORs the bits that the owner's pid,
// task name and cgroup set, and looks the mask up in the expression's truth table
// (meta_filter.h). `proc.name` is the kernel's task name (its first 15 bytes), container.id
// matches a prefix of 12 or more digits, `k8s.*` need the pod metadata (--k8s-metadata).
// A packet without an owner has no fields: `not k8s.pod == x` keeps it, `k8s.pod != x`
// does not (as in Wireshark).
// A field the kernel programs cannot test (tcp.port, http.host, …): the expression parses
// as a display filter may, but only user space could run it (--allow-userspace-filter).
class FieldNotInKernel : public EngineError {
public:
    FieldNotInKernel(const std::string& text, const std::string& why) : EngineError("parse --ebpf-filter", text, why) {}
};

// What a record, an event or a recorded packet says of its process, container and pod
// (empty: not said), for running the expression in user space.
struct MetaFields {
    std::string pid, name, containerId, pod, ns;
    bool empty() const { return pid.empty() && name.empty() && containerId.empty() && pod.empty() && ns.empty(); }
};

class EbpfFilter {
public:
    static constexpr std::size_t kMaxLength = 4096;

    // Throws EngineError("parse --ebpf-filter", text, what is wrong and where).
    explicit EbpfFilter(const std::string& text);
    ~EbpfFilter();
    EbpfFilter(EbpfFilter&&) noexcept;

    struct Atom {
        enum Field { Pid, Name, Container, Pod, Namespace } field;
        std::string value; // empty: "the field is present"
    };
    const std::vector<Atom>& atoms() const { return atoms_; }
    bool needsPods() const;
    bool needsCgroups() const;

    ss_meta_config config() const; // enabled, owner bits, truth table
    // The expression in user space, as the kernel would run it for an owner with `fields`
    // (names compared as the kernel does: a task name's first 15 bytes, a container id's prefix).
    bool matches(const MetaFields& fields) const;

    // What sets each atom's bit; cgroups as found now (call again as cgroups appear).
    struct Sets {
        std::map<std::uint32_t, std::uint32_t> pids;
        std::map<std::string, std::uint32_t> comms; // at most 15 bytes each
        std::map<std::uint64_t, std::uint32_t> cgroups;
    };
    Sets sets(const CgroupDirectory& cgroups, const PodDirectory& pods) const;
    // Pods, namespaces and containers the expression names that the node does not know
    // now, each as a sentence with the names it does know (shortened): a capture that
    // would stay empty is told, not silent.
    std::vector<std::string> unknownNames(const CgroupDirectory& cgroups, const PodDirectory& pods) const;

    struct Node;

private:
    // `k8s.pod == name` or `namespace/name`, `k8s.ns == ns`: the uids of those pods.
    static std::set<std::string> podsNamed(const Atom& atom, const PodDirectory& pods);

    std::vector<Atom> atoms_;
    std::unique_ptr<Node> root_;
};

// One BPF object's `--ebpf-filter` maps (meta_filter.bpf.h), by their fds.
struct MetaFilterMaps {
    int config, pids, comms, cgroups;
};
// Fills them: the sets first, then the config that turns the filter on. Called again with
// new sets as cgroups come and go (cgroups no longer in the set are removed).
void writeFilterMaps(const EbpfFilter& filter, const EbpfFilter::Sets& sets, const MetaFilterMaps& maps);

} // namespace ss::bpf
