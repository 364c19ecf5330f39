// Whole pods on a real containerd: manifest -> engine::runPod ->
// ContainerdRuntime, checking the order of what happened as Kubernetes would
// show it (init containers one at a time, each to completion, then the app
// containers), and the pod's final phase.

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "containerd_test_support.h"
#include "core/manifest_reader.h"
#include "core/run_record.h"
#include "engine/host/system_event_loop.h"
#include "engine/pod_worker.h"

namespace podscope::testing {
namespace {

using core::SubjectKind;
using core::Transition;

struct PodRun {
  core::RunRecord record;
  std::string podName;
};

// Index of the first transition matching; npos when none.
std::size_t find(const core::RunRecord& record, SubjectKind kind, const std::string& subject,
                 const std::string& to) {
  const auto& ts = record.transitions();
  for (std::size_t i = 0; i < ts.size(); ++i) {
    if (ts[i].kind == kind && ts[i].subject == subject && ts[i].to == to) return i;
  }
  return std::string::npos;
}

std::size_t count(const core::RunRecord& record, SubjectKind kind, const std::string& subject,
                  const std::string& to) {
  const auto& ts = record.transitions();
  return static_cast<std::size_t>(std::count_if(ts.begin(), ts.end(), [&](const Transition& t) {
    return t.kind == kind && t.subject == subject && t.to == to;
  }));
}

const Transition* at(const core::RunRecord& record, std::size_t index) {
  return index < record.transitions().size() ? &record.transitions()[index] : nullptr;
}

std::string podYaml(const std::string& name, const std::string& init2Script) {
  return "apiVersion: v1\n"
         "kind: Pod\n"
         "metadata:\n"
         "  name: " + name + "\n"
         "spec:\n"
         "  restartPolicy: Never\n"
         "  terminationGracePeriodSeconds: 5\n"
         "  initContainers:\n"
         "  - name: init1\n"
         "    image: busybox\n"
         // :latest defaults to Always, which pulls from Docker Hub; the
         // imported copy is used as it is.
         "    imagePullPolicy: IfNotPresent\n"
         "    command: [\"sh\", \"-c\", \"echo one\"]\n"
         "  - name: init2\n"
         "    image: busybox:1.30\n"
         "    command: [\"sh\", \"-c\", \"" + init2Script + "\"]\n"
         "  containers:\n"
         "  - name: main\n"
         "    image: registry.k8s.io/busybox\n"
         "    imagePullPolicy: IfNotPresent\n"
         "    command: [\"sh\", \"-c\", \"echo main; exit 0\"]\n";
}

class PodOnContainerdTest : public ::testing::Test {
 protected:
  // Runs the pod to its end on this thread, as the CLI does.
  std::optional<PodRun> runPod(const std::string& yaml, std::optional<engine::Duration> watchFor = std::nullopt) {
    auto pod = core::readPod(yaml, "pod.yaml");
    EXPECT_TRUE(pod) << pod.error().toString();
    if (!pod) return std::nullopt;
    auto options = testOptions();
    EXPECT_TRUE(options) << options.error().message;
    if (!options) return std::nullopt;

    engine::SystemEventLoop loop;
    auto runtime = engine::ContainerdRuntime::connect(loop, *options);
    EXPECT_TRUE(runtime) << runtime.error().message;
    if (!runtime) return std::nullopt;

    engine::RunOptions runOptions;
    runOptions.logDir = m_logDir.path();
    // A safety net: these pods end by themselves within seconds.
    runOptions.stopAfter = std::chrono::seconds(90);
    if (watchFor) {
      runOptions.stopAfter = {};
      runOptions.runFor = *watchFor;
    }
    PodRun run;
    run.podName = pod->metadata.name;
    run.record = engine::runPod(*pod, **runtime, loop, runOptions);
    runtime->reset();
    return run;
  }

