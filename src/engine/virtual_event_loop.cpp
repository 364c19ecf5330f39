#include "engine/virtual_event_loop.h"

#include <algorithm>

namespace podscope::engine {

TimePoint VirtualEventLoop::now() const { return m_now.load(std::memory_order_acquire); }

void VirtualEventLoop::post(Task task) {
  std::lock_guard lock(m_mutex);
  if (m_count == m_ring.size()) {
    // Grow, keeping the queue's order from the head.
    std::vector<Task> bigger(m_ring.empty() ? 16 : m_ring.size() * 2);
    for (size_t i = 0; i < m_count; ++i) bigger[i] = std::move(m_ring[(m_head + i) & (m_ring.size() - 1)]);
    m_ring = std::move(bigger);
    m_head = 0;
  }
  m_ring[(m_head + m_count) & (m_ring.size() - 1)] = std::move(task);
  ++m_count;
}

// Timers belong to the loop's thread (the thread contract), so they take no
// lock; only the task queue, which other threads post to, does.
Executor::TimerId VirtualEventLoop::postAfter(Duration delay, Task task) {
  std::uint32_t slot;
  if (!m_freeSlots.empty()) {
    slot = m_freeSlots.back();
    m_freeSlots.pop_back();
  } else {
    slot = static_cast<std::uint32_t>(m_slots.size());
    m_slots.emplace_back();
  }
  TimerId id = (m_nextId++ << kSlotBits) | slot;
  TimePoint due = m_now.load(std::memory_order_relaxed) + (delay.count() > 0 ? delay : Duration{0});
  m_slots[slot].id = id;
  m_slots[slot].task = std::move(task);
  m_heap.push_back(HeapEntry{due, id});
  std::push_heap(m_heap.begin(), m_heap.end(), later);
  ++m_pendingTimers;
  return id;
}

VirtualEventLoop::Slot* VirtualEventLoop::pendingSlot(TimerId id) {
  const auto slot = static_cast<std::uint32_t>(id);  // the low kSlotBits bits
  if (id == 0 || slot >= m_slots.size() || m_slots[slot].id != id) return nullptr;
  return &m_slots[slot];
}

void VirtualEventLoop::releaseSlot(Slot& slot) {
  m_freeSlots.push_back(static_cast<std::uint32_t>(slot.id));
  slot.id = 0;
  slot.task = nullptr;
  --m_pendingTimers;
}

void VirtualEventLoop::dropStaleTop() {
  while (!m_heap.empty() && !pendingSlot(m_heap.front().id)) {
    std::pop_heap(m_heap.begin(), m_heap.end(), later);
    m_heap.pop_back();
  }
}

void VirtualEventLoop::cancel(TimerId id) {
  Slot* slot = pendingSlot(id);
  if (!slot) return;
  releaseSlot(*slot);
  // Cancelled entries wait in the heap until they reach the top; when they
  // outnumber the live ones, sweep them so far-future timers that keep
  // being cancelled cannot grow it without bound.
  if (m_heap.size() > 64 && m_heap.size() > 2 * m_pendingTimers) {
    std::erase_if(m_heap, [this](const HeapEntry& e) { return !pendingSlot(e.id); });
    std::make_heap(m_heap.begin(), m_heap.end(), later);
  }
}

bool VirtualEventLoop::runOne(TimePoint limit) {
  Task task;
  bool posted = false;
  {
    std::lock_guard lock(m_mutex);
    if (m_quit) return false;
    if (m_count > 0) {
      task = std::move(m_ring[m_head]);
      m_ring[m_head] = nullptr;
      m_head = (m_head + 1) & (m_ring.size() - 1);
      --m_count;
      posted = true;
    }
  }
  if (!posted) {
    dropStaleTop();
    if (m_heap.empty() || m_heap.front().due > limit) return false;
    const HeapEntry top = m_heap.front();
    std::pop_heap(m_heap.begin(), m_heap.end(), later);
    m_heap.pop_back();
    if (top.due > m_now.load(std::memory_order_relaxed)) m_now.store(top.due, std::memory_order_release);
    Slot& slot = *pendingSlot(top.id);
    task = std::move(slot.task);
    releaseSlot(slot);
  }
  task();
  return true;
}

void VirtualEventLoop::run() {
  while (runOne(TimePoint::max())) {
  }
}

void VirtualEventLoop::runFor(Duration span) {
  TimePoint limit = now() + span;
  while (runOne(limit)) {
  }
  std::lock_guard lock(m_mutex);
  if (!m_quit && limit > m_now.load(std::memory_order_relaxed)) m_now.store(limit, std::memory_order_release);
}

void VirtualEventLoop::quit() {
  std::lock_guard lock(m_mutex);
  m_quit = true;
}

bool VirtualEventLoop::idle() const {
  std::lock_guard lock(m_mutex);
  return m_count == 0 && m_pendingTimers == 0;  // the timer count: loop thread only, like idle()
}

}  // namespace podscope::engine
