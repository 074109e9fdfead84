// SPDX-License-Identifier: GPL-2.0-or-later
// Process, container and Kubernetes fields (proc.*, container.*, k8s.*): shared by every
// record kind, and added to packets by a post-dissector that reads their comments.
#pragma once

#include "ss_tlv.h"

namespace ss::dissect {

// The field for a process/container/pod tag, or null.
const TagField* processField(std::uint16_t tag);

void registerProcess();
void handoffProcess();

} // namespace ss::dissect
