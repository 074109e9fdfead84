// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
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

// A subscriber's queue, bounded: what does not fit is dropped and counted (in dropped() and
// in its source's counters), never waited for. push() is what the subscriber's callback
// does on the publishing thread; the subscriber's own thread takes what came.
class EventQueue {
public:
    explicit EventQueue(std::size_t maxEvents) : max_(maxEvents) {}
    void push(const SourceEvent& event);
    std::deque<SourceEvent> take(); // everything queued, now
    // Everything queued, after waiting up to `timeout` for something (or for close()).
    std::deque<SourceEvent> waitAndTake(std::chrono::milliseconds timeout);
    void close(); // for good: a waiter returns at once
    bool closed() const;
    std::uint64_t dropped() const { return dropped_; }

private:
    const std::size_t max_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<SourceEvent> queue_;
    bool closed_ = false;
    std::atomic<std::uint64_t> dropped_{0};
};

} // namespace ss::sources
