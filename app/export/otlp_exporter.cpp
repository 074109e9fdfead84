// SPDX-License-Identifier: GPL-2.0-or-later
#include "otlp_exporter.h"

#include "otlp_trace.pb.h"

#include <curl/curl.h>
#include <zlib.h>

#include <algorithm>
#include <cstdlib>
#include <memory>

namespace ss::otlp {
namespace pb = ::stratoshark::otlp;
namespace {

void setValue(pb::AnyValue* out, const AttributeValue& value)
{
    if (const auto* s = std::get_if<std::string>(&value))
        out->set_string_value(*s);
    else if (const auto* i = std::get_if<std::int64_t>(&value))
        out->set_int_value(*i);
    else if (const auto* d = std::get_if<double>(&value))
        out->set_double_value(*d);
    else
        out->set_bool_value(std::get<bool>(value));
}

template <typename Message>
void setAttributes(Message* out, const std::vector<Attribute>& attributes)
{
    for (const Attribute& a : attributes) {
        pb::KeyValue* kv = out->add_attributes();
        kv->set_key(a.key);
        setValue(kv->mutable_value(), a.value);
    }
}

// gzip (RFC 1952) of `data`; empty on failure.
std::string gzip(const std::string& data)
{
    z_stream z{};
    if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return {};
    std::string out(deflateBound(&z, uLong(data.size())), '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    z.avail_in = uInt(data.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = uInt(out.size());
    const int rc = deflate(&z, Z_FINISH);
    out.resize(z.total_out);
    deflateEnd(&z);
    return rc == Z_STREAM_END ? out : std::string();
}

std::size_t collect(char* data, std::size_t size, std::size_t n, void* out)
{
    auto* body = static_cast<std::string*>(out);
    const std::size_t bytes = size * n;
    if (body->size() < (1u << 20)) // a collector's answer is small; never hold more than 1 MiB of it
        body->append(data, std::min(bytes, (std::size_t(1) << 20) - body->size()));
    return bytes;
}

std::size_t header(char* data, std::size_t size, std::size_t n, void* out)
{
    const std::string line(data, size * n);
    const std::string name = "retry-after:";
    if (line.size() > name.size()) {
        std::string lower = line.substr(0, name.size());
        std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return char(std::tolower(c)); });
        if (lower == name)
            *static_cast<long*>(out) = std::strtol(line.c_str() + name.size(), nullptr, 10);
    }
    return size * n;
}

} // namespace

std::string tracesUrl(const std::string& endpoint)
{
    if (const char* traces = std::getenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"); traces && *traces && endpoint.empty())
        return traces;
    std::string base = endpoint;
    if (base.empty())
        if (const char* env = std::getenv("OTEL_EXPORTER_OTLP_ENDPOINT"); env && *env)
            base = env;
    if (base.empty())
        base = "http://localhost:4318";
    while (!base.empty() && base.back() == '/')
        base.pop_back();
    return base + "/v1/traces";
}

std::string encodeRequest(const std::vector<Span>& spans, const std::string& serviceName)
{
    pb::ExportTraceServiceRequest request;
    pb::ResourceSpans* resource = request.add_resource_spans();
    setAttributes(resource->mutable_resource(), {{"service.name", serviceName}});
    pb::ScopeSpans* scope = resource->add_scope_spans();
    scope->mutable_scope()->set_name("stratoshark");
    scope->mutable_scope()->set_version(PROJECT_VERSION);
    for (const Span& s : spans) {
        pb::Span* out = scope->add_spans();
        out->set_trace_id(s.traceId.data(), s.traceId.size());
        out->set_span_id(s.spanId.data(), s.spanId.size());
        if (s.hasParent())
            out->set_parent_span_id(s.parentSpanId.data(), s.parentSpanId.size());
        out->set_name(s.name);
        out->set_kind(static_cast<pb::Span::SpanKind>(s.kind));
        out->set_start_time_unix_nano(s.startNs);
        out->set_end_time_unix_nano(s.endNs);
        out->set_flags(0x01); // sampled: every span a capture shows is recorded
        setAttributes(out, s.attributes);
        for (const SpanEvent& e : s.events) {
            pb::Span::Event* event = out->add_events();
            event->set_time_unix_nano(e.timeNs);
            event->set_name(e.name);
            setAttributes(event, e.attributes);
        }
        if (s.error) {
            out->mutable_status()->set_code(pb::Status::STATUS_CODE_ERROR);
            out->mutable_status()->set_message(s.statusMessage);
        }
    }
    return request.SerializeAsString();
}

OtlpExporter::OtlpExporter(ExporterOptions options) : options_(std::move(options))
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    thread_ = std::thread([this] { run(); });
}

OtlpExporter::~OtlpExporter()
{
    flush();
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
    }
    wake_.notify_all();
    thread_.join();
}

