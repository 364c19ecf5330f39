#include "core/rollout_history.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace podscope::core {
namespace {

/// A revision whose template is named `t`: hash "h-t", YAML "image: t\n".
Revision rev(std::int64_t number, const std::string& t, std::string cause = {}) {
  Revision r;
  r.number = number;
  r.templateHash = "h-" + t;
  r.templateYaml = "image: " + t + "\n";
  r.changeCause = std::move(cause);
  r.images = {t};
  return r;
}

TEST(RolloutHistoryTest, OutcomesReadBackFromTheirNames) {
  for (RevisionOutcome o : {RevisionOutcome::Progressing, RevisionOutcome::Complete,
                            RevisionOutcome::ProgressDeadlineExceeded, RevisionOutcome::RolledBack,
                            RevisionOutcome::Stopped}) {
    EXPECT_EQ(revisionOutcomeFromString(toString(o)), o) << toString(o);
  }
  EXPECT_EQ(toString(RevisionOutcome::ProgressDeadlineExceeded), "ProgressDeadlineExceeded");
  EXPECT_EQ(revisionOutcomeFromString("complete"), std::nullopt);
  EXPECT_EQ(revisionOutcomeFromString(""), std::nullopt);
}

TEST(RolloutHistoryTest, ParsesRevisionHistoryAnnotations) {
  struct Case {
    std::string text;
    std::optional<std::vector<std::int64_t>> numbers;
  };
  const std::vector<Case> cases = {
      {"", std::vector<std::int64_t>{}},
      {"1", std::vector<std::int64_t>{1}},
      {"2,5,17", std::vector<std::int64_t>{2, 5, 17}},
      {",", std::nullopt},
      {"1,", std::nullopt},
      {",1", std::nullopt},
      {"1,,2", std::nullopt},
      {"a", std::nullopt},
      {"1 ", std::nullopt},
      {"0", std::nullopt},
      {"-3", std::nullopt},
      {"99999999999999999999", std::nullopt},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(parseRevisionHistory(c.text), c.numbers) << "'" << c.text << "'";
    if (c.numbers) {
      EXPECT_EQ(joinRevisionHistory(*c.numbers), c.text);
    }
  }
}

TEST(RolloutHistoryTest, RevisionHistoryDropsItsOldestNumbersPastTheLengthLimit) {
  EXPECT_EQ(appendRevisionHistory({}, 3), (std::vector<std::int64_t>{3}));
  EXPECT_EQ(appendRevisionHistory({2, 3}, 7), (std::vector<std::int64_t>{2, 3, 7}));

  // 400 four-digit numbers: 400 * 5 - 1 = 1999 characters.
  std::vector<std::int64_t> full;
  for (int i = 0; i < 400; ++i) full.push_back(1000 + i);
  ASSERT_EQ(joinRevisionHistory(full).size(), 1999u);
  std::vector<std::int64_t> appended = appendRevisionHistory(full, 5000);
  EXPECT_LE(joinRevisionHistory(appended).size(), kMaxRevisionHistoryChars);
  EXPECT_EQ(appended.back(), 5000);
  EXPECT_EQ(appended.front(), 1001) << "only the oldest number makes room";
  EXPECT_EQ(appended.size(), 400u);
}

TEST(RolloutHistoryTest, DecidesWhatApplyingATemplateDoes) {
  using Kind = ApplyDecision::Kind;
  struct Case {
    const char* name;
    std::vector<Revision> revisions;
    std::int64_t current;
    std::string hash;
    ApplyDecision expected;
  };
  const std::vector<Case> cases = {
      {"first template", {}, 0, "h-a", {Kind::Created, 1, 0}},
      {"same as current", {rev(1, "a")}, 1, "h-a", {Kind::Unchanged, 1, 0}},
      {"new template", {rev(1, "a"), rev(2, "b")}, 2, "h-c", {Kind::Created, 3, 0}},
      {"1,2,3 back to 2", {rev(1, "a"), rev(2, "b"), rev(3, "c")}, 3, "h-b", {Kind::Renumbered, 4, 2}},
      {"1,2 back to 1", {rev(1, "a"), rev(2, "b")}, 2, "h-a", {Kind::Renumbered, 3, 1}},
      {"gaps after pruning", {rev(7, "a"), rev(9, "b")}, 9, "h-a", {Kind::Renumbered, 10, 7}},
      {"pruned history starts again above", {rev(9, "b")}, 9, "h-z", {Kind::Created, 10, 0}},
      {"unordered input", {rev(3, "c"), rev(1, "a"), rev(2, "b")}, 3, "h-a", {Kind::Renumbered, 4, 1}},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(decideApply(c.revisions, c.current, c.hash), c.expected) << c.name;
  }
}

TEST(RolloutHistoryTest, PrunesTheLowestOldRevisionsNeverTheCurrent) {
  struct Case {
    const char* name;
    std::vector<std::int64_t> numbers;
    std::int64_t current;
    int limit;
    std::vector<std::int64_t> pruned;
  };
  const std::vector<Case> cases = {
      {"under the limit", {1, 2, 3}, 3, 10, {}},
      {"at the limit", {1, 2, 3}, 3, 2, {}},
      {"one over", {1, 2, 3}, 3, 1, {1}},
      {"limit 0 keeps only the current", {1, 2, 3}, 3, 0, {1, 2}},
      {"negative taken as 0", {1, 2, 3}, 3, -1, {1, 2}},
      {"current is not the highest", {1, 2, 3}, 2, 0, {1, 3}},
      {"unordered", {5, 1, 4, 2}, 5, 1, {1, 2}},
      {"nothing at all", {}, 0, 0, {}},
  };
  for (const Case& c : cases) {
    std::vector<Revision> revisions;
    for (std::int64_t n : c.numbers) revisions.push_back(rev(n, std::to_string(n)));
    EXPECT_EQ(revisionsToPrune(revisions, c.current, c.limit), c.pruned) << c.name;
  }
}

TEST(RolloutHistoryTest, PlansUndoAsKubectl) {
  const std::vector<Revision> three = {rev(1, "a", "first"), rev(2, "b"), rev(3, "c")};
  struct Case {
    const char* name;
    std::vector<Revision> revisions;
    std::string currentHash;
    std::int64_t toRevision;
    bool paused;
    std::string error;  // empty: a plan
    UndoPlan::Kind kind;
    std::int64_t revision;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"previous revision", three, "h-c", 0, false, "", UndoPlan::Kind::RollBack, 2,
       "deployment.apps/web rolled back"},
      {"named revision", three, "h-c", 1, false, "", UndoPlan::Kind::RollBack, 1, "deployment.apps/web rolled back"},
      {"already there", three, "h-c", 3, false, "", UndoPlan::Kind::Skip, 3,
       "deployment.apps/web skipped rollback (current template already matches revision 3)"},
      {"default already there names 0", three, "h-b", 0, false, "", UndoPlan::Kind::Skip, 2,
       "deployment.apps/web skipped rollback (current template already matches revision 0)"},
      {"unknown revision", three, "h-c", 7, false, "unable to find specified revision 7 in history",
       UndoPlan::Kind::RollBack, 0, ""},
      {"negative revision", three, "h-c", -1, false, "unable to find specified revision -1 in history",
       UndoPlan::Kind::RollBack, 0, ""},
      {"only the current", {rev(1, "a")}, "h-a", 0, false, "no rollout history found for deployment \"web\"",
       UndoPlan::Kind::RollBack, 0, ""},
      {"no history at all", {}, "", 0, false, "no rollout history found for deployment \"web\"",
       UndoPlan::Kind::RollBack, 0, ""},
      {"no history, named revision", {}, "", 2, false, "unable to find specified revision 2 in history",
       UndoPlan::Kind::RollBack, 0, ""},
      {"paused", three, "h-c", 0, true,
       "you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again",
       UndoPlan::Kind::RollBack, 0, ""},
      {"unknown revision beats paused", three, "h-c", 9, true, "unable to find specified revision 9 in history",
       UndoPlan::Kind::RollBack, 0, ""},
  };
  for (const Case& c : cases) {
    Result<UndoPlan> plan = planUndo("web", c.revisions, c.currentHash, c.toRevision, c.paused);
    if (!c.error.empty()) {
      ASSERT_FALSE(plan.has_value()) << c.name;
      EXPECT_EQ(plan.error().message, c.error) << c.name;
      continue;
    }
    ASSERT_TRUE(plan.has_value()) << c.name << ": " << plan.error().message;
    EXPECT_EQ(plan->kind, c.kind) << c.name;
    EXPECT_EQ(plan->revision, c.revision) << c.name;
    EXPECT_EQ(plan->message, c.message) << c.name;
  }
  Result<UndoPlan> toFirst = planUndo("web", three, "h-c", 1, false);
  ASSERT_TRUE(toFirst.has_value());
  EXPECT_EQ(toFirst->templateYaml, "image: a\n");
  EXPECT_EQ(toFirst->templateHash, "h-a");
  EXPECT_EQ(toFirst->changeCause, "first");
  EXPECT_EQ(toFirst->images, std::vector<std::string>{"a"});
  EXPECT_EQ(kubectlErrorLine("unable to find specified revision 7 in history"),
            "error: unable to find specified revision 7 in history");
}

