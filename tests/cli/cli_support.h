#pragma once
// Running the built podscope-cli from a test.

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

namespace podscope::testing {

struct CliOutput {
  std::string text;  ///< stdout, and stderr unless sent elsewhere
  int exitCode = -1;
};

/// Runs a shell command and collects what it prints on stdout.
inline CliOutput runShell(const std::string& command) {
  CliOutput out;
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return out;
  std::array<char, 4096> buf{};
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) out.text.append(buf.data(), n);
  int status = pclose(pipe);
  out.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return out;
}

/// Runs `podscope-cli ARGS` through the shell; stderr goes to `stderrTo`
/// (`&1`: with stdout).
inline CliOutput runCli(const std::string& args, const std::string& stderrTo = "&1") {
  return runShell(std::string(PODSCOPE_CLI) + " " + args + " 2>" + stderrTo);
}

}  // namespace podscope::testing
