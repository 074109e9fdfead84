// SPDX-License-Identifier: GPL-2.0-or-later
#include "pod_source.h"

#include "cri_client.h"
#include "error.h"

#include <curl/curl.h>
#include <sys/stat.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

namespace ss::bpf {
namespace {

std::int64_t modified(const std::string& path)
{
    struct stat st {};
    return stat(path.c_str(), &st) == 0 ? std::int64_t(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec : -1;
}

// A kubectl JSON file, read again when its modification time changes (at most once a
// second); a half-written file keeps the previous pods.
class FilePods final : public PodSource {
public:
    explicit FilePods(std::string path) : path_(std::move(path))
    {
        modified_ = modified(path_);
        snapshot_ = {std::make_shared<PodDirectory>(PodDirectory::fromFile(path_)), 1};
        checked_ = std::chrono::steady_clock::now();
    }
    Snapshot current() override
    {
        std::lock_guard lock(mutex_); // captures and the node's metrics ask from their threads
        const auto now = std::chrono::steady_clock::now();
        if (now - checked_ < std::chrono::seconds(1))
            return snapshot_;
        checked_ = now;
        const std::int64_t when = modified(path_);
        if (when == modified_)
            return snapshot_;
        try {
            snapshot_ = {std::make_shared<PodDirectory>(PodDirectory::fromFile(path_)), snapshot_.version + 1};
            modified_ = when;
        } catch (const EngineError& e) {
            std::fprintf(stderr, "stratoshark-helper: %s \"%s\": %s\n", e.step().c_str(), e.object().c_str(), e.what());
        }
        return snapshot_;
    }
    std::string origin() const override { return path_; }

private:
    std::string path_;
    std::mutex mutex_;
    std::int64_t modified_;
    Snapshot snapshot_;
    std::chrono::steady_clock::time_point checked_;
};

std::string readAll(const std::string& path)
{
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

// A source polled on a thread of its own, so that a slow server never stalls a capture:
// fetch() once at the start, then every `period`; publish() swaps in a new directory.
class PolledPods : public PodSource {
public:
    Snapshot current() override
    {
        std::lock_guard lock(mutex_);
        return snapshot_;
    }

protected:
    PolledPods() : snapshot_{std::make_shared<PodDirectory>(), 0} {}
    // Derived classes call start() at the end of their constructor and stop() first in
    // their destructor (the thread calls their fetch()).
    void start(std::chrono::seconds period)
    {
        fetch();
        thread_ = std::thread([this, period] {
            std::unique_lock lock(mutex_);
            while (!wake_.wait_for(lock, period, [this] { return stop_; })) {
                lock.unlock();
                fetch();
                lock.lock();
            }
        });
    }
    void stop()
    {
        {
            std::lock_guard lock(mutex_);
            stop_ = true;
        }
        wake_.notify_all();
        if (thread_.joinable())
            thread_.join();
    }
    void publish(std::shared_ptr<const PodDirectory> pods)
    {
        std::lock_guard lock(mutex_);
        snapshot_ = {std::move(pods), snapshot_.version + 1};
    }
    virtual void fetch() = 0;

private:
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stop_ = false;
    Snapshot snapshot_;
    std::thread thread_;
};

// The API server: GET /api/v1/pods[?fieldSelector=spec.nodeName=N] every 10 s.
class ApiServerPods final : public PolledPods {
public:
    ApiServerPods()
    {
        const char* host = std::getenv("KUBERNETES_SERVICE_HOST");
        const char* port = std::getenv("KUBERNETES_SERVICE_PORT");
        if (!host || !*host)
            throw EngineError("reach the Kubernetes API", "in-cluster", "KUBERNETES_SERVICE_HOST is not set");
        const char* dirEnv = std::getenv("STRATOSHARK_SERVICEACCOUNT_DIR");
        const std::string dir = dirEnv && *dirEnv ? dirEnv : "/var/run/secrets/kubernetes.io/serviceaccount";
        token_ = readAll(dir + "/token");
        while (!token_.empty() && (token_.back() == '\n' || token_.back() == '\r'))
            token_.pop_back();
        if (token_.empty())
            throw EngineError("reach the Kubernetes API", dir + "/token", "no service account token");
        ca_ = dir + "/ca.crt";
        const std::string hostPart = std::string(host).find(':') != std::string::npos ? "[" + std::string(host) + "]" : host;
        url_ = "https://" + hostPart + ":" + (port && *port ? port : "443") + "/api/v1/pods";
        if (const char* node = std::getenv("NODE_NAME"); node && *node)
            url_ += std::string("?fieldSelector=spec.nodeName%3D") + node;
        start(std::chrono::seconds(10)); // the first answer before the first capture, if any
    }
    ~ApiServerPods() override { stop(); }
    std::string origin() const override { return url_; }

private:
    static std::size_t collect(char* data, std::size_t size, std::size_t n, void* into)
    {
        static_cast<std::string*>(into)->append(data, size * n);
        return size * n;
    }

    void fetch() override
    {
        std::unique_ptr<CURL, void (*)(CURL*)> curl(curl_easy_init(), curl_easy_cleanup);
        if (!curl)
            return;
        std::string body;
        const std::string auth = "Authorization: Bearer " + token_;
        curl_slist* headers = curl_slist_append(nullptr, auth.c_str());
        headers = curl_slist_append(headers, "Accept: application/json");
        curl_easy_setopt(curl.get(), CURLOPT_URL, url_.c_str());
        curl_easy_setopt(curl.get(), CURLOPT_CAINFO, ca_.c_str());
        curl_easy_setopt(curl.get(), CURLOPT_HTTPHEADER, headers);
        curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, collect);
        curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &body);
        curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT, 10L);
        curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
        const CURLcode rc = curl_easy_perform(curl.get());
        long status = 0;
        curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &status);
        curl_slist_free_all(headers);
        if (rc != CURLE_OK || status != 200) {
            std::fprintf(stderr, "stratoshark-helper: list pods \"%s\": %s\n", url_.c_str(),
                         rc != CURLE_OK ? curl_easy_strerror(rc) : ("HTTP " + std::to_string(status)).c_str());
            return;
        }
        try {
            publish(std::make_shared<PodDirectory>(PodDirectory::fromJson(body, url_)));
        } catch (const EngineError& e) {
            std::fprintf(stderr, "stratoshark-helper: %s \"%s\": %s\n", e.step().c_str(), e.object().c_str(), e.what());
        }
    }

