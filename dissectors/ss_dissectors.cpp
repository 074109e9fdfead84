// SPDX-License-Identifier: GPL-2.0-or-later
#include "ss_dissectors.h"

#include "packet-ss-common.h"
#include "packet-ss-flow.h"
#include "packet-ss-process.h"
#include "packet-ss-related.h"
#include "packet-ss-security.h"
#include "packet-ss-syscall.h"

namespace ss::dissect {
namespace {

void registerAll()
{
    registerRecordHeader();
    registerProcess();
    registerSyscall();
    registerFlow();
    registerSecurity();
    registerRelated();
}

void handoffAll()
{
    handoffProcess();
    handoffSyscall();
    handoffFlow();
    handoffSecurity();
}

const proto_plugin kPlugin = {registerAll, handoffAll};

} // namespace

const proto_plugin* stratosharkDissectors()
{
    return &kPlugin;
}

} // namespace ss::dissect
