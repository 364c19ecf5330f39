// Real pulls: images pushed (with ctr) into a private docker-registry that the
// test run starts itself (fixture `registry`, scripts/registry-start.sh),
// pulled by the containerd runtime into the private containerd, unpacked
// through containerd's diff service, and run as pods through the engine, so
// the events and statuses are the ones a user sees. Every image is built
// with a fresh salt, so each test starts with an image nothing has pulled
// or unpacked before.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "containerd_test_support.h"
#include "core/manifest_reader.h"
#include "core/run_record.h"
#include "engine/host/system_event_loop.h"
#include "engine/pod_worker.h"
#include "engine/runtime/containerd/image_config.h"

namespace podscope::testing {
namespace {

std::string shellQuote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// Runs `command`; its output, and whether it exited 0.
std::pair<std::string, bool> run(const std::string& command) {
  std::string out = runCommand("(" + command + ") 2>&1; echo \"#rc=$?\"");
  auto mark = out.rfind("#rc=");
  bool ok = mark != std::string::npos && out.compare(mark, 5, "#rc=0") == 0;
  return {out.substr(0, mark), ok};
}

// PODSCOPE_REGISTRY_DIR, else the directory the ctest fixture uses.
std::string registryDir() {
  const char* dir = std::getenv("PODSCOPE_REGISTRY_DIR");
  return dir && *dir ? std::string(dir) : std::string(PODSCOPE_REGISTRY_TEST_DIR);
}

core::Result<std::string> registryAddress() {
  std::string dir = registryDir();
  std::string address = readFile(dir + "/address");
  while (!address.empty() && (address.back() == '\n' || address.back() == ' ')) address.pop_back();
  if (address.empty()) {
    return core::Error{"no registry address in " + dir + "/address: run these tests through ctest (fixture "
                       "containerd starts one), or start one with scripts/registry-start.sh DIR and set "
                       "PODSCOPE_REGISTRY_DIR=DIR",
                       {}, {}};
  }
  return address;
}

// A loopback port nothing listens on.
int closedPort() {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  (void)::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

std::string eventsText(const core::RunRecord& record) {
  std::string out;
  for (const auto& e : record.events()) out += e.reason + ": " + e.message + "\n";
  return out;
}

std::vector<std::string> eventMessages(const core::RunRecord& record, const std::string& reason) {
  std::vector<std::string> out;
  for (const auto& e : record.events()) {
    if (e.reason == reason) out.push_back(e.message);
  }
  return out;
}

const core::Transition* findTransition(const core::RunRecord& record, const std::string& subject,
                                       const std::string& reason) {
  for (const auto& t : record.transitions()) {
    if (t.subject == subject && t.reason == reason) return &t;
  }
  return nullptr;
}

class ImagePullTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto socket = containerdAddress();
    ASSERT_TRUE(socket) << socket.error().message;
    m_socket = *socket;
    auto address = registryAddress();
    ASSERT_TRUE(address) << address.error().message;
    m_registry = *address;
    m_registryDir = registryDir();
  }

  std::string ctr(const std::string& ns) const { return "ctr -a " + shellQuote(m_socket) + " -n " + ns + " "; }

  // Builds a busybox image (three layers and an index with --layered) with a
  // fresh salt, and writes it to a tar; returns the salt.
  std::string makeImage(const std::string& tar, const std::string& localName, bool layered,
                        std::string salt = {}, const std::string& stopSignal = {}) {
    if (salt.empty()) salt = uniqueName("salt");
    auto [out, ok] = run("bash " + shellQuote(std::string(PODSCOPE_SOURCE_DIR) + "/scripts/make-test-image.sh") +
                         (layered ? " --layered" : "") + " --salt " + shellQuote(salt) +
                         (stopSignal.empty() ? "" : " --stop-signal " + shellQuote(stopSignal)) + " " +
                         shellQuote(tar) + " " + shellQuote(localName));
    EXPECT_TRUE(ok) << out;
    return salt;
  }

