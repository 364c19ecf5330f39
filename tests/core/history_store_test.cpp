#include "core/history_store.h"

#include <fcntl.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "history_fingerprint.h"
#include "test_files.h"

namespace podscope::core {
namespace {

namespace fs = std::filesystem;

const DeploymentKey kWeb{"default", "web"};

/// A template named `t`: YAML mentioning it, hash "h-t", image t.
AppliedTemplate tmpl(const std::string& t, std::string cause = {}, int limit = kDefaultRevisionHistoryLimit) {
  AppliedTemplate a;
  a.templateYaml = "spec:\n  containers:\n  - image: " + t + "\n    name: web\n";
  a.templateHash = "h-" + t;
  a.changeCause = std::move(cause);
  a.images = {t};
  a.revisionHistoryLimit = limit;
  return a;
}

std::vector<std::int64_t> numbers(const DeploymentHistory& h) {
  std::vector<std::int64_t> out;
  for (const Revision& r : h.revisions) out.push_back(r.number);
  return out;
}

const Revision* find(const DeploymentHistory& h, std::int64_t number) {
  for (const Revision& r : h.revisions) {
    if (r.number == number) return &r;
  }
  return nullptr;
}

mode_t modeOf(const fs::path& p) {
  struct stat st{};
  if (::stat(p.c_str(), &st) != 0) return 0;
  return st.st_mode & 07777;
}

class HistoryStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    m_dir = fs::temp_directory_path() /
            ("podscope-history-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(m_dir);
    fs::create_directories(m_dir);
    m_path = (m_dir / "history.sqlite").string();
  }
  void TearDown() override { fs::remove_all(m_dir); }

  HistoryStoreOptions clock() {
    HistoryStoreOptions o;
    o.nowMs = [this] { return m_now; };
    return o;
  }

  HistoryStore openStore() {
    Result<HistoryStore> store = HistoryStore::open(m_path, clock());
    if (!store) ADD_FAILURE() << store.error().toString();
    return std::move(store).value();
  }

  DeploymentHistory historyOf(HistoryStore& store, const DeploymentKey& key = kWeb) {
    Result<std::optional<DeploymentHistory>> h = store.history(key);
    if (!h) {
      ADD_FAILURE() << h.error().toString();
      return {};
    }
    if (!*h) {
      ADD_FAILURE() << "no history for " << key.name;
      return {};
    }
    return std::move(**h);
  }

  RecordResult record(HistoryStore& store, const AppliedTemplate& a, const DeploymentKey& key = kWeb) {
    Result<RecordResult> r = store.record(key, a);
    if (!r) {
      ADD_FAILURE() << r.error().toString();
      return {};
    }
    return std::move(r).value();
  }

