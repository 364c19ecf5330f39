// The containerd runtime's pure parts: image references, image configs,
// digests, identifiers, the OCI spec and the words for leftovers of crashed
// runs. No daemon needed.

#include <algorithm>
#include <csignal>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "engine/runtime/containerd/containerd_version.h"
#include "engine/runtime/containerd/image_config.h"
#include "engine/runtime/containerd/image_reference.h"
#include "engine/runtime/containerd/leftovers.h"
#include "engine/runtime/containerd/object_ids.h"
#include "engine/runtime/containerd/oci_spec.h"
#include "engine/runtime/containerd/sha256.h"

namespace podscope::engine::containerd {
namespace {

using nlohmann::json;

struct ReferenceCase {
  const char* input;
  const char* expected;
};

TEST(ImageReferenceTest, NormalisesAsKubernetesDoes) {
  const std::string digest = "sha256:" + std::string(64, 'a');
  const std::vector<ReferenceCase> cases = {
      {"busybox", "docker.io/library/busybox:latest"},
      {"busybox:1.30", "docker.io/library/busybox:1.30"},
      {"library/busybox", "docker.io/library/busybox:latest"},
      {"docker.io/busybox", "docker.io/library/busybox:latest"},
      {"docker.io/library/busybox:latest", "docker.io/library/busybox:latest"},
      {"index.docker.io/library/busybox", "docker.io/library/busybox:latest"},
      {"bitnami/nginx:1.25", "docker.io/bitnami/nginx:1.25"},
      {"registry.k8s.io/pause:3.9", "registry.k8s.io/pause:3.9"},
      {"registry.k8s.io/busybox", "registry.k8s.io/busybox:latest"},
      {"quay.io/prometheus/node-exporter:v1.7.0", "quay.io/prometheus/node-exporter:v1.7.0"},
      {"localhost/app", "localhost/app:latest"},
      {"localhost:5000/app:dev", "localhost:5000/app:dev"},
      {"127.0.0.1:5000/team/app:1", "127.0.0.1:5000/team/app:1"},
      // No slash: "localhost:5000" is the image localhost, tag 5000.
      {"localhost:5000", "docker.io/library/localhost:5000"},
      {"my_app__x-y.z", "docker.io/library/my_app__x-y.z:latest"},
  };
  for (const auto& c : cases) {
    auto got = normalizeImageReference(c.input);
    ASSERT_TRUE(got) << c.input << ": " << got.error().message;
    EXPECT_EQ(*got, c.expected) << c.input;
  }
}

TEST(ImageReferenceTest, KeepsDigestsAndAddsNoTagToThem) {
  const std::string digest = "sha256:" + std::string(64, 'a');
  auto pinned = normalizeImageReference("busybox@" + digest);
  ASSERT_TRUE(pinned);
  EXPECT_EQ(*pinned, "docker.io/library/busybox@" + digest);

  auto both = normalizeImageReference("registry.k8s.io/busybox:1.0@" + digest);
  ASSERT_TRUE(both);
  EXPECT_EQ(*both, "registry.k8s.io/busybox:1.0@" + digest);

  auto parts = parseImageReference("localhost:5000/a/b:c@" + digest);
  ASSERT_TRUE(parts);
  EXPECT_EQ(parts->domain, "localhost:5000");
  EXPECT_EQ(parts->path, "a/b");
  EXPECT_EQ(parts->tag, "c");
  EXPECT_EQ(parts->digest, digest);
}

TEST(ImageReferenceTest, RejectsInvalidReferencesWithAReason) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", "empty"},
      {"BusyBox", "lowercase"},
      {"busybox:", "tag"},
      {"busybox:bad/tag", "registry host"},
      {"busy box", "white space"},
      {"busybox@sha256:123", "digest"},
      {"busybox@md5", "digest"},
      {"registry.k8s.io/", "repository name"},
      {"docker.io//busybox", "empty path component"},
      {"busybox--", "lowercase letters, digits and separators"},
      {"-busybox", "lowercase letters, digits and separators"},
  };
  for (const auto& [input, why] : cases) {
    auto got = normalizeImageReference(input);
    ASSERT_FALSE(got) << input << " should be invalid, got " << *got;
    EXPECT_NE(got.error().message.find("invalid image reference"), std::string::npos) << input;
    EXPECT_NE(got.error().message.find(why), std::string::npos)
        << input << ": " << got.error().message;
  }
}

