// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "k8s_metadata.h"

namespace ss::bpf {

// Where the names of the node's pods come from (`--k8s-metadata`):
//   FILE         the output of `kubectl get pods -A -o json`, read again when it changes;
//   in-cluster   the API server, as a pod of a DaemonSet reaches it: KUBERNETES_SERVICE_HOST
//                and _PORT, the service account's token and CA (in
//                /var/run/secrets/kubernetes.io/serviceaccount, or the folder named by
//                STRATOSHARK_SERVICEACCOUNT_DIR), the pods of NODE_NAME if set; polled every
//                10 s on a thread of its own, so a slow API server never stalls a capture.
//   cri[:SOCKET] the container runtime's CRI socket (containerd, CRI-O; by default the
//                first of /run/containerd/containerd.sock, /run/crio/crio.sock), polled
//                every 5 s: the pod sandboxes the kubelet ran.
//   none         no pod names.
// Without --k8s-metadata: in-cluster when KUBERNETES_SERVICE_HOST is set, else the CRI
// socket when one exists, else none.
class PodSource {
public:
    virtual ~PodSource() = default;
    // "none", or "" with neither an in-cluster environment nor a CRI socket: nullptr. Throws EngineError naming the file or the
    // missing piece of the in-cluster setup.
    static std::shared_ptr<PodSource> open(const std::string& spec);

    struct Snapshot {
        std::shared_ptr<const PodDirectory> pods; // never null
        std::uint64_t version = 0;                // changes when the pods do
    };
    virtual Snapshot current() = 0;
    virtual std::string origin() const = 0; // the file or the URL
};

} // namespace ss::bpf