TEST(RolloutHistoryTest, PrintsRolloutHistoryAsKubectl) {
  const std::vector<Revision> revisions = {rev(3, "c", "kubectl set image deployment/web web=nginx:1.20.1"),
                                           rev(1, "a")};
  EXPECT_EQ(formatRolloutHistory("web", revisions),
            "deployment.apps/web \n"
            "REVISION  CHANGE-CAUSE\n"
            "1         <none>\n"
            "3         kubectl set image deployment/web web=nginx:1.20.1\n"
            "\n");
  EXPECT_EQ(formatRolloutHistory("web", {}), "deployment.apps/web \nNo rollout history found.\n");
  // A number wider than the header widens the column, as a tab writer does.
  EXPECT_EQ(formatRolloutHistory("web", std::vector<Revision>{rev(1234567890, "x", "why")}),
            "deployment.apps/web \n"
            "REVISION    CHANGE-CAUSE\n"
            "1234567890  why\n"
            "\n");
}

TEST(RolloutHistoryTest, PrintsOneRevisionAsKubectl) {
  const std::vector<Revision> revisions = {rev(1, "a"), rev(2, "b")};
  Result<std::string> two = formatRolloutHistoryRevision("web", revisions, 2);
  ASSERT_TRUE(two.has_value());
  EXPECT_EQ(*two, "deployment.apps/web with revision #2\nimage: b\n\n");

  Result<std::string> missing = formatRolloutHistoryRevision("web", revisions, 5);
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(kubectlErrorLine(missing.error().message), "error: unable to find the specified revision");

  Result<std::string> none = formatRolloutHistoryRevision("web", {}, 5);
  ASSERT_TRUE(none.has_value());
  EXPECT_EQ(*none, "deployment.apps/web with revision #5\nNo rollout history found.\n");

  Revision bare = rev(1, "a");
  bare.templateYaml = "image: a";  // no final newline
  Result<std::string> one = formatRolloutHistoryRevision("web", std::vector<Revision>{bare}, 1);
  ASSERT_TRUE(one.has_value());
  EXPECT_EQ(*one, "deployment.apps/web with revision #1\nimage: a\n\n");
}