TEST(Sha256Test, MatchesKnownDigestsAcrossBlockBoundaries) {
  EXPECT_EQ(sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  const std::vector<std::pair<std::size_t, std::string>> runs = {
      {55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"},
      {56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"},
      {63, "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34"},
      {64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"},
      {65, "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0"},
      {1000, "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3"},
  };
  for (const auto& [length, hex] : runs) {
    EXPECT_EQ(sha256Hex(std::string(length, 'a')), hex) << length << " bytes";
  }
}

TEST(ImageConfigTest, ChainIdFollowsTheOciDefinition) {
  EXPECT_EQ(chainId({}), "");
  EXPECT_EQ(chainId({"sha256:aaaa"}), "sha256:aaaa");
  EXPECT_EQ(chainId({"sha256:aaaa", "sha256:bbbb"}),
            "sha256:2c4d8760379f05d0ad1ed610712309f0114e7345e6e6a351494cff030ffdf197");
  EXPECT_EQ(chainId({"sha256:aaaa", "sha256:bbbb", "sha256:cccc"}),
            "sha256:10f847b3ece58353f298bec20c58125235b631360ad43ac162131980750211ff");
}

TEST(ImageConfigTest, ParsesTheRunnableParts) {
  auto config = parseImageConfig(R"({
    "architecture": "amd64", "os": "linux",
    "config": {"Entrypoint": ["/entry"], "Cmd": ["serve", "--port=80"],
               "Env": ["PATH=/opt/bin:/bin", "A=1"], "WorkingDir": "/srv", "User": "1000:2000"},
    "rootfs": {"type": "layers", "diff_ids": ["sha256:1", "sha256:2"]}})");
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->architecture, "amd64");
  EXPECT_EQ(config->entrypoint, std::vector<std::string>{"/entry"});
  EXPECT_EQ(config->cmd, (std::vector<std::string>{"serve", "--port=80"}));
  EXPECT_EQ(config->workingDir, "/srv");
  EXPECT_EQ(config->user, "1000:2000");
  EXPECT_EQ(config->diffIds, (std::vector<std::string>{"sha256:1", "sha256:2"}));
  EXPECT_EQ(config->stopSignal, "");

  auto quits = parseImageConfig(R"({"config": {"StopSignal": "SIGQUIT"},
    "rootfs": {"type": "layers", "diff_ids": ["sha256:1"]}})");
  ASSERT_TRUE(quits) << quits.error().message;
  EXPECT_EQ(quits->stopSignal, "SIGQUIT");

  EXPECT_FALSE(parseImageConfig("not json"));
  EXPECT_FALSE(parseImageConfig(R"({"config": {}})"));  // no layers
}

TEST(ImageConfigTest, StopSignalsByNameOrNumber) {
  EXPECT_EQ(*parseSignal("SIGQUIT"), SIGQUIT);
  EXPECT_EQ(*parseSignal("QUIT"), SIGQUIT);
  EXPECT_EQ(*parseSignal("SIGTERM"), SIGTERM);
  EXPECT_EQ(*parseSignal("SIGWINCH"), SIGWINCH);
  EXPECT_EQ(*parseSignal("9"), 9);
  EXPECT_EQ(*parseSignal("37"), 37);
  auto unknown = parseSignal("SIGNOPE");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().message, "the image's stop signal SIGNOPE is not a signal this machine knows");
  EXPECT_FALSE(parseSignal("0"));
  EXPECT_FALSE(parseSignal("65"));
  EXPECT_FALSE(parseSignal(""));
}

