// The container's environment and $(VAR) references as the kubelet makes
// them, and the container config the engine hands the runtime: env, command
// and args, user, volumes, resources and ports from the manifest.

#include "engine/container_env.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/manifest_reader.h"
#include "engine/pod_worker.h"
#include "engine/virtual_event_loop.h"
#include "recording_runtime.h"

namespace podscope::engine {
namespace {

using Env = std::vector<std::pair<std::string, std::string>>;

TEST(ContainerEnv, ReferencesExpandAsKubernetesExpandsThem) {
  const std::map<std::string, std::string> env{{"A", "1"}, {"EMPTY", ""}};
  EXPECT_EQ(expandVariables("$(A)-$(A)", env), "1-1");
  EXPECT_EQ(expandVariables("$(EMPTY)x", env), "x");
  EXPECT_EQ(expandVariables("$(MISSING)", env), "$(MISSING)");
  EXPECT_EQ(expandVariables("$$(A)", env), "$(A)");  // escaped
  EXPECT_EQ(expandVariables("$(A", env), "$(A");     // unterminated
  EXPECT_EQ(expandVariables("$A and $", env), "$A and $");
}

TEST(ContainerEnv, ValuesSeeOnlyTheVariablesBeforeThem) {
  core::Container c;
  c.env = {{"LATER_USE", "$(FIRST)"}, {"FIRST", "one"}, {"SECOND", "$(FIRST)-two"},
           {"FROM_SECRET", "", true}, {"FIRST", "again"}};
  std::vector<std::string> skipped;
  EXPECT_EQ(containerEnvironment(c, &skipped),
            (Env{{"LATER_USE", "$(FIRST)"}, {"FIRST", "again"}, {"SECOND", "one-two"}}));
  EXPECT_EQ(skipped, std::vector<std::string>{"FROM_SECRET"});
  EXPECT_EQ(expandWithEnvironment({"--name=$(FIRST)", "$(pwd)"}, Env{{"FIRST", "x"}}),
            (std::vector<std::string>{"--name=x", "$(pwd)"}));
}

TEST(ContainerEnv, TheRuntimeGetsTheManifestResolved) {
  auto pod = core::readPod(R"yaml(apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  restartPolicy: Never
  securityContext: {runAsUser: 1000, runAsGroup: 3000}
  volumes:
  - {name: cache, emptyDir: {medium: Memory}}
  - {name: host, hostPath: {path: /srv/data, type: DirectoryOrCreate}}
  - {name: settings, configMap: {name: settings}}
  containers:
  - name: app
    image: busybox
    workingDir: /work
    securityContext: {runAsUser: 0}
    env:
    - {name: PORT, value: "8080"}
    - {name: URL, value: "http://localhost:$(PORT)/"}
    command: [server]
    args: ["--listen=:$(PORT)", "--url=$(URL)"]
    ports: [{name: http, containerPort: 8080}, {containerPort: 53, protocol: UDP}]
    resources:
      limits: {memory: 64Mi, cpu: 500m}
    volumeMounts:
    - {name: cache, mountPath: /cache}
    - {name: host, mountPath: /data, subPath: app, readOnly: true}
    - {name: settings, mountPath: /etc/settings}
)yaml",
                           "p.yaml");
  ASSERT_TRUE(pod) << pod.error().toString();
  VirtualEventLoop loop;
  testing::RecordingRuntime rt(loop);
  core::RunRecord r = runPod(*pod, rt, loop);
  ASSERT_EQ(rt.configs.size(), 1u);
  const ContainerConfig& c = rt.configs[0];
  EXPECT_EQ(c.env, (Env{{"PORT", "8080"}, {"URL", "http://localhost:8080/"}}));
  EXPECT_EQ(c.command, std::vector<std::string>{"server"});
  EXPECT_EQ(c.args, (std::vector<std::string>{"--listen=:8080", "--url=http://localhost:8080/"}));
  EXPECT_EQ(c.workingDir, "/work");
  EXPECT_EQ(c.runAsUser, 0);     // the container's own setting wins
  EXPECT_EQ(c.runAsGroup, 3000);  // the pod's, as the container sets none
  ASSERT_EQ(c.mounts.size(), 2u);
  EXPECT_EQ(c.mounts[0].source, VolumeMountConfig::Source::EmptyDir);
  EXPECT_TRUE(c.mounts[0].memory);
  EXPECT_EQ(c.mounts[0].mountPath, "/cache");
  EXPECT_EQ(c.mounts[1].source, VolumeMountConfig::Source::HostPath);
  EXPECT_EQ(c.mounts[1].hostPath, "/srv/data");
  EXPECT_EQ(c.mounts[1].hostPathType, "DirectoryOrCreate");
  EXPECT_EQ(c.mounts[1].subPath, "app");
  EXPECT_TRUE(c.mounts[1].readOnly);
  EXPECT_EQ(c.resources.memoryBytes, 64 * 1024 * 1024);
  EXPECT_EQ(c.resources.cpuLimitMillis, 500);
  EXPECT_EQ(c.resources.cpuRequestMillis, 500);  // a request defaults to the limit
  EXPECT_EQ(c.ports, (std::vector<std::string>{"http:8080/TCP", "53/UDP"}));
  EXPECT_EQ(c.terminationMessagePath, "/dev/termination-log");
  // The configMap volume cannot be had without a cluster, and says so.
  auto failed = std::find_if(r.events().begin(), r.events().end(),
                             [](const core::Event& e) { return e.reason == "FailedMount"; });
  ASSERT_NE(failed, r.events().end());
  EXPECT_EQ(failed->type, core::EventType::Warning);
  EXPECT_EQ(failed->message,
            "MountVolume.SetUp skipped for volume \"settings\": configMap volumes need a cluster; "
            "\"/etc/settings\" is left as the image has it");
}

}  // namespace
}  // namespace podscope::engine