TEST(RolloutHistoryTest, DescribesWhatApplyingDid) {
  using Kind = ApplyDecision::Kind;
  EXPECT_EQ(describeApply("web", {Kind::Created, 3, 0}), "deployment.apps/web new revision 3");
  EXPECT_EQ(describeApply("web", {Kind::Unchanged, 3, 0}),
            "deployment.apps/web template unchanged: no new revision, revision 3 stays current");
  EXPECT_EQ(describeApply("web", {Kind::Renumbered, 4, 2}),
            "deployment.apps/web template of revision 2 applied again: it is now revision 4");
}

TEST(RolloutHistoryTest, ListsRevisionsWithAgeImagesAndOutcome) {
  constexpr std::int64_t kNow = 1'700'000'000'000;
  Revision one = rev(1, "nginx:1.18");
  one.numberedMs = kNow - 3 * 3600 * 1000 - 30 * 60 * 1000;
  one.outcome = RevisionOutcome::RolledBack;
  Revision two = rev(2, "nginx:1.20.1", "déploiement «rapide»");
  two.images = {"nginx:1.20.1", "busybox:1.36"};
  two.numberedMs = kNow - 45 * 1000;
  two.outcome = RevisionOutcome::Complete;
  Revision three = rev(3, "nginx:broken");
  three.images = {};
  three.numberedMs = kNow - 125 * 1000;
  three.outcome = RevisionOutcome::ProgressDeadlineExceeded;

  std::vector<RevisionRow> rows = revisionRows(std::vector<Revision>{two, three, one}, 2, kNow);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0], (RevisionRow{1, "<none>", "3h30m", "nginx:1.18", RevisionOutcome::RolledBack, false}));
  EXPECT_EQ(rows[1], (RevisionRow{2, "déploiement «rapide»", "45s", "nginx:1.20.1,busybox:1.36",
                                  RevisionOutcome::Complete, true}));
  EXPECT_EQ(rows[2], (RevisionRow{3, "<none>", "2m5s", "", RevisionOutcome::ProgressDeadlineExceeded, false}));

  EXPECT_EQ(formatRevisionTable(rows),
            "REVISION  CHANGE-CAUSE          AGE    IMAGES                     OUTCOME\n"
            "1         <none>                3h30m  nginx:1.18                 RolledBack\n"
            "2*        déploiement «rapide»  45s    nginx:1.20.1,busybox:1.36  Complete\n"
            "3         <none>                2m5s   -                          ProgressDeadlineExceeded\n");
}

}  // namespace
}  // namespace podscope::core
