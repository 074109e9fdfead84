// SPDX-License-Identifier: GPL-2.0-or-later
#include "tls.h"

#include "error.h"

#include <arpa/inet.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>

namespace ss::ipc {
namespace {

std::string takeOpensslError(const std::string& fallback)
{
    std::string text;
    while (const unsigned long code = ERR_get_error()) {
        const char* reason = ERR_reason_error_string(code);
        if (reason && text.empty())
            text = reason;
    }
    return text.empty() ? fallback : text;
}

// The first verification error of the peer's chain, kept in the SSL: the callback lets the
// handshake finish so that the refusal can be told in words (tls.h).
int firstErrorIndex()
{
    static const int index = SSL_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
    return index;
}

int keepFirstError(int preverified, X509_STORE_CTX* store)
{
    if (!preverified) {
        auto* ssl = static_cast<SSL*>(X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx()));
        if (ssl && !SSL_get_ex_data(ssl, firstErrorIndex()))
            SSL_set_ex_data(ssl, firstErrorIndex(),
                            reinterpret_cast<void*>(static_cast<std::intptr_t>(X509_STORE_CTX_get_error(store))));
    }
    return 1;
}

std::string timeText(const ASN1_TIME* t)
{
    std::tm tm{};
    if (!t || ASN1_TIME_to_tm(t, &tm) != 1)
        return "?";
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S UTC", &tm);
    return text;
}

std::string commonName(X509* cert)
{
    char cn[256] = "";
    X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_commonName, cn, sizeof cn);
    return cn;
}

// Its CN, and its DNS and URI subject alternative names.
std::vector<std::string> namesOf(X509* cert)
{
    std::vector<std::string> names;
    if (const std::string cn = commonName(cert); !cn.empty())
        names.push_back(cn);
    auto* sans = static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
    for (int i = 0; sans && i < sk_GENERAL_NAME_num(sans); ++i) {
        const GENERAL_NAME* name = sk_GENERAL_NAME_value(sans, i);
        if (name->type == GEN_DNS || name->type == GEN_URI) {
            const ASN1_IA5STRING* s = name->type == GEN_DNS ? name->d.dNSName : name->d.uniformResourceIdentifier;
            names.emplace_back(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)), std::size_t(ASN1_STRING_length(s)));
        }
    }
    GENERAL_NAMES_free(sans);
    return names;
}

std::string verifyFailure(long error, X509* cert)
{
    switch (error) {
    case X509_V_ERR_CERT_HAS_EXPIRED: return cert ? "expired on " + timeText(X509_get0_notAfter(cert)) : "expired";
    case X509_V_ERR_CERT_NOT_YET_VALID:
        return cert ? "not valid before " + timeText(X509_get0_notBefore(cert)) : "not valid yet";
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
    case X509_V_ERR_CERT_SIGNATURE_FAILURE:
        return std::string("not signed by the CA it trusts (") + X509_verify_cert_error_string(error) + ")";
    default: return X509_verify_cert_error_string(error);
    }
}

// Runs SSL_accept / SSL_connect until done or the deadline; "" or why it failed.
template <typename Step>
std::string handshake(SSL* ssl, int fd, Deadline deadline, Step step)
{
    for (;;) {
        errno = 0;
        const int ret = step(ssl);
        if (ret == 1)
            return {};
        const int err = SSL_get_error(ssl, ret);
        if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) {
            if (!waitFor(fd, err == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT, deadline)) {
                ERR_clear_error();
                return "TLS handshake timed out";
            }
            continue;
        }
        if (err == SSL_ERROR_SYSCALL && ERR_peek_error() == 0)
            return errno ? std::string(std::strerror(errno)) : "the peer closed the connection during the TLS handshake";
        return takeOpensslError("TLS handshake failed");
    }
}

SSL_CTX* newContext(const SSL_METHOD* method, const char* what)
{
    SSL_CTX* ctx = SSL_CTX_new(method);
    if (!ctx)
        throw EngineError("set up TLS", what, takeOpensslError("SSL_CTX_new failed"));
    SSL_CTX_set_min_proto_version(ctx, TLS1_3_VERSION);
    SSL_CTX_set_max_proto_version(ctx, TLS1_3_VERSION);
    SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
    return ctx;
}

void loadIdentity(SSL_CTX* ctx, const TlsFiles& files)
{
    if (SSL_CTX_use_certificate_chain_file(ctx, files.cert.c_str()) != 1)
        throw EngineError("read TLS certificate", files.cert, takeOpensslError("not a PEM certificate"));
    if (SSL_CTX_use_PrivateKey_file(ctx, files.key.c_str(), SSL_FILETYPE_PEM) != 1)
        throw EngineError("read TLS key", files.key, takeOpensslError("not a PEM private key"));
    if (SSL_CTX_check_private_key(ctx) != 1)
        throw EngineError("read TLS key", files.key, "does not belong to the certificate " + files.cert);
}

void loadCa(SSL_CTX* ctx, const std::string& ca)
{
    if (SSL_CTX_load_verify_locations(ctx, ca.c_str(), nullptr) != 1)
        throw EngineError("read TLS CA", ca, takeOpensslError("not a PEM certificate"));
}

} // namespace

