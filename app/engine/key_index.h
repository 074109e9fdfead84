// SPDX-License-Identifier: GPL-2.0-or-later
// A dense index for fixed-size keys (the statistics fast path's rows and stream ids): each
// new key gets the next number, 0, 1, 2, ...; lookups by open addressing, no allocation per
// lookup, the key kept in its slot (one cache miss a lookup where a separate key array made
// two). The caller keeps whatever goes with a number in a vector of its own.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace ss::fast {

template <std::size_t Words>
class KeyIndex {
public:
    using Key = std::array<std::uint64_t, Words>;

    // The number of `key`; `*added` when it is new (then the number is size() - 1).
    std::uint32_t findOrAdd(const Key& key, bool* added)
    {
        if ((count_ + 1) * 2 > slots_.size())
            grow();
        const std::uint64_t h = hash(key);
        const std::size_t mask = slots_.size() - 1;
        for (std::size_t i = h & mask;; i = (i + 1) & mask) {
            Slot& s = slots_[i];
            if (!s.used) {
                s = {key, h, count_++, true};
                *added = true;
                return s.index;
            }
            if (s.hash == h && s.key == key) {
                *added = false;
                return s.index;
            }
        }
    }
    std::size_t size() const { return count_; }

private:
    struct Slot {
        Key key{};
        std::uint64_t hash = 0;
        std::uint32_t index = 0;
        bool used = false;
    };
    static std::uint64_t hash(const Key& key)
    {
        std::uint64_t h = 0x243f6a8885a308d3ull;
        for (const std::uint64_t w : key) {
            h = (h ^ w) * 0x9e3779b97f4a7c15ull;
            h ^= h >> 29;
        }
        return h;
    }
    void grow()
    {
        std::vector<Slot> old = std::move(slots_);
        slots_.assign(old.empty() ? 1024 : old.size() * 2, Slot{});
        const std::size_t mask = slots_.size() - 1;
        for (const Slot& s : old) {
            if (!s.used)
                continue;
            std::size_t i = s.hash & mask;
            while (slots_[i].used)
                i = (i + 1) & mask;
            slots_[i] = s;
        }
    }

    std::vector<Slot> slots_;
    std::uint32_t count_ = 0;
};

} // namespace ss::fast
