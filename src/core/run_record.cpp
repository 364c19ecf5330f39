#include "core/run_record.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <unordered_map>

#include "core/text_table.h"
#include "core/utf8_columns.h"

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

void RunRecord::append(PodStatusLine line) {
  m_statusLines.push_back(std::move(line));
  if (onStatusLine) onStatusLine(m_statusLines.back());
}

void RunRecord::append(HandlerAttempt&& attempt) {
  m_attempts.push_back(std::move(attempt));
  if (onAttempt) onAttempt(m_attempts.back());
}

void RunRecord::append(ConditionChange change) {
  m_conditions.push_back(std::move(change));
  if (onCondition) onCondition(m_conditions.back());
}

void RunRecord::append(SignalSent signal) {
  m_signals.push_back(std::move(signal));
  if (onSignal) onSignal(m_signals.back());
}

RunTime RunRecord::lastTime() const {
  if (ended) return *ended;
  RunTime last{0};
  if (!m_transitions.empty()) last = std::max(last, m_transitions.back().time);
  if (!m_events.empty()) last = std::max(last, m_events.back().time);
  if (!m_statusLines.empty()) last = std::max(last, m_statusLines.back().time);
  if (!m_conditions.empty()) last = std::max(last, m_conditions.back().time);
  if (!m_signals.empty()) last = std::max(last, m_signals.back().time);
  // Attempts are appended when they return, so the last one ended last.
  if (!m_attempts.empty()) last = std::max(last, m_attempts.back().start + m_attempts.back().duration);
  return last;
}

void RunRecord::observe(RecordObserver observer) {
  onTransition = std::move(observer.onTransition);
  onEvent = std::move(observer.onEvent);
  onStatusLine = std::move(observer.onStatusLine);
  onAttempt = std::move(observer.onAttempt);
  onCondition = std::move(observer.onCondition);
  onSignal = std::move(observer.onSignal);
}

std::string formatRunTime(RunTime t) {
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t).count();
  char buf[32];
  std::snprintf(buf, sizeof buf, "%lld.%03llds", static_cast<long long>(ms / 1000),
                static_cast<long long>(ms % 1000));
  return buf;
}

namespace {

std::string subjectName(SubjectKind kind, const std::string& subject) {
  return kind == SubjectKind::Pod ? "pod/" + subject : subject;
}

bool isBlank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }

std::string_view trimmed(std::string_view s) {
  while (!s.empty() && isBlank(s.front())) s.remove_prefix(1);
  while (!s.empty() && isBlank(s.back())) s.remove_suffix(1);
  return s;
}

std::string outputExcerpt(std::string_view output) {
  constexpr std::string_view kEllipsis = "\u2026";
  output = trimmed(output);
  std::size_t newline = output.find('\n');
  bool cut = newline != std::string_view::npos;
  std::string text;
  // Control characters (escape sequences, carriage returns) would garble
  // the terminal; they are shown as spaces.
  for (char c : trimmed(output.substr(0, newline))) {
    auto u = static_cast<unsigned char>(c);
    text += u < 0x20 || u == 0x7f ? ' ' : c;
  }
  std::size_t length = codePoints(text);
  if (length > kAttemptOutputWidth || (cut && length + 1 > kAttemptOutputWidth)) {
    // Keep kAttemptOutputWidth - 1 code points and make room for the ellipsis.
    std::size_t kept = 0;
    std::size_t end = 0;
    for (; end < text.size(); ++end) {
      if (!isUtf8ContinuationByte(text[end]) && kept++ == kAttemptOutputWidth - 1) break;
    }
    text.resize(end);
    cut = true;
  }
  if (cut) {
    while (!text.empty() && text.back() == ' ') text.pop_back();
    text += kEllipsis;
  }
  return text;
}

}  // namespace

// apimachinery's duration.HumanDuration, which kubectl uses for ages; a run
// time is never negative.
std::string formatAge(RunTime d) {
  using std::chrono::duration_cast;
  auto str = [](std::int64_t v) { return std::to_string(v); };
  std::int64_t seconds = std::max<std::int64_t>(0, duration_cast<std::chrono::seconds>(d).count());
  if (seconds < 60 * 2) return str(seconds) + "s";
  std::int64_t minutes = seconds / 60;
  if (minutes < 10) return seconds % 60 == 0 ? str(minutes) + "m" : str(minutes) + "m" + str(seconds % 60) + "s";
  if (minutes < 60 * 3) return str(minutes) + "m";
  std::int64_t hours = minutes / 60;
  if (hours < 8) return minutes % 60 == 0 ? str(hours) + "h" : str(hours) + "h" + str(minutes % 60) + "m";
  if (hours < 48) return str(hours) + "h";
  if (hours < 24 * 8) return hours % 24 == 0 ? str(hours / 24) + "d" : str(hours / 24) + "d" + str(hours % 24) + "h";
  if (hours < 24 * 365 * 2) return str(hours / 24) + "d";
  if (hours < 24 * 365 * 8) {
    std::int64_t days = (hours / 24) % 365;
    return days == 0 ? str(hours / 24 / 365) + "y" : str(hours / 24 / 365) + "y" + str(days) + "d";
  }
  return str(hours / 24 / 365) + "y";
}

