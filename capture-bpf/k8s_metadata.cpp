// SPDX-License-Identifier: GPL-2.0-or-later
#include "k8s_metadata.h"

#include "error.h"

#include <nlohmann/json.hpp>
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace ss::bpf {
namespace {

bool isHex(const std::string& s)
{
    return std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isxdigit(c) && !std::isupper(c); });
}

// A pod uid as the kubelet writes it in a cgroup name: 8-4-4-4-12 hex digits, separated by
// '-' (cgroupfs driver) or '_' (systemd driver, where '-' separates the slice's parents).
bool isUid(const std::string& s)
{
    if (s.size() != 36)
        return false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const bool separator = i == 8 || i == 13 || i == 18 || i == 23;
        if (separator ? (s[i] != '-' && s[i] != '_') : !std::isxdigit(static_cast<unsigned char>(s[i])))
            return false;
    }
    return true;
}

std::string stripScope(std::string name)
{
    for (const char* suffix : {".scope", ".slice"})
        if (name.size() > std::strlen(suffix) && name.ends_with(suffix))
            name.resize(name.size() - std::strlen(suffix));
    return name;
}

} // namespace

CgroupIdentity parseCgroupPath(const std::string& path)
{
    CgroupIdentity id;
    std::istringstream parts(path);
    std::string part;
    while (std::getline(parts, part, '/')) {
        if (part.empty())
            continue;
        const std::string name = stripScope(part);
        for (std::size_t at = name.find("pod"); at != std::string::npos; at = name.find("pod", at + 1)) {
            const std::string uid = name.substr(at + 3, 36);
            if (isUid(uid)) {
                id.podUid = uid;
                std::replace(id.podUid.begin(), id.podUid.end(), '_', '-');
            }
        }
        const auto dash = name.rfind('-');
        const std::string last = dash == std::string::npos ? name : name.substr(dash + 1);
        if (last.size() == 64 && isHex(last))
            id.containerId = last;
    }
    return id;
}

namespace {

std::string findCgroup2Mount()
{
    std::ifstream in("/proc/self/mountinfo");
    std::string line;
    while (std::getline(in, line)) {
        // "ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL…] - FSTYPE SOURCE SUPER"
        const auto dash = line.find(" - ");
        if (dash == std::string::npos || line.compare(dash + 3, 8, "cgroup2 ") != 0)
            continue;
        std::istringstream fields(line.substr(0, dash));
        std::string id, parent, device, root, mountPoint;
        fields >> id >> parent >> device >> root >> mountPoint;
        if (root == "/")
            return mountPoint;
    }
    return {};
}

// No cgroup v2 mount in sight (`ip netns exec` remounts /sys; a cgroup-v1-only host):
// mount one privately, keep a descriptor to its root and detach the mount at once, so
// nothing is left behind; the tree stays reachable as /proc/self/fd/N.
std::string privateCgroup2Mount()
{
    char dir[] = "/tmp/stratoshark-cgroup2-XXXXXX";
    if (!mkdtemp(dir))
        return {};
    std::string path;
    if (mount("cgroup2", dir, "cgroup2", MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr) == 0) {
        const int fd = open(dir, O_RDONLY | O_DIRECTORY); // kept for the process's lifetime
        umount2(dir, MNT_DETACH);
        if (fd >= 0)
            path = "/proc/self/fd/" + std::to_string(fd);
    }
    rmdir(dir);
    return path;
}

} // namespace

std::string cgroup2Mount()
{
    static const std::string path = [] { // found once per process
        std::string found = findCgroup2Mount();
        return found.empty() && geteuid() == 0 ? privateCgroup2Mount() : found;
    }();
    return path;
}

PodDirectory PodDirectory::fromFile(const std::string& path)
{
    std::ifstream in(path);
    if (!in)
        throw EngineError("read Kubernetes metadata", path, std::strerror(errno));
    std::stringstream text;
    text << in.rdbuf();
    return fromJson(text.str(), path);
}