  fs::path m_dir;
  std::string m_path;
  std::int64_t m_now = 1'700'000'000'000;
};

TEST_F(HistoryStoreTest, RecordsTheFirstRevisionWithEverythingItWasGiven) {
  HistoryStore store = openStore();
  AppliedTemplate a = tmpl("nginx:1.18", "first rollout");
  a.images = {"nginx:1.18", "busybox:1.36"};
  a.manifestPath = "/home/me/web.yaml";
  a.recordRef = "runs/web-1.json";
  RecordResult r = record(store, a);
  EXPECT_EQ(r.decision, (ApplyDecision{ApplyDecision::Kind::Created, 1, 0}));
  EXPECT_EQ(r.message, "deployment.apps/web new revision 1");
  EXPECT_TRUE(r.pruned.empty());

  DeploymentHistory h = historyOf(store);
  EXPECT_EQ(h.deployment, (DeploymentSummary{kWeb, "/home/me/web.yaml", 1, 10, 1, m_now}));
  ASSERT_EQ(h.revisions.size(), 1u);
  const Revision& rev = h.revisions[0];
  EXPECT_EQ(rev.number, 1);
  EXPECT_EQ(rev.templateYaml, a.templateYaml);
  EXPECT_EQ(rev.templateHash, "h-nginx:1.18");
  EXPECT_EQ(rev.changeCause, "first rollout");
  EXPECT_EQ(rev.images, (std::vector<std::string>{"nginx:1.18", "busybox:1.36"}));
  EXPECT_TRUE(rev.revisionHistory.empty());
  EXPECT_EQ(rev.createdMs, m_now);
  EXPECT_EQ(rev.numberedMs, m_now);
  EXPECT_EQ(rev.outcome, RevisionOutcome::Progressing);
  EXPECT_EQ(rev.recordRef, "runs/web-1.json");

  Result<std::optional<DeploymentHistory>> other = store.history({"default", "db"});
  ASSERT_TRUE(other.has_value());
  EXPECT_FALSE(other->has_value());
}

TEST_F(HistoryStoreTest, ReapplyingTheCurrentTemplateMakesNoRevision) {
  HistoryStore store = openStore();
  record(store, tmpl("nginx:1.18", "first"));
  m_now += 60'000;
  RecordResult again = record(store, tmpl("nginx:1.18"));
  EXPECT_EQ(again.decision, (ApplyDecision{ApplyDecision::Kind::Unchanged, 1, 0}));
  EXPECT_EQ(again.message, "deployment.apps/web template unchanged: no new revision, revision 1 stays current");
  DeploymentHistory h = historyOf(store);
  EXPECT_EQ(numbers(h), std::vector<std::int64_t>{1});
  EXPECT_EQ(h.revisions[0].changeCause, "first") << "an applied Deployment without a change-cause keeps it";
  EXPECT_EQ(h.revisions[0].numberedMs, m_now - 60'000);

  // A new change-cause on the same template reaches the current revision,
  // as the controller copies the Deployment's annotations to its ReplicaSet.
  record(store, tmpl("nginx:1.18", "annotated later"));
  EXPECT_EQ(historyOf(store).revisions[0].changeCause, "annotated later");
}

TEST_F(HistoryStoreTest, UndoFromThreeRevisionsGivesOneThreeFour) {
  HistoryStore store = openStore();
  record(store, tmpl("a", "cause a"));
  m_now += 1000;
  record(store, tmpl("b", "cause b"));
  m_now += 1000;
  record(store, tmpl("c"));
  m_now += 1000;

  Result<UndoPlan> plan = store.undo(kWeb, 0);
  ASSERT_TRUE(plan.has_value()) << plan.error().message;
  EXPECT_EQ(plan->kind, UndoPlan::Kind::RollBack);
  EXPECT_EQ(plan->revision, 2);
  EXPECT_EQ(plan->message, "deployment.apps/web rolled back");
  EXPECT_EQ(plan->templateHash, "h-b");
  EXPECT_EQ(plan->changeCause, "cause b");
  EXPECT_EQ(numbers(historyOf(store)), (std::vector<std::int64_t>{1, 2, 3})) << "undo itself changes nothing";

  AppliedTemplate back{plan->templateYaml, plan->templateHash, plan->changeCause, plan->images};
  RecordResult r = record(store, back);
  EXPECT_EQ(r.decision, (ApplyDecision{ApplyDecision::Kind::Renumbered, 4, 2}));
  EXPECT_EQ(r.message, "deployment.apps/web template of revision 2 applied again: it is now revision 4");

  DeploymentHistory h = historyOf(store);
  EXPECT_EQ(numbers(h), (std::vector<std::int64_t>{1, 3, 4}));
  EXPECT_EQ(h.deployment.currentRevision, 4);
  const Revision* four = find(h, 4);
  ASSERT_NE(four, nullptr);
  EXPECT_EQ(four->templateHash, "h-b");
  EXPECT_EQ(four->changeCause, "cause b");
  EXPECT_EQ(four->revisionHistory, std::vector<std::int64_t>{2});
  EXPECT_EQ(four->createdMs, 1'700'000'001'000) << "the template was first applied as revision 2";
  EXPECT_EQ(four->numberedMs, m_now);
  EXPECT_EQ(formatRolloutHistory("web", h.revisions),
            "deployment.apps/web \nREVISION  CHANGE-CAUSE\n1         cause a\n3         <none>\n4         cause b\n\n");
}

TEST_F(HistoryStoreTest, UndoFromTwoRevisionsGivesTwoThree) {
  HistoryStore store = openStore();
  record(store, tmpl("a"));
  record(store, tmpl("b"));
  Result<UndoPlan> plan = store.undo(kWeb, 0);
  ASSERT_TRUE(plan.has_value()) << plan.error().message;
  EXPECT_EQ(plan->revision, 1);
  record(store, AppliedTemplate{plan->templateYaml, plan->templateHash, plan->changeCause, plan->images});
  DeploymentHistory h = historyOf(store);
  EXPECT_EQ(numbers(h), (std::vector<std::int64_t>{2, 3}));
  EXPECT_EQ(find(h, 3)->templateHash, "h-a");
  EXPECT_EQ(find(h, 3)->revisionHistory, std::vector<std::int64_t>{1});

  // Undo again goes back to b, which keeps renumbering upwards.
  plan = store.undo(kWeb, 0);
  ASSERT_TRUE(plan.has_value());
  EXPECT_EQ(plan->revision, 2);
  record(store, AppliedTemplate{plan->templateYaml, plan->templateHash, plan->changeCause, plan->images});
  h = historyOf(store);
  EXPECT_EQ(numbers(h), (std::vector<std::int64_t>{3, 4}));
  EXPECT_EQ(find(h, 4)->templateHash, "h-b");
  EXPECT_EQ(find(h, 4)->revisionHistory, std::vector<std::int64_t>{2});
}

TEST_F(HistoryStoreTest, ReapplyingAnOldTemplateAccumulatesItsRevisionHistory) {
  HistoryStore store = openStore();
  record(store, tmpl("a"));  // 1
  record(store, tmpl("b"));  // 2
  record(store, tmpl("a"));  // a: 1 -> 3
  record(store, tmpl("b"));  // b: 2 -> 4
  RecordResult r = record(store, tmpl("a"));  // a: 3 -> 5
  EXPECT_EQ(r.decision, (ApplyDecision{ApplyDecision::Kind::Renumbered, 5, 3}));
  DeploymentHistory h = historyOf(store);
  EXPECT_EQ(numbers(h), (std::vector<std::int64_t>{4, 5}));
  EXPECT_EQ(find(h, 5)->revisionHistory, (std::vector<std::int64_t>{1, 3}));
  EXPECT_EQ(find(h, 4)->revisionHistory, (std::vector<std::int64_t>{2}));
}

TEST_F(HistoryStoreTest, RenumberedRevisionStartsAFreshRollout) {
  HistoryStore store = openStore();
  AppliedTemplate a = tmpl("a");
  a.recordRef = "run-1";
  record(store, a);
  ASSERT_TRUE(store.setOutcome(kWeb, 1, RevisionOutcome::Complete));
  record(store, tmpl("b"));
  a.recordRef = "run-3";
  record(store, a);
  const Revision* three = find(historyOf(store), 3);
  ASSERT_NE(three, nullptr);
  EXPECT_EQ(three->outcome, RevisionOutcome::Progressing);
  EXPECT_EQ(three->recordRef, "run-3");
}

TEST_F(HistoryStoreTest, UndoToTheCurrentTemplateIsSkipped) {
  HistoryStore store = openStore();
  record(store, tmpl("a"));
  record(store, tmpl("b"));
  Result<UndoPlan> plan = store.undo(kWeb, 2);
  ASSERT_TRUE(plan.has_value()) << plan.error().message;
  EXPECT_EQ(plan->kind, UndoPlan::Kind::Skip);
  EXPECT_EQ(plan->message, "deployment.apps/web skipped rollback (current template already matches revision 2)");

  // The running template may not be the current revision's (kubectl compares
  // with the Deployment's own template).
  UndoOptions running;
  running.currentTemplateHash = "h-a";
  plan = store.undo(kWeb, 0, running);
  ASSERT_TRUE(plan.has_value()) << plan.error().message;
  EXPECT_EQ(plan->kind, UndoPlan::Kind::Skip);
  EXPECT_EQ(plan->message, "deployment.apps/web skipped rollback (current template already matches revision 0)");
  EXPECT_EQ(numbers(historyOf(store)), (std::vector<std::int64_t>{1, 2}));
}

TEST_F(HistoryStoreTest, UndoErrorsAreKubectls) {
  HistoryStore store = openStore();
  auto undoError = [&](const DeploymentKey& key, std::int64_t to, bool paused) {
    UndoOptions o;
    o.paused = paused;
    Result<UndoPlan> plan = store.undo(key, to, o);
    return plan ? std::string("(no error)") : kubectlErrorLine(plan.error().message);
  };
  EXPECT_EQ(undoError(kWeb, 0, false), "error: no rollout history found for deployment \"web\"");
  EXPECT_EQ(undoError(kWeb, 3, false), "error: unable to find specified revision 3 in history");
  record(store, tmpl("a"));
  EXPECT_EQ(undoError(kWeb, 0, false), "error: no rollout history found for deployment \"web\"");
  record(store, tmpl("b"));
  EXPECT_EQ(undoError(kWeb, 5, false), "error: unable to find specified revision 5 in history");
  EXPECT_EQ(undoError(kWeb, 1, true),
            "error: you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again");
}

TEST_F(HistoryStoreTest, KeepsRevisionHistoryLimitOldRevisions) {
  HistoryStore store = openStore();
  for (const char* t : {"a", "b", "c"}) record(store, tmpl(t, "", 2));
  RecordResult d = record(store, tmpl("d", "", 2));
  EXPECT_EQ(d.pruned, std::vector<std::int64_t>{1});
  RecordResult e = record(store, tmpl("e", "", 2));
  EXPECT_EQ(e.pruned, std::vector<std::int64_t>{2});
  DeploymentHistory h = historyOf(store);
  EXPECT_EQ(numbers(h), (std::vector<std::int64_t>{3, 4, 5}));
  EXPECT_EQ(h.deployment.revisionHistoryLimit, 2);

  // Lowering the limit applies on the next record, even without a new revision.
  RecordResult same = record(store, tmpl("e", "", 0));
  EXPECT_EQ(same.decision.kind, ApplyDecision::Kind::Unchanged);
  EXPECT_EQ(same.pruned, (std::vector<std::int64_t>{3, 4}));
  h = historyOf(store);
  EXPECT_EQ(numbers(h), std::vector<std::int64_t>{5});
  EXPECT_EQ(h.deployment.revisionHistoryLimit, 0);

  // Limit 0: nothing to undo to, and a pruned template comes back as new.
  Result<UndoPlan> plan = store.undo(kWeb, 0);
  ASSERT_FALSE(plan.has_value());
  EXPECT_EQ(plan.error().message, "no rollout history found for deployment \"web\"");
  RecordResult a = record(store, tmpl("a", "", 0));
  EXPECT_EQ(a.decision, (ApplyDecision{ApplyDecision::Kind::Created, 6, 0}));
  EXPECT_EQ(a.pruned, std::vector<std::int64_t>{5});
  EXPECT_EQ(numbers(historyOf(store)), std::vector<std::int64_t>{6});
}

TEST_F(HistoryStoreTest, SetsOutcomeAndRecordReferenceLater) {
  HistoryStore store = openStore();
  record(store, tmpl("a"));
  record(store, tmpl("b"));
  ASSERT_TRUE(store.setOutcome(kWeb, 1, RevisionOutcome::RolledBack));
  ASSERT_TRUE(store.setOutcome(kWeb, 2, RevisionOutcome::ProgressDeadlineExceeded));
  ASSERT_TRUE(store.setRecordRef(kWeb, 2, "/runs/web/2.json"));
  DeploymentHistory h = historyOf(store);
  EXPECT_EQ(find(h, 1)->outcome, RevisionOutcome::RolledBack);
  EXPECT_EQ(find(h, 1)->recordRef, "");
  EXPECT_EQ(find(h, 2)->outcome, RevisionOutcome::ProgressDeadlineExceeded);
  EXPECT_EQ(find(h, 2)->recordRef, "/runs/web/2.json");

  Status missing = store.setOutcome(kWeb, 9, RevisionOutcome::Complete);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().message, "deployment.apps/web in namespace default has no revision 9 in its history");
  EXPECT_FALSE(store.setRecordRef({"other", "web"}, 1, "x"));
}

TEST_F(HistoryStoreTest, ListsAndDeletesDeployments) {
  HistoryStore store = openStore();
  record(store, tmpl("a"), {"team-b", "api"});
  m_now += 5;
  record(store, tmpl("a"), kWeb);
  record(store, tmpl("b"), kWeb);
  record(store, tmpl("c"), {"default", "db"});

  Result<std::vector<DeploymentSummary>> list = store.listDeployments();
  ASSERT_TRUE(list.has_value());
  ASSERT_EQ(list->size(), 3u);
  EXPECT_EQ((*list)[0].key, (DeploymentKey{"default", "db"}));
  EXPECT_EQ((*list)[1].key, kWeb);
  EXPECT_EQ((*list)[1].currentRevision, 2);
  EXPECT_EQ((*list)[1].revisionCount, 2);
  EXPECT_EQ((*list)[2].key, (DeploymentKey{"team-b", "api"}));
  EXPECT_EQ((*list)[2].updatedMs, m_now - 5);

  // Same template hash in two Deployments: two separate histories.
  EXPECT_EQ(historyOf(store, {"team-b", "api"}).revisions[0].templateHash, "h-a");
  EXPECT_EQ(find(historyOf(store), 1)->templateHash, "h-a");

  Result<bool> removed = store.removeDeployment(kWeb);
  ASSERT_TRUE(removed.has_value());
  EXPECT_TRUE(*removed);
  removed = store.removeDeployment(kWeb);
  ASSERT_TRUE(removed.has_value());
  EXPECT_FALSE(*removed);
  list = store.listDeployments();
  ASSERT_TRUE(list.has_value());
  EXPECT_EQ(list->size(), 2u);
  Result<std::optional<DeploymentHistory>> gone = store.history(kWeb);
  ASSERT_TRUE(gone.has_value());
  EXPECT_FALSE(gone->has_value());

  // A new history starts again at revision 1.
  EXPECT_EQ(record(store, tmpl("z")).decision.number, 1);
}

TEST_F(HistoryStoreTest, RefusesAHashThatNamesAnotherTemplate) {
  HistoryStore store = openStore();
  record(store, tmpl("a"));
  AppliedTemplate clash = tmpl("b");
  clash.templateHash = "h-a";
  Result<RecordResult> r = store.record(kWeb, clash);
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message.find("already revision 1's, whose template differs"), std::string::npos)
      << r.error().message;
  EXPECT_EQ(numbers(historyOf(store)), std::vector<std::int64_t>{1}) << "the failed record wrote nothing";
}

