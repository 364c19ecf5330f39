// The simulator against the real thing: the same manifest, run on the
// simulated runtime (virtual time) and on the private containerd (real
// time), must pass through the same `kubectl get` statuses (READY, STATUS,
// RESTARTS) at nearly the same times. The simulator reads the containers'
// shell scripts (sleep, touch, rm, cat, test, exit), so no scenario is
// needed: what a test shows on the simulator is what containerd does.
// The images are tagged, so imagePullPolicy is IfNotPresent and neither
// runtime pulls (the simulator models a pull's time; containerd here has
// no registry to ask).

#include <cstdlib>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "containerd_test_support.h"
#include "core/manifest_reader.h"
#include "core/run_record.h"
#include "engine/host/system_event_loop.h"
#include "engine/pod_worker.h"
#include "engine/runtime/simulated/simulated_runtime.h"
#include "engine/virtual_event_loop.h"

namespace podscope::testing {
namespace {

using std::chrono::duration_cast;
using std::chrono::milliseconds;

struct Behaviour {
  std::string name;
  std::string yaml;  ///< with NAME where the pod's name goes
  int watchSeconds = 10;
};

struct Step {
  long long ms = 0;
  std::string ready;
  std::string status;
  std::string restarts;  ///< the count alone ("1", not "1 (3s ago)")
};

std::string withName(std::string yaml, const std::string& name) {
  for (size_t at = yaml.find("NAME"); at != std::string::npos; at = yaml.find("NAME", at + name.size())) {
    yaml.replace(at, 4, name);
  }
  return yaml;
}

// The status lines, a step per change of READY, STATUS or the restart count.
std::vector<Step> steps(const core::RunRecord& record) {
  std::vector<Step> out;
  for (const core::PodStatusLine& line : record.statusLines()) {
    Step s{duration_cast<milliseconds>(line.time).count(), line.ready, line.status,
           line.restarts.substr(0, line.restarts.find(' '))};
    if (!out.empty() && out.back().ready == s.ready && out.back().status == s.status &&
        out.back().restarts == s.restarts) {
      continue;
    }
    out.push_back(s);
  }
  return out;
}

std::string describe(const std::vector<Step>& s) {
  std::string text;
  for (const Step& step : s) {
    text += std::to_string(step.ms) + "ms " + step.ready + " " + step.status + " " + step.restarts + "\n";
  }
  return text;
}

class SimVsContainerd : public ::testing::TestWithParam<Behaviour> {};

TEST_P(SimVsContainerd, SameStatusesAtNearlyTheSameTimes) {
  const Behaviour& b = GetParam();
  const std::string name = uniqueName(b.name);
  auto pod = core::readPod(withName(b.yaml, name), b.name + ".yaml");
  ASSERT_TRUE(pod) << pod.error().toString();
  engine::RunOptions options;
  options.runFor = std::chrono::seconds(b.watchSeconds);

  core::RunRecord simulated;
  {
    engine::VirtualEventLoop loop;
    engine::SimulatedRuntime runtime(loop);
    simulated = engine::runPod(*pod, runtime, loop, options);
  }
  core::RunRecord real;
  {
    auto containerdOptions = testOptions();
    ASSERT_TRUE(containerdOptions) << containerdOptions.error().message;
    engine::SystemEventLoop loop;
    auto runtime = engine::ContainerdRuntime::connect(loop, *containerdOptions);
    ASSERT_TRUE(runtime) << runtime.error().message;
    real = engine::runPod(*pod, **runtime, loop, options);
    runtime->reset();
  }
  const std::vector<Step> sim = steps(simulated);
  const std::vector<Step> ctr = steps(real);
  SCOPED_TRACE("simulated:\n" + describe(sim) + "containerd:\n" + describe(ctr) + "containerd events:\n" +
               core::formatEvents(real));
  ASSERT_EQ(sim.size(), ctr.size());
  for (size_t i = 0; i < sim.size(); ++i) {
    EXPECT_EQ(sim[i].ready, ctr[i].ready) << "step " << i;
    EXPECT_EQ(sim[i].status, ctr[i].status) << "step " << i;
    EXPECT_EQ(sim[i].restarts, ctr[i].restarts) << "step " << i;
    // Real containers take a little while to create and start; the
    // simulator's pulls and starts take modelled times.
    EXPECT_LE(std::llabs(sim[i].ms - ctr[i].ms), 1'500) << "step " << i;
  }
}

const Behaviour kBehaviours[] = {
    {"init-order",
     "apiVersion: v1\nkind: Pod\nmetadata: {name: NAME}\nspec:\n  restartPolicy: Never\n"
     "  initContainers:\n"
     "  - {name: first, image: \"busybox:1.36\", command: [sh, -c, 'sleep 2']}\n"
     "  - {name: second, image: \"busybox:1.36\", command: [sh, -c, 'sleep 2']}\n"
     "  containers:\n"
     "  - {name: main, image: \"busybox:1.36\", command: [sh, -c, 'sleep 2; exit 0']}\n",
     12},
    {"failing-container",
     "apiVersion: v1\nkind: Pod\nmetadata: {name: NAME}\nspec:\n  restartPolicy: Never\n"
     "  containers:\n"
     "  - {name: main, image: \"busybox:1.36\", command: [sh, -c, 'sleep 2; exit 3']}\n",
     5},
    {"readiness-after-3s",
     "apiVersion: v1\nkind: Pod\nmetadata: {name: NAME}\nspec:\n  terminationGracePeriodSeconds: 1\n"
     "  containers:\n"
     "  - name: web\n    image: \"busybox:1.36\"\n"
     "    command: [sh, -c, 'trap \"exit 0\" TERM; sleep 3; touch /tmp/ready; while true; do sleep 1; done']\n"
     "    readinessProbe: {exec: {command: [test, -f, /tmp/ready]}, periodSeconds: 1}\n",
     7},
    {"liveness-restart",
     "apiVersion: v1\nkind: Pod\nmetadata: {name: NAME}\nspec:\n  terminationGracePeriodSeconds: 1\n"
     "  containers:\n"
     "  - name: app\n    image: \"busybox:1.36\"\n"
     "    command: [sh, -c, 'trap \"exit 0\" TERM; touch /tmp/healthy; sleep 3; rm /tmp/healthy; while true; do sleep 1; done']\n"
     "    livenessProbe: {exec: {command: [cat, /tmp/healthy]}, periodSeconds: 1, failureThreshold: 2}\n",
     9},
    {"crash-then-restart",
     "apiVersion: v1\nkind: Pod\nmetadata: {name: NAME}\nspec:\n  restartPolicy: OnFailure\n"
     "  containers:\n"
     "  - {name: main, image: \"busybox:1.36\", command: [sh, -c, 'sleep 1; exit 1']}\n",
     14},
};

INSTANTIATE_TEST_SUITE_P(Behaviours, SimVsContainerd, ::testing::ValuesIn(kBehaviours),
                         [](const ::testing::TestParamInfo<Behaviour>& info) {
                           std::string n;
                           for (char c : info.param.name) n += c == '-' ? '_' : c;
                           return n;
                         });

}  // namespace
}  // namespace podscope::testing
