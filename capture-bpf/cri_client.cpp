// SPDX-License-Identifier: GPL-2.0-or-later
#include "cri_client.h"

#include "cri.grpc.pb.h"

#include <grpcpp/grpcpp.h>
#include <sys/stat.h>

#include <chrono>

namespace ss::bpf {
namespace {

std::unique_ptr<grpc::ClientContext> context()
{
    auto c = std::make_unique<grpc::ClientContext>();
    c->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    return c;
}

} // namespace

struct CriClient::Stub {
    std::unique_ptr<runtime::v1::RuntimeService::Stub> runtime;
};

CriClient::CriClient(const std::string& socket)
    : socket_(socket.rfind("unix://", 0) == 0 ? socket.substr(7) : socket), stub_(std::make_unique<Stub>())
{
    stub_->runtime = runtime::v1::RuntimeService::NewStub(
        grpc::CreateChannel("unix://" + socket_, grpc::InsecureChannelCredentials()));
}

CriClient::~CriClient() = default;

std::string CriClient::defaultSocket()
{
    for (const char* path : {"/run/containerd/containerd.sock", "/run/crio/crio.sock", "/var/run/containerd/containerd.sock",
                             "/var/run/crio/crio.sock"}) {
        struct stat st {};
        if (stat(path, &st) == 0 && S_ISSOCK(st.st_mode))
            return path;
    }
    return {};
}

std::vector<CriClient::Sandbox> CriClient::listPodSandboxes(std::string* error)
{
    runtime::v1::ListPodSandboxRequest request;
    runtime::v1::ListPodSandboxResponse response;
    const auto ctx = context();
    const grpc::Status status = stub_->runtime->ListPodSandbox(ctx.get(), request, &response);
    if (!status.ok()) {
        *error = "ListPodSandbox on " + socket_ + ": " + status.error_message();
        return {};
    }
    std::vector<Sandbox> out;
    std::map<std::string, std::vector<std::string>> known;
    for (const auto& item : response.items()) {
        Sandbox s{item.id(), item.metadata().name(), item.metadata().namespace_(), item.metadata().uid(),
                  {item.labels().begin(), item.labels().end()}, item.state() == runtime::v1::SANDBOX_READY, {}};
        if (s.ready) {
            const auto cached = ips_.find(s.id);
            s.ips = cached != ips_.end() ? cached->second : sandboxIps(s.id);
            known[s.id] = s.ips;
        }
        out.push_back(std::move(s));
    }
    ips_ = std::move(known); // forget the sandboxes gone
    return out;
}

std::vector<std::string> CriClient::sandboxIps(const std::string& id)
{
    runtime::v1::PodSandboxStatusRequest request;
    request.set_pod_sandbox_id(id);
    runtime::v1::PodSandboxStatusResponse response;
    const auto ctx = context();
    if (!stub_->runtime->PodSandboxStatus(ctx.get(), request, &response).ok())
        return {}; // asked again at the next listing
    std::vector<std::string> ips;
    const auto& network = response.status().network();
    if (!network.ip().empty())
        ips.push_back(network.ip());
    for (const auto& extra : network.additional_ips())
        if (!extra.ip().empty())
            ips.push_back(extra.ip());
    return ips;
}

namespace {

runtime::v1::PodSandboxConfig sandboxConfig(const CriClient::PodSpec& pod)
{
    runtime::v1::PodSandboxConfig config;
    config.mutable_metadata()->set_name(pod.name);
    config.mutable_metadata()->set_namespace_(pod.ns);
    config.mutable_metadata()->set_uid(pod.uid);
    (*config.mutable_labels())["app"] = pod.name;
    config.mutable_linux()->set_cgroup_parent(pod.cgroupParent);
    auto* namespaces = config.mutable_linux()->mutable_security_context()->mutable_namespace_options();
    namespaces->set_network(pod.ownNetwork ? runtime::v1::POD : runtime::v1::NODE); // NODE: no CNI needed
    namespaces->set_pid(runtime::v1::POD);
    namespaces->set_ipc(runtime::v1::POD);
    return config;
}

} // namespace

std::vector<CriClient::Container> CriClient::listContainers(std::string* error)
{
    runtime::v1::ListContainersRequest request;
    runtime::v1::ListContainersResponse response;
    const auto ctx = context();
    const grpc::Status status = stub_->runtime->ListContainers(ctx.get(), request, &response);
    if (!status.ok()) {
        *error = "ListContainers on " + socket_ + ": " + status.error_message();
        return {};
    }
    std::vector<Container> out;
    for (const auto& c : response.containers())
        out.push_back({c.id(), c.pod_sandbox_id(), c.metadata().name(), c.image().image()});
    return out;
}

std::string CriClient::runPodSandbox(const PodSpec& pod, std::string* error)
{
    runtime::v1::RunPodSandboxRequest request;
    *request.mutable_config() = sandboxConfig(pod);
    runtime::v1::RunPodSandboxResponse response;
    auto ctx = std::make_unique<grpc::ClientContext>();
    ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
    const grpc::Status status = stub_->runtime->RunPodSandbox(ctx.get(), request, &response);
    if (!status.ok()) {
        *error = "RunPodSandbox on " + socket_ + ": " + status.error_message();
        return {};
    }
    return response.pod_sandbox_id();
}

std::string CriClient::runContainer(const std::string& sandboxId, const PodSpec& pod, const std::string& name,
                                    const std::string& image, const std::string& command, std::string* error)
{
    runtime::v1::CreateContainerRequest create;
    create.set_pod_sandbox_id(sandboxId);
    *create.mutable_sandbox_config() = sandboxConfig(pod);
    auto* config = create.mutable_config();
    config->mutable_metadata()->set_name(name);
    config->mutable_image()->set_image(image);
    config->add_command(command);
    auto* namespaces = config->mutable_linux()->mutable_security_context()->mutable_namespace_options();
    namespaces->set_network(runtime::v1::NODE);
    namespaces->set_pid(runtime::v1::CONTAINER);
    namespaces->set_ipc(runtime::v1::POD);
    runtime::v1::CreateContainerResponse created;
    auto ctx = std::make_unique<grpc::ClientContext>();
    ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
    grpc::Status status = stub_->runtime->CreateContainer(ctx.get(), create, &created);
    if (status.ok()) {
        runtime::v1::StartContainerRequest start;
        start.set_container_id(created.container_id());
        runtime::v1::StartContainerResponse started;
        ctx = std::make_unique<grpc::ClientContext>();
        ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
        status = stub_->runtime->StartContainer(ctx.get(), start, &started);
    }
    if (!status.ok()) {
        *error = "run container " + name + " on " + socket_ + ": " + status.error_message();
        return {};
    }
    return created.container_id();
}

bool CriClient::removePodSandbox(const std::string& id, std::string* error)
{
    runtime::v1::StopPodSandboxRequest stop;
    stop.set_pod_sandbox_id(id);
    runtime::v1::StopPodSandboxResponse stopped;
    auto ctx = context();
    grpc::Status status = stub_->runtime->StopPodSandbox(ctx.get(), stop, &stopped);
    if (status.ok()) {
        runtime::v1::RemovePodSandboxRequest remove;
        remove.set_pod_sandbox_id(id);
        runtime::v1::RemovePodSandboxResponse removed;
        ctx = context();
        status = stub_->runtime->RemovePodSandbox(ctx.get(), remove, &removed);
    }
    if (!status.ok())
        *error = "remove pod sandbox " + id + " on " + socket_ + ": " + status.error_message();
    return status.ok();
}

} // namespace ss::bpf