TEST_F(HistoryStoreTest, KeepsItsHistoryAcrossOpens) {
  {
    HistoryStore store = openStore();
    record(store, tmpl("a", "one"));
    record(store, tmpl("b", "two"));
    ASSERT_TRUE(store.setOutcome(kWeb, 2, RevisionOutcome::Complete));
  }
  HistoryStore again = openStore();
  DeploymentHistory h = historyOf(again);
  EXPECT_EQ(numbers(h), (std::vector<std::int64_t>{1, 2}));
  EXPECT_EQ(find(h, 2)->outcome, RevisionOutcome::Complete);
  EXPECT_EQ(find(h, 1)->changeCause, "one");
  Result<std::string> check = again.integrityCheck();
  ASSERT_TRUE(check.has_value());
  EXPECT_EQ(*check, "ok");
}

TEST_F(HistoryStoreTest, FileAndDirectoriesAreTheUsersAloneWhateverTheUmask) {
  const mode_t old = ::umask(0);
  const fs::path nested = m_dir / "data" / "podscope" / "history.sqlite";
  {
    Result<HistoryStore> store = HistoryStore::open(nested.string());
    ASSERT_TRUE(store.has_value()) << store.error().toString();
    ASSERT_TRUE(store->record(kWeb, tmpl("a")).has_value());
    // While the store is open SQLite keeps its -wal and -shm files.
    EXPECT_EQ(modeOf(m_dir / "data"), 0700u);
    EXPECT_EQ(modeOf(m_dir / "data" / "podscope"), 0700u);
    EXPECT_EQ(modeOf(nested), 0600u);
    ASSERT_TRUE(fs::exists(nested.string() + "-wal"));
    ASSERT_TRUE(fs::exists(nested.string() + "-shm"));
    EXPECT_EQ(modeOf(nested.string() + "-wal"), 0600u);
    EXPECT_EQ(modeOf(nested.string() + "-shm"), 0600u);
  }
  // An existing directory is the user's choice: left as it is.
  fs::create_directories(m_dir / "shared");
  ::chmod((m_dir / "shared").c_str(), 0755);
  {
    Result<HistoryStore> store = HistoryStore::open((m_dir / "shared" / "history.sqlite").string());
    ASSERT_TRUE(store.has_value()) << store.error().toString();
    EXPECT_EQ(modeOf(m_dir / "shared"), 0755u);
    EXPECT_EQ(modeOf(m_dir / "shared" / "history.sqlite"), 0600u);
  }
  ::umask(old);
}

