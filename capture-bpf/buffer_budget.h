// SPDX-License-Identifier: GPL-2.0-or-later
// The kernel memory the clients' captures pin, bounded in all: each capture's packet ring
// (StartCapture.buffer_bytes) is taken from one budget while it runs and given back however
// it ends. A request past what is left is refused (BUSY), not let grow the helper.
#pragma once

#include <cstdint>
#include <mutex>

namespace ss::helper {

class BufferBudget {
public:
    explicit BufferBudget(std::uint64_t total) : total_(total) {}

    // The bytes taken while it lives; empty (false) when they were not there.
    class Lease {
    public:
        Lease() = default;
        Lease(Lease&& other) noexcept : budget_(other.budget_), bytes_(other.bytes_) { other.budget_ = nullptr; }
        Lease& operator=(Lease&& other) noexcept
        {
            if (this != &other) {
                release();
                budget_ = other.budget_;
                bytes_ = other.bytes_;
                other.budget_ = nullptr;
            }
            return *this;
        }
        ~Lease() { release(); }
        explicit operator bool() const { return budget_ != nullptr; }

    private:
        friend class BufferBudget;
        Lease(BufferBudget* budget, std::uint64_t bytes) : budget_(budget), bytes_(bytes) {}
        void release()
        {
            if (budget_)
                budget_->give(bytes_);
            budget_ = nullptr;
        }
        BufferBudget* budget_ = nullptr;
        std::uint64_t bytes_ = 0;
    };

    Lease take(std::uint64_t bytes)
    {
        std::lock_guard lock(mutex_);
        if (bytes > total_ - used_)
            return {};
        used_ += bytes;
        return {this, bytes};
    }
    std::uint64_t total() const { return total_; }
    std::uint64_t used() const
    {
        std::lock_guard lock(mutex_);
        return used_;
    }

private:
    void give(std::uint64_t bytes)
    {
        std::lock_guard lock(mutex_);
        used_ -= bytes;
    }

    const std::uint64_t total_;
    mutable std::mutex mutex_;
    std::uint64_t used_ = 0;
};

} // namespace ss::helper
