#include "engine/runtime/containerd/pod_volumes.h"

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <system_error>

namespace podscope::engine::containerd {
namespace {

core::Error error(std::string message) { return core::Error{std::move(message), {}, {}}; }

std::string volumesDir(const std::string& sandboxDir) { return sandboxDir + "/volumes"; }
std::string terminationDir(const std::string& sandboxDir) { return sandboxDir + "/termination"; }

bool isMountPoint(const std::string& path) {
  struct stat self {};
  struct stat parent {};
  if (::stat(path.c_str(), &self) != 0) return false;
  std::string up = std::filesystem::path(path).parent_path().string();
  if (::stat(up.c_str(), &parent) != 0) return false;
  return self.st_dev != parent.st_dev;
}

core::Status makeDirectories(const std::string& path, std::filesystem::perms perms) {
  std::error_code ec;
  bool made = std::filesystem::create_directories(path, ec);
  if (ec) return error("cannot create " + path + ": " + ec.message());
  if (made) std::filesystem::permissions(path, perms, ec);
  return {};
}

// pkg/volume/hostpath: the type check, with the plugin's words.
core::Status checkHostPath(const std::string& path, const std::string& type) {
  struct stat st {};
  const bool exists = ::lstat(path.c_str(), &st) == 0;
  auto failed = [&](const std::string& what) {
    return error("hostPath type check failed: " + path + " is not a " + what);
  };
  if (type.empty()) {
    // No type: containerd's CRI plugin creates a missing source as a folder.
    if (!exists) return makeDirectories(path, std::filesystem::perms(0755));
    return {};
  }
  if (type == "DirectoryOrCreate") {
    if (!exists) return makeDirectories(path, std::filesystem::perms(0755));
    if (!S_ISDIR(st.st_mode)) return failed("directory");
    return {};
  }
  if (type == "Directory") return exists && S_ISDIR(st.st_mode) ? core::Status{} : failed("directory");
  if (type == "FileOrCreate") {
    if (!exists) {
      // Like the plugin, the parent folder is not created.
      int fd = ::open(path.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0644);
      if (fd < 0) return error("hostPath " + path + " cannot be created: " + std::strerror(errno));
      ::close(fd);
      return {};
    }
    return S_ISREG(st.st_mode) ? core::Status{} : failed("file");
  }
  if (type == "File") return exists && S_ISREG(st.st_mode) ? core::Status{} : failed("file");
  if (type == "Socket") return exists && S_ISSOCK(st.st_mode) ? core::Status{} : failed("socket file");
  if (type == "CharDevice") return exists && S_ISCHR(st.st_mode) ? core::Status{} : failed("character device");
  if (type == "BlockDevice") return exists && S_ISBLK(st.st_mode) ? core::Status{} : failed("block device");
  return error("hostPath type " + type + " is not one Kubernetes knows");
}

}  // namespace

core::Result<std::string> prepareVolume(const std::string& sandboxDir, const VolumeMountConfig& mount) {
  std::string source;
  if (mount.source == VolumeMountConfig::Source::EmptyDir) {
    source = volumesDir(sandboxDir) + "/" + mount.volume;
    // The kubelet makes emptyDir folders world-writable, so any user in
    // any of the pod's containers can use them.
    if (auto st = makeDirectories(source, std::filesystem::perms(0777)); !st) return st.error();
    if (mount.memory && !isMountPoint(source)) {
      if (::mount("tmpfs", source.c_str(), "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777") != 0) {
        return error("cannot mount a tmpfs for emptyDir " + mount.volume + " at " + source + ": " +
                     std::strerror(errno));
      }
    }
  } else {
    if (mount.hostPath.empty() || mount.hostPath.front() != '/') {
      return error("hostPath " + mount.hostPath + " is not an absolute path");
    }
    if (auto st = checkHostPath(mount.hostPath, mount.hostPathType); !st) return st.error();
    source = mount.hostPath;
  }
  if (!mount.subPath.empty()) {
    std::filesystem::path sub(mount.subPath);
    for (const auto& part : sub) {
      if (part == "..") return error("subPath " + mount.subPath + " must not contain '..'");
    }
    if (sub.is_absolute()) return error("subPath " + mount.subPath + " must be a relative path");
    source += "/" + mount.subPath;
    struct stat st {};
    if (::stat(source.c_str(), &st) != 0) {
      if (auto made = makeDirectories(source, std::filesystem::perms(0777)); !made) return made.error();
    }
  }
  return source;
}

core::Result<std::string> createTerminationMessageFile(const std::string& sandboxDir,
                                                       const std::string& containerId) {
  const std::string dir = terminationDir(sandboxDir);
  if (auto st = makeDirectories(dir, std::filesystem::perms(0755)); !st) return st.error();
  const std::string path = dir + "/" + containerId;
  int fd = ::open(path.c_str(), O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC, 0666);
  if (fd < 0) return error("cannot create " + path + ": " + std::strerror(errno));
  ::fchmod(fd, 0666);  // whatever the umask, a non-root container can write it
  ::close(fd);
  return path;
}

std::string readTerminationMessage(const std::string& path, std::size_t limit) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {};
  std::string text(limit, '\0');
  in.read(text.data(), static_cast<std::streamsize>(limit));
  text.resize(static_cast<std::size_t>(std::max<std::streamsize>(in.gcount(), 0)));
  return text;
}

core::Status removePodVolumes(const std::string& sandboxDir) {
  const std::string volumes = volumesDir(sandboxDir);
  std::error_code ec;
  if (std::filesystem::is_directory(volumes, ec)) {
    for (const auto& entry : std::filesystem::directory_iterator(volumes, ec)) {
      const std::string path = entry.path().string();
      if (isMountPoint(path) && ::umount2(path.c_str(), MNT_DETACH) != 0 && errno != EINVAL) {
        return error("cannot unmount " + path + ": " + std::strerror(errno));
      }
    }
  }
  for (const std::string& dir : {volumes, terminationDir(sandboxDir)}) {
    std::filesystem::remove_all(dir, ec);
    if (ec) return error("cannot remove " + dir + ": " + ec.message());
  }
  return {};
}

}  // namespace podscope::engine::containerd
