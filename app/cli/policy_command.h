// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

namespace ss::cli {

// `stratoshark policy verify --policy FILE.yaml [--policy ...] -r CAPTURE [--pods pods.json]
// [-T text|json]`: every connection of the capture judged by the NetworkPolicies and compared
// with what happened. Exit status 0 when all agree, 1 on a mismatch, 2 on unusable input.
int runPolicy(int argc, char** argv, const char* program);

} // namespace ss::cli
