#include "core/report_explainer.h"

#include <algorithm>
#include <optional>

#include "core/duration.h"
#include "core/report_text.h"

namespace podscope::core {

namespace {

using namespace std::chrono_literals;

constexpr std::size_t kQuotedOutputBytes = 300;
constexpr RunTime kMaxBackOff = 5min;

std::string at(RunTime t) { return formatRunTime(t); }

/// A span of time the way the kubelet prints one: "10s", "1m20s", "5m0s";
/// fractions of a second as formatRunTime does.
std::string span(RunTime d) {
  if (d % 1s != 0ns) return formatRunTime(d);
  const auto s = std::chrono::duration_cast<std::chrono::seconds>(d).count();
  if (s < 60) return std::to_string(s) + "s";
  const auto m = s / 60;
  if (m < 60) return std::to_string(m) + "m" + std::to_string(s % 60) + "s";
  return std::to_string(m / 60) + "h" + std::to_string(m % 60) + "m" + std::to_string(s % 60) + "s";
}

/// A handler's output inside a sentence: trimmed, bounded, in quotes.
std::string quoted(std::string_view output) {
  const auto notSpace = [](char c) { return c != ' ' && c != '\n' && c != '\r' && c != '\t'; };
  const auto b = std::find_if(output.begin(), output.end(), notSpace);
  const auto e = std::find_if(output.rbegin(), output.rend(), notSpace).base();
  if (b >= e) return "(no output)";
  Excerpt cut = excerpt(std::string_view(&*b, static_cast<std::size_t>(e - b)), kQuotedOutputBytes);
  return "“" + cut.text + (cut.omittedBytes ? "…" : "") + "”";
}

std::string probeWord(AttemptKind kind) {
  switch (kind) {
    case AttemptKind::StartupProbe: return "startup probe";
    case AttemptKind::LivenessProbe: return "liveness probe";
    case AttemptKind::ReadinessProbe: return "readiness probe";
    case AttemptKind::PostStartHook: return "postStart hook";
    case AttemptKind::PreStopHook: return "preStop hook";
  }
  return "probe";
}

std::string who(const RunContainer& c) {
  if (c.kind == SubjectKind::InitContainer) return (c.sidecar ? "sidecar " : "init container ") + c.name;
  return "container " + c.name;
}

/// "exited with code 1 (Error)", with the termination message when the
/// transition carries one.
std::string exitWords(const Transition& t) {
  std::string words;
  const int code = t.exitCode.value_or(-1);
  if (t.reason == "OOMKilled") {
    words = "was killed for running out of memory (OOMKilled, exit code " + std::to_string(code) + ")";
  } else if (t.reason == "Completed" || t.reason == "Error" || t.reason.empty()) {
    words = "exited with code " + std::to_string(code) + (t.reason.empty() ? "" : " (" + t.reason + ")");
  } else {
    words = "ended with reason " + t.reason + (t.exitCode ? ", exit code " + std::to_string(code) : "");
  }
  // The engine writes "exit code N", then " (SIGKILL)" and ": <termination message>" when there are.
  std::string_view rest = t.message;
  const std::string prefix = "exit code " + std::to_string(code);
  if (rest.substr(0, prefix.size()) == prefix) {
    rest.remove_prefix(prefix.size());
    if (const auto close = rest.find(')'); rest.substr(0, 2) == " (" && close != std::string_view::npos) {
      rest.remove_prefix(close + 1);
    }
    if (rest.substr(0, 2) == ": ") {
      words += ", with the termination message " + quoted(rest.substr(2));
    }
  } else if (!rest.empty()) {
    words += ": " + std::string(rest);
  }
  return words;
}

struct Indexed {
  const RunRecord& record;
  std::vector<RunContainer> containers;

