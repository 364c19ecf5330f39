#include "core/run_record.h"

#include <algorithm>
#include <array>
#include <cstdio>

namespace podscope::core {

std::string_view toString(SubjectKind kind) {
  switch (kind) {
    case SubjectKind::Pod: return "pod";
    case SubjectKind::InitContainer: return "init";
    case SubjectKind::Container: return "container";
  }
  return "";
}

std::string_view toString(EventType type) {
  switch (type) {
    case EventType::Normal: return "Normal";
    case EventType::Warning: return "Warning";
  }
  return "";
}

std::string_view toString(AttemptKind kind) {
  switch (kind) {
    case AttemptKind::StartupProbe: return "startupProbe";
    case AttemptKind::LivenessProbe: return "livenessProbe";
    case AttemptKind::ReadinessProbe: return "readinessProbe";
    case AttemptKind::PostStartHook: return "postStart";
    case AttemptKind::PreStopHook: return "preStop";
  }
  return "";
}

std::string_view toString(AttemptResult result) {
  switch (result) {
    case AttemptResult::Success: return "success";
    case AttemptResult::Warning: return "warning";
    case AttemptResult::Failure: return "failure";
    case AttemptResult::Error: return "error";
  }
  return "";
}

std::string_view toString(RunOutcome outcome) {
  switch (outcome) {
    case RunOutcome::Running: return "Running";
    case RunOutcome::Succeeded: return "Succeeded";
    case RunOutcome::Failed: return "Failed";
    case RunOutcome::Stopped: return "Stopped";
    case RunOutcome::Deleted: return "Deleted";
  }
  return "";
}

void RunRecord::append(Transition t) {
  m_transitions.push_back(std::move(t));
  if (onTransition) onTransition(m_transitions.back());
}

void RunRecord::append(Event e) {
  m_events.push_back(std::move(e));
  if (onEvent) onEvent(m_events.back());
}

void RunRecord::append(PodStatusLine line) { m_statusLines.push_back(std::move(line)); }

void RunRecord::append(HandlerAttempt attempt) {
  m_attempts.push_back(std::move(attempt));
  if (onAttempt) onAttempt(m_attempts.back());
}

void RunRecord::append(ConditionChange change) { m_conditions.push_back(std::move(change)); }

std::string formatRunTime(RunTime t) {
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t).count();
  char buf[32];
  std::snprintf(buf, sizeof buf, "%lld.%03llds", static_cast<long long>(ms / 1000),
                static_cast<long long>(ms % 1000));
  return buf;
}

std::string formatTransitions(const RunRecord& record) {
  std::vector<std::array<std::string, 6>> rows;
  rows.push_back({"TIME", "CONTAINER", "FROM", "TO", "REASON", "MESSAGE"});
  for (const Transition& t : record.transitions()) {
    std::string subject = t.kind == SubjectKind::Pod ? "pod/" + t.subject : t.subject;
    rows.push_back({formatRunTime(t.time), subject, t.from.empty() ? "-" : t.from, t.to,
                    t.reason.empty() ? "-" : t.reason, t.message});
  }
  std::array<size_t, 6> width{};
  for (const auto& row : rows) {
    for (size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], row[i].size());
  }
  std::string out;
  for (const auto& row : rows) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line += std::string(width[i] - row[i].size() + 2, ' ');
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  return out;
}

}  // namespace podscope::core
