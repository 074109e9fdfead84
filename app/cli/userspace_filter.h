// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <memory>
#include <string>

namespace ss {
class EpanRuntime;
}

namespace ss::cli {

// `stratoshark capture --ebpf-filter EXPR --allow-userspace-filter`: when the helper cannot
// run EXPR in the kernel (a field other than proc.pid/proc.name/container.id/k8s.*), the
// client captures everything into a temporary file beside the output and keeps, at the
// end, the packets that EXPR as a display filter selects (epan with our dissectors, so
// `proc.name == "curl" && tcp.port == 80` means what it means in `-Y`).
class UserspaceFilter {
public:
    explicit UserspaceFilter(std::string expression);
    ~UserspaceFilter();
    UserspaceFilter(const UserspaceFilter&) = delete;
    UserspaceFilter& operator=(const UserspaceFilter&) = delete;

    // Compiles the expression; false with epan's message in `error`.
    bool compiles(std::string* error);
    // Filters `capture` into `output` ("-": standard output) and deletes `capture`.
    // Returns an exit code (0, or 2 with a message printed).
    int apply(const std::string& capture, const std::string& output);

private:
    std::string expression_;
    std::unique_ptr<EpanRuntime> runtime_;
};

} // namespace ss::cli