TEST_F(HistoryStoreTest, DefaultPathFollowsXdgDataHome) {
  auto saved = [](const char* name) -> std::optional<std::string> {
    const char* v = std::getenv(name);
    return v ? std::optional<std::string>(v) : std::nullopt;
  };
  auto restore = [](const char* name, const std::optional<std::string>& v) {
    if (v) ::setenv(name, v->c_str(), 1);
    else ::unsetenv(name);
  };
  const std::optional<std::string> data = saved("XDG_DATA_HOME"), home = saved("HOME");

  ::setenv("XDG_DATA_HOME", (m_dir / "xdg").c_str(), 1);
  EXPECT_EQ(HistoryStore::defaultPath(), (m_dir / "xdg" / "podscope" / "history.sqlite").string());
  ::setenv("XDG_DATA_HOME", "relative/data", 1);
  ::setenv("HOME", "/home/someone", 1);
  EXPECT_EQ(HistoryStore::defaultPath(), "/home/someone/.local/share/podscope/history.sqlite");
  ::unsetenv("XDG_DATA_HOME");
  EXPECT_EQ(HistoryStore::defaultPath(), "/home/someone/.local/share/podscope/history.sqlite");
  ::unsetenv("HOME");
  EXPECT_EQ(HistoryStore::defaultPath(), "");
  Result<HistoryStore> none = HistoryStore::open(HistoryStore::defaultPath());
  ASSERT_FALSE(none.has_value());
  EXPECT_NE(none.error().message.find("XDG_DATA_HOME or HOME"), std::string::npos);

  ::setenv("XDG_DATA_HOME", (m_dir / "xdg").c_str(), 1);
  {
    Result<HistoryStore> store = HistoryStore::open(HistoryStore::defaultPath());
    ASSERT_TRUE(store.has_value()) << store.error().toString();
    EXPECT_EQ(modeOf(m_dir / "xdg" / "podscope"), 0700u);
    EXPECT_EQ(modeOf(m_dir / "xdg" / "podscope" / "history.sqlite"), 0600u);
  }
  restore("XDG_DATA_HOME", data);
  restore("HOME", home);
}