  std::vector<const Transition*> transitionsOf(const RunContainer& c) const {
    std::vector<const Transition*> out;
    for (const Transition& t : record.transitions()) {
      if (t.kind == c.kind && t.subject == c.name) out.push_back(&t);
    }
    return out;
  }
  const ConditionChange* lastCondition(SubjectKind kind, const std::string& subject, std::string_view type) const {
    const ConditionChange* last = nullptr;
    for (const ConditionChange& c : record.conditions()) {
      if (c.kind == kind && c.type == type && (kind == SubjectKind::Pod || c.subject == subject)) last = &c;
    }
    return last;
  }
  /// The last attempt of `kind` against `c` that started at or before
  /// `until` and matches `pred`.
  template <typename Pred>
  const HandlerAttempt* lastAttempt(const RunContainer& c, AttemptKind kind, RunTime until, Pred pred) const {
    const HandlerAttempt* best = nullptr;
    for (const HandlerAttempt& a : record.attempts()) {
      if (a.containerKind != c.kind || a.container != c.name || a.kind != kind || a.start > until || !pred(a)) continue;
      if (!best || a.start >= best->start) best = &a;
    }
    return best;
  }
};

void explainNotReady(const Indexed& ix, std::vector<WhyFact>& out) {
  const RunRecord& r = ix.record;
  const ConditionChange* ready = ix.lastCondition(SubjectKind::Pod, r.podName, "Ready");
  if (!ready) return;
  if (ready->status) {
    out.push_back({ready->time, WhyTopic::NotReady, r.podName,
                   "The pod was Ready at the end, since " + at(ready->time) + "."});
    return;
  }
  if (ready->reason == "PodCompleted" || ready->reason == "PodFailed") {
    out.push_back({ready->time, WhyTopic::NotReady, r.podName,
                   "The pod was not Ready at the end because it had finished: Ready became False with reason " +
                       ready->reason + " at " + at(ready->time) + "."});
    return;
  }
  std::string text = "The pod was not Ready at the end: Ready was False since " + at(ready->time);
  if (!ready->reason.empty()) text += ", " + ready->reason;
  if (!ready->message.empty()) text += " (" + ready->message + ")";
  out.push_back({ready->time, WhyTopic::NotReady, r.podName, text + "."});

  const ConditionChange* initialized = ix.lastCondition(SubjectKind::Pod, r.podName, "Initialized");
  const bool notInitialized = initialized && !initialized->status;
  for (const RunContainer& c : ix.containers) {
    std::vector<const Transition*> ts = ix.transitionsOf(c);
    if (ts.empty()) continue;
    const Transition& last = *ts.back();
    const bool regularInit = c.kind == SubjectKind::InitContainer && !c.sidecar;
    if (regularInit) {
      if (!notInitialized) continue;
      if (last.to == "Terminated" && last.exitCode == 0) continue;
      std::string why;
      if (last.to == "Running") {
        why = "Init container " + c.name + " was still running at the end (since " + at(last.time) +
              "), so the pod was not Initialized and its containers had not started.";
      } else if (last.to == "Waiting" && last.reason == "CrashLoopBackOff") {
        const Transition* failed = nullptr;
        for (const Transition* t : ts) {
          if (t->to == "Terminated") failed = t;
        }
        why = "Init container " + c.name + " kept failing: it was waiting in CrashLoopBackOff at the end (since " +
              at(last.time) + ")";
        if (failed) why += " after it " + exitWords(*failed) + " at " + at(failed->time);
        why += "; the pod stays Pending until every init container exits with code 0.";
      } else if (last.to == "Terminated") {
        why = "Init container " + c.name + " " + exitWords(last) + " at " + at(last.time) +
              ", so the pod was never Initialized.";
      } else {
        why = "Init container " + c.name + " was " + last.to + (last.reason.empty() ? "" : " (" + last.reason + ")") +
              " at the end (since " + at(last.time) + "), so the pod was not Initialized.";
      }
      out.push_back({last.time, WhyTopic::NotReady, c.name, why});
      continue;
    }
    const ConditionChange* cready = ix.lastCondition(c.kind, c.name, "Ready");
    if (cready && cready->status) continue;
    std::string why;
    if (last.to == "Waiting") {
      why = who(c) + " was waiting at the end (" + (last.reason.empty() ? std::string("Waiting") : last.reason) +
            ", since " + at(last.time) + ")";
      if (last.reason == "CrashLoopBackOff") why += ": it keeps exiting and the kubelet is backing off before the next start";
      why += ".";
    } else if (last.to == "Terminated") {
      why = who(c) + " " + exitWords(last) + " at " + at(last.time) + " and was not running at the end.";
    } else if (last.to == "Running") {
      const ConditionChange* started = ix.lastCondition(c.kind, c.name, "Started");
      if (started && !started->status) {
        why = who(c) + " was running but not started at the end";
        const HandlerAttempt* startup = ix.lastAttempt(c, AttemptKind::StartupProbe, r.lastTime(), [](const HandlerAttempt& a) {
          return a.result == AttemptResult::Failure;
        });
        if (startup && startup->start >= last.time) {
          why += ": its startup probe had not passed; failure " + std::to_string(startup->consecutive) + " at " +
                 at(startup->start) + ": " + quoted(startup->output);
        } else {
          why += " (its postStart hook or startup probe had not finished)";
        }
        why += ".";
      } else {
        why = who(c) + " was running but not ready at the end";
        const HandlerAttempt* fail = ix.lastAttempt(c, AttemptKind::ReadinessProbe, r.lastTime(), [](const HandlerAttempt& a) {
          return a.result == AttemptResult::Failure;
        });
        if (fail && fail->start >= last.time) {
          why += ": its last readiness probe failed at " + at(fail->start);
          if (fail->consecutive > 0) why += " (failure " + std::to_string(fail->consecutive) + " in a row)";
          why += ": " + quoted(fail->output);
        } else if (notInitialized) {
          why += ": the pod was not Initialized yet";
        } else {
          why += ": its readiness probe had not succeeded yet";
        }
        why += ".";
      }
    } else {
      why = who(c) + " was " + last.to + " at the end (since " + at(last.time) + ").";
    }
    out.push_back({last.time, WhyTopic::NotReady, c.name, why});
  }
}

void explainRestarts(const Indexed& ix, std::vector<WhyFact>& out) {
  const RunRecord& r = ix.record;
  for (const RunContainer& c : ix.containers) {
    std::vector<const Transition*> ts = ix.transitionsOf(c);
    int runs = 0;
    const Transition* lastTerminated = nullptr;
    RunTime instanceStart{0};
    RunTime previousStart{0};
    for (const Transition* t : ts) {
      if (t->to == "Terminated") {
        lastTerminated = t;
        continue;
      }
      if (t->to != "Running") continue;
      previousStart = instanceStart;
      instanceStart = t->time;
      if (++runs == 1 || !lastTerminated) continue;
      const int restart = runs - 1;
      std::string text = "Restart " + std::to_string(restart) + " of " + who(c) + " at " + at(t->time) + ": ";
      // A kill for a failed liveness or startup probe, between the instance's start and its exit.
      const Event* killing = nullptr;
      const std::string path = containerFieldPath(c.kind, c.name);
      for (const Event& e : r.events()) {
        if (e.reason == "Killing" && e.object == path && e.time >= previousStart && e.time <= lastTerminated->time &&
            (e.message.find("failed liveness probe") != std::string::npos ||
             e.message.find("failed startup probe") != std::string::npos)) {
          killing = &e;
        }
      }
      if (killing) {
        const AttemptKind kind = killing->message.find("failed startup probe") != std::string::npos
                                     ? AttemptKind::StartupProbe
                                     : AttemptKind::LivenessProbe;
        const HandlerAttempt* failed = ix.lastAttempt(c, kind, killing->time, [&](const HandlerAttempt& a) {
          return a.result == AttemptResult::Failure && a.start >= previousStart;
        });
        if (failed) {
          text += "its " + probeWord(kind) + " failed " +
                  (failed->consecutive > 1 ? std::to_string(failed->consecutive) + " times in a row" : std::string("once")) +
                  ", failure " + std::to_string(std::max(failed->consecutive, 1)) + " at " + at(failed->start) + ": " +
                  quoted(failed->output) + "; ";
        } else {
          text += "its " + probeWord(kind) + " failed; ";
        }
        text += "the kubelet said “" + killing->message + "” (Killing, " + at(killing->time) + ") and it " +
                exitWords(*lastTerminated) + " at " + at(lastTerminated->time) + ".";
      } else if (lastTerminated->exitCode == 0 && lastTerminated->reason == "Completed") {
        text += "it " + exitWords(*lastTerminated) + " at " + at(lastTerminated->time) + ", and " +
                (c.kind == SubjectKind::InitContainer ? std::string("a sidecar is restarted whenever it exits")
                                                      : std::string("under restartPolicy Always a container that exits 0 is restarted too")) +
                ".";
      } else {
        text += "it " + exitWords(*lastTerminated) + " at " + at(lastTerminated->time) + ".";
      }
      if (t->time > lastTerminated->time) {
        bool backedOff = false;
        for (const Transition* w : ts) {
          if (w->time >= lastTerminated->time && w->time <= t->time && w->reason == "CrashLoopBackOff") backedOff = true;
        }
        text += " It started again " + span(t->time - lastTerminated->time) + " later" +
                (backedOff ? ", after the back-off." : ".");
      }
      out.push_back({lastTerminated->time, WhyTopic::Restart, c.name, text});
      lastTerminated = nullptr;
    }
  }
}

/// The back-off in a CrashLoopBackOff message: "back-off 1m20s restarting failed container=...".
std::optional<RunTime> backOffIn(std::string_view message) {
  const std::string_view key = "back-off ";
  const auto p = message.find(key);
  if (p == std::string_view::npos) return std::nullopt;
  std::string_view rest = message.substr(p + key.size());
  rest = rest.substr(0, rest.find(' '));
  auto d = parseDuration(rest);
  if (!d) return std::nullopt;
  return *d;
}

void explainBackOff(const Indexed& ix, std::vector<WhyFact>& out) {
  const RunRecord& r = ix.record;
  std::optional<RunTime> firstBackOff;
  std::optional<RunTime> longest;
  for (const RunContainer& c : ix.containers) {
    std::vector<const Transition*> ts = ix.transitionsOf(c);
    for (std::size_t i = 0; i < ts.size(); ++i) {
      const Transition& w = *ts[i];
      if (w.to != "Waiting" || w.reason != "CrashLoopBackOff") continue;
      std::optional<RunTime> backOff = backOffIn(w.message);
      const Transition* next = nullptr;
      int runsBefore = 0;
      for (std::size_t k = 0; k < ts.size(); ++k) {
        if (ts[k]->to != "Running") continue;
        if (k < i) ++runsBefore;
        if (k > i && !next) next = ts[k];
      }
      std::string text = who(c) + " waited in CrashLoopBackOff from " + at(w.time);
      if (backOff) {
        text += ": the kubelet's back-off was " + span(*backOff);
        longest = std::max(longest.value_or(RunTime{0}), *backOff);
      }
      text += " (“" + w.message + "”)";
      if (next) {
        text += ", and it started again at " + at(next->time) + " (restart " + std::to_string(runsBefore) + "), " +
                span(next->time - w.time) + " later.";
      } else {
        text += "; it was still waiting when the run ended at " + at(r.lastTime());
        if (backOff) text += ", and the kubelet would start it again at " + at(w.time + *backOff);
        text += ".";
      }
      if (!firstBackOff) firstBackOff = w.time;
      out.push_back({w.time, WhyTopic::BackOff, c.name, text});
    }
  }
  if (firstBackOff) {
    std::string rule =
        "The kubelet restarts a container that exits at once the first time, then waits 10s and doubles the wait "
        "after each further exit (20s, 40s, 1m20s, 2m40s) up to 5m0s; the back-off is forgotten once 10 minutes "
        "pass without another.";
    if (longest && *longest >= kMaxBackOff) rule += " This run reached the 5m0s ceiling.";
    out.push_back({*firstBackOff, WhyTopic::BackOff, r.podName, rule});
  }
}

void explainStopping(const Indexed& ix, std::vector<WhyFact>& out) {
  const RunRecord& r = ix.record;
  for (const Event& e : r.events()) {
    if (e.reason != "Killing") continue;
    const RunContainer* c = nullptr;
    for (const RunContainer& x : ix.containers) {
      if (containerFieldPath(x.kind, x.name) == e.object) c = &x;
    }
    if (!c) continue;
    const Transition* exit = nullptr;
    for (const Transition* t : ix.transitionsOf(*c)) {
      if (t->to == "Terminated" && t->time >= e.time) {
        exit = t;
        break;
      }
    }
    const RunTime until = exit ? exit->time : r.lastTime();
    std::vector<const SignalSent*> signals;
    for (const SignalSent& s : r.signalsSent()) {
      if (s.kind == c->kind && s.container == c->name && s.time >= e.time && s.time <= until) signals.push_back(&s);
    }
    const HandlerAttempt* preStop = nullptr;
    for (const HandlerAttempt& a : r.attempts()) {
      if (a.kind == AttemptKind::PreStopHook && a.containerKind == c->kind && a.container == c->name &&
          a.start >= e.time && a.start <= until) {
        preStop = &a;
        break;
      }
    }
    const SignalSent* stop = nullptr;
    const SignalSent* kill = nullptr;
    for (const SignalSent* s : signals) {
      if (s->number == 9) {
        if (!kill) kill = s;
      } else if (!stop) {
        stop = s;
      }
    }
    std::string text = "The kubelet stopped " + who(*c) + " at " + at(e.time) + ": “" + e.message + "” (Killing).";
    if (preStop) {
      const RunTime preStopEnd = preStop->start + preStop->duration;
      const bool failed = preStop->result == AttemptResult::Failure || preStop->result == AttemptResult::Error;
      if (stop && preStopEnd > stop->time) {
        text += " Its preStop hook was still running when the grace period ran out (" +
                span(stop->time - preStop->start) + " after it began), so " + stop->name + " went out at " +
                at(stop->time) + " without waiting for it.";
      } else if (failed) {
        text += " Its preStop hook failed after " + span(preStop->duration) + ": " + quoted(preStop->output) + ".";
      } else {
        text += " Its preStop hook finished in " + span(preStop->duration) + ", at " + at(preStopEnd) +
                ", inside the grace period.";
      }
    }
    if (!preStop && stop && stop->time > e.time) {
      // The stop signal waited, and no hook came back: a preStop hook was
      // still running when the grace period ended (a hook cut short by its
      // container's exit reports nothing), or a sidecar waited for its turn.
      const Transition* turn = nullptr;  // a container whose exit let this sidecar's turn come
      for (const Transition& t : r.transitions()) {
        if (t.kind != SubjectKind::Pod && t.subject != c->name && t.to == "Terminated" && t.time == stop->time) turn = &t;
      }
      if (c->sidecar && turn) {
        text += " " + stop->name + " waited " + span(stop->time - e.time) +
                " for its turn: a sidecar is stopped only after the containers declared after it have exited (" +
                turn->subject + " at " + at(turn->time) + ").";
      } else if (c->sidecar) {
        text += " " + stop->name + " waited " + span(stop->time - e.time) +
                " after Killing: a preStop hook still running, or its turn as a sidecar, which stops after the "
                "containers declared after it.";
      } else {
        text += " Its preStop hook was still running when the grace period ran out: no result of it is recorded, "
                "and " + stop->name + " went out " + span(stop->time - e.time) + " after Killing.";
      }
    }
    if (stop) text += " " + stop->name + " was sent at " + at(stop->time) + ".";
    if (kill) {
      text += " It had not exited when the grace period ran out, so SIGKILL was sent at " + at(kill->time) + ", " +
              span(kill->time - e.time) + " after Killing";
      text += exit ? ", and it " + exitWords(*exit) + " at " + at(exit->time) + "." : ".";
    } else if (exit) {
      text += " It " + exitWords(*exit) + " at " + at(exit->time) +
              (stop ? ", " + span(exit->time - stop->time) + " after " + stop->name : std::string()) +
              ", inside the grace period.";
    } else {
      text += " It had not exited when the run ended at " + at(r.lastTime()) + ".";
    }
    out.push_back({e.time, WhyTopic::Stopping, c->name, text});
  }
}

void explainOutcome(const Indexed& ix, std::vector<WhyFact>& out) {
  const RunRecord& r = ix.record;
  // How each container that was not running at the end last stopped.
  for (const RunContainer& c : ix.containers) {
    std::vector<const Transition*> ts = ix.transitionsOf(c);
    if (ts.empty() || ts.back()->to != "Terminated") continue;
    const Transition& last = *ts.back();
    if (c.kind == SubjectKind::InitContainer && !c.sidecar && last.exitCode == 0) continue;  // init done
    out.push_back({last.time, WhyTopic::Outcome, c.name,
                   who(c) + " " + exitWords(last) + " at " + at(last.time) + " and was not started again."});
  }
  const RunTime end = r.lastTime();
  std::string text;
  if (r.outcome == RunOutcome::Running) {
    text = "The record was taken while the run was in progress; its last entry is at " + at(end) + ".";
  } else {
    text = "The run ended at " + at(end) + ": " + std::string(toString(r.outcome));
    if (!r.outcomeMessage.empty()) text += " (" + r.outcomeMessage + ")";
    text += ", on the " + r.runtimeName + " runtime.";
  }
  const Transition* phase = nullptr;
  for (const Transition& t : r.transitions()) {
    if (t.kind == SubjectKind::Pod) phase = &t;
  }
  if (phase) text += " The pod's phase was " + phase->to + " (since " + at(phase->time) + ").";
  if (!r.statusLines().empty()) {
    const PodStatusLine& l = r.statusLines().back();
    text += " kubectl get pod: READY " + l.ready + ", STATUS " + l.status + ", RESTARTS " + l.restarts + ".";
  }
  out.push_back({end, WhyTopic::Outcome, r.podName, text});
}

}  // namespace

std::string_view toString(WhyTopic topic) {
  switch (topic) {
    case WhyTopic::NotReady: return "Not ready";
    case WhyTopic::Restart: return "Restarts";
    case WhyTopic::BackOff: return "Back-off";
    case WhyTopic::Stopping: return "Stopping";
    case WhyTopic::Outcome: return "Outcome";
    case WhyTopic::Rollout: return "Rollout";
  }
  return "Outcome";
}

std::vector<WhyFact> explainRun(const RunRecord& record) {
  Indexed ix{record, runContainers(record)};
  std::vector<WhyFact> out;
  explainNotReady(ix, out);
  explainRestarts(ix, out);
  explainBackOff(ix, out);
  explainStopping(ix, out);
  explainOutcome(ix, out);
  std::stable_sort(out.begin(), out.end(), [](const WhyFact& a, const WhyFact& b) {
    if (a.topic != b.topic) return a.topic < b.topic;
    // Not ready: the pod's own statement first, then its containers in order.
    if (a.topic == WhyTopic::NotReady) return false;
    return a.time < b.time;
  });
  return out;
}

}  // namespace podscope::core