TEST(OciSpecTest, CpuLimitsAndRequestsConvertAsTheKubeletDoes) {
  EXPECT_EQ(cpuQuotaFromMillis(500), 50'000);
  EXPECT_EQ(cpuQuotaFromMillis(2000), 200'000);
  EXPECT_EQ(cpuQuotaFromMillis(1), 1'000);  // the 1 ms floor
  EXPECT_EQ(cpuSharesFromMillis(250), 256u);
  EXPECT_EQ(cpuSharesFromMillis(1000), 1024u);
  EXPECT_EQ(cpuSharesFromMillis(1), 2u);
  EXPECT_EQ(cpuSharesFromMillis(0), 2u);
}

TEST(OciSpecTest, BindsAndResourcesReachTheSpec) {
  RuntimeSpecInput input;
  input.args = {"sh"};
  input.binds.push_back({"/data", "/var/lib/podscope/volumes/data", false});
  input.binds.push_back({"/etc/config", "/srv/config", true});
  input.memoryLimitBytes = 64 * 1024 * 1024;
  input.cpuQuotaMicros = 50'000;
  input.cpuShares = 256;
  auto spec = nlohmann::json::parse(buildRuntimeSpec(input));
  const auto& mounts = spec["mounts"];
  auto data = std::find_if(mounts.begin(), mounts.end(), [](const auto& m) { return m["destination"] == "/data"; });
  ASSERT_NE(data, mounts.end());
  EXPECT_EQ((*data)["source"], "/var/lib/podscope/volumes/data");
  EXPECT_EQ((*data)["options"], (nlohmann::json{"rbind", "rprivate", "rw"}));
  auto config = std::find_if(mounts.begin(), mounts.end(), [](const auto& m) { return m["destination"] == "/etc/config"; });
  ASSERT_NE(config, mounts.end());
  EXPECT_EQ((*config)["options"][2], "ro");
  EXPECT_EQ(spec["linux"]["resources"]["memory"]["limit"], 64 * 1024 * 1024);
  EXPECT_EQ(spec["linux"]["resources"]["cpu"]["quota"], 50'000);
  EXPECT_EQ(spec["linux"]["resources"]["cpu"]["period"], 100'000);
  EXPECT_EQ(spec["linux"]["resources"]["cpu"]["shares"], 256);
  // Without limits the host's defaults stand.
  auto plain = nlohmann::json::parse(buildRuntimeSpec(RuntimeSpecInput{}));
  EXPECT_FALSE(plain["linux"]["resources"].contains("memory"));
  EXPECT_FALSE(plain["linux"]["resources"].contains("cpu"));
}

TEST(ImageConfigTest, MergesCommandAndArgsLikeKubernetes) {
  ImageConfig image;
  image.entrypoint = {"/entry"};
  image.cmd = {"default"};
  struct Case {
    std::vector<std::string> command, args, expected;
  };
  const std::vector<Case> cases = {
      {{}, {}, {"/entry", "default"}},             // image's Entrypoint + Cmd
      {{}, {"mine"}, {"/entry", "mine"}},          // args replace Cmd only
      {{"sh"}, {}, {"sh"}},                        // command drops the image's Cmd too
      {{"sh", "-c"}, {"exit 3"}, {"sh", "-c", "exit 3"}},
  };
  for (const auto& c : cases) {
    auto got = processArgs(image, c.command, c.args);
    ASSERT_TRUE(got);
    EXPECT_EQ(*got, c.expected);
  }

  ImageConfig cmdOnly;
  cmdOnly.cmd = {"sh"};
  EXPECT_EQ(*processArgs(cmdOnly, {}, {}), std::vector<std::string>{"sh"});
  EXPECT_EQ(*processArgs(cmdOnly, {}, {"echo", "hi"}), (std::vector<std::string>{"echo", "hi"}));

  auto none = processArgs(ImageConfig{}, {}, {});
  ASSERT_FALSE(none);
  EXPECT_NE(none.error().message.find("no command specified"), std::string::npos);
}

TEST(ImageConfigTest, EnvironmentHasDefaultPathHostnameAndImageVariables) {
  ImageConfig image;
  image.env = {"A=1", "PATH=/opt/bin"};
  EXPECT_EQ(processEnv(image, "web"),
            (std::vector<std::string>{"PATH=/opt/bin", "HOSTNAME=web", "A=1"}));
  EXPECT_EQ(processEnv(ImageConfig{}, "web"),
            (std::vector<std::string>{
                "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                "HOSTNAME=web"}));
}

TEST(ImageConfigTest, UnderstandsNumericUsersAndRoot) {
  EXPECT_EQ(parseImageUser("")->uid, 0u);
  EXPECT_EQ(parseImageUser("root")->uid, 0u);
  EXPECT_EQ(parseImageUser("1000")->uid, 1000u);
  EXPECT_EQ(parseImageUser("1000")->gid, 0u);
  EXPECT_EQ(parseImageUser("1000:2000")->gid, 2000u);
  auto named = parseImageUser("nginx");
  ASSERT_FALSE(named);
  EXPECT_NE(named.error().message.find("nginx"), std::string::npos);
  EXPECT_FALSE(parseImageUser("1000:staff"));
}

TEST(ImageConfigTest, PicksThisPlatformFromAnIndex) {
  const char* index = R"({"manifests": [
    {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": "sha256:arm", "size": 1,
     "platform": {"os": "linux", "architecture": "arm64"}},
    {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": "sha256:amd", "size": 2,
     "platform": {"os": "linux", "architecture": "amd64"}}]})";
  auto amd = selectManifest(index, "linux", "amd64");
  ASSERT_TRUE(amd);
  EXPECT_EQ(amd->digest, "sha256:amd");
  EXPECT_EQ(amd->size, 2);
  auto s390 = selectManifest(index, "linux", "s390x");
  ASSERT_FALSE(s390);
  EXPECT_NE(s390.error().message.find("linux/arm64, linux/amd64"), std::string::npos);

  EXPECT_TRUE(isIndexMediaType("application/vnd.docker.distribution.manifest.list.v2+json"));
  EXPECT_TRUE(isManifestMediaType("application/vnd.docker.distribution.manifest.v2+json"));
  EXPECT_FALSE(isManifestMediaType("application/vnd.oci.image.index.v1+json"));

  auto config = manifestConfig(R"({"config": {"mediaType": "x", "digest": "sha256:c", "size": 3}})");
  ASSERT_TRUE(config);
  EXPECT_EQ(config->digest, "sha256:c");
  EXPECT_FALSE(manifestConfig(R"({"layers": []})"));
}

TEST(ObjectIdsTest, ContainerIdsAreReadableAndValid) {
  EXPECT_EQ(makeContainerId("web", "nginx", 0, "a1b2c3"), "web-nginx-0-a1b2c3");
  EXPECT_EQ(makeContainerId("my.pod", "init--1", 2, "ff"), "my-pod-init-1-2-ff");
  EXPECT_EQ(makeSandboxId("web", "0123abcd"), "web-0123abcd");

  const std::string longPod(253, 'p');
  const std::string longContainer(63, 'c');
  std::string id = makeContainerId(longPod, longContainer, 12, "abcdef");
  EXPECT_LE(id.size(), kMaxIdentifierLength);
  EXPECT_TRUE(isValidIdentifier(id)) << id;
  EXPECT_TRUE(id.ends_with("-12-abcdef")) << id;

  for (const char* odd : {"-", "a-", "--x--", "a.-b", "x_y"}) {
    std::string made = makeContainerId(odd, odd, 0, "1");
    EXPECT_TRUE(isValidIdentifier(made)) << odd << " -> " << made;
  }
  EXPECT_TRUE(isValidIdentifier(makeSandboxId(std::string(300, 'x'), "12345678")));

  EXPECT_TRUE(isValidIdentifier("a.b_c-d"));
  EXPECT_FALSE(isValidIdentifier(""));
  EXPECT_FALSE(isValidIdentifier("a--b"));
  EXPECT_FALSE(isValidIdentifier("-a"));
  EXPECT_FALSE(isValidIdentifier("a/b"));
  EXPECT_FALSE(isValidIdentifier(std::string(77, 'a')));
}

TEST(OciSpecTest, JoinsThePodNamespacesAndMountsItsFiles) {
  RuntimeSpecInput input;
  input.args = {"sh", "-c", "exit 3"};
  input.env = {"PATH=/bin"};
  input.networkNamespace = "/state/pod/net";
  input.ipcNamespace = "/state/pod/ipc";
  input.utsNamespace = "/state/pod/uts";
  input.hostname = "ignored-when-uts-is-joined";
  input.shmPath = "/state/pod/shm";
  input.hostsPath = "/state/pod/hosts";
  input.hostnamePath = "/state/pod/hostname";
  input.cgroupsPath = "/podscope/x";
  input.annotations = {{"podscope.io/pod", "web"}};
  json spec = json::parse(buildRuntimeSpec(input));

  EXPECT_EQ(spec["process"]["args"], json(input.args));
  EXPECT_EQ(spec["process"]["terminal"], false);
  EXPECT_EQ(spec["root"]["path"], "rootfs");
  EXPECT_EQ(spec["linux"]["cgroupsPath"], "/podscope/x");
  EXPECT_FALSE(spec.contains("hostname"));
  EXPECT_EQ(spec["annotations"]["podscope.io/pod"], "web");

  std::map<std::string, std::string> namespaces;
  for (const auto& ns : spec["linux"]["namespaces"]) {
    namespaces[ns["type"]] = ns.value("path", "");
  }
  EXPECT_EQ(namespaces.at("network"), "/state/pod/net");
  EXPECT_EQ(namespaces.at("ipc"), "/state/pod/ipc");
  EXPECT_EQ(namespaces.at("uts"), "/state/pod/uts");
  EXPECT_EQ(namespaces.at("pid"), "");
  EXPECT_EQ(namespaces.at("mount"), "");

  std::map<std::string, json> mounts;
  for (const auto& m : spec["mounts"]) mounts[m["destination"]] = m;
  for (const char* dest : {"/proc", "/dev", "/dev/pts", "/dev/mqueue", "/sys", "/dev/shm",
                           "/etc/hosts", "/etc/hostname"}) {
    EXPECT_TRUE(mounts.contains(dest)) << dest;
  }
  EXPECT_EQ(mounts["/dev/shm"]["source"], "/state/pod/shm");
  EXPECT_EQ(mounts["/dev/shm"]["type"], "bind");

  const auto& caps = spec["process"]["capabilities"]["bounding"];
  EXPECT_NE(std::find(caps.begin(), caps.end(), "CAP_NET_RAW"), caps.end());
  EXPECT_EQ(spec["process"]["rlimits"][0]["type"], "RLIMIT_NOFILE");
}

TEST(OciSpecTest, OwnNamespacesWhenNoPodPaths) {
  RuntimeSpecInput input;
  input.args = {"true"};
  input.hostname = "solo";
  json spec = json::parse(buildRuntimeSpec(input));
  EXPECT_EQ(spec["hostname"], "solo");
  for (const auto& ns : spec["linux"]["namespaces"]) EXPECT_FALSE(ns.contains("path"));
  EXPECT_FALSE(spec["linux"].contains("cgroupsPath"));
  bool tmpfsShm = false;
  for (const auto& m : spec["mounts"]) {
    if (m["destination"] == "/dev/shm") tmpfsShm = m["type"] == "tmpfs";
  }
  EXPECT_TRUE(tmpfsShm);
}

TEST(OciSpecTest, ExecProcessIsTheContainersWithOtherArgs) {
  RuntimeSpecInput input;
  input.args = {"sleep", "100"};
  input.env = {"PATH=/bin", "HOSTNAME=web"};
  input.cwd = "/srv";
  input.uid = 1000;
  input.gid = 2000;
  json container = json::parse(buildRuntimeSpec(input));
  auto exec = execProcessSpec(container.dump(), {"sh", "-c", "echo hi"});
  ASSERT_TRUE(exec) << exec.error().message;
  json process = json::parse(*exec);
  EXPECT_EQ(process["args"], json({"sh", "-c", "echo hi"}));
  EXPECT_EQ(process["env"], container["process"]["env"]);
  EXPECT_EQ(process["cwd"], "/srv");
  EXPECT_EQ(process["user"]["uid"], 1000);
  EXPECT_EQ(process["user"]["gid"], 2000);
  EXPECT_EQ(process["capabilities"], container["process"]["capabilities"]);
  EXPECT_EQ(process["terminal"], false);

  EXPECT_FALSE(execProcessSpec(container.dump(), {}));
  EXPECT_FALSE(execProcessSpec("not json", {"true"}));
  EXPECT_FALSE(execProcessSpec("{}", {"true"}));
}

TEST(ContainerdVersionTest, ReadsTheVersionsDaemonsReport) {
  struct Case {
    const char* reported;
    std::optional<ContainerdVersion> expected;
  };
  const Case cases[] = {
      {"1.6.20~ds1", ContainerdVersion{1, 6, 20}},   // Debian 12
      {"v1.7.13", ContainerdVersion{1, 7, 13}},      // upstream and Docker's
      {"2.0.0-rc.1", ContainerdVersion{2, 0, 0}},
      {"1.6", ContainerdVersion{1, 6, 0}},
      {"1.5.9-0ubuntu3", ContainerdVersion{1, 5, 9}},
      {"", std::nullopt},
      {"dev", std::nullopt},
      {"v", std::nullopt},
      {"1", std::nullopt},
      {"1.x", std::nullopt},
      {"99999999999.1", std::nullopt},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(parseContainerdVersion(c.reported), c.expected) << c.reported;
  }
}

TEST(ContainerdVersionTest, RefusesContainerdOlderThanOneSixWithAMessageNamingItAndWhere) {
  EXPECT_TRUE(checkContainerdVersion("1.6.20~ds1", "/run/containerd/containerd.sock"));
  EXPECT_TRUE(checkContainerdVersion("v1.7.2", "/x.sock"));
  EXPECT_TRUE(checkContainerdVersion("2.1.0", "/x.sock"));
  EXPECT_TRUE(checkContainerdVersion("a development build", "/x.sock"));
  auto old = checkContainerdVersion("1.5.9-0ubuntu3", "/run/containerd/containerd.sock");
  ASSERT_FALSE(old);
  EXPECT_EQ(old.error().message,
            "containerd 1.5.9-0ubuntu3 at /run/containerd/containerd.sock is too old: Podscope needs containerd "
            "1.6.0 or later");
  EXPECT_FALSE(checkContainerdVersion("v1.4.13", "/x.sock"));
  EXPECT_FALSE(checkContainerdVersion("0.2.0", "/x.sock"));
}

// --- leftovers of crashed runs ---------------------------------------------------

ContainerdLeftovers sampleLeftovers() {
  ContainerdLeftovers left;
  left.runs = {"run-a", "run-b"};
  left.containers = {"web-1a2b-app-0", "web-1a2b-log-0"};
  left.snapshots = {"orphan"};
  left.sandboxes = {"/run/podscope/sandboxes/web-1a2b"};
  return left;
}

TEST(LeftoversTest, CountsInWords) {
  EXPECT_EQ(describeObjects(sampleLeftovers()), "2 containers, 1 snapshot and 1 sandbox");
  ContainerdLeftovers one;
  one.sandboxes = {"/a", "/b"};
  EXPECT_EQ(describeObjects(one), "2 sandboxes");
  one.containers = {"c"};
  EXPECT_EQ(describeObjects(one), "1 container and 2 sandboxes");
  EXPECT_EQ(describeObjects(ContainerdLeftovers{}), "nothing");
  EXPECT_EQ(countOf(1, LeftoverKind::RunLock), "1 stale run lock");
  EXPECT_EQ(countOf(3, LeftoverKind::RunLock), "3 stale run locks");
  EXPECT_EQ(sampleLeftovers().objectCount(), 4u);
}

TEST(LeftoversTest, ListAsGcPrintsIt) {
  EXPECT_EQ(formatLeftoverList(sampleLeftovers()),
            "  container web-1a2b-app-0 (with its task and snapshot)\n"
            "  container web-1a2b-log-0 (with its task and snapshot)\n"
            "  snapshot  orphan\n"
            "  sandbox   /run/podscope/sandboxes/web-1a2b (namespaces, /dev/shm, volumes)\n");
  const std::string withLocks = formatLeftoverList(sampleLeftovers(), true);
  EXPECT_NE(withLocks.find("  run lock  run-a (stale)\n  run lock  run-b (stale)\n"), std::string::npos) << withLocks;
}

TEST(LeftoversTest, ObjectsInRemovalOrder) {
  const std::vector<LeftoverObject> objects = leftoverObjects(sampleLeftovers());
  const std::vector<LeftoverObject> expected = {
      {LeftoverKind::Container, "web-1a2b-app-0"}, {LeftoverKind::Container, "web-1a2b-log-0"},
      {LeftoverKind::Snapshot, "orphan"},          {LeftoverKind::Sandbox, "/run/podscope/sandboxes/web-1a2b"},
      {LeftoverKind::RunLock, "run-a"},            {LeftoverKind::RunLock, "run-b"}};
  EXPECT_EQ(objects, expected);
}

TEST(LeftoversTest, StillLeftIsWhatWasOfferedAndIsStillThere) {
  ContainerdLeftovers now;
  now.runs = {"run-b", "run-new"};
  now.containers = {"web-1a2b-log-0", "new-container"};
  // The snapshot of a container that went without it.
  now.snapshots = {"web-1a2b-app-0"};
  ContainerdLeftovers left = stillLeft(sampleLeftovers(), now);
  EXPECT_EQ(left.runs, std::vector<std::string>{"run-b"});
  EXPECT_EQ(left.containers, std::vector<std::string>{"web-1a2b-log-0"});
  EXPECT_EQ(left.snapshots, std::vector<std::string>{"web-1a2b-app-0"});
  EXPECT_TRUE(left.sandboxes.empty());
  EXPECT_TRUE(stillLeft(sampleLeftovers(), ContainerdLeftovers{}).empty());
}

}  // namespace
}  // namespace podscope::engine::containerd
