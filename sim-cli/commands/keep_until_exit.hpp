// Stage: report. Objects that live until the process ends and are never destroyed.
#pragma once

#include <memory>
#include <utility>
#include <vector>

// Sanitizer builds free what they kept (LeakSanitizer would report it otherwise); the CMake
// option IAMSIM_SANITIZE defines IAMSIM_FREE_AT_EXIT, and so does any ASan or LSan build.
#if !defined(IAMSIM_FREE_AT_EXIT) && defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(leak_sanitizer)
#define IAMSIM_FREE_AT_EXIT 1
#endif
#endif
#if !defined(IAMSIM_FREE_AT_EXIT) && defined(__SANITIZE_ADDRESS__)
#define IAMSIM_FREE_AT_EXIT 1
#endif

namespace iamsim::cli {

#if IAMSIM_FREE_AT_EXIT
namespace detail {
// Destroys the kept objects at exit, the last kept first (later ones may refer to earlier).
class KeptObjects {
 public:
  ~KeptObjects() {
    while (!objects_.empty()) objects_.pop_back();
  }
  void keep(std::shared_ptr<void> object) { objects_.push_back(std::move(object)); }

 private:
  std::vector<std::shared_ptr<void>> objects_;
};
inline KeptObjects& kept_objects() {
  static KeptObjects kept;
  return kept;
}
}  // namespace detail
#endif

// A large world is freed object by object, which takes a good part of a second; the
// operating system takes the memory back at once when the process ends. Commands build
// their world-sized objects here, constructed from `args`, and never free them (but in
// sanitizer builds, which free them at exit).
template <typename T, typename... Args>
T& keep_until_exit(Args&&... args) {
#if IAMSIM_FREE_AT_EXIT
  auto& kept = detail::kept_objects();  // constructed first, so destroyed after `object`'s users
  auto object = std::make_shared<T>(std::forward<Args>(args)...);
  T& ref = *object;
  kept.keep(std::move(object));
  return ref;
#else
  return *new T(std::forward<Args>(args)...);
#endif
}

}  // namespace iamsim::cli
