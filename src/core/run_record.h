#pragma once
// The record of one run: every state transition and event, in order. The
// engine appends to it; the timeline, tables, CLI and reports only read it.
// Thread contract: not synchronised; the engine owns it while a run is in
// progress and hands out copies (or observes appends) for other threads.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/shared_text.h"

namespace podscope::core {

/// Time since the run began (the pod's creation), on the engine's clock.
using RunTime = std::chrono::nanoseconds;

enum class SubjectKind { Pod, InitContainer, Container };
std::string_view toString(SubjectKind kind);

/// One state change: `{time, subject, from, to, reason, message}`.
struct Transition {
  RunTime time{0};
  SubjectKind kind = SubjectKind::Pod;
  std::string subject;  ///< the pod's or container's name
  std::string from;     ///< empty for the first state
  std::string to;
  std::string reason;
  std::string message;
  std::optional<int> exitCode;  ///< set when `to` is Terminated
  friend bool operator==(const Transition&, const Transition&) = default;
};

enum class EventType { Normal, Warning };
std::string_view toString(EventType type);

/// A `kubectl describe`-style event.
struct Event {
  RunTime time{0};
  EventType type = EventType::Normal;
  std::string reason;
  std::string object;  ///< `spec.containers{name}`, or empty for the pod
  std::string message;
  friend bool operator==(const Event&, const Event&) = default;
};

/// The `kubectl get pod` columns at a moment, recorded whenever READY,
/// STATUS or the restart count changes.
struct PodStatusLine {
  RunTime time{0};
  std::string ready;     ///< "1/2"
  std::string status;    ///< "Init:0/2", "Running", "CrashLoopBackOff", ...
  std::string restarts;  ///< "3" or "3 (15s ago)"
  std::string age;       ///< kubectl's AGE at `time`
  friend bool operator==(const PodStatusLine&, const PodStatusLine&) = default;
};

/// Which probe or hook an attempt was.
enum class AttemptKind { StartupProbe, LivenessProbe, ReadinessProbe, PostStartHook, PreStopHook };
std::string_view toString(AttemptKind kind);  ///< "startupProbe", ..., "postStart", "preStop"

/// What one attempt came to, in the prober's words: a Warning counts as a
/// success (an HTTP redirect that was not followed); an Error means the
/// handler could not be run at all and, for probes, the result is discarded.
enum class AttemptResult { Success, Warning, Failure, Error };
std::string_view toString(AttemptResult result);  ///< "success", "warning", "failure", "error"

/// One run of a probe or lifecycle hook: when it began, how long it took,
/// what it returned and what it led to.
struct HandlerAttempt {
  RunTime start{0};
  RunTime duration{0};
  std::string container;
  SharedText handler;     ///< what ran: `exec [cat /tmp/healthy]`, `httpGet http://10.88.0.2:80/`, ...
  std::string output;     ///< command output, response body or error text (bounded)
  int restartCount = 0;   ///< of the container instance it ran against
  /// Probes: consecutive attempts with this result, including this one, a
  /// Warning counting as a Success. 0 for hooks, for Errors (discarded) and
  /// for attempts that finished after their container instance was gone.
  int consecutive = 0;
  AttemptKind kind = AttemptKind::LivenessProbe;
  SubjectKind containerKind = SubjectKind::Container;
  AttemptResult result = AttemptResult::Success;
  /// Probes: this attempt reached its threshold and changed the published
  /// result (the one that sets Started/Ready or restarts the container);
  /// hooks: always false.
  bool published = false;
  friend bool operator==(const HandlerAttempt&, const HandlerAttempt&) = default;
};

/// A pod condition or a container's `started`/`ready` flag changing value
/// (or, with the same value, its reason or message). The first change of
/// each is its initial value. Pod conditions use their type (`Ready`,
/// `ContainersReady`, `Initialized`, `PodReadyToStartContainers`,
/// `PodScheduled`); containers `Started` and `Ready`.
struct ConditionChange {
  RunTime time{0};
  SubjectKind kind = SubjectKind::Pod;
  std::string subject;
  std::string type;
  bool status = false;
  std::string reason;
  std::string message;
  friend bool operator==(const ConditionChange&, const ConditionChange&) = default;
};

/// A signal sent to a container's main process while it was being stopped:
/// the stop signal (SIGTERM, or the image's STOPSIGNAL) once its preStop hook
/// returned, and SIGKILL when the grace period ran out before it exited.
/// A signal sent again after the runtime came back is recorded again.
struct SignalSent {
  RunTime time{0};
  SubjectKind kind = SubjectKind::Container;
  std::string container;
  int restartCount = 0;  ///< of the container instance it was sent to
  int number = 0;        ///< 15, 9, 3, ...
  std::string name;      ///< "SIGTERM", "SIGKILL", "SIGQUIT", ...
  friend bool operator==(const SignalSent&, const SignalSent&) = default;
};

/// How a run ended: the pod succeeded or failed by itself, the run limit
/// deleted it (Stopped), or someone deleted it (Deleted); Running while the
/// run is still in progress.
enum class RunOutcome { Running, Succeeded, Failed, Stopped, Deleted };
std::string_view toString(RunOutcome outcome);

/// Callbacks that hear each entry a record appends, one per kind of entry,
/// called on the appending thread right after the entry is stored. Any may
/// be left unset; an unset one costs the record a test of an empty function.
struct RecordObserver {
  std::function<void(const Transition&)> onTransition;
  std::function<void(const Event&)> onEvent;
  std::function<void(const PodStatusLine&)> onStatusLine;
  std::function<void(const HandlerAttempt&)> onAttempt;
  std::function<void(const ConditionChange&)> onCondition;
  std::function<void(const SignalSent&)> onSignal;
};

class RunRecord {
 public:
  std::string podName;
  std::string podNamespace;
  std::string runtimeName;
  RunOutcome outcome = RunOutcome::Running;
  std::string outcomeMessage;
  /// When the run ended (the pod was gone, or the watch ended); unset while
  /// it is in progress and in records written before it was kept.
  std::optional<RunTime> ended;

