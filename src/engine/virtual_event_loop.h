#pragma once
// An EventLoop on virtual time: when no task is ready, time jumps straight
// to the next timer. Runs a ten-minute scenario in milliseconds, and the same
// inputs always give the same timeline.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <utility>
#include <vector>

#include "engine/clock.h"

namespace podscope::engine {

/// Thread contract: post()/quit()/now() from any thread; the rest on the
/// thread that calls run(). Only the task queue takes a lock.
class VirtualEventLoop final : public EventLoop {
 public:
  TimePoint now() const override;
  void post(Task task) override;
  TimerId postAfter(Duration delay, Task task) override;
  void cancel(TimerId id) override;
  void run() override;
  void quit() override;

  /// Runs everything due up to now() + `span`, then leaves the clock there.
  void runFor(Duration span);
  /// Tasks and timers still queued.
  bool idle() const;

 private:
  bool runOne(TimePoint limit);

  // Long runs post and fire millions of tasks and timers, so neither
  // queue allocates per entry: tasks sit in a ring buffer, timers in a
  // binary heap of small entries whose tasks live in reusable slots.
  //
  // A timer's id is its sequence number (which orders timers due together
  // in posting order) shifted left, with its slot in the low bits, so
  // cancel() finds the slot at once. A cancelled timer leaves its heap entry
  // behind; the entry is dropped when it reaches the top (or in a
  // compaction), recognised by its slot no longer holding its id.
  static constexpr int kSlotBits = 32;
  struct HeapEntry {
    TimePoint due;
    TimerId id;
  };
  struct Slot {
    TimerId id = 0;  ///< 0 when free
    Task task;
  };
  static bool later(const HeapEntry& a, const HeapEntry& b) {
    return a.due != b.due ? a.due > b.due : a.id > b.id;
  }
  /// The slot of `id` while that timer is pending, else nullptr.
  Slot* pendingSlot(TimerId id);
  void releaseSlot(Slot& slot);
  /// Drops cancelled entries from the top of the heap.
  void dropStaleTop();

  mutable std::mutex m_mutex;  ///< guards the ring and m_quit
  /// Written under m_mutex; read without it (now() is the hottest call).
  std::atomic<TimePoint> m_now{TimePoint{0}};
  std::vector<Task> m_ring;  ///< capacity a power of two (or empty)
  size_t m_head = 0;
  size_t m_count = 0;
  std::vector<HeapEntry> m_heap;
  std::vector<Slot> m_slots;
  std::vector<std::uint32_t> m_freeSlots;
  size_t m_pendingTimers = 0;
  TimerId m_nextId = 1;
  bool m_quit = false;
};

}  // namespace podscope::engine
