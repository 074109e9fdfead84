// SPDX-License-Identifier: GPL-2.0-or-later
// Whether this build runs under AddressSanitizer (-DSTRATOSHARK_SANITIZE=address,…), for the
// few places that must behave differently: a limit on address space, which ASan's shadow
// memory (terabytes of reserved addresses) cannot live under.
#pragma once

#if defined(__SANITIZE_ADDRESS__)
#define SS_ADDRESS_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SS_ADDRESS_SANITIZER 1
#endif
#endif
#ifndef SS_ADDRESS_SANITIZER
#define SS_ADDRESS_SANITIZER 0
#endif
