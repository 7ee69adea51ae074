// Tests: counting heap allocations in a stretch of code on the current thread, to show that
// a path does not allocate (the test binary replaces the global operator new to count).
#pragma once

#include <cstddef>

namespace iamsim::test {

// Counts this thread's calls of operator new while it lives.
class AllocationCount {
 public:
  AllocationCount();
  ~AllocationCount();
  AllocationCount(const AllocationCount&) = delete;
  AllocationCount& operator=(const AllocationCount&) = delete;
  std::size_t count() const;

 private:
  std::size_t start_;
  bool was_counting_;
};

}  // namespace iamsim::test
