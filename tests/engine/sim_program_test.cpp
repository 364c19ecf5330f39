#include "engine/runtime/simulated/sim_program.h"

#include <gtest/gtest.h>

namespace podscope::engine::sim {
namespace {

using std::chrono::seconds;

/// Runs a program to its end (or `limit` steps), listing what it did.
std::string trace(Program& p, int limit = 50) {
  std::string out;
  std::string output;
  for (int i = 0; i < limit; ++i) {
    Action a = p.next(output);
    if (a.kind == Action::Kind::Exit) return out + "exit " + std::to_string(a.exitCode);
    if (a.sleep == Duration::max()) return out + "forever";
    out += "sleep " + std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(a.sleep).count()) + "ms; ";
  }
  return out + "...";
}

std::string traceOf(std::vector<std::string> argv) {
  Program p = Program::fromArgv(argv);
  return trace(p);
}

TEST(SimProgram, InterpretsCommonManifestShell) {
  struct Case {
    std::vector<std::string> argv;
    std::string expected;
  };
  const std::vector<Case> cases = {
      {{"sleep", "5"}, "sleep 5000ms; exit 0"},
      {{"/bin/sh", "-c", "sleep 2; exit 3"}, "sleep 2000ms; exit 3"},
      {{"sh", "-c", "echo hi && sleep 1 && exit 4"}, "sleep 1000ms; exit 4"},
      {{"sh", "-c", "false && sleep 9; exit"}, "exit 1"},
      {{"sh", "-c", "false || sleep 0.5"}, "sleep 500ms; exit 0"},
      {{"sh", "-c", "sleep 1m"}, "sleep 60000ms; exit 0"},
      {{"sh", "-c", "sleep infinity"}, "forever"},
      {{"true"}, "exit 0"},
      {{"/bin/false"}, "exit 1"},
      {{"sh", "-c", "exit 300"}, "exit 44"},
      {{"sh"}, "exit 0"},
      {{}, "forever"},
      {{"sh", "-c", "for i in 1 2; do sleep 1; done"}, "forever"},
  };
  for (const Case& c : cases) EXPECT_EQ(traceOf(c.argv), c.expected) << c.argv.back();
}

TEST(SimProgram, LoopsRunUntilTheirCondition) {
  Program p = Program::fromArgv({"sh", "-c", "while true; do echo tick; sleep 2; done"});
  EXPECT_EQ(trace(p, 3), "sleep 2000ms; sleep 2000ms; sleep 2000ms; ...");
  Program u = Program::fromArgv({"sh", "-c", "until true; do sleep 2; done; echo done"});
  EXPECT_EQ(trace(u), "exit 0");
}

TEST(SimProgram, EchoWritesOutput) {
  Program p = Program::fromArgv({"sh", "-c", "echo \"hello world\"; echo -n 'x'; echo $HOME"});
  std::string output;
  EXPECT_EQ(p.next(output).kind, Action::Kind::Exit);
  EXPECT_EQ(output, "hello world\nx$HOME\n");
}

TEST(SimProgram, UnmodelledCommandsSucceedWithANote) {
  Program p = Program::fromArgv({"sh", "-c", "until ping 192.168.253.149 -c 1 ; do echo waiting; sleep 2; done;"});
  EXPECT_EQ(trace(p), "exit 0");
  ASSERT_EQ(p.notes().size(), 1u);
  EXPECT_EQ(p.notes()[0], "`ping` is not simulated: taken to succeed at once");
}

TEST(SimProgram, Pid1IgnoresSigtermWithoutTrap) {
  Program p = Program::fromArgv({"sh", "-c", "sleep 100"});
  std::string out;
  p.next(out);
  EXPECT_FALSE(p.terminate().has_value());
}

TEST(SimProgram, TrapRunsAfterTheCurrentCommand) {
  Program p = Program::fromArgv({"sh", "-c", "trap 'exit 7' TERM; while true; do sleep 1; done"});
  std::string out;
  EXPECT_EQ(p.next(out).kind, Action::Kind::Sleep);
  EXPECT_FALSE(p.terminate().has_value());
  Action a = p.next(out);  // the sleep ended: the trap runs
  EXPECT_EQ(a.kind, Action::Kind::Exit);
  EXPECT_EQ(a.exitCode, 7);
}

TEST(SimProgram, ServerExitsZeroOnSigterm) {
  Program p = Program::fromArgv({});
  std::optional<Action> a = p.terminate();
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->exitCode, 0);
}

TEST(SimProgram, BusyLoopStillAdvancesTime) {
  Program p = Program::fromArgv({"sh", "-c", "while true; do echo spin; done"});
  std::string out;
  Action a = p.next(out);
  EXPECT_EQ(a.kind, Action::Kind::Sleep);
  EXPECT_GT(a.sleep, Duration{0});
}

TEST(SimProgram, UnsupportedSyntaxRunsUntilStoppedWithNote) {
  Program p = Program::fromArgv({"sh", "-c", "if true; then sleep 1; fi"});
  EXPECT_EQ(trace(p), "forever");
  ASSERT_EQ(p.notes().size(), 1u);
  EXPECT_NE(p.notes()[0].find("uses `if`"), std::string::npos);
  Program q = Program::fromArgv({"sh", "-c", "echo 'unterminated"});
  EXPECT_NE(q.notes()[0].find("unterminated single quote"), std::string::npos);
}

}  // namespace
}  // namespace podscope::engine::sim
