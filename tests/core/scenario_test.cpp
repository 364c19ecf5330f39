#include "core/scenario.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "core/manifest.h"
#include "core/manifest_reader.h"

namespace podscope::core {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using Kind = ScenarioStatement::Kind;

ScenarioStatement only(std::string_view text) {
  ScenarioParse p = parseScenario(text);
  EXPECT_TRUE(p.ok()) << (p.ok() ? "" : p.errors[0].toString());
  EXPECT_EQ(p.scenario.sections.size(), 1u);
  if (p.scenario.sections.empty() || p.scenario.sections[0].statements.size() != 1) {
    ADD_FAILURE() << "expected one statement in: " << text;
    return {};
  }
  return p.scenario.sections[0].statements[0];
}

std::string firstError(std::string_view text, ScenarioForm form = ScenarioForm::Pod) {
  ScenarioParse p = parseScenario(text, form, "web");
  if (p.ok()) return "(no error)";
  return p.errors[0].toString();
}

TEST(Scenario, ProcessStatements) {
  ScenarioStatement s = only("starts after 2s");
  EXPECT_EQ(s.kind, Kind::StartsAfter);
  EXPECT_EQ(s.time, seconds(2));

  s = only("exits 1 after 30s");
  EXPECT_EQ(s.kind, Kind::Exits);
  EXPECT_EQ(s.exitCode, 1);
  EXPECT_EQ(s.time, seconds(30));

  s = only("exits 0");
  EXPECT_EQ(s.kind, Kind::Exits);
  EXPECT_EQ(s.time, seconds(0));

  s = only("oom-killed after 1m30s");
  EXPECT_EQ(s.kind, Kind::OomKilled);
  EXPECT_EQ(s.time, seconds(90));

  EXPECT_EQ(only("runs until stopped").kind, Kind::RunsUntilStopped);
  EXPECT_EQ(only("runs forever").kind, Kind::RunsUntilStopped);

  s = only("on SIGTERM exit 0 after 3s");
  EXPECT_EQ(s.kind, Kind::OnSigterm);
  EXPECT_EQ(s.exitCode, 0);
  EXPECT_EQ(s.time, seconds(3));
  s = only("on sigterm exits 143");
  EXPECT_EQ(s.exitCode, 143);
  EXPECT_EQ(s.time, seconds(0));

  EXPECT_EQ(only("ignores SIGTERM").kind, Kind::IgnoresSigterm);
}

TEST(Scenario, HandlerStatements) {
  ScenarioStatement s = only("readiness fails until 12s");
  EXPECT_EQ(s.kind, Kind::Fails);
  EXPECT_EQ(s.handler, ScenarioHandler::Readiness);
  EXPECT_FALSE(s.from.has_value());
  EXPECT_EQ(s.until, seconds(12));
  EXPECT_TRUE(s.covers(seconds(11)));
  EXPECT_FALSE(s.covers(seconds(12)));

  s = only("liveness fails from 40s");
  EXPECT_EQ(s.handler, ScenarioHandler::Liveness);
  EXPECT_EQ(s.from, seconds(40));
  EXPECT_FALSE(s.covers(seconds(39)));
  EXPECT_TRUE(s.covers(seconds(40)));

  s = only("startup fails until 20s");
  EXPECT_EQ(s.handler, ScenarioHandler::Startup);
  EXPECT_EQ(s.until, seconds(20));

  s = only("readiness fails from 30s until 50s");
  EXPECT_EQ(s.from, seconds(30));
  EXPECT_EQ(s.until, seconds(50));

  s = only(R"(liveness fails with "cat: can't open '/tmp/healthy': No such file or directory")");
  EXPECT_EQ(s.detail.text, "cat: can't open '/tmp/healthy': No such file or directory");
  EXPECT_TRUE(s.covers(seconds(0)));

  s = only("readiness takes 2s");
  EXPECT_EQ(s.kind, Kind::Takes);
  EXPECT_EQ(s.time, seconds(2));

  s = only("liveness errors");
  EXPECT_EQ(s.kind, Kind::Errors);

  s = only("postStart takes 3s");
  EXPECT_EQ(s.handler, ScenarioHandler::PostStart);
  EXPECT_EQ(s.time, seconds(3));

  s = only(R"(postStart fails with "mkdir: can't create directory '/data': Permission denied")");
  EXPECT_EQ(s.kind, Kind::Fails);
  EXPECT_EQ(s.detail.text, "mkdir: can't create directory '/data': Permission denied");

  s = only("preStop takes 15s");
  EXPECT_EQ(s.handler, ScenarioHandler::PreStop);
  EXPECT_EQ(s.time, seconds(15));

  s = only("readiness fails from 5s with status 500 and \"db down\"");
  EXPECT_EQ(s.detail.status, 500);
  EXPECT_EQ(s.detail.text, "db down");
  EXPECT_EQ(s.from, seconds(5));

  s = only("readiness fails with connection refused until 8s");
  EXPECT_TRUE(s.detail.connectionRefused);
  EXPECT_EQ(s.until, seconds(8));

  s = only("liveness fails with status not_serving");
  EXPECT_EQ(s.detail.grpcStatus, "NOT_SERVING");

  s = only("livenessProbe fails with exit code 2");
  EXPECT_EQ(s.detail.status, 2);

  s = only("readiness succeeds with 'all good'");
  EXPECT_EQ(s.kind, Kind::Succeeds);
  EXPECT_EQ(s.detail.text, "all good");

  s = only("readiness takes 500ms from 10s until 20s");
  EXPECT_EQ(s.time, milliseconds(500));
  EXPECT_EQ(s.from, seconds(10));
}

TEST(Scenario, SectionsCommentsAndPositions) {
  ScenarioParse p = parseScenario(R"(# for every container
exits 1 after 5s

container web:
  readiness fails until 12s   # warming caches
  liveness fails from 40s
container *:
  starts after 1s
)");
  ASSERT_TRUE(p.ok());
  ASSERT_EQ(p.scenario.sections.size(), 3u);
  EXPECT_EQ(p.scenario.sections[0].container, "*");
  EXPECT_EQ(p.scenario.sections[0].line, 0);
  EXPECT_EQ(p.scenario.sections[0].statements[0].line, 2);
  EXPECT_EQ(p.scenario.sections[1].container, "web");
  EXPECT_EQ(p.scenario.sections[1].line, 4);
  EXPECT_EQ(p.scenario.sections[1].column, 11);
  ASSERT_EQ(p.scenario.sections[1].statements.size(), 2u);
  EXPECT_EQ(p.scenario.sections[1].statements[1].line, 6);
  EXPECT_EQ(p.scenario.sections[1].statements[1].column, 3);
  EXPECT_EQ(p.scenario.sections[2].container, "*");
}

TEST(Scenario, AttemptQualifiers) {
  ScenarioParse p = parseScenario(R"(container app:
  on attempt 3: exits 0 after 5s
  attempts 1-2: exits 1 after 2s
  attempts 4+: runs until stopped
  attempt 2: readiness fails
)");
  ASSERT_TRUE(p.ok()) << p.errors[0].toString();
  const auto& st = p.scenario.sections[0].statements;
  ASSERT_EQ(st.size(), 4u);
  EXPECT_EQ(st[0].attempts, (AttemptRange{3, 3}));
  EXPECT_EQ(st[1].attempts, (AttemptRange{1, 2}));
  EXPECT_EQ(st[2].attempts, (AttemptRange{4, INT_MAX}));
  EXPECT_EQ(st[3].attempts, (AttemptRange{2, 2}));
  EXPECT_EQ(st[3].kind, Kind::Fails);
}

TEST(Scenario, ErrorsNameLineColumnAndWhatIsAccepted) {
  struct Case {
    std::string text;
    std::string expected;
  };
  const std::vector<Case> cases = {
      {"exits 1 after 30x",
       "line 1, column 15: invalid time `30x`: use a number with a unit, like 12s, 500ms, 2m or 1h30m"},
      {"exit 256", "line 1, column 6: expected an exit code from 0 to 255, not `256`"},
      {"\n  crashes after 3s",
       "line 2, column 3: unknown statement `crashes`; a statement starts with starts, exits, oom-killed, runs, on "
       "SIGTERM, ignores, startup, liveness, readiness, postStart or preStop"},
      {"readyness fails",
       "line 1, column 1: unknown statement `readyness` (did you mean `readiness`?); a statement starts with starts, "
       "exits, oom-killed, runs, on SIGTERM, ignores, startup, liveness, readiness, postStart or preStop"},
      {"readiness breaks", "line 1, column 11: expected `succeeds`, `fails`, `errors` or `takes` after `readiness`, "
                           "not `breaks`"},
      {"readiness fails from 50s until 30s", "line 1, column 1: the time window is empty: `until` must come after `from`"},
      {"preStop takes 5s from 2s",
       "line 1, column 18: a hook runs once per attempt, so it has no time window; to change it between attempts, "
       "write `on attempt 2: preStop ...`"},
      {"on SIGKILL exit 0",
       "line 1, column 4: only SIGTERM can be described (`on SIGTERM exit 0 after 3s`); SIGKILL always ends a "
       "container at once. Found `SIGKILL`"},
      {"starts in 2s", "line 1, column 8: expected `after` here, as in `starts after 2s`, not `in`"},
      {"starts after", "line 1, column 13: the statement ends too early: expected a time, like 12s"},
      {"runs until stopped now", "line 1, column 20: unexpected `now` at the end of the statement"},
      {"liveness fails with \"oops", "line 1, column 21: this text has no closing double quote; write text in quotes "
                                     "on one line, like \"connection refused\""},
      {"liveness fails with", "line 1, column 16: `with` needs output text in quotes, `status N`, `exit code N` or "
                              "`connection refused`"},
      {"liveness errors with status 3",
       "line 1, column 22: a handler that errors could not run, so it has no status; write `errors with \"why\"`"},
      {"readiness succeeds with connection refused",
       "line 1, column 25: only a failing handler can refuse connections (`readiness fails with connection refused`)"},
      {"attempts 3-1: exits 0", "line 1, column 10: the attempt range `3-1` is empty: it must go up"},
      {"attempt 0: exits 0", "line 1, column 9: attempts are counted from 1 (the first run), so `0` is not an attempt"},
      {"on attempt 2 exits 0",
       "line 1, column 14: expected attempts as `N`, `N-M` or `N+` followed by `:`, as in `attempts 1-3: exits 1 "
       "after 5s` (attempt 1 is the first run)"},
      {"attempt 2:", "line 1, column 10: a statement must follow the attempts on the same line, as in `on attempt 3: "
                     "exits 0 after 5s`"},
      {"container Web:", "line 1, column 11: `Web` is not a container name: names are lower-case letters, digits "
                         "and '-', starting and ending with a letter or digit"},
      {"container web", "line 1, column 11: a section starts with `container NAME:` (or `container *:` for every "
                        "container), alone on its line"},
      {"container web: exits 1", "line 1, column 16: a section header stands alone on its line; put statements on "
                                 "the lines below it"},
  };
  for (const Case& c : cases) EXPECT_EQ(firstError(c.text), c.expected) << c.text;
}

TEST(Scenario, EveryBadLineIsReportedAndGoodLinesKept) {
  ScenarioParse p = parseScenario("exits 1 after 3s\nbogus\nreadiness fails until 1q\nignores SIGTERM\n");
  ASSERT_EQ(p.errors.size(), 2u);
  EXPECT_EQ(p.errors[0].line, 2);
  EXPECT_EQ(p.errors[0].length, 5);
  EXPECT_EQ(p.errors[1].line, 3);
  EXPECT_EQ(p.errors[1].column, 23);
  ASSERT_EQ(p.scenario.sections.size(), 1u);
  EXPECT_EQ(p.scenario.sections[0].statements.size(), 2u);
}

TEST(Scenario, PerContainerFormHasNoSections) {
  ScenarioParse p = parseScenario("readiness fails until 12s\nexits 3 after 1m", ScenarioForm::Container, "web");
  ASSERT_TRUE(p.ok());
  ASSERT_EQ(p.scenario.sections.size(), 1u);
  EXPECT_EQ(p.scenario.sections[0].container, "web");
  EXPECT_EQ(p.scenario.sections[0].statements.size(), 2u);
  EXPECT_EQ(firstError("container web:\n  exits 1", ScenarioForm::Container),
            "line 1, column 1: this annotation holds one container's statements, so it has no `container NAME:` "
            "sections; those belong in podscope.dev/simulate or a side file");
}

TEST(Scenario, UnknownContainersAreReported) {
  PodSpec spec;
  spec.initContainers.push_back(Container{.name = "init"});
  spec.containers.push_back(Container{.name = "web"});
  spec.containers.push_back(Container{.name = "sidecar"});
  ScenarioParse p = parseScenario("container web:\n  exits 0\ncontainer init:\n  exits 0\ncontainer wbe:\n  exits 1\n"
                                  "container zzz:\n  exits 1\ncontainer *:\n  exits 2\n");
  ASSERT_TRUE(p.ok());
  std::vector<ScenarioError> errors = checkScenarioContainers(p.scenario, spec);
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].toString(), "line 5, column 11: the pod has no container named \"wbe\" (did you mean \"web\"?)");
  EXPECT_EQ(errors[0].length, 3);
  EXPECT_EQ(errors[1].toString(),
            "line 7, column 11: the pod has no container named \"zzz\"; its containers: init, web, sidecar");
}

TEST(Scenario, PlanTakesTheStrongestSourcePerAspect) {
  Scenario pod = parseScenario(R"(container *:
  exits 2 after 1s
  readiness fails until 12s
container web:
  starts after 2s
  liveness fails from 40s
)").scenario;
  Scenario own = parseScenario("readiness fails until 5s", ScenarioForm::Container, "web").scenario;
  Scenario side = parseScenario("container web:\n  runs until stopped\n").scenario;

  ScenarioPlan plan = planScenario({&pod, &own, &side}, "web", 1);
  EXPECT_EQ(plan.startDelay, seconds(2));
  ASSERT_TRUE(plan.process.has_value());
  EXPECT_EQ(plan.process->kind, Kind::RunsUntilStopped);  // side file beats the pod's `*`
  EXPECT_FALSE(plan.sigterm.has_value());
  // The per-container annotation replaces the pod's readiness statements.
  EXPECT_EQ(plan.handlerAt(ScenarioHandler::Readiness, seconds(4))->outcome, HandlerBehavior::Outcome::Fails);
  EXPECT_EQ(plan.handlerAt(ScenarioHandler::Readiness, seconds(5))->outcome, HandlerBehavior::Outcome::Succeeds);
  EXPECT_EQ(plan.handlerAt(ScenarioHandler::Liveness, seconds(39))->outcome, HandlerBehavior::Outcome::Succeeds);
  EXPECT_EQ(plan.handlerAt(ScenarioHandler::Liveness, seconds(40))->outcome, HandlerBehavior::Outcome::Fails);
  EXPECT_FALSE(plan.handlerAt(ScenarioHandler::Startup, seconds(0)).has_value());
  EXPECT_FALSE(plan.speaksAbout(ScenarioHandler::PreStop));

  ScenarioPlan other = planScenario({&pod, nullptr, &side}, "db", 1);
  EXPECT_FALSE(other.startDelay.has_value());
  EXPECT_EQ(other.process->kind, Kind::Exits);
  EXPECT_EQ(other.process->exitCode, 2);
  EXPECT_EQ(other.handlerAt(ScenarioHandler::Readiness, seconds(11))->outcome, HandlerBehavior::Outcome::Fails);
}

TEST(Scenario, PlanPerAttemptAndLaterLinesWin) {
  Scenario s = parseScenario(R"(on attempt 4: runs until stopped
exits 1 after 2s
attempts 2-3: exits 3 after 1s
readiness fails with status 500
readiness fails from 10s until 20s with connection refused
readiness takes 2s from 15s
)").scenario;
  auto processOf = [&](int attempt) {
    ScenarioPlan p = planScenario({&s, nullptr, nullptr}, "app", attempt);
    if (p.process->kind == Kind::RunsUntilStopped) return std::string("runs");
    return "exits " + std::to_string(p.process->exitCode) + " after " +
           std::to_string(std::chrono::duration_cast<seconds>(p.process->time).count()) + "s";
  };
  EXPECT_EQ(processOf(1), "exits 1 after 2s");
  EXPECT_EQ(processOf(2), "exits 3 after 1s");
  EXPECT_EQ(processOf(3), "exits 3 after 1s");
  EXPECT_EQ(processOf(4), "runs");
  EXPECT_EQ(processOf(5), "exits 1 after 2s");

  ScenarioPlan p = planScenario({&s, nullptr, nullptr}, "app", 1);
  std::optional<HandlerBehavior> at5 = p.handlerAt(ScenarioHandler::Readiness, seconds(5));
  EXPECT_EQ(at5->outcome, HandlerBehavior::Outcome::Fails);
  EXPECT_EQ(at5->detail.status, 500);
  EXPECT_EQ(at5->takes, seconds(0));
  std::optional<HandlerBehavior> at16 = p.handlerAt(ScenarioHandler::Readiness, seconds(16));
  EXPECT_TRUE(at16->detail.connectionRefused);
  EXPECT_EQ(at16->takes, seconds(2));
  EXPECT_EQ(p.handlerAt(ScenarioHandler::Readiness, seconds(25))->detail.status, 500);
}

TEST(Scenario, SideFileNextToTheManifest) {
  std::filesystem::path dir = std::filesystem::temp_directory_path() / "podscope-scenario-test";
  std::filesystem::create_directories(dir);
  std::string manifest = (dir / "pod.yaml").string();
  std::filesystem::remove(manifest + ".simulate");
  EXPECT_EQ(scenarioSideFilePath(manifest), manifest + ".simulate");
  Result<std::optional<Scenario>> none = findScenarioFile(manifest);
  ASSERT_TRUE(none);
  EXPECT_FALSE(none->has_value());

  std::ofstream(manifest + ".simulate") << "container web:\n  exits 4 after 2s\n";
  Result<std::optional<Scenario>> found = findScenarioFile(manifest);
  ASSERT_TRUE(found);
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->sections[0].statements[0].exitCode, 4);