std::string_view eventSource(const Event& e) {
  if (e.reason == "Scheduled" || e.reason == "FailedScheduling") return "default-scheduler";
  if (e.reason == "ScalingReplicaSet") return "deployment-controller";
  if (e.reason == "SuccessfulCreate" || e.reason == "SuccessfulDelete") return "replicaset-controller";
  return "kubelet";
}

std::string formatTransitions(const RunRecord& record) {
  std::vector<std::array<std::string, 6>> rows;
  rows.push_back({"TIME", "CONTAINER", "FROM", "TO", "REASON", "MESSAGE"});
  for (const Transition& t : record.transitions()) {
    rows.push_back({formatRunTime(t.time), subjectName(t.kind, t.subject), t.from, t.to, t.reason, t.message});
  }
  return alignedTable(std::move(rows));
}

std::string formatAttempts(const RunRecord& record) {
  std::vector<std::array<std::string, 7>> rows;
  rows.push_back({"TIME", "CONTAINER", "KIND", "RESULT", "TOOK", "HANDLER", "OUTPUT"});
  // The record holds attempts as they finished; the table lists them as they began.
  std::vector<const HandlerAttempt*> byStart;
  for (const HandlerAttempt& a : record.attempts()) byStart.push_back(&a);
  std::stable_sort(byStart.begin(), byStart.end(),
                   [](const HandlerAttempt* x, const HandlerAttempt* y) { return x->start < y->start; });
  for (const HandlerAttempt* attempt : byStart) {
    const HandlerAttempt& a = *attempt;
    rows.push_back({formatRunTime(a.start), a.container, std::string(toString(a.kind)), std::string(toString(a.result)),
                    formatRunTime(a.duration), a.handler, outputExcerpt(a.output)});
  }
  return alignedTable(std::move(rows));
}

std::string formatEvents(const RunRecord& record) {
  // The event recorder's aggregation: identical events are one, counted.
  struct Seen {
    const Event* event;
    RunTime first;
    RunTime last;
    int count;
  };
  std::vector<Seen> seen;
  std::unordered_map<std::string, std::size_t> index;
  for (const Event& e : record.events()) {
    std::string key = std::string(toString(e.type)) + '\0' + e.reason + '\0' + e.object + '\0' + e.message;
    auto [it, added] = index.try_emplace(std::move(key), seen.size());
    if (added) {
      seen.push_back({&e, e.time, e.time, 1});
    } else {
      seen[it->second].last = e.time;
      ++seen[it->second].count;
    }
  }
  std::stable_sort(seen.begin(), seen.end(), [](const Seen& a, const Seen& b) { return a.last < b.last; });
  const RunTime now = record.lastTime();
  auto ago = [now](RunTime t) { return formatAge(now > t ? now - t : RunTime{0}); };
  std::vector<std::array<std::string, 5>> rows;
  rows.push_back({"Type", "Reason", "Age", "From", "Message"});
  rows.push_back({"----", "------", "----", "----", "-------"});
  for (const Seen& s : seen) {
    std::string age = ago(s.last);
    if (s.count > 1) age += " (x" + std::to_string(s.count) + " over " + ago(s.first) + ")";
    rows.push_back({std::string(toString(s.event->type)), s.event->reason, std::move(age),
                    std::string(eventSource(*s.event)), s.event->message});
  }
  return alignedTable(std::move(rows));
}

std::string formatConditions(const RunRecord& record) {
  std::vector<std::array<std::string, 6>> rows;
  rows.push_back({"TIME", "CONTAINER", "TYPE", "STATUS", "REASON", "MESSAGE"});
  for (const ConditionChange& c : record.conditions()) {
    rows.push_back({formatRunTime(c.time), subjectName(c.kind, c.subject), c.type, c.status ? "True" : "False",
                    c.reason, c.message});
  }
  return alignedTable(std::move(rows));
}

}  // namespace podscope::core
