// SPDX-License-Identifier: GPL-2.0-or-later
// eBPF system call records (LINKTYPE_USER1): one record per completed call, with the
// process, the raw arguments, what they decode to, the result and the latency. Fields live
// under the "syscall" protocol (epan already names one; we add to it when it exists).
#include "packet-ss-syscall.h"

#include "packet-ss-common.h"
#include "packet-ss-related.h"

#include <cstring>
#include <string>

namespace ss::dissect {
namespace {

int proto_syscall = -1;
int hf_cpu = -1, hf_nr = -1, hf_name = -1, hf_ret = -1, hf_errno = -1, hf_errno_name = -1, hf_latency = -1;
int hf_arg[6] = {-1, -1, -1, -1, -1, -1};
int hf_fd = -1, hf_path = -1, hf_path2 = -1, hf_fstype = -1, hf_addr = -1, hf_flags = -1, hf_size = -1;
int hf_target_pid = -1, hf_signal = -1;
int ett_syscall = -1;
expert_field ei_failed = EI_INIT;

const TagField kFields[] = {
    {SS_TAG_SC_CPU, &hf_cpu, ValueKind::U32},        {SS_TAG_SC_NR, &hf_nr, ValueKind::U32},
    {SS_TAG_SC_NAME, &hf_name, ValueKind::String},   {SS_TAG_SC_ARG0, &hf_arg[0], ValueKind::U64},
    {SS_TAG_SC_ARG0 + 1, &hf_arg[1], ValueKind::U64}, {SS_TAG_SC_ARG0 + 2, &hf_arg[2], ValueKind::U64},
    {SS_TAG_SC_ARG0 + 3, &hf_arg[3], ValueKind::U64}, {SS_TAG_SC_ARG0 + 4, &hf_arg[4], ValueKind::U64},
    {SS_TAG_SC_ARG0 + 5, &hf_arg[5], ValueKind::U64}, {SS_TAG_SC_RET, &hf_ret, ValueKind::I64},
    {SS_TAG_SC_ERRNO, &hf_errno, ValueKind::U32},    {SS_TAG_SC_LATENCY, &hf_latency, ValueKind::U64},
    {SS_TAG_SC_FD, &hf_fd, ValueKind::I64},          {SS_TAG_SC_PATH, &hf_path, ValueKind::String},
    {SS_TAG_SC_PATH2, &hf_path2, ValueKind::String}, {SS_TAG_SC_FSTYPE, &hf_fstype, ValueKind::String},
    {SS_TAG_SC_ADDR, &hf_addr, ValueKind::String},   {SS_TAG_SC_FLAGS, &hf_flags, ValueKind::String},
    {SS_TAG_SC_SIZE, &hf_size, ValueKind::U64},      {SS_TAG_SC_TARGET_PID, &hf_target_pid, ValueKind::U32},
    {SS_TAG_SC_SIGNAL, &hf_signal, ValueKind::U32},
};

std::string quoted(const std::string& s)
{
    return "\"" + s + "\"";
}

// The arguments as strace would show the ones that matter, e.g. `3, 203.0.113.45:4444`.
std::string arguments(const std::string& name, const RecordValues& v)
{
    const std::string fd = v.has(SS_TAG_SC_FD) ? std::to_string(gint64(v.number(SS_TAG_SC_FD))) : std::string("?");
    auto join = [](std::initializer_list<std::string> parts) {
        std::string out;
        for (const auto& p : parts) {
            if (p.empty())
                continue;
            if (!out.empty())
                out += ", ";
            out += p;
        }
        return out;
    };
    const std::string flags = v.text(SS_TAG_SC_FLAGS);
    if (name == "connect" || name == "bind" || name == "accept" || name == "accept4")
        return join({fd, v.text(SS_TAG_SC_ADDR)});
    if (name == "sendto" || name == "recvfrom")
        return join({fd, std::to_string(v.number(SS_TAG_SC_SIZE)), v.text(SS_TAG_SC_ADDR)});
    if (name == "read" || name == "write")
        return join({fd, std::to_string(v.number(SS_TAG_SC_SIZE))});
    if (name == "openat" || name == "open")
        return join({v.has(SS_TAG_SC_FD) ? fd : std::string(), quoted(v.text(SS_TAG_SC_PATH)), flags});
    if (name == "execve" || name == "execveat")
        return join({quoted(v.text(SS_TAG_SC_PATH)), v.text(SS_TAG_CMDLINE).empty() ? "" : quoted(v.text(SS_TAG_CMDLINE))});
    if (name == "close" || name == "listen")
        return fd;
    if (name == "mount")
        return join({quoted(v.text(SS_TAG_SC_PATH)), quoted(v.text(SS_TAG_SC_PATH2)), quoted(v.text(SS_TAG_SC_FSTYPE)), flags});
    if (name == "umount2")
        return join({quoted(v.text(SS_TAG_SC_PATH2).empty() ? v.text(SS_TAG_SC_PATH) : v.text(SS_TAG_SC_PATH2)), flags});
    if (name == "setns")
        return join({fd, flags});
    if (name == "unshare" || name == "clone" || name == "clone3")
        return flags;
    if (name == "ptrace")
        return join({flags, std::to_string(v.number(SS_TAG_SC_TARGET_PID))});
    if (name == "kill" || name == "tkill" || name == "tgkill")
        return join({std::to_string(v.number(SS_TAG_SC_TARGET_PID)), std::to_string(v.number(SS_TAG_SC_SIGNAL))});
    if (name == "fork" || name == "vfork")
        return {};
    return join({v.text(SS_TAG_SC_PATH).empty() ? "" : quoted(v.text(SS_TAG_SC_PATH)), v.text(SS_TAG_SC_ADDR), flags});
}

int dissectSyscall(tvbuff_t* tvb, packet_info* pinfo, proto_tree* tree, void*)
{
    proto_item* top;
    proto_tree* sub;
    if (beginRecord(tvb, pinfo, tree, proto_syscall, ett_syscall, "Syscall", &top, &sub) != SS_KIND_SYSCALL)
        return tvb_captured_length(tvb);
    const RecordValues v = dissectRecordBody(tvb, pinfo, sub, kFields, G_N_ELEMENTS(kFields));
    const std::string name = v.text(SS_TAG_SC_NAME).empty() ? "syscall_" + std::to_string(v.number(SS_TAG_SC_NR))
                                                           : v.text(SS_TAG_SC_NAME);
    const gint64 ret = gint64(v.number(SS_TAG_SC_RET));
    const guint32 err = guint32(v.number(SS_TAG_SC_ERRNO));
    // As strace shows it: a failed call returns -1 and names its errno.
    std::string info = name + "(" + arguments(name, v) + ") = " + std::to_string(err ? -1 : ret);
    if (err) {
        const char* errName = strerrorname_np(int(err));
        const std::string errText = errName ? errName : "E" + std::to_string(err);
        info += " " + errText;
        proto_item* e = proto_tree_add_string(sub, hf_errno_name, tvb, 0, 0, errText.c_str());
        proto_item_set_generated(e);
        expert_add_info_format(pinfo, top, &ei_failed, "%s failed: %s (%s)", name.c_str(), errText.c_str(),
                               g_strerror(int(err)));
    }
    if (!v.text(SS_TAG_COMM).empty())
        info = v.text(SS_TAG_COMM) + "[" + std::to_string(v.number(SS_TAG_PID)) + "]: " + info;
    noteSyscallRecord(pinfo, v, info);
    col_add_str(pinfo->cinfo, COL_INFO, info.c_str());
    proto_item_append_text(top, ": %s", info.c_str());
    return tvb_captured_length(tvb);
}

} // namespace

void registerSyscall()
{
    static hf_register_info hf[] = {
        {&hf_cpu, {"CPU", "syscall.cpu", FT_UINT32, BASE_DEC, nullptr, 0, nullptr, HFILL}},
        {&hf_nr, {"Number", "syscall.nr", FT_UINT32, BASE_DEC, nullptr, 0, nullptr, HFILL}},
        {&hf_name, {"Name", "syscall.name", FT_STRING, BASE_NONE, nullptr, 0, nullptr, HFILL}},
        {&hf_arg[0], {"Argument 0", "syscall.arg0", FT_UINT64, BASE_HEX, nullptr, 0, nullptr, HFILL}},
        {&hf_arg[1], {"Argument 1", "syscall.arg1", FT_UINT64, BASE_HEX, nullptr, 0, nullptr, HFILL}},
        {&hf_arg[2], {"Argument 2", "syscall.arg2", FT_UINT64, BASE_HEX, nullptr, 0, nullptr, HFILL}},
        {&hf_arg[3], {"Argument 3", "syscall.arg3", FT_UINT64, BASE_HEX, nullptr, 0, nullptr, HFILL}},
        {&hf_arg[4], {"Argument 4", "syscall.arg4", FT_UINT64, BASE_HEX, nullptr, 0, nullptr, HFILL}},
        {&hf_arg[5], {"Argument 5", "syscall.arg5", FT_UINT64, BASE_HEX, nullptr, 0, nullptr, HFILL}},
        {&hf_ret, {"Return value", "syscall.ret", FT_INT64, BASE_DEC, nullptr, 0, nullptr, HFILL}},
        {&hf_errno, {"Error number", "syscall.errno_num", FT_UINT32, BASE_DEC, nullptr, 0, nullptr, HFILL}},
        {&hf_errno_name, {"Error", "syscall.errno", FT_STRING, BASE_NONE, nullptr, 0, nullptr, HFILL}},
        {&hf_latency, {"Latency (ns)", "syscall.latency", FT_UINT64, BASE_DEC, nullptr, 0, nullptr, HFILL}},
        {&hf_fd, {"File descriptor", "syscall.fd", FT_INT64, BASE_DEC, nullptr, 0, nullptr, HFILL}},
        {&hf_path, {"Path", "syscall.path", FT_STRING, BASE_NONE, nullptr, 0, nullptr, HFILL}},
        {&hf_path2, {"Second path", "syscall.path2", FT_STRING, BASE_NONE, nullptr, 0, nullptr, HFILL}},
        {&hf_fstype, {"File system type", "syscall.fstype", FT_STRING, BASE_NONE, nullptr, 0, nullptr, HFILL}},
        {&hf_addr, {"Socket address", "syscall.addr", FT_STRING, BASE_NONE, nullptr, 0, nullptr, HFILL}},
        {&hf_flags, {"Flags", "syscall.flags", FT_STRING, BASE_NONE, nullptr, 0, nullptr, HFILL}},
        {&hf_size, {"Size", "syscall.size", FT_UINT64, BASE_DEC, nullptr, 0, nullptr, HFILL}},
        {&hf_target_pid, {"Target PID", "syscall.target_pid", FT_UINT32, BASE_DEC, nullptr, 0, nullptr, HFILL}},
        {&hf_signal, {"Signal", "syscall.signal", FT_UINT32, BASE_DEC, nullptr, 0, nullptr, HFILL}},
    };
    static int* ett[] = {&ett_syscall};
    static ei_register_info ei[] = {
        {&ei_failed, {"syscall.failed", PI_RESPONSE_CODE, PI_WARN, "System call failed", EXPFILL}},
    };
    proto_syscall = proto_get_id_by_filter_name("syscall");
    if (proto_syscall < 0)
        proto_syscall = proto_register_protocol("System Call", "Syscall", "syscall");
    proto_register_field_array(proto_syscall, hf, G_N_ELEMENTS(hf));
    proto_register_subtree_array(ett, G_N_ELEMENTS(ett));
    expert_register_field_array(expert_register_protocol(proto_syscall), ei, G_N_ELEMENTS(ei));
}

void handoffSyscall()
{
    addRecordDissector(SS_LINKTYPE_SYSCALL, dissectSyscall, proto_syscall, "ssrec.syscall");
}

} // namespace ss::dissect