PodDirectory PodDirectory::fromJson(const std::string& text, const std::string& origin)
{
    PodDirectory pods;
    const auto json = nlohmann::json::parse(text, nullptr, false);
    if (json.is_discarded() || !json.is_object())
        throw EngineError("read Kubernetes metadata", origin, "not a JSON object (expected `kubectl get pods -A -o json`)");
    const auto text_of = [](const nlohmann::json& j, const char* key) {
        const auto it = j.find(key);
        return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
    };
    std::vector<nlohmann::json> items;
    if (json.contains("items") && json["items"].is_array())
        items.assign(json["items"].begin(), json["items"].end());
    else if (text_of(json, "kind") == "Pod")
        items.push_back(json);
    else
        throw EngineError("read Kubernetes metadata", origin, "neither a list of pods nor a pod");
    for (const auto& item : items) {
        if (!item.is_object() || !item.contains("metadata") || !item["metadata"].is_object())
            continue;
        const auto& meta = item["metadata"];
        PodInfo pod{text_of(meta, "name"), text_of(meta, "namespace"), text_of(meta, "uid"), {}, {}, {}, {}};
        if (pod.uid.empty() || pod.name.empty())
            continue;
        if (item.contains("spec") && item["spec"].is_object())
            pod.node = text_of(item["spec"], "nodeName");
        if (meta.contains("labels") && meta["labels"].is_object()) {
            std::vector<std::string> labels;
            for (const auto& [key, value] : meta["labels"].items())
                if (value.is_string())
                    labels.push_back(key + "=" + value.get<std::string>());
            std::sort(labels.begin(), labels.end());
            for (const auto& label : labels)
                pod.labels += (pod.labels.empty() ? "" : ",") + label;
        }
        if (item.contains("status") && item["status"].is_object()) {
            const auto& status = item["status"];
            if (const auto ips = status.find("podIPs"); ips != status.end() && ips->is_array())
                for (const auto& ip : *ips)
                    if (ip.is_object() && !text_of(ip, "ip").empty())
                        pod.ips.push_back(text_of(ip, "ip"));
            if (pod.ips.empty() && !text_of(status, "podIP").empty())
                pod.ips.push_back(text_of(status, "podIP"));
            for (const char* list : {"containerStatuses", "initContainerStatuses", "ephemeralContainerStatuses"}) {
                const auto it = item["status"].find(list);
                if (it == item["status"].end() || !it->is_array())
                    continue;
                for (const auto& c : *it) {
                    if (!c.is_object())
                        continue;
                    std::string id = text_of(c, "containerID"); // "containerd://<64 hex>"
                    if (const auto scheme = id.find("://"); scheme != std::string::npos)
                        id = id.substr(scheme + 3);
                    if (!id.empty())
                        pod.containers[id] = {text_of(c, "name"), text_of(c, "image")};
                }
            }
        }
        pods.byUid_[pod.uid] = std::move(pod);
    }
    return pods;
}

const PodInfo* PodDirectory::byUid(const std::string& uid) const
{
    const auto it = byUid_.find(uid);
    return it == byUid_.end() ? nullptr : &it->second;
}

void PodDirectory::add(PodInfo pod)
{
    std::string uid = pod.uid;
    byUid_[uid] = std::move(pod);
}

std::vector<const PodInfo*> PodDirectory::all() const
{
    std::vector<const PodInfo*> out;
    for (const auto& [uid, pod] : byUid_)
        out.push_back(&pod);
    return out;
}

CgroupDirectory::CgroupDirectory(std::string root) : root_(std::move(root))
{
    rescan();
}

void CgroupDirectory::rescan()
{
    lastScan_ = std::chrono::steady_clock::now();
    if (root_.empty())
        return;
    namespace fs = std::filesystem;
    std::error_code ec;
    std::map<std::uint64_t, Entry> found; // the tree as it is now: removed cgroups go
    const auto add = [&found](const fs::path& dir, const std::string& relative) {
        struct stat st {};
        if (stat(dir.c_str(), &st) == 0)
            found[st.st_ino] = {relative, parseCgroupPath(relative)};
    };
    add(root_, "/");
    for (fs::recursive_directory_iterator it(root_, fs::directory_options::skip_permission_denied, ec), end;
         !ec && it != end; it.increment(ec)) {
        if (it->is_directory(ec) && !it->is_symlink(ec))
            add(it->path(), it->path().string().substr(root_.size())); // "/kubepods/…"
    }
    // Cgroups gone since the last walk stay findable until the next one: packets and
    // records of a container that just exited are still being written.
    retired_.clear();
    for (auto& [id, entry] : entries_)
        if (!found.count(id))
            retired_.emplace(id, std::move(entry));
    const bool same = retired_.empty() && found.size() == entries_.size();
    entries_ = std::move(found);
    if (!same)
        ++generation_;
}

const CgroupDirectory::Entry* CgroupDirectory::find(std::uint64_t cgroupId)
{
    auto it = entries_.find(cgroupId);
    if (it == entries_.end() && std::chrono::steady_clock::now() - lastScan_ >= std::chrono::seconds(1)) {
        rescan();
        it = entries_.find(cgroupId);
    }
    if (it != entries_.end())
        return &it->second;
    const auto retired = retired_.find(cgroupId);
    return retired == retired_.end() ? nullptr : &retired->second;
}

KubernetesView describe(const CgroupIdentity& identity, const PodDirectory& pods)
{
    KubernetesView v;
    v.containerId = identity.containerId;
    v.podUid = identity.podUid;
    if (const PodInfo* pod = identity.podUid.empty() ? nullptr : pods.byUid(identity.podUid)) {
        v.pod = pod->name;
        v.ns = pod->ns;
        v.labels = pod->labels;
        v.node = pod->node;
        if (const auto it = pod->containers.find(identity.containerId); it != pod->containers.end()) {
            v.containerName = it->second.first;
            v.containerImage = it->second.second;
        }
    }
    return v;
}

std::vector<std::string> kubernetesComments(const KubernetesView& v)
{
    std::vector<std::string> out;
    const auto line = [](std::string& text, const char* key, const std::string& value) {
        if (!value.empty())
            text += (text.empty() ? "" : "\n") + std::string(key) + ": " + value;
    };
    std::string container, pod;
    line(container, "ContainerId", v.containerId);
    line(container, "ContainerName", v.containerName);
    line(container, "ContainerImage", v.containerImage);
    line(pod, "PodName", v.pod);
    line(pod, "PodNamespace", v.ns);
    line(pod, "PodUID", v.podUid);
    line(pod, "PodLabels", v.labels);
    line(pod, "Node", v.node);
    for (std::string* text : {&container, &pod})
        if (!text->empty())
            out.push_back(std::move(*text));
    return out;
}

} // namespace ss::bpf
