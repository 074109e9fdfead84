// SPDX-License-Identifier: GPL-2.0-or-later
#include "event_hub.h"

#include <memory>
#include <utility>

namespace ss::sources {

int EventHub::subscribe(Subscriber subscriber)
{
    std::unique_lock lock(mutex_);
    subscribers_[next_] = std::move(subscriber);
    return next_++;
}

void EventHub::unsubscribe(int id)
{
    std::unique_lock lock(mutex_);
    subscribers_.erase(id);
}

void EventHub::publish(const SourceEvent& event)
{
    std::shared_lock lock(mutex_);
    for (const auto& [id, subscriber] : subscribers_)
        subscriber(event);
}

SourceCounters& EventHub::counters(const std::string& name)
{
    std::lock_guard lock(countersMutex_);
    for (auto& c : counters_)
        if (c->name == name)
            return *c;
    counters_.push_back(std::make_unique<SourceCounters>());
    counters_.back()->name = name;
    return *counters_.back();
}

std::vector<const SourceCounters*> EventHub::allCounters() const
{
    std::lock_guard lock(countersMutex_);
    std::vector<const SourceCounters*> out;
    for (const auto& c : counters_)
        out.push_back(c.get());
    return out;
}

void EventQueue::push(const SourceEvent& event)
{
    {
        std::lock_guard lock(mutex_);
        if (queue_.size() < max_) {
            queue_.push_back(event);
            wake_.notify_one();
            return;
        }
    }
    ++dropped_;
    if (event.counters)
        ++event.counters->dropped;
}

std::deque<SourceEvent> EventQueue::take()
{
    std::lock_guard lock(mutex_);
    return std::exchange(queue_, {});
}

std::deque<SourceEvent> EventQueue::waitAndTake(std::chrono::milliseconds timeout)
{
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, timeout, [this] { return closed_ || !queue_.empty(); });
    return std::exchange(queue_, {});
}

void EventQueue::close()
{
    {
        std::lock_guard lock(mutex_);
        closed_ = true;
    }
    wake_.notify_all();
}

bool EventQueue::closed() const
{
    std::lock_guard lock(mutex_);
    return closed_;
}

} // namespace ss::sources
