// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <vector>

#include "event_import.h"

namespace ss::sources {

// What one source has done: events received and handed on, dropped (nobody could take
// them in time), not understood (counted, never a crash), reconnections.
struct SourceCounters {
    std::string name; // "falco", "tetragon unix:/var/run/tetragon/tetragon.sock", …
    std::atomic<std::uint64_t> received{0}, dropped{0}, unparsable{0}, reconnects{0};
    std::atomic<bool> connected{false};
};

// One event from a live source, as our record plus what it says (events::EventFields).
struct SourceEvent {
    events::EventSource source;
    events::LiveEvent event;
    SourceCounters* counters = nullptr; // its source's, for a subscriber that has to drop it
};

// Where the node's live sources (Falco, Tetragon, Hubble) deliver, and where captures, the
// flight recorder and the trigger rules listen. publish() runs the subscribers on the
// source's own thread: they must only queue.
class EventHub {
public:
    using Subscriber = std::function<void(const SourceEvent&)>;
    int subscribe(Subscriber subscriber);
    void unsubscribe(int id);
    void publish(const SourceEvent& event);

    SourceCounters& counters(const std::string& name); // created on first use, never removed
    std::vector<const SourceCounters*> allCounters() const;

private:
    mutable std::shared_mutex mutex_;
    std::map<int, Subscriber> subscribers_;
    int next_ = 1;
    mutable std::mutex countersMutex_;
    std::vector<std::unique_ptr<SourceCounters>> counters_;
};

} // namespace ss::sources
