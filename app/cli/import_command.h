// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

namespace ss::cli {

// `stratoshark import [--hubble FILE]... [--falco FILE]... [--tetragon FILE]...
//                     [--into CAPTURE] -w OUT.pcapng`
int runImport(int argc, char** argv);

} // namespace ss::cli
