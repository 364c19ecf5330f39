#include "core/rollout_history.h"

#include "core/text_table.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>

#include "core/run_record.h"
#include "core/utf8_columns.h"

namespace podscope::core {

namespace {

constexpr std::array kAllOutcomes{RevisionOutcome::Progressing, RevisionOutcome::Complete,
                                  RevisionOutcome::ProgressDeadlineExceeded, RevisionOutcome::RolledBack,
                                  RevisionOutcome::Stopped};

const Revision* findByNumber(std::span<const Revision> revisions, std::int64_t number) {
  for (const Revision& r : revisions) {
    if (r.number == number) return &r;
  }
  return nullptr;
}

std::vector<const Revision*> byNumber(std::span<const Revision> revisions) {
  std::vector<const Revision*> sorted;
  sorted.reserve(revisions.size());
  for (const Revision& r : revisions) sorted.push_back(&r);
  std::sort(sorted.begin(), sorted.end(), [](const Revision* a, const Revision* b) { return a->number < b->number; });
  return sorted;
}

}  // namespace

std::string_view toString(RevisionOutcome outcome) {
  switch (outcome) {
    case RevisionOutcome::Progressing: return "Progressing";
    case RevisionOutcome::Complete: return "Complete";
    case RevisionOutcome::ProgressDeadlineExceeded: return "ProgressDeadlineExceeded";
    case RevisionOutcome::RolledBack: return "RolledBack";
    case RevisionOutcome::Stopped: return "Stopped";
  }
  return "Progressing";
}

std::optional<RevisionOutcome> revisionOutcomeFromString(std::string_view text) {
  for (RevisionOutcome outcome : kAllOutcomes) {
    if (toString(outcome) == text) return outcome;
  }
  return std::nullopt;
}

std::string joinRevisionHistory(std::span<const std::int64_t> numbers) {
  std::string out;
  for (std::int64_t n : numbers) {
    if (!out.empty()) out += ',';
    out += std::to_string(n);
  }
  return out;
}

std::optional<std::vector<std::int64_t>> parseRevisionHistory(std::string_view text) {
  std::vector<std::int64_t> numbers;
  if (text.empty()) return numbers;
  std::size_t start = 0;
  while (true) {
    std::size_t comma = text.find(',', start);
    std::string_view part = text.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    std::int64_t n = 0;
    auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), n);
    if (part.empty() || ec != std::errc() || end != part.data() + part.size() || n <= 0) return std::nullopt;
    numbers.push_back(n);
    if (comma == std::string_view::npos) return numbers;
    start = comma + 1;
  }
}

std::vector<std::int64_t> appendRevisionHistory(std::vector<std::int64_t> history, std::int64_t number) {
  // The controller counts the joined text: each kept number and its comma.
  std::size_t total = joinRevisionHistory(history).size() + std::to_string(number).size() + (history.empty() ? 0 : 1);
  std::size_t drop = 0;
  while (total > kMaxRevisionHistoryChars && drop < history.size()) {
    total -= std::to_string(history[drop]).size() + 1;
    ++drop;
  }
  if (total > kMaxRevisionHistoryChars) return history;  // the number alone is too long to keep
  history.erase(history.begin(), history.begin() + static_cast<std::ptrdiff_t>(drop));
  history.push_back(number);
  return history;
}

ApplyDecision decideApply(std::span<const Revision> revisions, std::int64_t currentRevision,
                          std::string_view templateHash) {
  const Revision* current = findByNumber(revisions, currentRevision);
  if (current && current->templateHash == templateHash) {
    return {ApplyDecision::Kind::Unchanged, current->number, 0};
  }
  const Revision* match = nullptr;
  for (const Revision& r : revisions) {
    if (r.templateHash == templateHash) match = &r;
  }
  std::int64_t maxOthers = 0;
  for (const Revision& r : revisions) {
    if (&r != match) maxOthers = std::max(maxOthers, r.number);
  }
  if (!match) return {ApplyDecision::Kind::Created, maxOthers + 1, 0};
  // The controller only ever raises a reused ReplicaSet's number.
  std::int64_t number = std::max(match->number, maxOthers + 1);
  return {ApplyDecision::Kind::Renumbered, number, match->number};
}

std::vector<std::int64_t> revisionsToPrune(std::span<const Revision> revisions, std::int64_t currentRevision,
                                           int limit) {
  std::vector<std::int64_t> old;
  for (const Revision& r : revisions) {
    if (r.number != currentRevision) old.push_back(r.number);
  }
  std::sort(old.begin(), old.end());
  std::size_t keep = static_cast<std::size_t>(std::max(limit, 0));
  if (old.size() <= keep) return {};
  old.resize(old.size() - keep);
  return old;
}