  // Makes an image as makeImage does and pushes it to the registry as
  // REGISTRY/podscope-test/<repo>:<tag>; returns that reference.
  std::string pushImage(const std::string& repo, const std::string& tag, bool layered, std::string* saltOut = nullptr,
                        bool keepPushed = false) {
    std::string local = "localhost/push/" + repo + ":" + tag;
    std::string tar = m_work.path() + "/" + repo + "-" + tag + ".tar";
    std::string salt = makeImage(tar, local, layered);
    if (saltOut) *saltOut = salt;
    std::string remote = m_registry + "/podscope-test/" + repo + ":" + tag;
    auto [imported, importOk] = run(ctr("podscope-push") + "images import --all-platforms --no-unpack " + shellQuote(tar));
    EXPECT_TRUE(importOk) << imported;
    auto [pushed, pushOk] = run(ctr("podscope-push") + "images push --plain-http " + shellQuote(remote) + " " + shellQuote(local));
    EXPECT_TRUE(pushOk) << pushed;
    // Gone from containerd again (collected at once): containerd shares a
    // blob one namespace has with the others, so a pull would not download.
    if (!keepPushed) {
      auto [removed, removeOk] = run(ctr("podscope-push") + "images rm --sync " + shellQuote(local));
      EXPECT_TRUE(removeOk) << removed;
    }
    return remote;
  }

  // Runs a one-container pod to its end (or `stopAfter`).
  core::RunRecord runPod(const std::string& name, const std::string& image, const std::string& pullPolicy,
                         const std::string& script, std::chrono::seconds stopAfter = std::chrono::seconds(90),
                         const std::string& restartPolicy = "Never") {
    std::string yaml = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: " + name +
                       "\nspec:\n  restartPolicy: " + restartPolicy +
                       "\n  terminationGracePeriodSeconds: 2\n  containers:\n  - name: main\n    image: " + image +
                       "\n    imagePullPolicy: " + pullPolicy + "\n    command: [\"sh\", \"-c\", " +
                       nlohmannQuote(script) + "]\n";
    auto pod = core::readPod(yaml, "pod.yaml");
    EXPECT_TRUE(pod) << pod.error().toString();
    if (!pod) return {};
    auto options = testOptions();
    EXPECT_TRUE(options) << options.error().message;
    if (!options) return {};
    engine::SystemEventLoop loop;
    auto runtime = engine::ContainerdRuntime::connect(loop, *options);
    EXPECT_TRUE(runtime) << runtime.error().message;
    if (!runtime) return {};
    engine::RunOptions runOptions;
    runOptions.logDir = m_logs.path() + "/" + name;
    runOptions.stopAfter = stopAfter;
    core::RunRecord record = engine::runPod(*pod, **runtime, loop, runOptions);
    runtime->reset();
    return record;
  }

  static std::string nlohmannQuote(const std::string& s) {
    std::string out = "\"";
    for (char c : s) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    return out + "\"";
  }

  // The first attempt's log of container `main` of pod `name`.
  std::string mainLog(const std::string& name) {
    std::error_code ec;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(m_logs.path() + "/" + name, ec)) {
      if (entry.path().filename() == "0.log" && entry.path().parent_path().filename() == "main") {
        return readFile(entry.path().string());
      }
    }
    return {};
  }

  // `ctr content ls` lines of namespace podscope (digest, size, age, labels).
  std::string contentList() { return run(ctr("podscope") + "content ls").first; }

  std::string labelsOf(const std::string& digest) {
    std::istringstream lines(contentList());
    for (std::string line; std::getline(lines, line);) {
      if (line.rfind(digest, 0) == 0) return line;
    }
    return {};
  }

  // Pulls and unpacks delete their lease when they end; one that was killed
  // half-way leaves it, but with an expiry, so containerd collects it.
  // (Other tests may be pulling at this moment, so leases may exist.)
  void expectNoPermanentPullLeases() {
    std::istringstream lines(run(ctr("podscope") + "leases ls").first);
    for (std::string line; std::getline(lines, line);) {
      if (line.starts_with("podscope-pull-") || line.starts_with("podscope-unpack-")) {
        EXPECT_THAT(line, ::testing::HasSubstr("containerd.io/gc.expire="));
      }
    }
  }

