#pragma once
// Simulation scenarios: what a simulated container does, written in a small
// line-based language (docs/simulation.md) in the pod annotation
// `podscope.dev/simulate`, a per-container annotation
// `podscope.dev/simulate.<container>`, or a side file next to the manifest.
//
//   container web:
//     starts after 2s
//     readiness fails until 12s
//     liveness fails from 40s with "cat: can't open '/tmp/healthy': No such file or directory"
//     preStop takes 5s
//     attempts 1-3: exits 1 after 10s
//
// This file reads the text into a model and answers, for one container
// instance, what the scenario says about it (ScenarioPlan). Times are
// relative to the moment the instance started running.
//
// Thread contract: plain values and pure functions.

#include <chrono>
#include <climits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace podscope::core {

struct PodSpec;

/// The annotation holding a whole pod's scenario.
inline constexpr std::string_view kSimulateAnnotation = "podscope.dev/simulate";
/// The prefix of a per-container annotation: `podscope.dev/simulate.web`.
inline constexpr std::string_view kSimulateContainerPrefix = "podscope.dev/simulate.";

/// The probes and hooks a scenario can speak about.
enum class ScenarioHandler { Startup, Liveness, Readiness, PostStart, PreStop };
std::string_view toString(ScenarioHandler handler);  ///< "startup", ..., "postStart", "preStop"
bool isHook(ScenarioHandler handler);

/// Attempts a statement applies to; attempt 1 is a container's first run
/// (restart count 0).
struct AttemptRange {
  int first = 1;
  int last = INT_MAX;  ///< INT_MAX: and every later attempt
  bool contains(int attempt) const { return attempt >= first && attempt <= last; }
  friend bool operator==(const AttemptRange&, const AttemptRange&) = default;
};

/// How a failing handler fails, from `with ...`; unset parts take the
/// defaults of docs/simulation.md (exit 1, HTTP 503, NOT_SERVING).
struct FailureDetail {
  std::optional<std::string> text;        ///< command output, response body or error text
  std::optional<int> status;              ///< an exec exit code or an HTTP status code
  std::optional<std::string> grpcStatus;  ///< NOT_SERVING, UNKNOWN, SERVICE_UNKNOWN, SERVING
  bool connectionRefused = false;         ///< network handlers: nothing listens
  friend bool operator==(const FailureDetail&, const FailureDetail&) = default;
};

struct ScenarioStatement {
  enum class Kind {
    StartsAfter,       ///< starts after T
    Exits,             ///< exits N [after T]
    OomKilled,         ///< oom-killed [after T]
    RunsUntilStopped,  ///< runs until stopped
    OnSigterm,         ///< on SIGTERM exit N [after T]
    IgnoresSigterm,    ///< ignores SIGTERM
    Succeeds,          ///< <handler> succeeds [from T] [until T] [with ...]
    Fails,             ///< <handler> fails [from T] [until T] [with ...]
    Errors,            ///< <handler> errors [from T] [until T] [with "text"]
    Takes,             ///< <handler> takes T [from T] [until T]
  };
  Kind kind = Kind::RunsUntilStopped;
  ScenarioHandler handler = ScenarioHandler::Readiness;  ///< for Succeeds, Fails, Errors, Takes
  std::chrono::nanoseconds time{0};   ///< StartsAfter, Exits, OomKilled, OnSigterm: when; Takes: how long
  int exitCode = 0;                   ///< Exits, OnSigterm
  std::optional<std::chrono::nanoseconds> from;   ///< window start (inclusive)
  std::optional<std::chrono::nanoseconds> until;  ///< window end (exclusive)
  FailureDetail detail;                            ///< Succeeds, Fails, Errors
  std::optional<AttemptRange> attempts;            ///< unset: every attempt
  int line = 0;    ///< 1-based, within the scenario text
  int column = 0;  ///< 1-based, where the statement starts

  bool isHandlerStatement() const;
  /// Whether the statement's time window holds `sinceStart`.
  bool covers(std::chrono::nanoseconds sinceStart) const;
};

