#include "core/log_files.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace podscope::core {
namespace {

namespace fs = std::filesystem;

class LogFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    m_dir = fs::temp_directory_path() /
            ("podscope-log-files-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(m_dir);
    fs::create_directories(m_dir);
  }
  void TearDown() override { fs::remove_all(m_dir); }

  void touch(const fs::path& path) {
    fs::create_directories(path.parent_path());
    std::ofstream(path) << "x\n";
  }

  fs::path m_dir;
};

TEST_F(LogFilesTest, NamesFilesAsTheLayoutSays) {
  EXPECT_EQ(podLogDirName("default", "web", "1234"), "default_web_1234");
  EXPECT_EQ(containerLogPath("/logs", "default", "web", "1234", "app", 2), "/logs/default_web_1234/app/2.log");
  EXPECT_EQ(attemptLogPath("/logs/default_web_1234/app", 0), "/logs/default_web_1234/app/0.log");
}

TEST_F(LogFilesTest, SplitsOnlyThreePartFolderNames) {
  std::string ns, pod;
  EXPECT_TRUE(splitPodLogDirName("kube-system_web_abc", ns, pod));
  EXPECT_EQ(ns, "kube-system");
  EXPECT_EQ(pod, "web");
  EXPECT_FALSE(splitPodLogDirName("web_abc", ns, pod));
  EXPECT_FALSE(splitPodLogDirName("a_b_c_d", ns, pod));
  EXPECT_FALSE(splitPodLogDirName("a_b_", ns, pod));
}

TEST_F(LogFilesTest, FindsThePodsRunsAndOtherNamespaces) {
  touch(m_dir / "default_web_one" / "app" / "0.log");
  touch(m_dir / "default_web_two" / "app" / "0.log");
  touch(m_dir / "team-b_web_three" / "app" / "0.log");
  touch(m_dir / "default_db_four" / "db" / "0.log");
  // The second run was written to last.
  fs::last_write_time(m_dir / "default_web_one" / "app" / "0.log",
                      fs::last_write_time(m_dir / "default_web_two" / "app" / "0.log") - std::chrono::hours(1));
  fs::last_write_time(m_dir / "default_web_one" / "app",
                      fs::last_write_time(m_dir / "default_web_two" / "app") - std::chrono::hours(1));
  fs::last_write_time(m_dir / "default_web_one",
                      fs::last_write_time(m_dir / "default_web_two") - std::chrono::hours(1));

  PodLogDirs found = findPodLogDirs(m_dir.string(), "default", "web");
  EXPECT_TRUE(found.logDirExists);
  EXPECT_TRUE(found.error.empty());
  EXPECT_EQ(found.runs, 2u);
  EXPECT_EQ(found.latest, (m_dir / "default_web_two").string());
  EXPECT_EQ(found.otherNamespaces, std::vector<std::string>{"team-b"});
}

TEST_F(LogFilesTest, SaysWhenThereIsNothing) {
  PodLogDirs missing = findPodLogDirs((m_dir / "nowhere").string(), "default", "web");
  EXPECT_FALSE(missing.logDirExists);
  EXPECT_EQ(missing.runs, 0u);
  EXPECT_TRUE(missing.latest.empty());

  PodLogDirs empty = findPodLogDirs(m_dir.string(), "default", "web");
  EXPECT_TRUE(empty.logDirExists);
  EXPECT_EQ(empty.runs, 0u);
}

TEST_F(LogFilesTest, ListsContainersAndAttemptsInOrder) {
  const fs::path pod = m_dir / "default_web_one";
  touch(pod / "sidecar" / "0.log");
  touch(pod / "app" / "10.log");
  touch(pod / "app" / "2.log");
  touch(pod / "app" / "0.log");
  touch(pod / "app" / "notes.txt");
  touch(pod / "app" / "x.log");
  EXPECT_EQ(loggedContainers(pod.string()), (std::vector<std::string>{"app", "sidecar"}));
  EXPECT_EQ(loggedAttempts((pod / "app").string()), (std::vector<int>{0, 2, 10}));
  EXPECT_TRUE(loggedAttempts((pod / "missing").string()).empty());
}

}  // namespace
}  // namespace podscope::core