TEST_F(HistoryStoreTest, TwoConnectionsWriteTheSameHistoryAtOnce) {
  constexpr int kEach = 25;
  { HistoryStore create = openStore(); }
  auto writer = [&](const std::string& prefix, std::vector<std::string>* errors) {
    Result<HistoryStore> store = HistoryStore::open(m_path);
    if (!store) {
      errors->push_back(store.error().toString());
      return;
    }
    for (int i = 0; i < kEach; ++i) {
      Result<RecordResult> r = store->record(kWeb, tmpl(prefix + std::to_string(i), prefix, 1000));
      if (!r) errors->push_back(r.error().toString());
      // Each writer also keeps a Deployment of its own.
      Result<RecordResult> own = store->record({"default", prefix}, tmpl(std::to_string(i), "", 1000));
      if (!own) errors->push_back(own.error().toString());
    }
  };
  std::vector<std::string> errorsA, errorsB;
  std::thread a(writer, "a", &errorsA);
  std::thread b(writer, "b", &errorsB);
  a.join();
  b.join();
  EXPECT_TRUE(errorsA.empty()) << errorsA.front();
  EXPECT_TRUE(errorsB.empty()) << errorsB.front();

  HistoryStore store = openStore();
  DeploymentHistory h = historyOf(store);
  std::vector<std::int64_t> expected;
  for (int i = 1; i <= 2 * kEach; ++i) expected.push_back(i);
  EXPECT_EQ(numbers(h), expected) << "every record got its own number, none lost";
  std::set<std::string> hashes;
  for (const Revision& r : h.revisions) hashes.insert(r.templateHash);
  EXPECT_EQ(hashes.size(), static_cast<std::size_t>(2 * kEach));
  EXPECT_EQ(h.deployment.currentRevision, 2 * kEach);
  EXPECT_EQ(numbers(historyOf(store, {"default", "a"})).size(), static_cast<std::size_t>(kEach));
  EXPECT_EQ(numbers(historyOf(store, {"default", "b"})).size(), static_cast<std::size_t>(kEach));
}