  const std::vector<Transition>& transitions() const { return m_transitions; }
  const std::vector<Event>& events() const { return m_events; }
  const std::vector<PodStatusLine>& statusLines() const { return m_statusLines; }
  /// Probe and hook attempts, a quarter of a million a day at a 1 s period:
  /// kept in a deque so the record grows without moving what it holds.
  const std::deque<HandlerAttempt>& attempts() const { return m_attempts; }
  const std::vector<ConditionChange>& conditions() const { return m_conditions; }
  const std::vector<SignalSent>& signalsSent() const { return m_signals; }

  /// The latest moment the record speaks of: `ended` when set, else the
  /// time of its last entry (an attempt counts until it returned).
  RunTime lastTime() const;

  void append(Transition t);
  void append(Event e);
  void append(PodStatusLine line);
  void append(HandlerAttempt&& attempt);  ///< a day of 1 s probes is 250,000 of these: moved, never copied
  void append(ConditionChange change);
  void append(SignalSent signal);

  /// Called after each append, on the appending thread.
  std::function<void(const Transition&)> onTransition;
  std::function<void(const Event&)> onEvent;
  std::function<void(const PodStatusLine&)> onStatusLine;
  std::function<void(const HandlerAttempt&)> onAttempt;
  std::function<void(const ConditionChange&)> onCondition;
  std::function<void(const SignalSent&)> onSignal;

  /// Sets every callback above from `observer` (unset ones clear theirs).
  void observe(RecordObserver observer);
  /// Clears every callback, so the record can be kept or copied on its own.
  void stopObserving() { observe({}); }

 private:
  std::vector<Transition> m_transitions;
  std::vector<Event> m_events;
  std::vector<PodStatusLine> m_statusLines;
  std::deque<HandlerAttempt> m_attempts;
  std::vector<ConditionChange> m_conditions;
  std::vector<SignalSent> m_signals;
};

/// "12.345s": seconds since the run began, millisecond precision.
std::string formatRunTime(RunTime t);

/// kubectl's compact age, as apimachinery's HumanDuration: "0s", "45s",
/// "2m5s", "10m", "3h30m", "2d2h".
std::string formatAge(RunTime d);

/// Who reports an event, as kubectl describe's From column:
/// `default-scheduler` for Scheduled and FailedScheduling,
/// `deployment-controller` for ScalingReplicaSet, `replicaset-controller`
/// for SuccessfulCreate and SuccessfulDelete, else `kubelet`.
std::string_view eventSource(const Event& e);

// Text tables for people. Columns are separated by at least two spaces and
// aligned by code points (so UTF-8 names line up); empty cells other than
// the last are written as "-", lines carry no trailing spaces, and each line
// ends in a newline. An empty record gives the header line alone.

/// The transitions as an aligned text table: TIME CONTAINER FROM TO REASON MESSAGE.
std::string formatTransitions(const RunRecord& record);

/// The longest output excerpt formatAttempts shows, in code points,
/// including the ellipsis.
inline constexpr std::size_t kAttemptOutputWidth = 80;

/// The probe and hook attempts as an aligned text table:
/// TIME CONTAINER KIND RESULT TOOK HANDLER OUTPUT, in order of start. TIME is the start,
/// TOOK the duration (both as formatRunTime). OUTPUT is the first line of
/// the trimmed output, trimmed, with control characters shown as spaces; it
/// ends in "…" when later lines were left off or it was cut to
/// kAttemptOutputWidth code points.
std::string formatAttempts(const RunRecord& record);

/// The events as `kubectl describe` would show them the moment the run
/// ended (without the section's heading and indent): Type Reason Age From
/// Message, with a rule of dashes under the headings. As the kubelet's event
/// recorder does, repeats of an event (same type, reason, object and
/// message) are one line, whose Age reads `2m (x5 over 4m)`: how long ago
/// the last one happened, how many there were, and how long ago the first.
/// Ages count back from `record.lastTime()`, in kubectl's compact style
/// ("0s", "45s", "2m5s", "3h30m"); lines are in the order of their last
/// occurrence, as kubectl sorts them. From is `default-scheduler` for
/// Scheduled and FailedScheduling and `kubelet` for everything else.
std::string formatEvents(const RunRecord& record);

/// The condition changes as an aligned text table:
/// TIME CONTAINER TYPE STATUS REASON MESSAGE, where STATUS is True or False
/// and CONTAINER is `pod/<name>` for pod conditions.
std::string formatConditions(const RunRecord& record);

}  // namespace podscope::core
