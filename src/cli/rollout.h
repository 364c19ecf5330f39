#pragma once
// `podscope-cli rollout history|diff|undo|restart|status`: kubectl rollout
// over the rollout history (core/history_store.h), with kubectl's words and
// exit codes (0, or 1 for every error). `diff` is Podscope's own: two
// revisions' templates as a one-line summary and a unified patch. `undo`
// and `restart` record the new revision and run the rollout on a runtime,
// as `run` does (cli/deployment_run.h).
//
// Thread contract: main thread only.

#include <CLI/CLI.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "cli/deployment_run.h"

namespace podscope::cli {

/// A resource argument as kubectl takes it: `deployment/NAME`,
/// `deployment NAME`, `deploy/NAME`, `deployments.apps/NAME`, ...; the name
/// is empty for a type alone (`deployment`: all of them). The rest of the
/// arguments, when the command takes more, are in `rest`.
struct ResourceArg {
  std::string name;
  std::vector<std::string> rest;
};

/// Reads `args` as a Deployment reference, or returns kubectl's error
/// (without `error: `): `required resource not specified`, `the server
/// doesn't have a resource type "x"`, ...
core::Result<ResourceArg> parseDeploymentArg(const std::vector<std::string>& args);

class RolloutCommand {
 public:
  /// Adds `rollout` and its subcommands to `app`.
  explicit RolloutCommand(CLI::App& app);

  /// Whether the command line chose `rollout`.
  bool parsed() const;
  /// Carries out the chosen subcommand; returns the exit code.
  int run();

 private:
  int history();
  int diff();
  int undo();
  int restart();
  int status();

  CLI::App* m_rollout = nullptr;
  CLI::App* m_history = nullptr;
  CLI::App* m_diff = nullptr;
  CLI::App* m_undo = nullptr;
  CLI::App* m_restart = nullptr;
  CLI::App* m_status = nullptr;

  std::vector<std::string> m_args;
  std::string m_namespace = "default";
  std::string m_historyFile;
  std::int64_t m_revision = 0;
  std::int64_t m_toRevision = 0;
  bool m_summaryOnly = false;
  bool m_dryRun = false;
  std::string m_filename;
  DeploymentRunArgs m_run;
};

}  // namespace podscope::cli