TEST_F(HistoryStoreTest, TwoConnectionsCreateANewFileAtOnce) {
  for (int i = 0; i < 20; ++i) {
    const std::string path = (m_dir / ("new-" + std::to_string(i) + ".sqlite")).string();
    std::vector<std::string> errors(2);
    auto opener = [&](int who) {
      Result<HistoryStore> store = HistoryStore::open(path);
      if (!store) {
        errors[who] = store.error().toString();
        return;
      }
      if (Result<RecordResult> r = store->record({"default", std::to_string(who)}, tmpl("a")); !r) {
        errors[who] = r.error().toString();
      }
    };
    std::thread a(opener, 0), b(opener, 1);
    a.join();
    b.join();
    EXPECT_EQ(errors[0], "") << "attempt " << i;
    EXPECT_EQ(errors[1], "") << "attempt " << i;
    Result<HistoryStore> store = HistoryStore::open(path);
    ASSERT_TRUE(store.has_value()) << store.error().toString();
    Result<std::vector<DeploymentSummary>> list = store->listDeployments();
    ASSERT_TRUE(list.has_value());
    EXPECT_EQ(list->size(), 2u) << "attempt " << i;
  }
}

TEST_F(HistoryStoreTest, OneStoreIsSafeFromManyThreads) {
  HistoryStore store = openStore();
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 10; ++i) {
        if (!store.record(kWeb, tmpl(std::to_string(t) + "-" + std::to_string(i), "", 100))) ++failures;
        if (!store.history(kWeb)) ++failures;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(historyOf(store).revisions.size(), 40u);
}

TEST_F(HistoryStoreTest, OpensAnEmptyFileAsANewHistory) {
  std::ofstream(m_path).flush();
  ASSERT_EQ(fs::file_size(m_path), 0u);
  HistoryStore store = openStore();
  record(store, tmpl("a"));
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open_v2(m_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* s = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &s, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(s), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(s, 0), HistoryStore::kSchemaVersion);
  sqlite3_finalize(s);
  ASSERT_EQ(sqlite3_prepare_v2(db, "PRAGMA application_id", -1, &s, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(s), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(s, 0), HistoryStore::kApplicationId);
  sqlite3_finalize(s);
  ASSERT_EQ(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &s, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(s), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(s, 0)), "wal");
  sqlite3_finalize(s);
  sqlite3_close(db);
}

/// Runs SQL on `path` with SQLite itself, as another program would.
void rawExec(const std::string& path, const char* sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* msg = nullptr;
  EXPECT_EQ(sqlite3_exec(db, sql, nullptr, nullptr, &msg), SQLITE_OK) << (msg ? msg : "");
  sqlite3_free(msg);
  sqlite3_close(db);
}

TEST_F(HistoryStoreTest, RefusesAHistoryWrittenByANewerPodscope) {
  {
    HistoryStore store = openStore();
    record(store, tmpl("a"));
  }
  rawExec(m_path, "PRAGMA user_version = 7");
  const std::string before = testing::readFileBytes(m_path);
  Result<HistoryStore> store = HistoryStore::open(m_path);
  ASSERT_FALSE(store.has_value());
  const std::string text = store.error().toString();
  EXPECT_EQ(text, m_path + ": written by a newer Podscope: the history schema is version 7, this Podscope reads "
                           "versions up to 1; it was left as it is; use a newer Podscope or choose another file");
  EXPECT_TRUE(testing::readFileBytes(m_path) == before);
}