void OtlpExporter::add(Span&& span)
{
    {
        std::unique_lock lock(mutex_);
        if (queue_.size() >= options_.queueSpans && options_.waitWhenFull) {
            wake_.notify_all();
            room_.wait(lock, [this] { return queue_.size() < options_.queueSpans; });
        }
        if (queue_.size() >= options_.queueSpans) {
            ++stats_.dropped;
            return;
        }
        queue_.push_back(std::move(span));
        if (queue_.size() < options_.batchSpans)
            return;
    }
    wake_.notify_all();
}

void OtlpExporter::flush()
{
    std::unique_lock lock(mutex_);
    ++flushing_;
    wake_.notify_all();
    idle_.wait(lock, [this] { return queue_.empty() && !sending_; });
    --flushing_;
}

OtlpExporter::Stats OtlpExporter::stats() const
{
    std::lock_guard lock(mutex_);
    return stats_;
}

void OtlpExporter::run()
{
    std::unique_lock lock(mutex_);
    for (;;) {
        // A full batch goes at once; a partial one after batchDelay, or now when flushing.
        wake_.wait_for(lock, options_.batchDelay, [this] {
            return stop_ || (!queue_.empty() && (flushing_ || queue_.size() >= options_.batchSpans));
        });
        if (queue_.empty()) {
            idle_.notify_all();
            if (stop_)
                return;
            continue;
        }
        std::vector<Span> batch;
        const std::size_t n = std::min(queue_.size(), options_.batchSpans);
        batch.reserve(n);
        for (std::size_t i = 0; i < n; ++i) {
            batch.push_back(std::move(queue_.front()));
            queue_.pop_front();
        }
        room_.notify_all();
        sending_ = true;
        lock.unlock();
        const bool sent = send(batch);
        lock.lock();
        sending_ = false;
        if (sent)
            stats_.exported += batch.size();
        else
            stats_.failed += batch.size();
        if (queue_.empty())
            idle_.notify_all();
    }
}

bool OtlpExporter::send(const std::vector<Span>& batch)
{
    const std::string body = encodeRequest(batch, options_.serviceName);
    const std::string compressed = options_.gzip ? gzip(body) : std::string();
    const bool gzipped = !compressed.empty();
    const std::string& payload = gzipped ? compressed : body;
    std::unique_ptr<CURL, void (*)(CURL*)> curl(curl_easy_init(), curl_easy_cleanup);
    curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/x-protobuf");
    if (gzipped)
        headers = curl_slist_append(headers, "Content-Encoding: gzip");
    std::unique_ptr<curl_slist, void (*)(curl_slist*)> headerList(headers, curl_slist_free_all);
    std::chrono::milliseconds backoff = options_.firstBackoff;
    for (int attempt = 1;; ++attempt) {
        std::string answer;
        long retryAfter = -1;
        curl_easy_reset(curl.get());
        curl_easy_setopt(curl.get(), CURLOPT_URL, options_.url.c_str());
        curl_easy_setopt(curl.get(), CURLOPT_HTTPHEADER, headerList.get());
        curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDS, payload.data());
        curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDSIZE, long(payload.size()));
        curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT, long(options_.timeout.count()));
        curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, collect);
        curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &answer);
        curl_easy_setopt(curl.get(), CURLOPT_HEADERFUNCTION, header);
        curl_easy_setopt(curl.get(), CURLOPT_HEADERDATA, &retryAfter);
        const CURLcode rc = curl_easy_perform(curl.get());
        long status = 0;
        curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &status);
        if (rc == CURLE_OK && status >= 200 && status < 300) {
            pb::ExportTraceServiceResponse response;
            std::lock_guard lock(mutex_);
            ++stats_.requests;
            if (response.ParseFromString(answer) && response.partial_success().rejected_spans() > 0) {
                stats_.rejected += std::uint64_t(response.partial_success().rejected_spans());
                stats_.lastError = response.partial_success().error_message();
            }
            return true;
        }
        const bool retryable = rc != CURLE_OK || status == 429 || status == 502 || status == 503 || status == 504;
        {
            std::lock_guard lock(mutex_);
            stats_.lastError = rc != CURLE_OK ? std::string(curl_easy_strerror(rc))
                                              : "HTTP " + std::to_string(status) + " from " + options_.url;
            if (!retryable || attempt >= options_.maxAttempts)
                return false;
            ++stats_.retries;
        }
        std::chrono::milliseconds wait = backoff;
        if (retryAfter >= 0)
            wait = std::chrono::seconds(std::min(retryAfter, 30L));
        std::this_thread::sleep_for(wait);
        backoff = std::min<std::chrono::milliseconds>(backoff * 2, std::chrono::seconds(30));
    }
}

} // namespace ss::otlp
