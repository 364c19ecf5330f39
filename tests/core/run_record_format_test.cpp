// The text tables of the run record: formatAttempts, formatEvents and
// formatConditions (formatTransitions is covered in run_record_test.cpp).

#include "core/run_record.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>

namespace podscope::core {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

HandlerAttempt attempt(RunTime start, RunTime duration, std::string container, AttemptKind kind, AttemptResult result,
                       std::string handler, std::string output) {
  HandlerAttempt a;
  a.start = start;
  a.duration = duration;
  a.kind = kind;
  a.container = std::move(container);
  a.handler = std::move(handler);
  a.result = result;
  a.output = std::move(output);
  return a;
}

// The OUTPUT cell of a one-attempt table: everything after the column's
// start, which the header gives (the cells before it are ASCII here).
std::string outputCell(const std::string& output) {
  RunRecord r;
  r.append(attempt(seconds(1), milliseconds(2), "app", AttemptKind::ReadinessProbe, AttemptResult::Failure,
                   "exec [check]", output));
  std::string table = formatAttempts(r);
  std::size_t headerEnd = table.find('\n');
  std::size_t column = table.find("OUTPUT");
  std::string row = table.substr(headerEnd + 1);
  EXPECT_EQ(row.back(), '\n');
  row.pop_back();
  EXPECT_EQ(row.find('\n'), std::string::npos);
  return row.size() > column ? row.substr(column) : std::string();
}

TEST(RunRecordFormat, AttemptsTableIsAligned) {
  RunRecord r;
  r.append(attempt(seconds(2), milliseconds(3), "app", AttemptKind::StartupProbe, AttemptResult::Success,
                   "httpGet http://10.88.0.2:8080/healthz", "ok\n"));
  r.append(attempt(milliseconds(12500), milliseconds(1002), "app", AttemptKind::LivenessProbe, AttemptResult::Failure,
                   "exec [cat /tmp/healthy]", "cat: /tmp/healthy: No such file or directory\nexit status 1\n"));
  HandlerAttempt hook = attempt(seconds(13), milliseconds(0), "log-shipper", AttemptKind::PostStartHook,
                                AttemptResult::Error, "exec [notify-\u00e9]", "executable file not found in $PATH");
  hook.containerKind = SubjectKind::InitContainer;
  r.append(std::move(hook));
  r.append(attempt(milliseconds(20250), milliseconds(10), "app", AttemptKind::PreStopHook, AttemptResult::Warning, "",
                   ""));
  EXPECT_EQ(formatAttempts(r),
            "TIME     CONTAINER    KIND           RESULT   TOOK    HANDLER                                OUTPUT\n"
            "2.000s   app          startupProbe   success  0.003s  httpGet http://10.88.0.2:8080/healthz  ok\n"
            "12.500s  app          livenessProbe  failure  1.002s  exec [cat /tmp/healthy]                "
            "cat: /tmp/healthy: No such file or directory\u2026\n"
            "13.000s  log-shipper  postStart      error    0.000s  exec [notify-\u00e9]                        "
            "executable file not found in $PATH\n"
            "20.250s  app          preStop        warning  0.010s  -\n");
}

TEST(RunRecordFormat, EmptyTablesAreTheirHeader) {
  RunRecord r;
  EXPECT_EQ(formatAttempts(r), "TIME  CONTAINER  KIND  RESULT  TOOK  HANDLER  OUTPUT\n");
  EXPECT_EQ(formatEvents(r),
            "Type  Reason  Age   From  Message\n"
            "----  ------  ----  ----  -------\n");
  EXPECT_EQ(formatConditions(r), "TIME  CONTAINER  TYPE  STATUS  REASON  MESSAGE\n");
}

TEST(RunRecordFormat, AttemptOutputIsOneTrimmedLine) {
  EXPECT_EQ(outputCell(""), "");
  EXPECT_EQ(outputCell("  ok  "), "ok");
  EXPECT_EQ(outputCell("\n\n  hello  \n\n"), "hello");
  EXPECT_EQ(outputCell("first\r\nsecond"), "first\u2026");
  EXPECT_EQ(outputCell("first   \n  second"), "first\u2026");
  EXPECT_EQ(outputCell("a\tb\x1b[31mc\x7f"), "a b [31mc");
}

TEST(RunRecordFormat, AttemptOutputIsCutAtEightyCodePoints) {
  EXPECT_EQ(kAttemptOutputWidth, 80u);
  EXPECT_EQ(outputCell(std::string(80, 'x')), std::string(80, 'x'));
  EXPECT_EQ(outputCell(std::string(81, 'x')), std::string(79, 'x') + "\u2026");
  EXPECT_EQ(outputCell(std::string(79, 'x') + "\nmore"), std::string(79, 'x') + "\u2026");
  EXPECT_EQ(outputCell(std::string(80, 'x') + "\nmore"), std::string(79, 'x') + "\u2026");
  // A space at the cut is dropped before the ellipsis.
  EXPECT_EQ(outputCell(std::string(78, 'x') + " yz"), std::string(78, 'x') + "\u2026");
  // Multi-byte characters are counted, and cut, whole.
  std::string e81;
  std::string e79;
  for (int i = 0; i < 81; ++i) e81 += "\u00e9";
  for (int i = 0; i < 79; ++i) e79 += "\u00e9";
  EXPECT_EQ(outputCell(e81), e79 + "\u2026");
}

TEST(RunRecordFormat, EventsTableLooksLikeKubectlDescribeAtTheEndOfTheRun) {
  RunRecord r;
  r.podName = "p";
  r.append(Event{milliseconds(0), EventType::Normal, "Scheduled", "", "Successfully assigned default/p to node"});
  r.append(Event{milliseconds(12), EventType::Normal, "Pulled", "spec.containers{app}",
                 "Container image \"busybox:1.36\" already present on machine"});
  for (int i = 0; i < 3; ++i) {
    r.append(Event{seconds(125 + 60 * i), EventType::Warning, "BackOff", "spec.containers{app}",
                   "Back-off restarting failed container app"});
    if (i == 0) r.append(Event{seconds(130), EventType::Warning, "Unhealthy", "spec.containers{app}", "Liveness probe failed: "});
  }
  // Same reason, another message: a line of its own.
  r.append(Event{seconds(290), EventType::Warning, "Unhealthy", "spec.containers{app}", "Liveness probe failed: x"});
  r.ended = minutes(5);
  EXPECT_EQ(formatEvents(r),
            "Type     Reason     Age                  From               Message\n"
            "----     ------     ----                 ----               -------\n"
            "Normal   Scheduled  5m                   default-scheduler  Successfully assigned default/p to node\n"
            "Normal   Pulled     4m59s                kubelet            Container image \"busybox:1.36\" already present on machine\n"
            "Warning  Unhealthy  2m50s                kubelet            Liveness probe failed:\n"
            "Warning  BackOff    55s (x3 over 2m55s)  kubelet            Back-off restarting failed container app\n"
            "Warning  Unhealthy  10s                  kubelet            Liveness probe failed: x\n");
}

TEST(RunRecordFormat, EventsCountBackFromTheLastEntryWhenTheEndIsUnknown) {
  RunRecord r;
  r.append(Event{seconds(1), EventType::Normal, "Scheduled", "", "m"});
  r.append(Transition{seconds(61), SubjectKind::Pod, "p", "Pending", "Running", "", ""});
  EXPECT_EQ(r.lastTime(), seconds(61));
  EXPECT_NE(formatEvents(r).find("Scheduled  60s"), std::string::npos) << formatEvents(r);
}

TEST(RunRecordFormat, EventAgesUseKubectlsCompactDurations) {
  const std::pair<RunTime, std::string> cases[] = {
      {milliseconds(999), "0s"},     {seconds(119), "119s"},   {seconds(120), "2m"},
      {seconds(599), "9m59s"},       {minutes(10), "10m"},     {minutes(179), "179m"},
      {hours(3), "3h"},              {hours(47), "47h"},       {hours(48), "2d"},
      {hours(50), "2d2h"},           {hours(24 * 8), "8d"},    {hours(24 * 731), "2y1d"},
      {hours(24 * 365 * 9), "9y"},
  };
  for (const auto& [time, age] : cases) {
    RunRecord r;
    r.append(Event{RunTime{0}, EventType::Normal, "FailedScheduling", "", "m"});
    r.ended = time;
    std::string table = formatEvents(r);
    std::istringstream row(table.substr(table.rfind('\n', table.size() - 2) + 1));
    std::string type, reason, cell, from;
    row >> type >> reason >> cell >> from;
    EXPECT_EQ(cell, age) << time.count() << "ns";
    EXPECT_EQ(from, "default-scheduler");
  }
}

TEST(RunRecordFormat, ConditionsTableIsAligned) {
  RunRecord r;
  r.podName = "p";
  r.append(ConditionChange{milliseconds(0), SubjectKind::Pod, "p", "PodScheduled", true, "", ""});
  r.append(ConditionChange{milliseconds(0), SubjectKind::Pod, "p", "Ready", false, "ContainersNotReady",
                           "containers with unready status: [app]"});
  r.append(ConditionChange{milliseconds(1250), SubjectKind::InitContainer, "log-shipper", "Started", true, "", ""});
  r.append(ConditionChange{seconds(12), SubjectKind::Container, "app", "Ready", true, "", ""});
  EXPECT_EQ(formatConditions(r),
            "TIME     CONTAINER    TYPE          STATUS  REASON              MESSAGE\n"
            "0.000s   pod/p        PodScheduled  True    -\n"
            "0.000s   pod/p        Ready         False   ContainersNotReady  containers with unready status: [app]\n"
            "1.250s   log-shipper  Started       True    -\n"
            "12.000s  app          Ready         True    -\n");
}

}  // namespace
}  // namespace podscope::core
