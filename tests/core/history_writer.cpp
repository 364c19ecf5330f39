// Writes revisions of one Deployment into a history file until it is killed:
// the history store's crash test runs it and SIGKILLs it mid-write.
//
//   history_writer <history-file> <template-bytes> <hold-ms> [<max-revisions>]
//
// Each revision's template is <template-bytes> of text made from its number
// (large enough that SQLite spills uncommitted pages into the WAL before the
// COMMIT), hashed with FNV-1a 64 into its template hash. Every write
// transaction, once its changes are made and before it commits, prints
// `holding <n> wal=<bytes of the -wal file>` and sleeps <hold-ms>; after each commit it prints
// `committed <n> <hash>`. Lines are flushed at once so the test knows where
// the writer is when it kills it.

#include <sys/stat.h>

#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>

#include "core/history_store.h"
#include "history_fingerprint.h"

namespace {

/// `bytes` of YAML-looking text that only revision `number` has.
std::string templateText(std::int64_t number, std::size_t bytes) {
  std::string text = "metadata:\n  labels:\n    revision: \"" + std::to_string(number) + "\"\ndata:\n";
  std::uint64_t x = 0x9E3779B97F4A7C15ull ^ static_cast<std::uint64_t>(number);
  char line[64];
  for (std::size_t i = 0; text.size() < bytes; ++i) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    std::snprintf(line, sizeof line, "  - %08zu %016" PRIx64 "\n", i, x);
    text += line;
  }
  text.resize(bytes);
  return text;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: history_writer <history-file> <template-bytes> <hold-ms> [<max-revisions>]\n");
    return 2;
  }
  const std::string path = argv[1];
  const std::size_t bytes = std::strtoull(argv[2], nullptr, 10);
  const int holdMs = std::atoi(argv[3]);
  const std::int64_t maxRevisions = argc > 4 ? std::atoll(argv[4]) : 1000;

  std::int64_t writing = 0;  // the revision the open transaction writes; 0 outside record()
  podscope::core::HistoryStoreOptions options;
  options.beforeCommit = [&] {
    if (writing == 0) return;
    // The WAL's size shows how much of the open transaction is on disk already.
    struct stat wal{};
    long long walBytes = ::stat((path + "-wal").c_str(), &wal) == 0 ? static_cast<long long>(wal.st_size) : 0;
    std::printf("holding %" PRId64 " wal=%lld\n", writing, walBytes);
    std::fflush(stdout);
    if (holdMs > 0) std::this_thread::sleep_for(std::chrono::milliseconds(holdMs));
  };
  auto store = podscope::core::HistoryStore::open(path, options);
  if (!store) {
    std::fprintf(stderr, "%s\n", store.error().toString().c_str());
    return 1;
  }

  const podscope::core::DeploymentKey key{"default", "crash"};
  for (std::int64_t done = 0; done < maxRevisions; ++done) {
    auto history = store->history(key);
    if (!history) {
      std::fprintf(stderr, "%s\n", history.error().toString().c_str());
      return 1;
    }
    std::int64_t next = *history ? (*history)->deployment.currentRevision + 1 : 1;
    podscope::core::AppliedTemplate applied;
    applied.templateYaml = templateText(next, bytes);
    applied.templateHash = podscope::testing::historyFingerprint(applied.templateYaml);
    applied.images = {"busybox:" + std::to_string(next)};
    applied.changeCause = "write " + std::to_string(next);
    applied.revisionHistoryLimit = 2;
    writing = next;
    auto recorded = store->record(key, applied);
    writing = 0;
    if (!recorded) {
      std::fprintf(stderr, "%s\n", recorded.error().toString().c_str());
      return 1;
    }
    std::printf("committed %" PRId64 " %s\n", recorded->decision.number, applied.templateHash.c_str());
    std::fflush(stdout);
  }
  return 0;
}
