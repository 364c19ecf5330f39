#include "engine/runtime/containerd/pod_sandbox.h"

#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <thread>

namespace podscope::engine::containerd {
namespace {

core::Error sysError(const std::string& what, int err) {
  return core::Error{what + ": " + std::strerror(err), {}, {}};
}

core::Status touch(const std::string& path) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return sysError("cannot create " + path, errno);
  ::close(fd);
  return {};
}

core::Status writeFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::trunc);
  out << text;
  out.close();
  if (!out) return sysError("cannot write " + path, errno);
  return {};
}

core::Status bringLoopbackUp() {
  int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return sysError("cannot open a socket in the pod's network namespace", errno);
  ifreq req{};
  std::strncpy(req.ifr_name, "lo", IFNAMSIZ - 1);
  int rc = ::ioctl(fd, SIOCGIFFLAGS, &req);
  if (rc == 0) {
    req.ifr_flags |= IFF_UP;
    rc = ::ioctl(fd, SIOCSIFFLAGS, &req);
  }
  int err = errno;
  ::close(fd);
  if (rc != 0) return sysError("cannot bring up lo in the pod's network namespace", err);
  return {};
}

// Runs on a thread of its own, which it leaves in the new namespaces: the
// thread ends right after, so no other work ever runs inside them by
// accident. unshare() of these three is allowed in a multi-threaded process
// because it only moves the calling thread.
core::Status makeNamespaces(const PodSandboxPaths& paths, const std::string& hostname) {
  if (::unshare(CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS) != 0) {
    int err = errno;
    return sysError(err == EPERM ? "cannot create the pod's namespaces (this needs root)"
                                 : "cannot create the pod's namespaces",
                    err);
  }
  if (::sethostname(hostname.data(), hostname.size()) != 0) {
    return sysError("cannot set the pod's hostname to \"" + hostname + "\"", errno);
  }
  if (auto st = bringLoopbackUp(); !st) return st;
  const std::pair<const char*, const std::string*> binds[] = {
      {"net", &paths.network}, {"ipc", &paths.ipc}, {"uts", &paths.uts}};
  for (const auto& [ns, target] : binds) {
    std::string source = std::string("/proc/thread-self/ns/") + ns;
    if (::mount(source.c_str(), target->c_str(), nullptr, MS_BIND, nullptr) != 0) {
      return sysError("cannot keep the pod's " + std::string(ns) + " namespace at " + *target,
                      errno);
    }
  }
  return {};
}

void detach(const std::string& path) {
  // EINVAL: not a mount point (never mounted, or already unmounted).
  ::umount2(path.c_str(), MNT_DETACH);
}

}  // namespace

PodSandboxPaths PodSandboxPaths::under(const std::string& dir) {
  PodSandboxPaths p;
  p.dir = dir;
  p.network = dir + "/net";
  p.ipc = dir + "/ipc";
  p.uts = dir + "/uts";
  p.shm = dir + "/shm";
  p.hosts = dir + "/hosts";
  p.hostname = dir + "/hostname";
  p.owner = dir + "/run";
  return p;
}

core::Result<PodSandboxPaths> createPodSandbox(const std::string& dir, const std::string& hostname) {
  PodSandboxPaths paths = PodSandboxPaths::under(dir);
  if (::mkdir(dir.c_str(), 0755) != 0) return sysError("cannot create " + dir, errno);

  auto fail = [&](core::Error error) -> core::Result<PodSandboxPaths> {
    (void)removePodSandbox(dir);
    return error;
  };

  for (const auto* file : {&paths.network, &paths.ipc, &paths.uts}) {
    if (auto st = touch(*file); !st) return fail(st.error());
  }
  core::Status made;
  std::thread maker([&] { made = makeNamespaces(paths, hostname); });
  maker.join();
  if (!made) return fail(made.error());

  if (::mkdir(paths.shm.c_str(), 01777) != 0) return fail(sysError("cannot create " + paths.shm, errno));
  if (::mount("shm", paths.shm.c_str(), "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
              "mode=1777,size=65536k") != 0) {
    return fail(sysError("cannot mount the pod's /dev/shm at " + paths.shm, errno));
  }

  // What the kubelet writes, less the pod IP line: these pods have no IP
  // beyond loopback, so the pod's own name resolves to a loopback address.
  std::string hosts =
      "# Kubernetes-managed hosts file (written by Podscope).\n"
      "127.0.0.1\tlocalhost\n"
      "::1\tlocalhost ip6-localhost ip6-loopback\n"
      "fe00::0\tip6-localnet\n"
      "fe00::0\tip6-mcastprefix\n"
      "fe00::1\tip6-allnodes\n"
      "fe00::2\tip6-allrouters\n"
      "127.0.1.1\t" + hostname + "\n";
  if (auto st = writeFile(paths.hosts, hosts); !st) return fail(st.error());
  if (auto st = writeFile(paths.hostname, hostname + "\n"); !st) return fail(st.error());
  return paths;
}

core::Status removePodSandbox(const std::string& dir) {
  PodSandboxPaths paths = PodSandboxPaths::under(dir);
  for (const auto* mounted : {&paths.network, &paths.ipc, &paths.uts, &paths.shm}) detach(*mounted);
  for (const auto* file : {&paths.network, &paths.ipc, &paths.uts, &paths.hosts, &paths.hostname}) {
    if (::unlink(file->c_str()) != 0 && errno != ENOENT) {
      return sysError("cannot remove " + *file, errno);
    }
  }
  if (::rmdir(paths.shm.c_str()) != 0 && errno != ENOENT) {
    return sysError("cannot remove " + paths.shm, errno);
  }
  if (::unlink(paths.owner.c_str()) != 0 && errno != ENOENT) return sysError("cannot remove " + paths.owner, errno);
  if (::rmdir(dir.c_str()) != 0 && errno != ENOENT) return sysError("cannot remove " + dir, errno);
  return {};
}

}  // namespace podscope::engine::containerd
