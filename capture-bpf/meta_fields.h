// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "ebpf_filter.h"
#include "event_import.h"

namespace ss::bpf {

// Where `--ebpf-filter` finds process, container and pod outside the kernel. A Hubble
// flow names two endpoints (it is kept when either matches); everything else names one.
std::vector<MetaFields> metaOfEvent(const events::EventFields& fields);
// A packet's comments as the helper writes them (PID:, ThreadName:, ContainerId:, PodName:,
// PodNamespace: lines).
MetaFields metaOfComments(const std::vector<std::string>& comments);
// One of our records (ss_records.h): its process and pod TLVs, or a flow's endpoints.
std::vector<MetaFields> metaOfRecord(const std::uint8_t* data, std::size_t length);

// The filter's verdict on something that names `metas`: kept when one of them matches;
// what names no process or pod at all is kept (the filter is about processes and pods).
bool keepNamed(const EbpfFilter& filter, const std::vector<MetaFields>& metas);

} // namespace ss::bpf
