#pragma once
// Run records for the report tests: built by hand, fact by fact, or from a
// pod run on the simulated runtime (virtual time, so every run is the same).

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <optional>
#include <string>

#include "core/manifest_reader.h"
#include "core/run_record.h"
#include "day_long_pod.h"
#include "engine/pod_worker.h"
#include "engine/runtime/simulated/simulated_runtime.h"
#include "engine/virtual_event_loop.h"

namespace podscope::testing {

inline core::RunTime sec(double s) { return core::RunTime{static_cast<long long>(std::llround(s * 1e9))}; }

/// A record written fact by fact; times in seconds since the pod's creation.
class RecordBuilder {
 public:
  explicit RecordBuilder(std::string pod) {
    m_r.podName = std::move(pod);
    m_r.podNamespace = "default";
    m_r.runtimeName = "simulated";
  }
  RecordBuilder& phase(double t, std::string from, std::string to) {
    m_r.append(core::Transition{sec(t), core::SubjectKind::Pod, m_r.podName, std::move(from), std::move(to), "", "", std::nullopt});
    return *this;
  }
  RecordBuilder& state(double t, std::string c, std::string from, std::string to, std::string reason = "",
                       std::string message = "", std::optional<int> exit = std::nullopt,
                       core::SubjectKind kind = core::SubjectKind::Container) {
    m_r.append(core::Transition{sec(t), kind, std::move(c), std::move(from), std::move(to), std::move(reason),
                                std::move(message), exit});
    return *this;
  }
  RecordBuilder& event(double t, core::EventType type, std::string reason, std::string object, std::string message) {
    m_r.append(core::Event{sec(t), type, std::move(reason), std::move(object), std::move(message)});
    return *this;
  }
  RecordBuilder& attempt(double t, double took, std::string c, core::AttemptKind kind, core::AttemptResult result,
                         std::string output, int consecutive = 0, bool published = false, int restartCount = 0,
                         core::SubjectKind containerKind = core::SubjectKind::Container) {
    core::HandlerAttempt a;
    a.start = sec(t);
    a.duration = sec(took);
    a.container = std::move(c);
    a.handler = core::SharedText(std::string("exec [check]"));
    a.output = std::move(output);
    a.restartCount = restartCount;
    a.consecutive = consecutive;
    a.kind = kind;
    a.containerKind = containerKind;
    a.result = result;
    a.published = published;
    m_r.append(std::move(a));
    return *this;
  }
  RecordBuilder& condition(double t, core::SubjectKind kind, std::string subject, std::string type, bool status,
                           std::string reason = "", std::string message = "") {
    m_r.append(core::ConditionChange{sec(t), kind, std::move(subject), std::move(type), status, std::move(reason),
                                     std::move(message)});
    return *this;
  }
  RecordBuilder& podCondition(double t, std::string type, bool status, std::string reason = "", std::string message = "") {
    return condition(t, core::SubjectKind::Pod, m_r.podName, std::move(type), status, std::move(reason), std::move(message));
  }
  RecordBuilder& signal(double t, std::string c, int number, std::string name) {
    m_r.append(core::SignalSent{sec(t), core::SubjectKind::Container, std::move(c), 0, number, std::move(name)});
    return *this;
  }
  RecordBuilder& status(double t, std::string ready, std::string status, std::string restarts, std::string age) {
    m_r.append(core::PodStatusLine{sec(t), std::move(ready), std::move(status), std::move(restarts), std::move(age)});
    return *this;
  }
  RecordBuilder& end(double t, core::RunOutcome outcome, std::string message = "") {
    m_r.ended = sec(t);
    m_r.outcome = outcome;
    m_r.outcomeMessage = std::move(message);
    return *this;
  }
  core::RunRecord build() const { return m_r; }

 private:
  core::RunRecord m_r;
};

/// Runs the first Pod in `yaml` on the simulated runtime.
inline core::RunRecord simulate(const std::string& yaml, engine::RunOptions options) {
  auto pod = core::readPod(yaml, "test.yaml");
  EXPECT_TRUE(pod.has_value()) << (pod ? "" : pod.error().toString());
  if (!pod) return {};
  engine::VirtualEventLoop loop;
  engine::SimulatedRuntime runtime(loop);
  return engine::runPod(*pod, runtime, loop, options);
}

inline engine::RunOptions watchFor(engine::Duration d) {
  engine::RunOptions o;
  o.runFor = d;
  return o;
}

inline engine::RunOptions deleteAfter(engine::Duration d) {
  engine::RunOptions o;
  o.deleteAfter = d;
  return o;
}

inline std::string readExample(const std::string& name) {
  std::string path = std::string(PODSCOPE_SOURCE_DIR) + "/examples/" + name;
  std::FILE* f = std::fopen(path.c_str(), "rb");
  std::string text;
  if (!f) return text;
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) text.append(buf, n);
  std::fclose(f);
  return text;
}

/// Text that would break out of XML or HTML if it were not escaped.
inline const std::string kHostile = "<script>alert(1)</script> ]]> \"q\" 'a' & \x01\x1b[31m \xff";

/// A run whose names, outputs, messages and reasons are all hostile.
inline core::RunRecord hostileRecord() {
  const std::string c = "app<script>";
  RecordBuilder b("evil<script>alert(1)</script>");
  b.phase(0, "", "Pending")
      .state(0, c, "", "Waiting", "Container<script>", kHostile)
      .state(1, c, "Waiting", "Running", "Started")
      .phase(1, "Pending", "Running")
      .attempt(2, 0.01, c, core::AttemptKind::ReadinessProbe, core::AttemptResult::Failure, kHostile, 1)
      .attempt(3, 0.01, c, core::AttemptKind::LivenessProbe, core::AttemptResult::Failure, kHostile, 1, true)
      .attempt(4, 1, c, core::AttemptKind::PreStopHook, core::AttemptResult::Failure, kHostile)
      .event(2, core::EventType::Warning, "Unhealthy", "spec.containers{" + c + "}", "Readiness probe failed: " + kHostile)
      .event(3, core::EventType::Normal, "Killing", "spec.containers{" + c + "}", kHostile)
      .condition(0, core::SubjectKind::Pod, "evil<script>alert(1)</script>", "Ready", false, "R<script>", kHostile)
      .signal(3, c, 15, "SIG<script>")
      .state(5, c, "Running", "Terminated", "Error", "exit code 1: " + kHostile, 1)
      .status(5, "0/1", "<script>", "0", "5s")
      .end(5, core::RunOutcome::Failed, kHostile);
  return b.build();
}

}  // namespace podscope::testing