TEST_F(HistoryStoreTest, RefusesAFileThatIsNotADatabaseAndLeavesItIntact) {
  struct Case {
    const char* name;
    std::string bytes;
  };
  std::string random(64 * 1024, '\0');
  std::mt19937 gen(42);
  for (char& c : random) c = static_cast<char>(gen() & 0xff);
  const std::vector<Case> cases = {
      {"random bytes", random},
      {"text", "replicas: 3\nthis is my notes file\n"},
      {"short", "SQLite"},
      {"header only", std::string("SQLite format 3\0", 16)},
  };
  for (const Case& c : cases) {
    { std::ofstream(m_path, std::ios::binary | std::ios::trunc) << c.bytes; }
    ::chmod(m_path.c_str(), 0644);
    Result<HistoryStore> store = HistoryStore::open(m_path);
    ASSERT_FALSE(store.has_value()) << c.name;
    const std::string text = store.error().toString();
    EXPECT_NE(text.find(m_path), std::string::npos) << c.name << ": " << text;
    EXPECT_NE(text.find("not a Podscope history"), std::string::npos) << c.name << ": " << text;
    EXPECT_NE(text.find("left as it is"), std::string::npos) << c.name << ": " << text;
    EXPECT_TRUE(testing::readFileBytes(m_path) == c.bytes) << c.name;
    EXPECT_EQ(modeOf(m_path), 0644u) << c.name;
    EXPECT_FALSE(fs::exists(m_path + "-wal")) << c.name;
    EXPECT_FALSE(fs::exists(m_path + "-shm")) << c.name;
  }
}

TEST_F(HistoryStoreTest, RefusesAnotherProgramsDatabase) {
  rawExec(m_path, "CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('keep me')");
  std::string before = testing::readFileBytes(m_path);
  Result<HistoryStore> store = HistoryStore::open(m_path);
  ASSERT_FALSE(store.has_value());
  EXPECT_EQ(store.error().toString(), m_path + ": not a Podscope history: an SQLite database of another program (it "
                                               "has tables but no Podscope version); it was left as it is; choose "
                                               "another file");
  EXPECT_TRUE(testing::readFileBytes(m_path) == before);

  fs::remove(m_path);
  rawExec(m_path, "PRAGMA application_id = 1234");
  before = testing::readFileBytes(m_path);
  store = HistoryStore::open(m_path);
  ASSERT_FALSE(store.has_value());
  EXPECT_EQ(store.error().toString(), m_path + ": not a Podscope history: an SQLite database of another program "
                                               "(application id 0x4d2); it was left as it is; choose another file");
  EXPECT_TRUE(testing::readFileBytes(m_path) == before);
}

TEST_F(HistoryStoreTest, RefusesACorruptHistoryAndLeavesItIntact) {
  {
    HistoryStore store = openStore();
    for (int i = 0; i < 20; ++i) record(store, tmpl(std::string(3000, static_cast<char>('a' + i))));
  }
  // Keep SQLite's 100-byte header, ruin everything after it.
  std::string bytes = testing::readFileBytes(m_path);
  ASSERT_GT(bytes.size(), 4096u);
  for (std::size_t i = 100; i < bytes.size(); ++i) bytes[i] = static_cast<char>((i * 131) & 0xff);
  { std::ofstream(m_path, std::ios::binary | std::ios::trunc) << bytes; }

  Result<HistoryStore> store = HistoryStore::open(m_path);
  ASSERT_FALSE(store.has_value());
  const std::string text = store.error().toString();
  EXPECT_EQ(text.rfind(m_path + ": the history database is corrupt (", 0), 0u) << text;
  EXPECT_NE(text.find("left as it is"), std::string::npos) << text;
  EXPECT_TRUE(testing::readFileBytes(m_path) == bytes);
}

// --- The crash test -----------------------------------------------------------

/// The writer as a child process whose stdout the test reads line by line.
class Writer {
 public:
  Writer(const std::string& path, std::size_t bytes, int holdMs) {
    int fds[2];
    if (::pipe(fds) != 0) return;
    m_pid = ::fork();
    if (m_pid == 0) {
      ::dup2(fds[1], STDOUT_FILENO);
      ::close(fds[0]);
      ::close(fds[1]);
      std::string b = std::to_string(bytes), h = std::to_string(holdMs);
      ::execl(PODSCOPE_HISTORY_WRITER, "history_writer", path.c_str(), b.c_str(), h.c_str(), nullptr);
      ::_exit(127);
    }
    ::close(fds[1]);
    m_out = ::fdopen(fds[0], "r");
  }
  ~Writer() {
    kill();
    if (m_out) std::fclose(m_out);
  }

  bool started() const { return m_pid > 0 && m_out; }

  /// The next line, without its newline; nullopt at the end of the output.
  std::optional<std::string> line() {
    char* buf = nullptr;
    size_t cap = 0;
    ssize_t n = ::getline(&buf, &cap, m_out);
    std::optional<std::string> out;
    if (n > 0) out = std::string(buf, static_cast<std::size_t>(n - (buf[n - 1] == '\n' ? 1 : 0)));
    std::free(buf);
    return out;
  }

