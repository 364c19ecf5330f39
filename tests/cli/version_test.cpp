// podscope-cli --version: the program's version, and what answers at the
// containerd address, without ever waiting long for it.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>

#include "cli/cli_support.h"

namespace {

using podscope::testing::CliOutput;
using podscope::testing::runCli;

/// A unix socket at a fresh path under the test's temporary directory;
/// `listening` keeps it open (connections queue but nobody answers),
/// otherwise it is closed at once and only the file is left, as a crashed
/// daemon leaves it.
class UnixSocket {
 public:
  UnixSocket(const std::string& name, bool listening) : m_path(::testing::TempDir() + name) {
    std::remove(m_path.c_str());
    m_fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path, m_path.c_str(), sizeof(addr.sun_path) - 1);
    m_bound = ::bind(m_fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0 && ::listen(m_fd, 16) == 0;
    if (!listening) {
      ::close(m_fd);
      m_fd = -1;
    }
  }
  ~UnixSocket() {
    if (m_fd >= 0) ::close(m_fd);
    std::remove(m_path.c_str());
  }
  const std::string& path() const { return m_path; }
  bool bound() const { return m_bound; }

 private:
  std::string m_path;
  int m_fd = -1;
  bool m_bound = false;
};

CliOutput timedRun(const std::string& args, std::chrono::milliseconds& took) {
  auto start = std::chrono::steady_clock::now();
  CliOutput o = runCli(args);
  took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
  return o;
}

TEST(CliVersion, FirstLineIsTheProgramAndItsVersion) {
  CliOutput o = runCli("--version --address /nonexistent/containerd.sock");
  EXPECT_EQ(o.exitCode, 0) << o.text;
  EXPECT_THAT(o.text, ::testing::StartsWith("podscope-cli " PODSCOPE_VERSION "\n"));
}

TEST(CliVersion, SaysWhenNoSocketIsThere) {
  CliOutput o = runCli("--version --address /nonexistent/containerd.sock");
  EXPECT_EQ(o.exitCode, 0) << o.text;
  EXPECT_THAT(o.text, ::testing::HasSubstr("\ncontainerd: not reachable at /nonexistent/containerd.sock (no socket there)\n"));
}

TEST(CliVersion, AcceptsTheUnixScheme) {
  CliOutput o = runCli("--version --address unix:///nonexistent/containerd.sock");
  EXPECT_EQ(o.exitCode, 0) << o.text;
  EXPECT_THAT(o.text, ::testing::HasSubstr("containerd: not reachable at /nonexistent/containerd.sock"));
}

TEST(CliVersion, SaysWhenTheAddressIsNoSocket) {
  CliOutput o = runCli("--version --address /");
  EXPECT_EQ(o.exitCode, 0) << o.text;
  EXPECT_THAT(o.text, ::testing::HasSubstr("containerd: not reachable at / (not a socket)"));
}

TEST(CliVersion, SaysWhenNothingListensOnALeftoverSocket) {
  UnixSocket stale("stale-containerd.sock", /*listening=*/false);
  ASSERT_TRUE(stale.bound());
  std::chrono::milliseconds took{};
  CliOutput o = timedRun("--version --address " + stale.path(), took);
  EXPECT_EQ(o.exitCode, 0) << o.text;
  EXPECT_THAT(o.text, ::testing::HasSubstr("containerd: not reachable at " + stale.path() + " ("));
  EXPECT_LT(took.count(), 5'000);
}

TEST(CliVersion, GivesUpOnASocketThatNeverAnswers) {
  UnixSocket silent("silent-containerd.sock", /*listening=*/true);
  ASSERT_TRUE(silent.bound());
  std::chrono::milliseconds took{};
  CliOutput o = timedRun("--version --address " + silent.path(), took);
  EXPECT_EQ(o.exitCode, 0) << o.text;
  EXPECT_THAT(o.text, ::testing::HasSubstr("containerd: not reachable at " + silent.path() + " ("));
  // gRPC gives up on the handshake or at the one-second deadline; a hang
  // would show as many seconds.
  EXPECT_LT(took.count(), 5'000);
}

TEST(CliVersion, AddressBeforeASubcommandNeedsVersion) {
  CliOutput o = runCli("--address /nonexistent/containerd.sock validate /dev/null");
  EXPECT_EQ(o.exitCode, 2) << o.text;
  EXPECT_THAT(o.text, ::testing::HasSubstr("--address before the subcommand only goes with --version"));
}

TEST(CliVersion, SubcommandsKeepTheirOwnAddress) {
  CliOutput o = runCli("gc --dry-run --address /nonexistent/containerd.sock");
  EXPECT_EQ(o.exitCode, 2) << o.text;
  EXPECT_THAT(o.text, ::testing::HasSubstr("/nonexistent/containerd.sock"));
}

}  // namespace
