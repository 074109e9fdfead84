// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <stdexcept>
#include <string>

namespace ss {

// An error that names the step that failed and the object it failed on, e.g.
// step "open capture", object "/tmp/x.pcap", reason "The file doesn't exist.".
class EngineError : public std::runtime_error {
public:
    EngineError(std::string step, std::string object, std::string reason)
        : std::runtime_error(reason), step_(std::move(step)), object_(std::move(object)) {}

    const std::string& step() const { return step_; }
    const std::string& object() const { return object_; }

private:
    std::string step_;
    std::string object_;
};

} // namespace ss
