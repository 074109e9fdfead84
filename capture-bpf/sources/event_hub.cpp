// SPDX-License-Identifier: GPL-2.0-or-later
#include "event_hub.h"

#include <memory>

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

} // namespace ss::sources
