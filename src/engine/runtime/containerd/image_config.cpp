#include "engine/runtime/containerd/image_config.h"

#include <algorithm>
#include <charconv>
#include <csignal>

#include <nlohmann/json.hpp>

#include "engine/runtime/containerd/sha256.h"

namespace podscope::engine::containerd {
namespace {

using nlohmann::json;

constexpr std::string_view kDefaultPath =
    "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

core::Error error(std::string message) { return core::Error{std::move(message), {}, {}}; }

core::Result<json> parse(std::string_view text, std::string_view what) {
  json doc = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) {
    return error("the image's " + std::string(what) + " is not valid JSON");
  }
  return doc;
}

std::string stringAt(const json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::vector<std::string> stringsAt(const json& object, const char* key) {
  std::vector<std::string> out;
  auto it = object.find(key);
  if (it == object.end() || !it->is_array()) return out;
  for (const auto& item : *it) {
    if (item.is_string()) out.push_back(item.get<std::string>());
  }
  return out;
}

BlobDescriptor descriptorFrom(const json& object) {
  BlobDescriptor d;
  d.mediaType = stringAt(object, "mediaType");
  d.digest = stringAt(object, "digest");
  if (auto it = object.find("size"); it != object.end() && it->is_number_integer()) {
    d.size = it->get<std::int64_t>();
  }
  return d;
}

std::string_view envKey(std::string_view entry) { return entry.substr(0, entry.find('=')); }

void setEnv(std::vector<std::string>& env, const std::string& entry) {
  for (auto& existing : env) {
    if (envKey(existing) == envKey(entry)) {
      existing = entry;
      return;
    }
  }
  env.push_back(entry);
}

std::optional<std::uint32_t> parseId(std::string_view text) {
  std::uint32_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

}  // namespace

bool isIndexMediaType(std::string_view mediaType) {
  return mediaType == "application/vnd.oci.image.index.v1+json" ||
         mediaType == "application/vnd.docker.distribution.manifest.list.v2+json";
}

bool isManifestMediaType(std::string_view mediaType) {
  return mediaType == "application/vnd.oci.image.manifest.v1+json" ||
         mediaType == "application/vnd.docker.distribution.manifest.v2+json";
}

std::string_view hostArchitecture() {
#if defined(__x86_64__)
  return "amd64";
#elif defined(__aarch64__)
  return "arm64";
#elif defined(__arm__)
  return "arm";
#elif defined(__i386__)
  return "386";
#elif defined(__powerpc64__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  return "ppc64le";
#elif defined(__s390x__)
  return "s390x";
#elif defined(__riscv) && __riscv_xlen == 64
  return "riscv64";
#else
  return "unknown";
#endif
}

core::Result<BlobDescriptor> selectManifest(std::string_view indexJson, std::string_view os,
                                            std::string_view architecture) {
  auto doc = parse(indexJson, "index");
  if (!doc) return doc.error();
  auto manifests = doc->find("manifests");
  if (manifests == doc->end() || !manifests->is_array()) {
    return error("the image's index lists no manifests");
  }
  std::vector<std::string> seen;
  for (const auto& m : *manifests) {
    if (!m.is_object()) continue;
    auto platform = m.find("platform");
    if (platform == m.end() || !platform->is_object()) continue;
    std::string mOs = stringAt(*platform, "os");
    std::string mArch = stringAt(*platform, "architecture");
    if (mOs == os && mArch == architecture) return descriptorFrom(m);
    seen.push_back(mOs + "/" + mArch);
  }
  std::string list;
  for (const auto& s : seen) list += (list.empty() ? "" : ", ") + s;
  return error("the image has no variant for " + std::string(os) + "/" + std::string(architecture) +
               (list.empty() ? std::string() : " (it has " + list + ")"));
}

core::Result<BlobDescriptor> manifestConfig(std::string_view manifestJson) {
  auto doc = parse(manifestJson, "manifest");
  if (!doc) return doc.error();
  auto config = doc->find("config");
  if (config == doc->end() || !config->is_object()) {
    return error("the image's manifest has no config");
  }
  BlobDescriptor d = descriptorFrom(*config);
  if (d.digest.empty()) return error("the image's manifest has no config digest");
  return d;
}

bool isSha256Digest(std::string_view digest) {
  constexpr std::string_view kPrefix = "sha256:";
  if (digest.size() != kPrefix.size() + 64 || !digest.starts_with(kPrefix)) return false;
  return std::all_of(digest.begin() + kPrefix.size(), digest.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

bool isLayerMediaType(std::string_view mediaType) {
  static constexpr std::string_view kLayers[] = {
      "application/vnd.oci.image.layer.v1.tar",
      "application/vnd.oci.image.layer.v1.tar+gzip",
      "application/vnd.oci.image.layer.v1.tar+zstd",
      "application/vnd.oci.image.layer.nondistributable.v1.tar",
      "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip",
      "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd",
      "application/vnd.docker.image.rootfs.diff.tar",
      "application/vnd.docker.image.rootfs.diff.tar.gzip",
      "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip",
  };
  return std::find(std::begin(kLayers), std::end(kLayers), mediaType) != std::end(kLayers);
}

core::Result<ImageManifest> parseManifest(std::string_view manifestJson) {
  auto doc = parse(manifestJson, "manifest");
  if (!doc) return doc.error();
  auto checked = [](const json& object, const std::string& what) -> core::Result<BlobDescriptor> {
    if (!object.is_object()) return error("the image's manifest has a " + what + " that is not an object");
    BlobDescriptor d = descriptorFrom(object);
    if (!isSha256Digest(d.digest)) {
      return error("the image's manifest names its " + what + " by \"" + d.digest +
                   "\", which is not a sha256 digest");
    }
    if (d.size <= 0) return error("the image's manifest gives its " + what + " no size");
    return d;
  };
  auto config = doc->find("config");
  if (config == doc->end()) return error("the image's manifest has no config");
  auto configDesc = checked(*config, "config");
  if (!configDesc) return configDesc.error();
  ImageManifest out;
  out.config = *configDesc;
  auto layers = doc->find("layers");
  if (layers == doc->end() || !layers->is_array() || layers->empty()) {
    return error("the image's manifest lists no layers");
  }
  for (std::size_t i = 0; i < layers->size(); ++i) {
    auto layer = checked((*layers)[i], "layer " + std::to_string(i));
    if (!layer) return layer.error();
    if (!isLayerMediaType(layer->mediaType)) {
      return error("the image's layer " + std::to_string(i) + " has media type \"" + layer->mediaType +
                   "\", which is not a layer Podscope can unpack");
    }
    out.layers.push_back(*layer);
  }
  return out;
}

core::Result<std::vector<BlobDescriptor>> indexManifests(std::string_view indexJson) {
  auto doc = parse(indexJson, "index");
  if (!doc) return doc.error();
  auto manifests = doc->find("manifests");
  if (manifests == doc->end() || !manifests->is_array()) {
    return error("the image's index lists no manifests");
  }
  std::vector<BlobDescriptor> out;
  for (const auto& m : *manifests) {
    if (m.is_object()) out.push_back(descriptorFrom(m));
  }
  return out;
}

core::Result<ImageConfig> parseImageConfig(std::string_view configJson) {
  auto doc = parse(configJson, "config");
  if (!doc) return doc.error();
  ImageConfig out;
  out.os = stringAt(*doc, "os");
  out.architecture = stringAt(*doc, "architecture");
  if (auto config = doc->find("config"); config != doc->end() && config->is_object()) {
    out.entrypoint = stringsAt(*config, "Entrypoint");
    out.cmd = stringsAt(*config, "Cmd");
    out.env = stringsAt(*config, "Env");
    out.workingDir = stringAt(*config, "WorkingDir");
    out.user = stringAt(*config, "User");
    out.stopSignal = stringAt(*config, "StopSignal");
  }
  if (auto rootfs = doc->find("rootfs"); rootfs != doc->end() && rootfs->is_object()) {
    out.diffIds = stringsAt(*rootfs, "diff_ids");
  }
  if (out.diffIds.empty()) return error("the image's config lists no layers (rootfs.diff_ids)");
  return out;
}

core::Result<int> parseSignal(std::string_view name) {
  static const std::pair<std::string_view, int> kSignals[] = {
      {"HUP", SIGHUP},   {"INT", SIGINT},     {"QUIT", SIGQUIT}, {"ILL", SIGILL},   {"TRAP", SIGTRAP},
      {"ABRT", SIGABRT}, {"BUS", SIGBUS},     {"FPE", SIGFPE},   {"KILL", SIGKILL}, {"USR1", SIGUSR1},
      {"SEGV", SIGSEGV}, {"USR2", SIGUSR2},   {"PIPE", SIGPIPE}, {"ALRM", SIGALRM}, {"TERM", SIGTERM},
      {"CHLD", SIGCHLD}, {"CONT", SIGCONT},   {"STOP", SIGSTOP}, {"TSTP", SIGTSTP}, {"TTIN", SIGTTIN},
      {"TTOU", SIGTTOU}, {"URG", SIGURG},     {"XCPU", SIGXCPU}, {"XFSZ", SIGXFSZ}, {"VTALRM", SIGVTALRM},
      {"PROF", SIGPROF}, {"WINCH", SIGWINCH}, {"IO", SIGIO},     {"PWR", SIGPWR},   {"SYS", SIGSYS},
  };
  std::string_view text = name;
  if (!text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    int number = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
    if (ec == std::errc() && end == text.data() + text.size() && number > 0 && number <= 64) return number;
    return error("the image's stop signal " + std::string(name) + " is not a signal number");
  }
  if (text.rfind("SIG", 0) == 0) text.remove_prefix(3);
  for (const auto& [known, number] : kSignals) {
    if (known == text) return number;
  }
  return error("the image's stop signal " + std::string(name) + " is not a signal this machine knows");
}

std::string chainId(const std::vector<std::string>& diffIds) {
  if (diffIds.empty()) return {};
  std::string chain = diffIds.front();
  for (std::size_t i = 1; i < diffIds.size(); ++i) {
    chain = "sha256:" + sha256Hex(chain + " " + diffIds[i]);
  }
  return chain;
}

core::Result<std::vector<std::string>> processArgs(const ImageConfig& image,
                                                   const std::vector<std::string>& command,
                                                   const std::vector<std::string>& args) {
  std::vector<std::string> out;
  if (!command.empty()) {
    out = command;
    out.insert(out.end(), args.begin(), args.end());
  } else {
    out = image.entrypoint;
    const auto& tail = args.empty() ? image.cmd : args;
    out.insert(out.end(), tail.begin(), tail.end());
  }
  if (out.empty()) {
    return error("no command specified: the image has no Entrypoint or Cmd, so the container "
                 "needs a command or args");
  }
  return out;
}

std::vector<std::string> processEnv(const ImageConfig& image, std::string_view hostname) {
  std::vector<std::string> env{std::string(kDefaultPath)};
  if (!hostname.empty()) env.push_back("HOSTNAME=" + std::string(hostname));
  for (const auto& entry : image.env) setEnv(env, entry);
  return env;
}

core::Result<ProcessUser> parseImageUser(std::string_view user) {
  ProcessUser out;
  if (user.empty() || user == "root" || user == "root:root" || user == "0:root") return out;
  std::string_view uidPart = user.substr(0, user.find(':'));
  std::string_view gidPart;
  if (auto colon = user.find(':'); colon != std::string_view::npos) gidPart = user.substr(colon + 1);

  auto uid = uidPart == "root" ? std::optional<std::uint32_t>(0) : parseId(uidPart);
  auto gid = gidPart.empty() ? std::optional<std::uint32_t>(0)
             : gidPart == "root" ? std::optional<std::uint32_t>(0)
                                 : parseId(gidPart);
  if (!uid || !gid) {
    return error("the image runs as user \"" + std::string(user) +
                 "\"; only numeric users (uid or uid:gid) and root are supported");
  }
  out.uid = *uid;
  out.gid = *gid;
  return out;
}

}  // namespace podscope::engine::containerd
