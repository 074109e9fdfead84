// SPDX-License-Identifier: GPL-2.0-or-later
#include "interfaces.h"

#include <net/if.h>
#include <net/if_arp.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>

namespace ss::bpf {
namespace {

// SIOCGIFFLAGS / SIOCGIFHWADDR on a throwaway socket; false when the device is gone.
bool query(const std::string& name, unsigned long request, ifreq* out)
{
    if (name.size() >= IFNAMSIZ)
        return false;
    const int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return false;
    std::memset(out, 0, sizeof *out);
    std::strcpy(out->ifr_name, name.c_str());
    const bool ok = ioctl(fd, request, out) == 0;
    close(fd);
    return ok;
}

} // namespace

bool ethernetFramed(const std::string& name)
{
    ifreq r;
    if (!query(name, SIOCGIFHWADDR, &r))
        return false;
    return r.ifr_hwaddr.sa_family == ARPHRD_ETHER || r.ifr_hwaddr.sa_family == ARPHRD_LOOPBACK;
}

bool isLoopback(const std::string& name)
{
    ifreq flags;
    return query(name, SIOCGIFFLAGS, &flags) && (flags.ifr_flags & IFF_LOOPBACK);
}

std::vector<PacketCapturer::Interface> upInterfaces(std::vector<std::string>* skipped)
{
    std::vector<PacketCapturer::Interface> out;
    struct if_nameindex* list = if_nameindex();
    if (!list)
        return out;
    for (const struct if_nameindex* i = list; i->if_index; ++i) {
        ifreq flags;
        if (!query(i->if_name, SIOCGIFFLAGS, &flags) || !(flags.ifr_flags & IFF_UP))
            continue;
        if (ethernetFramed(i->if_name))
            out.push_back({i->if_name, int(i->if_index)});
        else if (skipped)
            skipped->push_back(i->if_name);
    }
    if_freenameindex(list);
    return out;
}

} // namespace ss::bpf