  std::ofstream(manifest + ".simulate") << "container web:\n  exits 4 after 2q\n  nonsense\n";
  Result<std::optional<Scenario>> broken = findScenarioFile(manifest);
  ASSERT_FALSE(broken);
  EXPECT_EQ(broken.error().toString(),
            manifest + ".simulate:2:17: invalid time `2q`: use a number with a unit, like 12s, 500ms, 2m or 1h30m "
                       "(and 1 more mistake in the file)");
  Result<Scenario> missing = readScenarioFile((dir / "missing.simulate").string());
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().kind, ErrorKind::Io);
  std::filesystem::remove_all(dir);
}

TEST(Scenario, LintReportsBrokenAnnotationsWhereTheyAreWritten) {
  Manifest m = readManifest(R"(apiVersion: v1
kind: Pod
metadata:
  name: demo
  annotations:
    podscope.dev/simulate: |
      container web:
        readiness fails until 12x
      container wbe:
        exits 1 after 3s
    podscope.dev/simulate.web: "exits 300 after 3s"
    podscope.dev/simulate.db: runs until stopped
    podscope.dev/simulatex: exits 0
spec:
  containers:
  - {name: web, image: nginx:1.25}
)",
                            "pod.yaml");
  std::vector<std::string> found;
  for (const Diagnostic& d : m.diagnostics) {
    if (d.rule != "simulate-scenario") continue;
    EXPECT_EQ(d.severity, Severity::Error);
    found.push_back(formatDiagnostic(d) + " to " + std::to_string(d.range.end.line) + ":" +
                    std::to_string(d.range.end.column));
  }
  EXPECT_EQ(found, (std::vector<std::string>{
                       "pod.yaml:8:31: error: annotation podscope.dev/simulate, line 2, column 25: invalid time `12x`: "
                       "use a number with a unit, like 12s, 500ms, 2m or 1h30m [simulate-scenario] to 8:34",
                       "pod.yaml:9:17: error: annotation podscope.dev/simulate, line 3, column 11: the pod has no "
                       "container named \"wbe\" (did you mean \"web\"?) [simulate-scenario] to 9:20",
                       "pod.yaml:11:39: error: annotation podscope.dev/simulate.web, line 1, column 7: expected an "
                       "exit code from 0 to 255, not `300` [simulate-scenario] to 11:42",
                       "pod.yaml:12:5: error: annotation podscope.dev/simulate.db: the pod has no container named "
                       "\"db\" [simulate-scenario] to 12:29",
                       "pod.yaml:13:5: error: annotation podscope.dev/simulatex is not read by the simulator: use "
                       "podscope.dev/simulate for the pod or podscope.dev/simulate.<container> for one container "
                       "[simulate-scenario] to 13:27",
                   }));
  EXPECT_EQ(m.firstPod(), nullptr);  // a broken scenario keeps the pod from running
}

TEST(Scenario, LintAcceptsAGoodScenarioInADeploymentTemplate) {
  Manifest m = readManifest(R"(apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata:
      labels: {app: web}
      annotations:
        podscope.dev/simulate.web: |
          readiness fails until 12s
        podscope.dev/simulate: "container nope:\n  exits 1"
    spec:
      containers:
      - {name: web, image: nginx:1.25}
)",
                            "deploy.yaml");
  std::vector<std::string> found;
  for (const Diagnostic& d : m.diagnostics) {
    if (d.rule == "simulate-scenario") found.push_back(d.message);
  }
  EXPECT_EQ(found, (std::vector<std::string>{"annotation podscope.dev/simulate, line 1, column 11: the pod has no "
                                             "container named \"nope\"; its containers: web"}));
}

}  // namespace
}  // namespace podscope::core
