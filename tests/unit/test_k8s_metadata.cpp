// SPDX-License-Identifier: GPL-2.0-or-later
// Container and pod from a cgroup path (both kubelet cgroup drivers, docker, containerd,
// CRI-O), pods from `kubectl get pods -A -o json`, and the pcapng comments they become.
#include <catch2/catch.hpp>

#include "error.h"
#include "k8s_metadata.h"

#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <string>

using namespace ss::bpf;

namespace {
const std::string kId = "1a1637f3441ed77ea76b84ab77c6e9d3aa3c4be615a6e254f90e31291d81354a";
const std::string kUid = "4f1c2a6e-9b3d-4c21-8e7a-52d1f0a9c3b7";
} // namespace

TEST_CASE("cgroup paths name the container and the pod")
{
    auto id = parseCgroupPath("/kubepods.slice/kubepods-besteffort.slice/"
                              "kubepods-besteffort-pod4f1c2a6e_9b3d_4c21_8e7a_52d1f0a9c3b7.slice/cri-containerd-" +
                              kId + ".scope");
    CHECK(id.podUid == kUid);
    CHECK(id.containerId == kId);
    id = parseCgroupPath("/kubepods/burstable/pod" + kUid + "/" + kId);
    CHECK(id.podUid == kUid);
    CHECK(id.containerId == kId);
    id = parseCgroupPath("/kubepods.slice/kubepods-pod4f1c2a6e_9b3d_4c21_8e7a_52d1f0a9c3b7.slice/crio-" + kId + ".scope");
    CHECK(id.podUid == kUid);
    CHECK(id.containerId == kId);
    id = parseCgroupPath("/system.slice/docker-" + kId + ".scope");
    CHECK(id.podUid.empty());
    CHECK(id.containerId == kId);
    id = parseCgroupPath("/kubepods.slice/kubepods-pod4f1c2a6e_9b3d_4c21_8e7a_52d1f0a9c3b7.slice");
    CHECK(id.podUid == kUid); // the pod's own cgroup (its sandbox)
    CHECK(id.containerId.empty());
    id = parseCgroupPath("/user.slice/user-1000.slice/session-2.scope");
    CHECK(id.podUid.empty());
    CHECK(id.containerId.empty());
    CHECK(parseCgroupPath("/docker/" + kId.substr(0, 63) + "g").containerId.empty());
}

TEST_CASE("pods from kubectl's JSON: names, namespace, labels, node, containers")
{
    const auto pods = PodDirectory::fromJson(R"({"kind": "List", "items": [{"kind": "Pod",
        "metadata": {"name": "web-1", "namespace": "shop", "uid": ")" + kUid + R"(",
                     "labels": {"tier": "front", "app": "web"}},
        "spec": {"nodeName": "node-1"},
        "status": {"containerStatuses": [{"name": "nginx", "image": "nginx:1.25",
                                          "containerID": "containerd://)" + kId + R"("}]}},
        {"kind": "Pod", "metadata": {"name": "no-uid"}}, 17]})",
                                             "pods.json");
    REQUIRE(pods.all().size() == 1);
    const PodInfo* pod = pods.byUid(kUid);
    REQUIRE(pod);
    CHECK(pod->name == "web-1");
    CHECK(pod->labels == "app=web,tier=front");
    const auto view = describe({kId, kUid}, pods);
    CHECK(kubernetesComments(view) ==
          std::vector<std::string>{"ContainerId: " + kId + "\nContainerName: nginx\nContainerImage: nginx:1.25",
                                   "PodName: web-1\nPodNamespace: shop\nPodUID: " + kUid +
                                       "\nPodLabels: app=web,tier=front\nNode: node-1"});
    // A pod the file does not name: its uid is all there is.
    CHECK(kubernetesComments(describe({"", "00000000-0000-0000-0000-000000000000"}, pods)) ==
          std::vector<std::string>{"PodUID: 00000000-0000-0000-0000-000000000000"});
    CHECK(kubernetesComments(describe({}, pods)).empty());
}

TEST_CASE("a file that is not kubectl's JSON is refused naming it")
{
    const auto error = [](const std::string& text) {
        try {
            PodDirectory::fromJson(text, "pods.json");
        } catch (const ss::EngineError& e) {
            return e.object() + ": " + e.what();
        }
        return std::string("accepted");
    };
    CHECK(error("{\"items\": [") == "pods.json: not a JSON object (expected `kubectl get pods -A -o json`)");
    CHECK(error("[]") == "pods.json: not a JSON object (expected `kubectl get pods -A -o json`)");
    CHECK(error("{\"kind\": \"Service\"}") == "pods.json: neither a list of pods nor a pod");
    CHECK_THROWS_AS(PodDirectory::fromFile("/nonexistent/pods.json"), ss::EngineError);
}

TEST_CASE("the cgroup tree is walked again: new cgroups come, removed ones go one walk later")
{
    char base[] = "/tmp/ss-cgtree-XXXXXX";
    REQUIRE(mkdtemp(base));
    const std::string root = base;
    const std::string pod = root + "/kubepods/besteffort/pod" + kUid;
    std::filesystem::create_directories(pod + "/" + kId);
    CgroupDirectory cgroups(root);
    struct stat st {};
    REQUIRE(stat((pod + "/" + kId).c_str(), &st) == 0);
    const std::uint64_t container = st.st_ino;
    REQUIRE(cgroups.find(container));
    CHECK(cgroups.find(container)->identity.containerId == kId);
    const std::uint64_t before = cgroups.generation();

    cgroups.rescan(); // nothing changed
    CHECK(cgroups.generation() == before);

    std::filesystem::remove(pod + "/" + kId);
    cgroups.rescan();
    CHECK(cgroups.generation() != before);
    CHECK(cgroups.entries().count(container) == 0); // not matched by filters any more
    REQUIRE(cgroups.find(container));               // still named for what is being written
    CHECK(cgroups.find(container)->identity.containerId == kId);

    cgroups.rescan();
    CHECK_FALSE(cgroups.find(container)); // forgotten one walk later
    std::filesystem::remove_all(root);
}