  TempDir m_logDir{"podscope-pod-logs"};
};

TEST_F(PodOnContainerdTest, InitContainersRunInOrderThenTheMainContainer) {
  std::string name = uniqueName("init-order");
  auto run = runPod(podYaml(name, "sleep 1; echo two"));
  ASSERT_TRUE(run);
  const core::RunRecord& record = run->record;
  SCOPED_TRACE(core::formatTransitions(record));

  EXPECT_EQ(record.outcome, core::RunOutcome::Succeeded) << record.outcomeMessage;
  EXPECT_TRUE(record.runtimeName.starts_with("containerd ")) << record.runtimeName;

  std::size_t init1Running = find(record, SubjectKind::InitContainer, "init1", "Running");
  std::size_t init1Done = find(record, SubjectKind::InitContainer, "init1", "Terminated");
  std::size_t init2Running = find(record, SubjectKind::InitContainer, "init2", "Running");
  std::size_t init2Done = find(record, SubjectKind::InitContainer, "init2", "Terminated");
  std::size_t mainRunning = find(record, SubjectKind::Container, "main", "Running");
  std::size_t mainDone = find(record, SubjectKind::Container, "main", "Terminated");
  for (std::size_t i : {init1Running, init1Done, init2Running, init2Done, mainRunning, mainDone}) {
    ASSERT_NE(i, std::string::npos);
  }
  EXPECT_LT(init1Running, init1Done);
  EXPECT_LT(init1Done, init2Running);
  EXPECT_LT(init2Running, init2Done);
  EXPECT_LT(init2Done, mainRunning);
  EXPECT_LT(mainRunning, mainDone);

  for (std::size_t i : {init1Done, init2Done, mainDone}) {
    const Transition* t = at(record, i);
    EXPECT_EQ(t->from, "Running") << t->subject;
    EXPECT_EQ(t->reason, "Completed") << t->subject;
    EXPECT_NE(t->message.find("exit code 0"), std::string::npos) << t->subject << ": " << t->message;
  }
  // init2 sleeps a second: real time passed between its start and its end.
  EXPECT_GE(at(record, init2Done)->time - at(record, init2Running)->time,
            std::chrono::milliseconds(900));

  // main can start and end within one turn of the engine's loop; the phase
  // is computed per sync, so the pod may then go from Pending straight to
  // Succeeded, as a kubelet whose status sync came late would show it.
  std::size_t podRunning = find(record, SubjectKind::Pod, run->podName, "Running");
  std::size_t podSucceeded = find(record, SubjectKind::Pod, run->podName, "Succeeded");
  ASSERT_NE(podSucceeded, std::string::npos);
  if (podRunning != std::string::npos) {
    EXPECT_LT(init2Done, podRunning);
    EXPECT_LT(podRunning, podSucceeded);
  }
  EXPECT_LT(mainDone, podSucceeded);
  EXPECT_EQ(find(record, SubjectKind::Pod, run->podName, "Failed"), std::string::npos);
  EXPECT_EQ(record.transitions().front().to, "Pending");

  // Nothing of the pod is left in containerd.
  EXPECT_TRUE(ctrList("containers", run->podName).empty());
  EXPECT_TRUE(ctrList("tasks", run->podName).empty());
  EXPECT_TRUE(ctrList("snapshots", run->podName).empty());
}

TEST_F(PodOnContainerdTest, FailingInitContainerFailsThePodUnderRestartNever) {
  std::string name = uniqueName("init-fails");
  auto run = runPod(podYaml(name, "echo two; exit 1"));
  ASSERT_TRUE(run);
  const core::RunRecord& record = run->record;
  SCOPED_TRACE(core::formatTransitions(record));

  EXPECT_EQ(record.outcome, core::RunOutcome::Failed) << record.outcomeMessage;

  std::size_t init1Done = find(record, SubjectKind::InitContainer, "init1", "Terminated");
  std::size_t init2Done = find(record, SubjectKind::InitContainer, "init2", "Terminated");
  ASSERT_NE(init1Done, std::string::npos);
  ASSERT_NE(init2Done, std::string::npos);
  EXPECT_LT(init1Done, init2Done);
  EXPECT_EQ(at(record, init1Done)->reason, "Completed");
  EXPECT_EQ(at(record, init2Done)->reason, "Error");
  EXPECT_NE(at(record, init2Done)->message.find("exit code 1"), std::string::npos)
      << at(record, init2Done)->message;

  EXPECT_EQ(find(record, SubjectKind::Container, "main", "Running"), std::string::npos)
      << "the main container must never start";
  // restartPolicy Never: the failed init container is not run again.
  EXPECT_EQ(count(record, SubjectKind::InitContainer, "init2", "Running"), 1u);
  EXPECT_NE(find(record, SubjectKind::Pod, run->podName, "Failed"), std::string::npos);
  EXPECT_EQ(find(record, SubjectKind::Pod, run->podName, "Succeeded"), std::string::npos);

  EXPECT_TRUE(ctrList("containers", run->podName).empty());
  EXPECT_TRUE(ctrList("tasks", run->podName).empty());
  EXPECT_TRUE(ctrList("snapshots", run->podName).empty());
}

TEST_F(PodOnContainerdTest, ProbesHooksAndTheLogTailRunForReal) {
  std::string name = uniqueName("probed");
  auto run = runPod("apiVersion: v1\nkind: Pod\nmetadata:\n  name: " + name +
                    "\nspec:\n"
                    "  restartPolicy: Never\n"
                    "  containers:\n"
                    "  - name: web\n"
                    "    image: busybox:1.36\n"
                    "    terminationMessagePolicy: FallbackToLogsOnError\n"
                    "    command: [sh, -c, \"mkdir -p /www; echo hi > /www/index.html; httpd -p 8080 -h /www; "
                    "sleep 4; echo giving up; exit 3\"]\n"
                    "    lifecycle:\n"
                    "      postStart: {exec: {command: [sh, -c, \"touch /tmp/started\"]}}\n"
                    "    readinessProbe:\n"
                    "      httpGet: {path: /index.html, port: 8080}\n"
                    "      periodSeconds: 1\n"
                    "    livenessProbe:\n"
                    "      exec: {command: [cat, /tmp/started]}\n"
                    "      periodSeconds: 1\n");
  ASSERT_TRUE(run);
  const core::RunRecord& record = run->record;
  SCOPED_TRACE(core::formatTransitions(record) + core::formatAttempts(record));
  EXPECT_EQ(record.outcome, core::RunOutcome::Failed);
  // The hook ran before the container was reported Running.
  ASSERT_FALSE(record.attempts().empty());
  EXPECT_EQ(record.attempts().front().kind, core::AttemptKind::PostStartHook);
  EXPECT_EQ(record.attempts().front().result, core::AttemptResult::Success);
  bool readyByHttp = false;
  bool liveByExec = false;
  for (const core::HandlerAttempt& a : record.attempts()) {
    if (a.kind == core::AttemptKind::ReadinessProbe && a.result == core::AttemptResult::Success) {
      readyByHttp = a.output == "hi\n";
    }
    if (a.kind == core::AttemptKind::LivenessProbe && a.result == core::AttemptResult::Success) liveByExec = true;
  }
  EXPECT_TRUE(readyByHttp);
  EXPECT_TRUE(liveByExec);
  bool wasReady = false;
  for (const core::ConditionChange& c : record.conditions()) {
    if (c.type == "Ready" && c.subject == name && c.status) wasReady = true;
  }
  EXPECT_TRUE(wasReady);
  std::size_t done = find(record, SubjectKind::Container, "web", "Terminated");
  ASSERT_NE(done, std::string::npos);
  EXPECT_EQ(at(record, done)->message, "exit code 3: giving up");
}

// The manifest reaches the container as Kubernetes would make it: env with
// $(VAR) references (in env values and in args), workingDir, the pod's
// securityContext, an emptyDir shared with an init container, a Memory
// emptyDir as a tmpfs, a hostPath, and terminationMessagePath.
TEST_F(PodOnContainerdTest, ManifestEnvUserVolumesAndTerminationMessageReachTheContainer) {
  std::string name = uniqueName("spec");
  TempDir host("podscope-pod-host");
  std::filesystem::permissions(host.path(), std::filesystem::perms::all);
  std::string yaml =
      "apiVersion: v1\n"
      "kind: Pod\n"
      "metadata:\n"
      "  name: " + name + "\n"
      "spec:\n"
      "  restartPolicy: Never\n"
      "  terminationGracePeriodSeconds: 5\n"
      "  securityContext: {runAsUser: 1000, runAsGroup: 2000}\n"
      "  volumes:\n"
      "  - {name: scratch, emptyDir: {}}\n"
      "  - {name: ram, emptyDir: {medium: Memory}}\n"
      "  - {name: out, hostPath: {path: " + host.path() + ", type: Directory}}\n"
      "  initContainers:\n"
      "  - name: prepare\n"
      "    image: busybox\n"
      "    imagePullPolicy: IfNotPresent\n"
      "    securityContext: {runAsUser: 0}\n"
      "    command: [sh, -c, \"echo from-init > /scratch/note; grep -q ' /ram tmpfs ' /proc/mounts && echo tmpfs > /scratch/ram\"]\n"
      "    volumeMounts: [{name: scratch, mountPath: /scratch}, {name: ram, mountPath: /ram}]\n"
      "  containers:\n"
      "  - name: main\n"
      "    image: busybox\n"
      "    imagePullPolicy: IfNotPresent\n"
      "    workingDir: /scratch\n"
      "    env:\n"
      "    - {name: GREETING, value: hello}\n"
      "    - {name: MESSAGE, value: \"$(GREETING) world\"}\n"
      "    command: [sh, -c]\n"
      "    args: [\"echo \\\"$MESSAGE|$(GREETING)|$(pwd)|$(id -u):$(id -g)|$(cat note)|$(cat ram)\\\" > /out/report; "
      "echo done-here > /dev/termination-log; exit 4\"]\n"
      "    volumeMounts: [{name: scratch, mountPath: /scratch}, {name: out, mountPath: /out}]\n";
  auto run = runPod(yaml);
  ASSERT_TRUE(run);
  const core::RunRecord& record = run->record;
  SCOPED_TRACE(core::formatTransitions(record) + core::formatEvents(record));
  EXPECT_EQ(record.outcome, core::RunOutcome::Failed) << record.outcomeMessage;
  EXPECT_EQ(readFile(host.path() + "/report"), "hello world|hello|/scratch|1000:2000|from-init|tmpfs\n");
  std::size_t done = find(record, SubjectKind::Container, "main", "Terminated");
  ASSERT_NE(done, std::string::npos);
  EXPECT_EQ(at(record, done)->message, "exit code 4: done-here");
  // Nothing of the pod's volumes is left on the host but the hostPath's own file.
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(host.path()), std::filesystem::directory_iterator()), 1);
}

