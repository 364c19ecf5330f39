#include "core/user_dirs.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace podscope::core {

std::string defaultLogDir() {
  // The XDG base directory specification ignores a relative path.
  const char* state = std::getenv("XDG_STATE_HOME");
  if (state && state[0] == '/') return std::string(state) + "/podscope/logs";
  const char* home = std::getenv("HOME");
  if (home && home[0] == '/') return std::string(home) + "/.local/state/podscope/logs";
  return {};
}

core::Status makePrivateDirectories(const std::string& path) {
  if (path.empty()) return core::Error{"no directory given"};
  for (size_t end = path.find('/', 1);; end = path.find('/', end + 1)) {
    std::string part = path.substr(0, end);
    bool last = end == std::string::npos || path.find_first_not_of('/', end) == std::string::npos;
    if (::mkdir(part.c_str(), 0700) == 0) {
      ::chmod(part.c_str(), 0700);  // whatever the umask took away
    } else if (errno == EEXIST) {
      struct stat st{};
      if (::stat(part.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
        return core::Error{"cannot create " + path + ": " + part + " is not a directory"};
      }
    } else {
      return core::Error{"cannot create " + part + ": " + std::strerror(errno)};
    }
    if (last) return core::Status::ok();
  }
}

}  // namespace podscope::core