  std::string m_socket;
  std::string m_registry;
  std::string m_registryDir;
  TempDir m_work{"podscope-pull-test"};
  TempDir m_logs{"podscope-pull-logs"};
};

const std::regex kPulledMessage(
    R"re(Successfully pulled image "([^"]+)" in ([0-9.]+m?s) \(([0-9.]+m?s) including waiting\)\. Image size: ([0-9]+) bytes\.)re");

TEST_F(ImagePullTest, PullsASingleArchImageAndRunsAPodFromIt) {
  std::string salt;
  std::string image = pushImage(uniqueName("single"), "1", /*layered=*/false, &salt);
  std::string pod = uniqueName("pull-single");
  core::RunRecord record = runPod(pod, image, "IfNotPresent", "cat /etc/podscope-salt");
  SCOPED_TRACE(eventsText(record));
  EXPECT_EQ(record.outcome, core::RunOutcome::Succeeded) << record.outcomeMessage;
  EXPECT_EQ(mainLog(pod), salt + "\n");
  EXPECT_THAT(eventMessages(record, "Pulling"), ::testing::ElementsAre("Pulling image \"" + image + "\""));
  auto pulled = eventMessages(record, "Pulled");
  ASSERT_EQ(pulled.size(), 1u);
  std::smatch m;
  ASSERT_TRUE(std::regex_match(pulled[0], m, kPulledMessage)) << pulled[0];
  EXPECT_EQ(m[1].str(), image);
  // Image size as containerd's CRI counts it: manifest, config and layer,
  // which is what `ctr images ls` shows for a single-platform image.
  EXPECT_GT(std::stoll(m[4].str()), 1'000'000) << "busybox alone is over a megabyte";
  auto listed = run(ctr("podscope") + "images ls -q name==" + shellQuote(image)).first;
  EXPECT_EQ(listed, image + "\n");
}

TEST_F(ImagePullTest, PullsAnIndexTakesThisPlatformAndEveryLayerIsApplied) {
  std::string salt;
  std::string image = pushImage(uniqueName("layered"), "1", /*layered=*/true, &salt);
  std::string pod = uniqueName("pull-layered");
  core::RunRecord record = runPod(
      pod, image, "IfNotPresent",
      "cat /etc/podscope-salt /data/kept.txt /data/top.txt /data/dir/new.txt; "
      "if test -e /data/gone.txt; then echo 'whiteout ignored'; fi; "
      "if test -e /data/dir/old.txt; then echo 'opaque dir ignored'; fi; uname -m");
  SCOPED_TRACE(eventsText(record));
  EXPECT_EQ(record.outcome, core::RunOutcome::Succeeded) << record.outcomeMessage;
  std::string machine = run("uname -m").first;
  EXPECT_EQ(mainLog(pod), salt + "\nfrom layer 1\nfrom layer 2\nfrom layer 2\n" + machine);
  auto pulled = eventMessages(record, "Pulled");
  ASSERT_EQ(pulled.size(), 1u);
  EXPECT_TRUE(std::regex_match(pulled[0], kPulledMessage)) << pulled[0];

  // Labelled as containerd labels a pull, so its garbage collector keeps
  // what the image needs: the index names both manifests, the manifest its
  // config and layers, the config its snapshot, each layer its diff ID.
  auto target = run(ctr("podscope") + "images ls name==" + shellQuote(image)).first;
  std::smatch digest;
  ASSERT_TRUE(std::regex_search(target, digest, std::regex("application/vnd\\.oci\\.image\\.index\\.v1\\+json (sha256:[0-9a-f]{64})")))
      << target;
  std::string indexLabels = labelsOf(digest[1].str());
  EXPECT_NE(indexLabels.find("containerd.io/gc.ref.content.m.0=sha256:"), std::string::npos) << indexLabels;
  EXPECT_NE(indexLabels.find("containerd.io/gc.ref.content.m.1=sha256:"), std::string::npos) << indexLabels;
  EXPECT_NE(indexLabels.find("containerd.io/distribution.source." + m_registry + "=podscope-test/"), std::string::npos)
      << indexLabels;
  std::string all = contentList();
  EXPECT_THAT(all, ::testing::HasSubstr("containerd.io/gc.ref.content.config=sha256:"));
  EXPECT_THAT(all, ::testing::HasSubstr("containerd.io/gc.ref.content.l.2=sha256:"));
  std::smatch snapshot;
  ASSERT_TRUE(std::regex_search(all, snapshot, std::regex("containerd\\.io/gc\\.ref\\.snapshot\\.overlayfs=(sha256:[0-9a-f]{64})")));
  EXPECT_THAT(all, ::testing::HasSubstr("containerd.io/uncompressed=sha256:"));

  // A garbage collection now (deleting another image with --sync runs one)
  // leaves the pulled image's snapshots and blobs alone.
  std::string dummy = "localhost/podscope-test/gc-trigger:" + uniqueName("t");
  ASSERT_TRUE(run(ctr("podscope") + "images tag " + shellQuote(image) + " " + shellQuote(dummy)).second);
  ASSERT_TRUE(run(ctr("podscope") + "images rm --sync " + shellQuote(dummy)).second);
  auto snapshots = run(ctr("podscope") + "snapshots ls").first;
  EXPECT_THAT(snapshots, ::testing::HasSubstr(snapshot[1].str()));
  auto check = run(ctr("podscope") + "images check name==" + shellQuote(image));
  EXPECT_THAT(check.first, ::testing::HasSubstr("complete")) << check.first;
  expectNoPermanentPullLeases();
}

TEST_F(ImagePullTest, LayersContainerdHasInAnotherNamespaceAreNotDownloadedAgain) {
  std::string repo = uniqueName("shared");
  std::string image = pushImage(repo, "1", /*layered=*/true, nullptr, /*keepPushed=*/true);
  RuntimeHarness harness;
  ASSERT_TRUE(harness.connect());
  auto pulled = harness.pullImage(image);
  ASSERT_TRUE(pulled) << pulled.error().message;
  EXPECT_TRUE(pulled->present);
  EXPECT_GT(pulled->size, 1'000'000);
  // Manifests and the config are read from the registry (they are small and
  // parsed); no layer is, as containerd already holds their bytes.
  std::istringstream lines(readFile(m_registryDir + "/registry.log"));
  int blobGets = 0;
  for (std::string line; std::getline(lines, line);) {
    if (line.find("\"GET /v2/podscope-test/" + repo + "/blobs/") != std::string::npos && line.ends_with("\"podscope\"")) {
      ++blobGets;
    }
  }
  EXPECT_EQ(blobGets, 1) << "only the config";
  auto sandbox = harness.createSandbox(uniqueName("shared"));
  ASSERT_TRUE(sandbox) << sandbox.error().message;
  engine::ContainerConfig config;
  config.name = "main";
  config.image = image;
  config.command = {"cat", "/data/top.txt"};
  auto id = harness.createContainer(*sandbox, config);
  ASSERT_TRUE(id) << id.error().message;
  ASSERT_TRUE(harness.startContainer(*id));
  auto exit = harness.waitExit(*id);
  ASSERT_TRUE(exit);
  EXPECT_EQ(exit->exitCode, 0);
  EXPECT_TRUE(harness.removeSandbox(*sandbox));
}

TEST_F(ImagePullTest, AnImageInContainerdButNotUnpackedIsUnpackedAndRuns) {
  std::string tar = m_work.path() + "/nounpack.tar";
  std::string image = "localhost/podscope-test/" + uniqueName("nounpack") + ":1";
  std::string salt = makeImage(tar, image, /*layered=*/true);
  auto imported = run(ctr("podscope") + "images import --all-platforms --no-unpack " + shellQuote(tar));
  ASSERT_TRUE(imported.second) << imported.first;

  std::string pod = uniqueName("nounpack");
  core::RunRecord record = runPod(pod, image, "IfNotPresent",
                                  "cat /etc/podscope-salt /data/top.txt; test ! -e /data/gone.txt && echo gone");
  SCOPED_TRACE(eventsText(record));
  EXPECT_EQ(record.outcome, core::RunOutcome::Succeeded) << record.outcomeMessage;
  EXPECT_THAT(eventMessages(record, "Pulled"),
              ::testing::ElementsAre("Container image \"" + image + "\" already present on machine"));
  EXPECT_TRUE(eventMessages(record, "Pulling").empty());
  EXPECT_EQ(mainLog(pod), salt + "\nfrom layer 2\ngone\n");
  EXPECT_THAT(contentList(), ::testing::HasSubstr("containerd.io/gc.ref.snapshot.overlayfs=sha256:"));
  expectNoPermanentPullLeases();
}

TEST_F(ImagePullTest, TwoRuntimesUnpackingTheSameImageAtOnceBothSucceed) {
  std::string tar = m_work.path() + "/race.tar";
  std::string image = "localhost/podscope-test/" + uniqueName("race") + ":1";
  makeImage(tar, image, /*layered=*/true);
  auto imported = run(ctr("podscope") + "images import --all-platforms --no-unpack " + shellQuote(tar));
  ASSERT_TRUE(imported.second) << imported.first;

  RuntimeHarness a;
  RuntimeHarness b;
  ASSERT_TRUE(a.connect());
  ASSERT_TRUE(b.connect());
  auto sandboxA = a.createSandbox(uniqueName("race-a"));
  auto sandboxB = b.createSandbox(uniqueName("race-b"));
  ASSERT_TRUE(sandboxA && sandboxB);
  engine::ContainerConfig config;
  config.name = "main";
  config.image = image;
  config.command = {"cat", "/data/top.txt"};
  core::Result<engine::ContainerId> createdA = core::Error{"not run", {}, {}};
  core::Result<engine::ContainerId> createdB = core::Error{"not run", {}, {}};
  std::thread other([&] { createdB = b.createContainer(*sandboxB, config); });
  createdA = a.createContainer(*sandboxA, config);
  other.join();
  ASSERT_TRUE(createdA) << createdA.error().message;
  ASSERT_TRUE(createdB) << createdB.error().message;
  ASSERT_TRUE(a.startContainer(*createdA));
  ASSERT_TRUE(b.startContainer(*createdB));
  auto exitA = a.waitExit(*createdA);
  auto exitB = b.waitExit(*createdB);
  ASSERT_TRUE(exitA && exitB);
  EXPECT_EQ(exitA->exitCode, 0);
  EXPECT_EQ(exitB->exitCode, 0);
  EXPECT_TRUE(a.removeSandbox(*sandboxA));
  EXPECT_TRUE(b.removeSandbox(*sandboxB));
}

TEST_F(ImagePullTest, AlwaysPullsEachTimeAndPicksUpAMovedTag) {
  std::string repo = uniqueName("always");
  std::string firstSalt;
  std::string image = pushImage(repo, "latest", /*layered=*/false, &firstSalt);
  std::string pod1 = uniqueName("always-1");
  core::RunRecord first = runPod(pod1, image, "Always", "cat /etc/podscope-salt");
  EXPECT_EQ(first.outcome, core::RunOutcome::Succeeded) << first.outcomeMessage << "\n" << eventsText(first);
  EXPECT_EQ(mainLog(pod1), firstSalt + "\n");

  // The tag moves to another image; Always must fetch it.
  std::string secondSalt;
  ASSERT_EQ(pushImage(repo, "latest", /*layered=*/false, &secondSalt), image);
  std::string pod2 = uniqueName("always-2");
  core::RunRecord second = runPod(pod2, image, "Always", "cat /etc/podscope-salt");
  SCOPED_TRACE(eventsText(second));
  EXPECT_EQ(second.outcome, core::RunOutcome::Succeeded) << second.outcomeMessage;
  EXPECT_THAT(eventMessages(second, "Pulling"), ::testing::ElementsAre("Pulling image \"" + image + "\""));
  EXPECT_EQ(mainLog(pod2), secondSalt + "\n");

  // A third run with the tag unchanged still asks the registry (the log
  // counts Podscope's manifest requests), but downloads nothing new.
  std::string logPath = m_registryDir + "/registry.log";
  auto countAsks = [&] {
    std::istringstream lines(readFile(logPath));
    std::string needle = "\"HEAD /v2/podscope-test/" + repo + "/manifests/latest HTTP/1.1\" 200";
    std::size_t n = 0;
    for (std::string line; std::getline(lines, line);) {
      if (line.find(needle) != std::string::npos && line.ends_with("\"podscope\"")) ++n;
    }
    return n;
  };
  std::size_t before = countAsks();
  core::RunRecord third = runPod(uniqueName("always-3"), image, "Always", "true");
  EXPECT_EQ(third.outcome, core::RunOutcome::Succeeded) << third.outcomeMessage;
  EXPECT_EQ(countAsks(), before + 1);
  EXPECT_GE(before, 2u) << "the first two runs asked too";
}

TEST_F(ImagePullTest, MissingTagIsErrImagePullThenImagePullBackOffInContainerdsWords) {
  std::string image = m_registry + "/podscope-test/" + uniqueName("absent") + ":9.99";
  core::RunRecord record = runPod(uniqueName("missing-tag"), image, "IfNotPresent", "true", std::chrono::seconds(4));
  SCOPED_TRACE(eventsText(record));
  std::string expected = "failed to pull and unpack image \"" + image + "\": failed to resolve reference \"" + image +
                         "\": " + image + ": not found";
  auto failed = eventMessages(record, "Failed");
  ASSERT_GE(failed.size(), 2u);
  EXPECT_EQ(failed[0].rfind("Failed to pull image \"" + image + "\": " + expected + "; to run the image without a registry, import it", 0), 0u)
      << failed[0];
  EXPECT_EQ(failed[1], "Error: ErrImagePull");
  const core::Transition* errImagePull = findTransition(record, "main", "ErrImagePull");
  ASSERT_NE(errImagePull, nullptr);
  EXPECT_EQ(errImagePull->message.rfind(expected, 0), 0u) << errImagePull->message;
  const core::Transition* backOff = findTransition(record, "main", "ImagePullBackOff");
  ASSERT_NE(backOff, nullptr);
  EXPECT_EQ(backOff->message, "Back-off pulling image \"" + image + "\"");
}

TEST_F(ImagePullTest, RegistryDownIsErrImagePullThatSaysConnectionRefused) {
  std::string host = "127.0.0.1:" + std::to_string(closedPort());
  std::string image = host + "/podscope-test/down:1";
  core::RunRecord record = runPod(uniqueName("registry-down"), image, "IfNotPresent", "true", std::chrono::seconds(3));
  SCOPED_TRACE(eventsText(record));
  const core::Transition* errImagePull = findTransition(record, "main", "ErrImagePull");
  ASSERT_NE(errImagePull, nullptr);
  EXPECT_EQ(errImagePull->message.rfind("failed to pull and unpack image \"" + image + "\": failed to resolve reference \"" +
                                            image + "\": failed to do request: Head \"http://" + host +
                                            "/v2/podscope-test/down/manifests/1\": dial tcp " + host +
                                            ": connect: connection refused; to run the image without a registry, "
                                            "import it from an image tar with `ctr -a ",
                                        0),
            0u)
      << errImagePull->message;
}

TEST_F(ImagePullTest, AlwaysFailsWhenTheRegistryIsDownEvenWithALocalCopy) {
  // As the kubelet: Always means pull, and a pull that fails is
  // ErrImagePull, whatever is on the machine.
  std::string host = "127.0.0.1:" + std::to_string(closedPort());
  std::string image = host + "/podscope-test/local-copy:1";
  std::string tar = m_work.path() + "/local.tar";
  makeImage(tar, image, /*layered=*/false);
  ASSERT_TRUE(run(ctr("podscope") + "images import " + shellQuote(tar)).second);
  core::RunRecord record = runPod(uniqueName("always-down"), image, "Always", "true", std::chrono::seconds(3));
  SCOPED_TRACE(eventsText(record));
  EXPECT_NE(findTransition(record, "main", "ErrImagePull"), nullptr);
  EXPECT_TRUE(eventMessages(record, "Started").empty());
  // IfNotPresent uses the local copy without asking.
  core::RunRecord local = runPod(uniqueName("ifnotpresent-down"), image, "IfNotPresent", "true");
  EXPECT_EQ(local.outcome, core::RunOutcome::Succeeded) << local.outcomeMessage << "\n" << eventsText(local);
}

TEST_F(ImagePullTest, TheImagesStopSignalStopsItAndIsRecorded) {
  // As containerd's CRI plugin does, the image's STOPSIGNAL replaces
  // SIGTERM. A shell as PID 1 ignores SIGTERM, so only a SIGQUIT ends this
  // container before the grace period runs out.
  std::string image = "podscope.test/quits:" + uniqueName("t");
  std::string tar = m_work.path() + "/quits.tar";
  makeImage(tar, image, /*layered=*/false, {}, "SIGQUIT");
  ASSERT_TRUE(run(ctr("podscope") + "images import " + shellQuote(tar)).second);
  core::RunRecord record = runPod(uniqueName("stop-signal"), image, "IfNotPresent",
                                  "trap 'exit 0' QUIT; while true; do sleep 1; done", std::chrono::seconds(3));
  SCOPED_TRACE(eventsText(record));
  ASSERT_EQ(record.signalsSent().size(), 1u) << core::formatTransitions(record);
  EXPECT_EQ(record.signalsSent()[0].name, "SIGQUIT");
  EXPECT_EQ(record.signalsSent()[0].number, SIGQUIT);
  EXPECT_EQ(record.signalsSent()[0].container, "main");
  const core::Transition* done = nullptr;
  for (const auto& t : record.transitions()) {
    if (t.subject == "main" && t.to == "Terminated") done = &t;
  }
  ASSERT_NE(done, nullptr);
  EXPECT_EQ(done->exitCode, 0) << done->message;
  run(ctr("podscope") + "images rm " + shellQuote(image));
}

TEST_F(ImagePullTest, ACorruptedBlobIsRefusedAndNothingIsStored) {
  std::string repo = uniqueName("corrupt");
  std::string image = pushImage(repo, "1", /*layered=*/false);
  // Find the layer (the biggest blob) in the registry's storage and flip
  // its first bytes, keeping its size.
  std::string blobs = m_registryDir + "/storage/docker/registry/v2/blobs/sha256";
  auto manifest = run("curl -fsS -H 'Accept: application/vnd.oci.image.manifest.v1+json' http://" + m_registry +
                      "/v2/podscope-test/" + repo + "/manifests/1");
  ASSERT_TRUE(manifest.second) << manifest.first;
  auto parsed = engine::containerd::parseManifest(manifest.first);
  ASSERT_TRUE(parsed) << parsed.error().message;
  std::string layer = parsed->layers.at(0).digest;
  std::string hex = layer.substr(7);
  std::string data = blobs + "/" + hex.substr(0, 2) + "/" + hex + "/data";
  ASSERT_TRUE(std::filesystem::exists(data)) << data;
  {
    std::fstream f(data, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(0);
    f.write("CORRUPTED", 9);
  }

  RuntimeHarness harness;
  ASSERT_TRUE(harness.connect());
  auto pulled = harness.pullImage(image);
  ASSERT_FALSE(pulled);
  EXPECT_EQ(pulled.error().message, "failed to pull and unpack image \"" + image + "\": failed commit on ref \"layer-" +
                                        layer + "\": unexpected commit digest sha256:" +
                                        run("sha256sum " + shellQuote(data) + " | cut -c1-64 | tr -d '\\n'").first +
                                        ", expected " + layer + ": failed precondition");
  auto info = harness.inspectImage(image);
  ASSERT_TRUE(info) << info.error().message;
  EXPECT_FALSE(info->present);
  // The layer is not in the namespace's content store (the manifest, which
  // names it in a label, may be: a pull stores it first, as containerd
  // does, and the garbage collector takes it once the pull's lease is gone).
  EXPECT_EQ(labelsOf(layer), "");
  expectNoPermanentPullLeases();
}
}  // namespace
}  // namespace podscope::testing