Result<UndoPlan> planUndo(std::string_view deploymentName, std::span<const Revision> revisions,
                          std::string_view currentTemplateHash, std::int64_t toRevision, bool paused) {
  auto notFound = [&] {
    return Error{"unable to find specified revision " + std::to_string(toRevision) + " in history"};
  };
  if (toRevision < 0) return notFound();
  const Revision* selected = nullptr;
  if (toRevision > 0) {
    selected = findByNumber(revisions, toRevision);
    if (!selected) return notFound();
  } else {
    std::vector<const Revision*> sorted = byNumber(revisions);
    if (sorted.size() < 2) {
      return Error{"no rollout history found for deployment \"" + std::string(deploymentName) + "\""};
    }
    selected = sorted[sorted.size() - 2];
  }
  if (paused) {
    return Error{"you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again"};
  }
  UndoPlan plan;
  plan.revision = selected->number;
  plan.templateYaml = selected->templateYaml;
  plan.templateHash = selected->templateHash;
  plan.changeCause = selected->changeCause;
  plan.images = selected->images;
  if (selected->templateHash == currentTemplateHash) {
    plan.kind = UndoPlan::Kind::Skip;
    plan.message = deploymentRef(deploymentName) + " skipped rollback (current template already matches revision " +
                   std::to_string(toRevision) + ")";
  } else {
    plan.kind = UndoPlan::Kind::RollBack;
    plan.message = deploymentRef(deploymentName) + " rolled back";
  }
  return plan;
}

std::string deploymentRef(std::string_view name) { return "deployment.apps/" + std::string(name); }

std::string kubectlErrorLine(std::string_view message) { return "error: " + std::string(message); }

std::string formatRolloutHistory(std::string_view deploymentName, std::span<const Revision> revisions) {
  // kubectl prints "<kind>/<name> <operation>" with an empty operation that
  // starts with a newline, hence the space at the end of the first line.
  std::string out = deploymentRef(deploymentName) + " \n";
  if (revisions.empty()) return out + "No rollout history found.\n";
  std::vector<const Revision*> sorted = byNumber(revisions);
  // A tab writer with padding 2: the first column as wide as its widest cell plus two.
  std::size_t width = std::string_view("REVISION").size();
  for (const Revision* r : sorted) width = std::max(width, std::to_string(r->number).size());
  auto line = [&](const std::string& first, std::string_view second) {
    out += first;
    out.append(width + 2 - first.size(), ' ');
    out += second;
    out += '\n';
  };
  line("REVISION", "CHANGE-CAUSE");
  for (const Revision* r : sorted) line(std::to_string(r->number), r->changeCause.empty() ? "<none>" : r->changeCause);
  out += '\n';
  return out;
}

Result<std::string> formatRolloutHistoryRevision(std::string_view deploymentName,
                                                 std::span<const Revision> revisions, std::int64_t revision) {
  std::string out = deploymentRef(deploymentName) + " with revision #" + std::to_string(revision) + "\n";
  if (revisions.empty()) return out + "No rollout history found.\n";
  const Revision* r = findByNumber(revisions, revision);
  if (!r) return Error{"unable to find the specified revision"};
  out += r->templateYaml;
  if (!r->templateYaml.empty() && r->templateYaml.back() != '\n') out += '\n';
  out += '\n';
  return out;
}

std::string describeApply(std::string_view deploymentName, const ApplyDecision& decision) {
  std::string ref = deploymentRef(deploymentName);
  std::string n = std::to_string(decision.number);
  switch (decision.kind) {
    case ApplyDecision::Kind::Unchanged:
      return ref + " template unchanged: no new revision, revision " + n + " stays current";
    case ApplyDecision::Kind::Renumbered:
      if (decision.previousNumber == decision.number) return ref + " revision " + n + " is current again";
      return ref + " template of revision " + std::to_string(decision.previousNumber) + " applied again: it is now revision " + n;
    case ApplyDecision::Kind::Created:
      return ref + " new revision " + n;
  }
  return ref;
}

std::vector<RevisionRow> revisionRows(std::span<const Revision> revisions, std::int64_t currentRevision,
                                      std::int64_t nowMs) {
  std::vector<RevisionRow> rows;
  for (const Revision* r : byNumber(revisions)) {
    RevisionRow row;
    row.number = r->number;
    row.changeCause = r->changeCause.empty() ? "<none>" : r->changeCause;
    row.age = formatAge(std::chrono::milliseconds(nowMs - r->numberedMs));
    for (const std::string& image : r->images) {
      if (!row.images.empty()) row.images += ',';
      row.images += image;
    }
    row.outcome = r->outcome;
    row.current = r->number == currentRevision;
    rows.push_back(std::move(row));
  }
  return rows;
}

std::string formatRevisionTable(std::span<const RevisionRow> rows) {
  std::vector<std::array<std::string, 5>> cells;
  cells.push_back({"REVISION", "CHANGE-CAUSE", "AGE", "IMAGES", "OUTCOME"});
  for (const RevisionRow& row : rows) {
    cells.push_back({std::to_string(row.number) + (row.current ? "*" : ""), row.changeCause, row.age,
                     row.images.empty() ? "-" : row.images, std::string(toString(row.outcome))});
  }
  std::array<std::size_t, 5> widths{};
  for (const auto& line : cells) {
    for (std::size_t i = 0; i < line.size(); ++i) widths[i] = std::max(widths[i], codePoints(line[i]));
  }
  std::string out;
  for (const auto& line : cells) {
    for (std::size_t i = 0; i < line.size(); ++i) {
      out += line[i];
      if (i + 1 < line.size()) out.append(widths[i] - codePoints(line[i]) + 2, ' ');
    }
    out += '\n';
  }
  return out;
}

}  // namespace podscope::core
