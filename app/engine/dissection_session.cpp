// SPDX-License-Identifier: GPL-2.0-or-later
#include "dissection_session.h"

#include "capture_file.h"
#include "epan_runtime.h"

namespace ss {
namespace {

const nstime_t* frameTimestamp(packet_provider_data* prov, guint32 frameNum)
{
    if (prov->ref && prov->ref->num == frameNum)
        return &prov->ref->abs_ts;
    if (prov->prev_dis && prov->prev_dis->num == frameNum)
        return &prov->prev_dis->abs_ts;
    if (prov->prev_cap && prov->prev_cap->num == frameNum)
        return &prov->prev_cap->abs_ts;
    if (prov->frames) {
        frame_data* fd = frame_data_sequence_find(prov->frames, frameNum);
        return fd ? &fd->abs_ts : nullptr;
    }
    return nullptr;
}

wtap_block_t interfaceBlock(packet_provider_data* prov, guint32 interfaceId)
{
    wtapng_iface_descriptions_t* idb = wtap_file_get_idb_info(prov->wth);
    wtap_block_t block = nullptr;
    if (interfaceId < idb->interface_data->len)
        block = g_array_index(idb->interface_data, wtap_block_t, interfaceId);
    g_free(idb);
    return block;
}

const char* interfaceName(packet_provider_data* prov, guint32 interfaceId)
{
    char* name = nullptr;
    if (wtap_block_t block = interfaceBlock(prov, interfaceId)) {
        for (guint option : {OPT_IDB_NAME, OPT_IDB_DESCRIPTION, OPT_IDB_HARDWARE})
            if (wtap_block_get_string_option_value(block, option, &name) == WTAP_OPTTYPE_SUCCESS)
                return name;
    }
    return "unknown";
}

const char* interfaceDescription(packet_provider_data* prov, guint32 interfaceId)
{
    char* text = nullptr;
    if (wtap_block_t block = interfaceBlock(prov, interfaceId))
        if (wtap_block_get_string_option_value(block, OPT_IDB_DESCRIPTION, &text) == WTAP_OPTTYPE_SUCCESS)
            return text;
    return nullptr;
}

wtap_block_t modifiedBlock(packet_provider_data* prov, const frame_data* fd)
{
    auto it = prov->modifiedBlocks.find(fd->num);
    return it == prov->modifiedBlocks.end() ? nullptr : it->second;
}

const packet_provider_funcs kProviderFuncs = {frameTimestamp, interfaceName, interfaceDescription, modifiedBlock};

} // namespace

DissectionSession::DissectionSession(EpanRuntime&, CaptureFile& file) : fileType_(file.fileTypeSubtype())
{
    provider_.wth = file.handle();
    epan_ = epan_new(&provider_, &kProviderFuncs);
    wtap_set_cb_new_ipv4(file.handle(), add_ipv4_name);
    wtap_set_cb_new_ipv6(file.handle(), reinterpret_cast<wtap_new_ipv6_callback_t>(add_ipv6_name));
    // Decryption Secrets Blocks reach the TLS (and WireGuard, SSH) dissectors as they are
    // read, before the packets they decrypt, as in tshark and Wireshark.
    wtap_set_cb_new_secrets(file.handle(), secrets_wtap_callback);
}

DissectionSession::~DissectionSession()
{
    epan_free(epan_);
    for (auto& [frame, block] : provider_.modifiedBlocks)
        wtap_block_unref(block);
    if (provider_.frames)
        free_frame_data_sequence(provider_.frames);
}

void DissectionSession::keepFrames()
{
    if (!provider_.frames)
        provider_.frames = new_frame_data_sequence();
}

void DissectionSession::beforeDissect(frame_data* fd)
{
    frame_data_set_before_dissect(fd, &elapsed_, &provider_.ref, provider_.prev_dis);
    if (provider_.ref == fd) {
        refFrame_ = *fd;
        provider_.ref = &refFrame_;
    }
}

void DissectionSession::setPrevDisplayed(frame_data* fd)
{
    if (provider_.frames) {
        provider_.prev_dis = fd;
    } else {
        prevDisFrame_ = *fd;
        provider_.prev_dis = &prevDisFrame_;
    }
}

void DissectionSession::setPrevCaptured(frame_data* fd)
{
    if (provider_.frames) {
        provider_.prev_cap = fd;
    } else {
        prevCapFrame_ = *fd;
        provider_.prev_cap = &prevCapFrame_;
    }
}

void DissectionSession::resetPrevious()
{
    provider_.prev_dis = nullptr;
    provider_.prev_cap = nullptr;
}

} // namespace ss