TlsServer::TlsServer(const TlsFiles& files, std::vector<std::string> allowedClients)
    : allowed_(std::move(allowedClients))
{
    context_ = newContext(TLS_server_method(), "helper");
    try {
        loadIdentity(context_, files);
        loadCa(context_, files.ca);
    } catch (...) {
        SSL_CTX_free(context_);
        throw;
    }
    // Which CAs we accept, told to the client so that it picks the right certificate.
    SSL_CTX_set_client_CA_list(context_, SSL_load_client_CA_file(files.ca.c_str()));
    SSL_CTX_set_verify(context_, SSL_VERIFY_PEER, keepFirstError);
    SSL_CTX_set_num_tickets(context_, 0);
    SSL_CTX_set_session_cache_mode(context_, SSL_SESS_CACHE_OFF);
}

TlsServer::~TlsServer()
{
    SSL_CTX_free(context_);
}

TlsServer::Accepted TlsServer::accept(UniqueFd socket, Deadline deadline) const
{
    Accepted result;
    // A TLS client starts with a handshake record (type 22); anything else is not TLS.
    unsigned char first = 0;
    if (!waitFor(socket.get(), POLLIN, deadline)) {
        result.refusal = "sent nothing within the time allowed";
        return result;
    }
    const ssize_t n = recv(socket.get(), &first, 1, MSG_PEEK | MSG_DONTWAIT);
    if (n <= 0) {
        result.refusal = n == 0 ? "closed the connection before the TLS handshake" : std::strerror(errno);
        return result;
    }
    if (first != 22) {
        result.refusal = "not TLS (plain TCP on the TLS port)";
        return result;
    }
    SSL* ssl = SSL_new(context_);
    if (!ssl) {
        result.refusal = takeOpensslError("SSL_new failed");
        return result;
    }
    SSL_set_fd(ssl, socket.get());
    Channel channel(std::move(socket), ssl); // owns both from here; non-blocking
    if (std::string failed = handshake(ssl, channel.fd(), deadline, SSL_accept); !failed.empty()) {
        result.refusal = "TLS handshake failed: " + failed;
        return result;
    }
    X509* cert = SSL_get1_peer_certificate(ssl);
    if (!cert) {
        result.refusal = "no client certificate";
    } else {
        const std::string cn = commonName(cert);
        result.peer = cn.empty() ? "(a certificate without CN)" : "CN=" + cn;
        const auto error = reinterpret_cast<std::intptr_t>(SSL_get_ex_data(ssl, firstErrorIndex()));
        if (error != 0 || SSL_get_verify_result(ssl) != X509_V_OK)
            result.refusal = verifyFailure(error ? long(error) : SSL_get_verify_result(ssl), cert);
        else if (!allowed_.empty()) {
            const std::vector<std::string> names = namesOf(cert);
            const bool allowed = std::any_of(names.begin(), names.end(), [&](const std::string& name) {
                return std::find(allowed_.begin(), allowed_.end(), name) != allowed_.end();
            });
            if (!allowed)
                result.refusal = "not in its allowed clients";
        }
        X509_free(cert);
    }
    result.channel.emplace(std::move(channel));
    return result;
}

TlsClient::TlsClient(const TlsFiles& files) : serverName_(files.serverName)
{
    context_ = newContext(TLS_client_method(), "client");
    try {
        if (files.ca.empty())
            throw EngineError("set up TLS", "--tls-ca", "a CA file is needed to check the helper's certificate");
        loadCa(context_, files.ca);
        if (!files.cert.empty() || !files.key.empty())
            loadIdentity(context_, files);
    } catch (...) {
        SSL_CTX_free(context_);
        throw;
    }
    SSL_CTX_set_verify(context_, SSL_VERIFY_PEER, nullptr);
}

TlsClient::~TlsClient()
{
    SSL_CTX_free(context_);
}

Channel TlsClient::connect(UniqueFd socket, const std::string& address, const std::string& where, Deadline deadline) const
{
    const std::string& host = serverName_.empty() ? address : serverName_;
    SSL* ssl = SSL_new(context_);
    if (!ssl)
        throw EngineError("TLS handshake", where, takeOpensslError("SSL_new failed"));
    SSL_set_fd(ssl, socket.get());
    Channel channel(std::move(socket), ssl);
    unsigned char binary[16];
    const bool literal = inet_pton(AF_INET, host.c_str(), binary) == 1 || inet_pton(AF_INET6, host.c_str(), binary) == 1;
    X509_VERIFY_PARAM* param = SSL_get0_param(ssl);
    if (literal)
        X509_VERIFY_PARAM_set1_ip_asc(param, host.c_str());
    else {
        SSL_set_tlsext_host_name(ssl, host.c_str());
        X509_VERIFY_PARAM_set1_host(param, host.c_str(), 0);
    }
    if (std::string failed = handshake(ssl, channel.fd(), deadline, SSL_connect); !failed.empty()) {
        const long verify = SSL_get_verify_result(ssl);
        if (verify != X509_V_OK) {
            X509* cert = SSL_get1_peer_certificate(ssl);
            failed = "the helper's certificate " +
                     (verify == X509_V_ERR_HOSTNAME_MISMATCH || verify == X509_V_ERR_IP_ADDRESS_MISMATCH
                          ? std::string("does not name ") + host
                          : "is " + verifyFailure(verify, cert));
            X509_free(cert);
        }
        throw EngineError("TLS handshake", where, failed);
    }
    return channel;
}

} // namespace ss::ipc
