#pragma once
// Where runs keep container logs when not told otherwise (podscope-cli run
// without --log-dir, and the desktop app), and where `podscope-cli logs`
// looks for them: a per-user state directory, $XDG_STATE_HOME/podscope/logs,
// else $HOME/.local/state/podscope/logs.
// Thread contract: reads the environment; call from one thread.

#include <string>

#include "core/result.h"

namespace podscope::core {

/// The default log directory; empty when neither XDG_STATE_HOME nor HOME is
/// set to an absolute path.
std::string defaultLogDir();

/// Creates `path` and any missing parent, each new one with mode 0700 (the
/// logs are the user's alone). An existing directory is left as it is.
core::Status makePrivateDirectories(const std::string& path);

}  // namespace podscope::core
