// The output pump on its own: real FIFOs and writer processes' ends of them,
// no containerd. It must never let a writer block, keep what it is told to
// keep, copy everything into a tee file as it arrives, and only report the
// output complete once every writer has closed.

#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "containerd_test_support.h"
#include "engine/host/output_pump.h"

namespace podscope::engine {
namespace {

using namespace std::chrono_literals;
using testing::readFile;
using testing::TempDir;

/// Opens the FIFO as a writer would (blocking until the pump reads it).
int openWriter(const std::string& path) { return ::open(path.c_str(), O_WRONLY | O_CLOEXEC); }

void writeAll(int fd, const std::string& text) {
  std::size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    ASSERT_GT(n, 0);
    done += static_cast<std::size_t>(n);
  }
}

TEST(OutputPumpTest, ReturnsEverythingWrittenOnceTheWritersHaveClosed) {
  TempDir dir("pump");
  OutputPump pump;
  auto id = pump.open(dir.path() + "/out.fifo", 1024);
  ASSERT_TRUE(id) << id.error().message;
  int a = openWriter(dir.path() + "/out.fifo");
  int b = openWriter(dir.path() + "/out.fifo");
  ASSERT_GE(a, 0);
  ASSERT_GE(b, 0);
  pump.writersOpened(*id);
  writeAll(a, "from a\n");
  writeAll(b, "from b\n");
  ::close(a);
  std::thread late([b] {
    std::this_thread::sleep_for(200ms);
    writeAll(b, "b's last words\n");
    ::close(b);
  });
  // take() waits for the last writer, not the first.
  std::string out = pump.take(*id, 5s);
  late.join();
  EXPECT_EQ(out, "from a\nfrom b\nb's last words\n");
  EXPECT_FALSE(std::filesystem::exists(dir.path() + "/out.fifo"));
}

TEST(OutputPumpTest, AWriterThatComesAndGoesBeforeTheProcessStartsDoesNotEndTheOutput) {
  TempDir dir("pump");
  OutputPump pump;
  auto id = pump.open(dir.path() + "/out.fifo", 1024);
  ASSERT_TRUE(id);
  int early = openWriter(dir.path() + "/out.fifo");
  writeAll(early, "early\n");
  ::close(early);
  // The real writers open only now; their output still belongs.
  int real = openWriter(dir.path() + "/out.fifo");
  pump.writersOpened(*id);
  writeAll(real, "real\n");
  ::close(real);
  EXPECT_EQ(pump.take(*id, 5s), "early\nreal\n");
}

TEST(OutputPumpTest, KeepsOnlyMaxBytesButNeverBlocksTheWriter) {
  TempDir dir("pump");
  OutputPump pump;
  auto id = pump.open(dir.path() + "/out.fifo", 10);
  ASSERT_TRUE(id);
  int fd = openWriter(dir.path() + "/out.fifo");
  pump.writersOpened(*id);
  // Far more than a pipe holds (64 KiB): a writer blocked on a full pipe
  // would never get here.
  const std::string chunk(64 * 1024, 'x');
  for (int i = 0; i < 64; ++i) writeAll(fd, chunk);
  ::close(fd);
  EXPECT_EQ(pump.take(*id, 5s), std::string(10, 'x'));
}

TEST(OutputPumpTest, CopiesEverythingIntoTheTeeFileAsItArrives) {
  TempDir dir("pump");
  OutputPump pump;
  const std::string log = dir.path() + "/container.log";
  auto id = pump.open(dir.path() + "/log.fifo", 0, log);
  ASSERT_TRUE(id) << id.error().message;
  int fd = openWriter(dir.path() + "/log.fifo");
  pump.writersOpened(*id);
  writeAll(fd, "line one\n");
  // Readable while the writer is still open, as a log pane follows it.
  std::string seen;
  for (int i = 0; i < 100 && seen.empty(); ++i) {
    std::this_thread::sleep_for(20ms);
    seen = readFile(log);
  }
  EXPECT_EQ(seen, "line one\n");
  const std::string big(200 * 1024, 'y');
  writeAll(fd, big);
  ::close(fd);
  // With maxBytes 0 nothing is kept in memory; the file has it all.
  EXPECT_EQ(pump.take(*id, 5s), "");
  EXPECT_EQ(readFile(log), "line one\n" + big);
}

TEST(OutputPumpTest, TakeGivesUpAfterItsTimeoutWithWhatWasRead) {
  TempDir dir("pump");
  OutputPump pump;
  auto id = pump.open(dir.path() + "/out.fifo", 1024);
  ASSERT_TRUE(id);
  int fd = openWriter(dir.path() + "/out.fifo");
  pump.writersOpened(*id);
  writeAll(fd, "partial");
  auto began = std::chrono::steady_clock::now();
  std::string out = pump.take(*id, 300ms);
  auto waited = std::chrono::steady_clock::now() - began;
  EXPECT_EQ(out, "partial");
  EXPECT_GE(waited, 300ms);
  EXPECT_FALSE(std::filesystem::exists(dir.path() + "/out.fifo"));
  ::close(fd);
}

TEST(OutputPumpTest, OpenReplacesAFileInTheWayAndDropRemovesTheFifo) {
  TempDir dir("pump");
  const std::string path = dir.path() + "/out.fifo";
  { std::ofstream(path) << "stale"; }
  OutputPump pump;
  auto id = pump.open(path, 16);
  ASSERT_TRUE(id) << id.error().message;
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_TRUE(S_ISFIFO(st.st_mode));
  pump.drop(*id);
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST(OutputPumpTest, AFifoThatCannotBeMadeIsAnErrorNamingThePath) {
  OutputPump pump;
  auto id = pump.open("/nonexistent-dir/for/the/pump/out.fifo", 16);
  ASSERT_FALSE(id);
  EXPECT_NE(id.error().message.find("/nonexistent-dir/for/the/pump/out.fifo"), std::string::npos)
      << id.error().message;
}

}  // namespace
}  // namespace podscope::engine
