// A run that crashes: connects to the test containerd, starts a pod with a
// sandbox (a Memory emptyDir too) and a running container, prints the
// container's id and dies by SIGKILL, leaving everything behind, as a
// crashed Podscope would. The leftovers tests run it; an argument names a
// state directory of the test's own (default: the tests' shared one).

#include <csignal>
#include <cstdio>

#include "containerd_test_support.h"

int main(int argc, char** argv) {
  using namespace podscope;
  auto options = testing::testOptions();
  if (!options) {
    std::fprintf(stderr, "%s\n", options.error().message.c_str());
    return 2;
  }
  if (argc > 1) options->stateDir = argv[1];
  testing::RuntimeHarness harness;
  if (auto st = harness.connect(*options); !st) {
    std::fprintf(stderr, "%s\n", st.error().message.c_str());
    return 2;
  }
  auto sandbox = harness.createSandbox(testing::uniqueName("crashed"));
  if (!sandbox) return 3;
  engine::ContainerConfig config;
  config.name = "left";
  config.image = "busybox";
  config.command = {"sh", "-c", "sleep 1000"};
  engine::VolumeMountConfig ram;
  ram.volume = "ram";
  ram.memory = true;
  ram.mountPath = "/ram";
  config.mounts = {ram};
  auto id = harness.createContainer(*sandbox, config);
  if (!id) {
    std::fprintf(stderr, "%s\n", id.error().message.c_str());
    return 4;
  }
  if (!harness.startContainer(*id)) return 5;
  std::printf("%s\n", id->c_str());
  std::fflush(stdout);
  std::raise(SIGKILL);
  return 6;
}