// A container killed from outside (here by `ctr task kill -s KILL`, as an
// operator or the kernel might) ends as the kubelet reports it, Error with
// exit code 137, and is restarted under restartPolicy Always.
TEST_F(PodOnContainerdTest, AContainerKilledFromOutsideIsRestarted) {
  const std::string name = uniqueName("killed");
  auto address = containerdAddress();
  ASSERT_TRUE(address) << address.error().message;
  std::atomic<bool> killed{false};
  std::thread killer([&] {
    // Once the container runs, kill its task behind Podscope's back.
    for (int i = 0; i < 100 && !killed; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      for (const std::string& task : ctrList("tasks", name + "-main-0-")) {
        runCommand("sleep 1; ctr -a " + *address + " -n podscope task kill -s KILL " + task);
        killed = true;
      }
    }
  });
  auto run = runPod("apiVersion: v1\nkind: Pod\nmetadata: {name: " + name + "}\nspec:\n"
                    "  terminationGracePeriodSeconds: 1\n  containers:\n"
                    "  - {name: main, image: \"busybox:1.36\", command: [sh, -c, 'trap \"exit 0\" TERM; while true; do sleep 1; done']}\n",
                    std::chrono::seconds(6));
  killer.join();
  ASSERT_TRUE(killed);
  ASSERT_TRUE(run);
  const core::RunRecord& record = run->record;
  SCOPED_TRACE(core::formatTransitions(record));
  std::size_t done = find(record, SubjectKind::Container, "main", "Terminated");
  ASSERT_NE(done, std::string::npos);
  EXPECT_EQ(at(record, done)->reason, "Error");
  EXPECT_EQ(at(record, done)->message, "exit code 137");
  EXPECT_EQ(count(record, SubjectKind::Container, "main", "Running"), 2u);
  ASSERT_FALSE(record.statusLines().empty());
  EXPECT_EQ(record.statusLines().back().status, "Running");
  EXPECT_EQ(record.statusLines().back().restarts.substr(0, 1), "1");
}

}  // namespace
}  // namespace podscope::testing