/// One `container NAME:` section; `*` speaks for every container.
struct ScenarioSection {
  std::string container;  ///< a container name or "*"
  int line = 0;           ///< the header's line; 0 for statements before any header
  int column = 0;         ///< where the header writes the name
  std::vector<ScenarioStatement> statements;
};

struct Scenario {
  std::vector<ScenarioSection> sections;
  bool empty() const { return sections.empty(); }
};

/// A mistake in scenario text: where (1-based, within the text) and what.
struct ScenarioError {
  int line = 0;
  int column = 0;
  int length = 1;  ///< how many characters to underline
  std::string message;
  /// "line 3, column 13: <message>".
  std::string toString() const;
  friend bool operator==(const ScenarioError&, const ScenarioError&) = default;
};

/// What the text may hold: a pod's scenario (annotation or side file, with
/// `container NAME:` sections; statements before the first header apply to
/// every container) or one container's statements (the per-container
/// annotation, no headers).
enum class ScenarioForm { Pod, Container };

struct ScenarioParse {
  Scenario scenario;                  ///< every statement that could be read
  std::vector<ScenarioError> errors;  ///< in text order
  bool ok() const { return errors.empty(); }
};

/// Reads scenario text. For ScenarioForm::Container the statements come back
/// in one section named `container` (pass the container's name).
ScenarioParse parseScenario(std::string_view text, ScenarioForm form = ScenarioForm::Pod,
                            std::string_view container = "*");

/// Sections naming containers the pod does not have (init containers
/// count), with a "did you mean" where one is close.
std::vector<ScenarioError> checkScenarioContainers(const Scenario& scenario, const PodSpec& spec);

/// Where a manifest's automatic side file lives: `<manifest>.simulate`.
std::string scenarioSideFilePath(const std::string& manifestPath);

/// Reads and parses a side file. An Io error when it cannot be read; a
/// Shape error naming file, line and column for the first mistake (the
/// message also counts any others).
Result<Scenario> readScenarioFile(const std::string& path);

/// The side file for a manifest, if `<manifest>.simulate` exists: nullopt
/// when there is none, an error when it is there but broken.
Result<std::optional<Scenario>> findScenarioFile(const std::string& manifestPath);

/// Where a scenario came from, from weakest to strongest: the pod
/// annotation, the per-container annotation, the side file. Within each,
/// a section naming the container beats a `*` section.
struct ScenarioSources {
  const Scenario* podAnnotation = nullptr;
  const Scenario* containerAnnotation = nullptr;  ///< for the container asked about
  const Scenario* sideFile = nullptr;
};

/// A handler's behaviour at one moment.
struct HandlerBehavior {
  enum class Outcome { Succeeds, Fails, Errors };
  Outcome outcome = Outcome::Succeeds;
  std::chrono::nanoseconds takes{0};
  FailureDetail detail;
};

/// What a scenario says about one container instance (one attempt). Every
/// part is unset when the scenario says nothing about it, so the
/// simulator's defaults (the command, success) apply.
struct ScenarioPlan {
  std::optional<std::chrono::nanoseconds> startDelay;
  /// RunsUntilStopped, Exits or OomKilled.
  std::optional<ScenarioStatement> process;
  /// OnSigterm or IgnoresSigterm.
  std::optional<ScenarioStatement> sigterm;

  /// Whether the scenario speaks about `handler` for this attempt.
  bool speaksAbout(ScenarioHandler handler) const;
  /// The handler's behaviour `sinceStart` after the instance started; nullopt
  /// when the scenario says nothing about it. Outside every window a
  /// handler the scenario speaks about succeeds at once.
  std::optional<HandlerBehavior> handlerAt(ScenarioHandler handler, std::chrono::nanoseconds sinceStart) const;

  std::vector<ScenarioStatement> handlers;  ///< the statements that decide each handler, in text order
};

/// The plan for `container`'s attempt `attempt` (1 = first run).
ScenarioPlan planScenario(const ScenarioSources& sources, std::string_view container, int attempt);

}  // namespace podscope::core
