// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

namespace ss::dissect {
void registerFlow();
void handoffFlow();
} // namespace ss::dissect