    std::string url_, token_, ca_;
};

// The container runtime's CRI socket every 5 s: the pod sandboxes the kubelet ran, with
// their names, namespaces, uids and labels, and their containers' names and images.
class CriPods final : public PolledPods {
public:
    explicit CriPods(const std::string& socket) : cri_(socket) { start(std::chrono::seconds(5)); }
    ~CriPods() override { stop(); }
    std::string origin() const override { return "CRI " + cri_.socket(); }

private:
    void fetch() override
    {
        std::string error;
        const auto sandboxes = cri_.listPodSandboxes(&error);
        if (!error.empty()) {
            if (error != lastError_) // once per kind of failure, not every 5 s
                std::fprintf(stderr, "stratoshark-helper: %s\n", error.c_str());
            lastError_ = error;
            return;
        }
        lastError_.clear();
        std::string containerError;
        const auto containers = cri_.listContainers(&containerError);
        auto pods = std::make_shared<PodDirectory>();
        for (const auto& s : sandboxes) {
            PodInfo pod{s.name, s.ns, s.uid, {}, {}, {}, s.ips};
            for (const auto& [key, value] : s.labels) // std::map: sorted
                if (key.rfind("io.kubernetes.", 0) != 0) // the kubelet's own bookkeeping
                    pod.labels += (pod.labels.empty() ? "" : ",") + key + "=" + value;
            if (pod.uid.empty())
                continue;
            for (const auto& c : containers) // a failed listing leaves the pods without them
                if (c.sandboxId == s.id)
                    pod.containers[c.id] = {c.name, c.image};
            pods->add(std::move(pod));
        }
        publish(std::move(pods));
    }

    CriClient cri_;
    std::string lastError_;
};

} // namespace

std::shared_ptr<PodSource> PodSource::open(const std::string& spec)
{
    if (spec == "none")
        return nullptr;
    if (spec == "cri" || spec.rfind("cri:", 0) == 0) {
        const std::string socket = spec == "cri" ? CriClient::defaultSocket() : spec.substr(4);
        if (socket.empty())
            throw EngineError("reach the container runtime", "cri", "no CRI socket (containerd, CRI-O) found");
        return std::make_shared<CriPods>(socket);
    }
    if (spec == "in-cluster" || (spec.empty() && std::getenv("KUBERNETES_SERVICE_HOST"))) {
        static const bool initialised = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
        if (!initialised)
            throw EngineError("reach the Kubernetes API", "libcurl", "initialisation failed");
        return std::make_shared<ApiServerPods>();
    }
    if (spec.empty()) // a node's runtime, when there is one
        return CriClient::defaultSocket().empty() ? nullptr : std::make_shared<CriPods>(CriClient::defaultSocket());
    return std::make_shared<FilePods>(spec);
}

} // namespace ss::bpf