  /// SIGKILL, then wait for it: returns the signal that ended it (0 if none).
  int kill() {
    if (m_pid <= 0) return 0;
    ::kill(m_pid, SIGKILL);
    int status = 0;
    ::waitpid(m_pid, &status, 0);
    m_pid = 0;
    return WIFSIGNALED(status) ? WTERMSIG(status) : 0;
  }

 private:
  pid_t m_pid = -1;
  FILE* m_out = nullptr;
};

TEST_F(HistoryStoreTest, SurvivesTheWriterBeingKilledMidTransaction) {
  // 3 MiB templates: more than SQLite's default 2 MB page cache, so each
  // transaction spills uncommitted pages into the WAL before it commits and
  // the kill leaves half a transaction on disk.
  constexpr std::size_t kBytes = 3 * 1024 * 1024;
  const DeploymentKey key{"default", "crash"};
  std::map<std::int64_t, std::string> reportedHash;
  std::int64_t lastCommitted = 0;
  std::mt19937 gen(7);

  for (int round = 0; round < 6; ++round) {
    const bool holding = round < 4;  // else killed at a random moment, wherever it is
    Writer writer(m_path, kBytes, holding ? 400 : 0);
    ASSERT_TRUE(writer.started());
    std::int64_t killedWhileHolding = 0;
    const int holdsBeforeKill = round + 1;
    int holds = 0;
    const auto randomDelay = std::chrono::milliseconds(std::uniform_int_distribution<int>(0, 60)(gen));
    while (std::optional<std::string> l = writer.line()) {
      std::int64_t n = 0;
      char hash[32] = {};
      if (std::sscanf(l->c_str(), "committed %" SCNd64 " %31s", &n, hash) == 2) {
        reportedHash[n] = hash;
        lastCommitted = n;
        if (!holding) {
          std::this_thread::sleep_for(randomDelay);
          break;
        }
      } else if (long long wal = 0; std::sscanf(l->c_str(), "holding %" SCNd64 " wal=%lld", &n, &wal) == 2) {
        if (holding && ++holds == holdsBeforeKill) {
          killedWhileHolding = n;
          // The first revision into a new file: all but the few pages of the
          // tables' creation in the WAL is the open transaction's.
          if (n == 1) {
            EXPECT_GT(wal, 1024 * 1024) << "the killed transaction had spilled pages into the WAL";
          }
          break;
        }
      }
    }
    EXPECT_EQ(writer.kill(), SIGKILL) << "round " << round;
    // Lines written before the kill that were not read yet.
    while (std::optional<std::string> l = writer.line()) {
      std::int64_t n = 0;
      char hash[32] = {};
      if (std::sscanf(l->c_str(), "committed %" SCNd64 " %31s", &n, hash) == 2) {
        reportedHash[n] = hash;
        lastCommitted = n;
      }
    }
    if (holding) {
      ASSERT_EQ(killedWhileHolding, lastCommitted + 1) << "round " << round;
    }

    Result<HistoryStore> store = HistoryStore::open(m_path);
    ASSERT_TRUE(store.has_value()) << store.error().toString();
    Result<std::string> check = store->integrityCheck();
    ASSERT_TRUE(check.has_value()) << check.error().toString();
    EXPECT_EQ(*check, "ok") << "round " << round;
    Result<std::optional<DeploymentHistory>> h = store->history(key);
    ASSERT_TRUE(h.has_value()) << h.error().toString();
    if (lastCommitted == 0 && holding) {
      EXPECT_FALSE(h->has_value()) << "the first revision was never committed";
      continue;
    }
    ASSERT_TRUE(h->has_value()) << "round " << round;
    const DeploymentHistory& history = **h;
    std::int64_t highest = history.revisions.back().number;
    EXPECT_EQ(history.deployment.currentRevision, highest);
    if (holding) {
      EXPECT_EQ(highest, lastCommitted) << "round " << round << ": the transaction killed mid-write is not visible";
    } else {
      // Killed anywhere: the revision in flight is all there or not at all.
      EXPECT_TRUE(highest == lastCommitted || highest == lastCommitted + 1) << "round " << round;
      lastCommitted = highest;
    }
    EXPECT_LE(history.revisions.size(), 3u) << "revisionHistoryLimit 2 plus the current";
    for (const Revision& r : history.revisions) {
      EXPECT_EQ(r.templateYaml.size(), kBytes) << "revision " << r.number;
      EXPECT_EQ(podscope::testing::historyFingerprint(r.templateYaml), r.templateHash) << "revision " << r.number;
      EXPECT_NE(r.templateYaml.find("revision: \"" + std::to_string(r.number) + "\""), std::string::npos);
      if (reportedHash.count(r.number)) {
        EXPECT_EQ(reportedHash[r.number], r.templateHash);
      }
      EXPECT_EQ(r.changeCause, "write " + std::to_string(r.number));
    }
  }
  EXPECT_GE(lastCommitted, 8) << "the writer got through revisions between the kills";
}

}  // namespace
}  // namespace podscope::core
