// A rollout's timeline as SVG (timelineSvg for a RolloutRecord), in the
// desktop's rollout lanes' language (ui/timeline_view.cpp): the Deployment's
// status as bars, green once complete; Progressing and Available as bands;
// each ReplicaSet's READY (filled), CURRENT (lighter) and DESIRED (a line)
// as step graphs on one scale; its pods beneath it as bars coloured by their
// STATUS. Steps, bars and marks closer than a pixel or a few are drawn once,
// and pods past SvgOptions::maxPodLanes per ReplicaSet are summed up in one
// lane, so the drawing's size depends on its width and that limit, not on
// the number of replicas.

#include <algorithm>
#include <cmath>
#include <map>

#include "core/report_palette.h"
#include "core/report_svg_parts.h"
#include "core/rollout_report.h"

namespace podscope::core {

namespace {

using namespace std::chrono_literals;
using namespace svg;
namespace pal = palette;

constexpr double kDeploymentLane = 24;
constexpr double kConditionLane = 15;
constexpr double kReplicaSetLane = 36;
constexpr double kPodLane = 16;

enum class LaneKind { Deployment, Condition, ReplicaSet, Pod, MorePods };

struct Lane {
  LaneKind kind = LaneKind::Pod;
  std::string title;
  std::string tag;
  std::string condition;                 // Condition
  const ReplicaSetRecord* rs = nullptr;  // ReplicaSet, MorePods
  const RolloutPodRow* pod = nullptr;    // Pod
  std::string note;                      // MorePods: what the lane stands for
  double top = 0;
  double height = 0;
};

/// How a pod's STATUS column reads as a bar, as the desktop draws it.
struct PodLook {
  std::string_view fill;
  std::string_view ink;
  bool hatched = false;
};

PodLook podLook(const PodStatusLine& l) {
  const std::string& s = l.status;
  const std::size_t slash = l.ready.find('/');
  const bool ready = slash != std::string::npos && slash > 0 && l.ready.substr(0, slash) == l.ready.substr(slash + 1) &&
                     l.ready.substr(0, slash) != "0";
  if (s == "Running") return ready ? PodLook{pal::kRunning, "#FFFFFF"} : PodLook{pal::kRunningNotStarted, pal::kInk};
  if (s == "Completed") return {pal::kSucceeded, "#FFFFFF"};
  if (s == "Terminating") return {"url(#ps-hatch)", pal::kInk, true};
  if (s == "Pending" || s == "ContainerCreating" || s == "PodInitializing" || s.rfind("Init:", 0) == 0) {
    return {pal::kPending, pal::kInk};
  }
  if (s == "Unknown") return {pal::kUnknown, "#FFFFFF"};
  return {pal::kFailed, "#FFFFFF"};  // CrashLoopBackOff, Error, OOMKilled, ImagePullBackOff, ...
}

std::string_view conditionFill(ConditionStatus s) {
  switch (s) {
    case ConditionStatus::True: return pal::kConditionTrue;
    case ConditionStatus::False: return pal::kConditionFalse;
    case ConditionStatus::Unknown: return pal::kConditionUnknown;
  }
  return pal::kConditionUnknown;
}

class Writer {
 public:
  Writer(const RolloutRecord& record, const SvgOptions& options)
      : m_r(record), m_o(options), m_canvas(static_cast<double>(options.width)), m_rows(rolloutPodRows(record)) {}

  std::string write(bool standalone) {
    layout();
    m_canvas.open(m_height, "podscope-timeline", "Timeline of deployment " + m_r.deploymentName, standalone);
    paper();
    m_canvas.axis(m_scale, m_end, m_lanesBottom, "seconds since the rollout began");
    for (const Lane& l : m_lanes) paintLane(l);
    paintDeadlines();
    std::vector<GutterLabel> labels;
    for (const Lane& l : m_lanes) {
      const bool sub = l.kind == LaneKind::Condition || l.kind == LaneKind::Pod || l.kind == LaneKind::MorePods;
      labels.push_back({l.top, l.height, l.title, l.tag, sub, l.kind == LaneKind::Deployment});
    }
    m_canvas.gutter(labels, m_lanesBottom);
    m_canvas.legend(legendEntries(), m_legendTop, m_height);
    return m_canvas.close();
  }

 private:
  static std::vector<LegendEntry> legendEntries() {
    return {{Glyph::Pending, "Pending"},
            {Glyph::NotStarted, "not Ready"},
            {Glyph::Running, "Ready"},
            {Glyph::Waiting, "Terminating"},
            {Glyph::PodSucceeded, "Completed"},
            {Glyph::PodFailed, "error"},
            {Glyph::Restart, "restart"},
            {Glyph::Deadline, "progress deadline"},
            {Glyph::ConditionTrue, "True"},
            {Glyph::ConditionFalse, "False"},
            {Glyph::ConditionUnknown, "Unknown"},
            {Glyph::ReadyReplicas, "ready replicas"},
            {Glyph::CurrentReplicas, "current"},
            {Glyph::DesiredReplicas, "desired"},
            {Glyph::Event, "event"},
            {Glyph::Warning, "Warning"}};
  }

  void layout() {
    m_end = std::max(rolloutEnd(m_r), RunTime{1s});
    m_scale.end = m_end;
    m_scale.width = std::max(100.0, m_o.width - kGutter - kLead - kRightMargin);
    for (const ReplicaSetSample& s : m_r.replicaSetSamples()) m_maxReplicas = std::max({m_maxReplicas, s.desired, s.current});

    Lane top;
    top.kind = LaneKind::Deployment;
    top.title = m_r.deploymentName;
    top.tag = "deployment";
    m_lanes.push_back(top);
    for (const char* type : {"Progressing", "Available"}) {
      Lane band;
      band.kind = LaneKind::Condition;
      band.title = type;
      band.condition = type;
      m_lanes.push_back(band);
    }
    std::map<std::string, std::vector<const RolloutPodRow*>> podsOf;
    for (const RolloutPodRow& row : m_rows) podsOf[row.pod->replicaSet].push_back(&row);
    for (const ReplicaSetRecord& rs : m_r.replicaSets()) {
      Lane lane;
      lane.kind = LaneKind::ReplicaSet;
      lane.title = rs.name;
      lane.tag = rs.revision > 0 ? "rev " + std::to_string(rs.revision) : "";
      lane.rs = &rs;
      m_lanes.push_back(lane);
      addPods(rs, podsOf[rs.name]);
    }
    double y = kAxisHeight + 6;
    for (Lane& l : m_lanes) {
      if (l.kind == LaneKind::ReplicaSet) y += kGroupGap;
      l.top = y;
      l.height = l.kind == LaneKind::Deployment   ? kDeploymentLane
                 : l.kind == LaneKind::Condition  ? kConditionLane
                 : l.kind == LaneKind::ReplicaSet ? kReplicaSetLane
                                                  : kPodLane;
      y += l.height;
    }
    m_lanesBottom = y;
    m_legendTop = m_lanesBottom + 14;
    m_height = m_legendTop + m_canvas.legendHeight(legendEntries()) + 8;
  }

  /// A lane per pod of `rs`, at most maxPodLanes of them: those worth a
  /// look (never Ready, restarted, failing) first, then in order of
  /// creation; one lane sums up the rest.
  void addPods(const ReplicaSetRecord& rs, const std::vector<const RolloutPodRow*>& pods) {
    const std::vector<const RolloutPodRow*> shown = pickPodRows(pods, m_o.maxPodLanes);
    for (const RolloutPodRow* p : shown) {
      Lane lane;
      lane.kind = LaneKind::Pod;
      lane.title = p->pod->name;
      lane.pod = p;
      m_lanes.push_back(lane);
    }
    if (shown.size() == pods.size()) return;
    std::size_t never = 0;
    std::size_t restarted = 0;
    for (const RolloutPodRow* p : pods) {
      if (std::binary_search(shown.begin(), shown.end(), p)) continue;
      never += !p->firstReady;
      restarted += p->restarts > 0;
    }
    const std::size_t more = pods.size() - shown.size();
    Lane lane;
    lane.kind = LaneKind::MorePods;
    lane.title = "+" + std::to_string(more) + " more pods";
    lane.rs = &rs;
    const std::string which = never == 0 && restarted == 0
                                  ? "each was Ready, none restarted"
                                  : std::to_string(never) + " of them never Ready, " + std::to_string(restarted) +
                                        " restarted";
    lane.note = std::to_string(more) + " more pods of " + rs.name + " are not drawn (" + which +
                "); the report's pod table lists them";
    m_lanes.push_back(lane);
  }

  void paper() {
    bool shaded = false;
    for (const Lane& l : m_lanes) {
      if (l.kind == LaneKind::Deployment || l.kind == LaneKind::ReplicaSet) shaded = !shaded;
      if (!shaded) m_canvas.stripe(l.top, l.height);
    }
  }

  void paintLane(const Lane& l) {
    m_canvas.out() += "<g class=\"lane\">\n";
    switch (l.kind) {
      case LaneKind::Deployment: paintDeployment(l); break;
      case LaneKind::Condition: paintCondition(l); break;
      case LaneKind::ReplicaSet: paintReplicaSet(l); break;
      case LaneKind::Pod: paintPod(l); break;
      case LaneKind::MorePods:
        m_canvas.text(m_scale.x(RunTime{0}), l.top + l.height / 2 + 4, label(l.note, m_scale.width), pal::kMuted,
                      " font-size=\"10\" font-style=\"italic\"");
        break;
    }
    m_canvas.out() += "</g>\n";
  }

  /// Spans from `starts` (times, in order) to the next or `end`, skipping
  /// those that would be drawn inside a pixel already drawn; calls
  /// paint(index, x0, x1, until) for each drawn. With `capLast`, the last
  /// span is always drawn, at least kLastSpan wide (into the right margin
  /// if need be), so a state taken at the very end still shows.
  template <typename Paint>
  void spans(const std::vector<RunTime>& starts, RunTime end, Paint paint, bool capLast = false) {
    constexpr double kLastSpan = 5;
    double lastRight = -1;
    for (std::size_t i = 0; i < starts.size(); ++i) {
      const bool last = i + 1 == starts.size();
      const RunTime until = last ? end : starts[i + 1];
      const double x0 = m_scale.x(starts[i]);
      double x1 = m_scale.x(until);
      if (last && capLast) {
        x1 = std::max(x1, x0 + kLastSpan);
      } else if (x1 - x0 < 0.5 && x0 < lastRight + 0.5) {
        continue;
      }
      lastRight = x1;
      paint(i, x0, x1, until);
    }
  }

  /// Where the progress deadline passed: a red rule down every lane.
  void paintDeadlines() {
    for (const DeploymentCondition& c : m_r.conditions()) {
      if (c.type != "Progressing" || c.reason != "ProgressDeadlineExceeded") continue;
      const double x = m_scale.x(c.time);
      const double top = m_lanes.front().top;
      m_canvas.rect(x - 1, top, 2, m_lanesBottom - top, pal::kFailed,
                    "Progress deadline exceeded at " + formatRunTime(c.time) + ": " + c.message,
                    " fill-opacity=\"0.85\"");
    }
  }

  void paintDeployment(const Lane& l) {
    const auto& lines = m_r.statusLines();
    std::vector<RunTime> starts;
    for (const DeploymentStatusLine& line : lines) starts.push_back(line.time);
    spans(starts, m_end, [&](std::size_t i, double x0, double x1, RunTime until) {
      const DeploymentStatusLine& line = lines[i];
      const DeploymentStatus& s = line.status;
      const bool complete = s.updatedReplicas == s.desiredReplicas && s.availableReplicas == s.desiredReplicas &&
                            s.replicas == s.desiredReplicas;
      const std::string words = "READY " + line.ready + " · UP-TO-DATE " + line.upToDate + " · AVAILABLE " + line.available;
      const std::string title = "deployment " + m_r.deploymentName + " from " + formatRunTime(line.time) + " to " +
                                formatRunTime(until) + ": " + words + (complete ? " (complete)" : "");
      const double w = std::max(x1 - x0 - 1, 1.0);
      m_canvas.rect(x0, l.top + 4, w, l.height - 8, complete ? pal::kRunning : pal::kRunningNotStarted, title,
                    " rx=\"3\"");
      m_canvas.text(x0 + 5, l.top + l.height / 2 + 4, label(words, w - 8), complete ? "#FFFFFF" : pal::kInk,
                    " font-size=\"10\"");
    }, true);
    std::vector<EventMark> marks;
    for (const Event& e : m_r.events()) {
      if (e.object.empty()) marks.push_back({e.time, &e});
    }
    m_canvas.events(marks, m_scale, l.top + l.height - 4, m_o.markSpacing, m_o.tooltipOutputBytes);
  }

  void paintCondition(const Lane& l) {
    std::vector<const DeploymentCondition*> cs;
    std::vector<RunTime> starts;
    for (const DeploymentCondition& c : m_r.conditions()) {
      if (c.type != l.condition) continue;
      cs.push_back(&c);
      starts.push_back(c.time);
    }
    spans(starts, m_end, [&](std::size_t i, double x0, double x1, RunTime until) {
      const DeploymentCondition& c = *cs[i];
      std::string title = c.type + " " + std::string(toString(c.status)) + " from " + formatRunTime(c.time) + " to " +
                          formatRunTime(until);
      if (!c.reason.empty()) title += ": " + c.reason;
      if (!c.message.empty()) title += " (" + c.message + ")";
      const double w = std::max(x1 - x0 - 1, 1.0);
      m_canvas.rect(x0, l.top + 2, w, l.height - 4, conditionFill(c.status), title);
      m_canvas.text(x0 + 4, l.top + l.height / 2 + 3.5, label(c.reason, w - 6),
                    c.status == ConditionStatus::True ? "#FFFFFF" : pal::kInk, " font-size=\"9\"");
    }, true);
  }

  void paintReplicaSet(const Lane& l) {
    const ReplicaSetRecord& rs = *l.rs;
    const RunTime end = rs.deleted.value_or(m_end);
    // One step per pixel: the last sample within a pixel stands for it.
    std::vector<const ReplicaSetSample*> steps;
    for (const ReplicaSetSample& s : m_r.replicaSetSamples()) {
      if (s.replicaSet != rs.name) continue;
      if (!steps.empty() && std::floor(m_scale.x(s.time)) == std::floor(m_scale.x(steps.back()->time))) {
        steps.back() = &s;
      } else {
        steps.push_back(&s);
      }
    }
    if (steps.empty()) return;
    const double chartTop = l.top + 3;
    const double chartHeight = l.height - 6;
    const double bottom = chartTop + chartHeight;
    const double per = chartHeight / std::max(1, m_maxReplicas);
    const double xEnd = m_scale.x(end);
    auto area = [&](auto value, std::string_view opacity) {
      std::string d = "M" + num(m_scale.x(steps.front()->time)) + " " + num(bottom);
      for (std::size_t i = 0; i < steps.size(); ++i) {
        const double next = i + 1 < steps.size() ? m_scale.x(steps[i + 1]->time) : xEnd;
        d += " V" + num(bottom - value(*steps[i]) * per) + " H" + num(next);
      }
      d += " V" + num(bottom) + " Z";
      m_canvas.out() += "<path d=\"" + d + "\" fill=\"" + std::string(pal::kRunning) + "\" fill-opacity=\"" +
                        std::string(opacity) + "\"/>\n";
    };
    area([](const ReplicaSetSample& s) { return s.current; }, pal::kCurrentReplicasOpacity);
    area([](const ReplicaSetSample& s) { return s.ready; }, pal::kReadyReplicasOpacity);
    std::string d = "M" + num(m_scale.x(steps.front()->time)) + " " + num(bottom - steps.front()->desired * per);
    for (std::size_t i = 0; i < steps.size(); ++i) {
      const double next = i + 1 < steps.size() ? m_scale.x(steps[i + 1]->time) : xEnd;
      d += " V" + num(bottom - steps[i]->desired * per) + " H" + num(next);
    }
    m_canvas.out() += "<path d=\"" + d + "\" fill=\"none\" stroke=\"" + std::string(pal::kDesiredReplicas) +
                      "\" stroke-width=\"1.5\"/>\n";
    // Counts where they fit, and a tooltip per few pixels.
    double lastTip = -100;
    for (std::size_t i = 0; i < steps.size(); ++i) {
      const ReplicaSetSample& s = *steps[i];
      const RunTime until = i + 1 < steps.size() ? steps[i + 1]->time : end;
      const double x0 = m_scale.x(s.time);
      const double x1 = m_scale.x(until);
      const std::string counts = std::to_string(s.ready) + "/" + std::to_string(s.desired);
      if (x1 - x0 > static_cast<double>(counts.size()) * kCharWidth + 8) {
        m_canvas.text(x0 + 3, l.top + 11, counts, pal::kInk, " font-size=\"10\"");
      }
      if (x0 - lastTip < m_o.markSpacing && i + 1 < steps.size()) continue;
      lastTip = x0;
      const std::string title = rs.name + " from " + formatRunTime(s.time) + " to " + formatRunTime(until) +
                                ": DESIRED " + std::to_string(s.desired) + ", CURRENT " + std::to_string(s.current) +
                                ", READY " + std::to_string(s.ready) + ", AVAILABLE " + std::to_string(s.available);
      m_canvas.rect(x0, l.top, std::max(x1 - x0, m_o.markSpacing), l.height, "#FFFFFF", title, " fill-opacity=\"0\"");
    }
    std::vector<EventMark> marks;
    const std::string object = "replicaset/" + rs.name;
    for (const Event& e : m_r.events()) {
      if (e.object == object) marks.push_back({e.time, &e});
    }
    m_canvas.events(marks, m_scale, l.top + l.height - 4, m_o.markSpacing, m_o.tooltipOutputBytes);
  }

  void paintPod(const Lane& l) {
    const RolloutPodRow& row = *l.pod;
    const RolloutPod& p = *row.pod;
    const RunTime gone = p.finished.value_or(m_end);
    const auto& lines = p.record.statusLines();
    std::vector<RunTime> starts;
    for (const PodStatusLine& line : lines) starts.push_back(std::min(rolloutTime(p, line.time), gone));
    const double barTop = l.top + 2;
    const double barHeight = l.height - 4;
    if (lines.empty()) {
      m_canvas.rect(m_scale.x(p.created), barTop, m_scale.x(gone) - m_scale.x(p.created), barHeight, pal::kUnknown,
                    "pod " + p.name + " from " + formatRunTime(p.created) + ": no status recorded", " rx=\"2\"");
    }
    spans(starts, gone, [&](std::size_t i, double x0, double x1, RunTime until) {
      const PodStatusLine& line = lines[i];
      const PodLook look = podLook(line);
      const double w = std::max(x1 - x0 - (x1 - x0 > 3 ? 1 : 0), 1.0);
      const std::string title = "pod " + p.name + ": " + line.status + " " + line.ready + " from " +
                                formatRunTime(starts[i]) + " to " + formatRunTime(until) + ", restarts " +
                                line.restarts;
      m_canvas.rect(x0, barTop, w, barHeight, look.fill, title,
                    look.hatched ? " rx=\"2\" stroke=\"#9EA4AB\" stroke-width=\"1\"" : " rx=\"2\"");
      m_canvas.text(x0 + 4, l.top + l.height / 2 + 3.5, label(line.status + " " + line.ready, w - 6), look.ink,
                    " font-size=\"9\"");
    });
    // Restarts: a container running again, as a rule across the bar.
    struct Rule {
      double x;
      std::string title;
    };
    std::vector<Rule> rules;
    std::map<std::pair<SubjectKind, std::string>, int> runs;
    for (const Transition& t : p.record.transitions()) {
      if (t.kind == SubjectKind::Pod || t.to != "Running") continue;
      const int n = ++runs[{t.kind, t.subject}];
      if (n < 2) continue;
      const RunTime when = rolloutTime(p, t.time);
      rules.push_back({m_scale.x(when), "pod " + p.name + ": container " + t.subject + " restart " +
                                            std::to_string(n - 1) + " at " + formatRunTime(when)});
    }
    std::sort(rules.begin(), rules.end(), [](const Rule& a, const Rule& b) { return a.x < b.x; });
    for (std::size_t i = 0; i < rules.size(); ++i) {
      if (i + 1 < rules.size() && rules[i + 1].x - rules[i].x < m_o.markSpacing) continue;
      m_canvas.rect(rules[i].x - 1, l.top + 1, 2, l.height - 2, pal::kRestartRule, rules[i].title);
    }
    // Its Warning events (Unhealthy, BackOff, Failed, ...), sparser than
    // elsewhere so the bar's words show between them; the report's pod
    // details have every event.
    std::vector<EventMark> marks;
    for (const Event& e : p.record.events()) {
      if (e.type == EventType::Warning) marks.push_back({rolloutTime(p, e.time), &e});
    }
    m_canvas.events(marks, m_scale, l.top + l.height / 2, m_o.markSpacing * 3, m_o.tooltipOutputBytes);
  }

  const RolloutRecord& m_r;
  const SvgOptions& m_o;
  Canvas m_canvas;
  std::vector<RolloutPodRow> m_rows;
  std::vector<Lane> m_lanes;
  Scale m_scale;
  RunTime m_end{1s};
  std::int32_t m_maxReplicas = 1;
  double m_lanesBottom = 0;
  double m_legendTop = 0;
  double m_height = 0;
};

}  // namespace

std::string timelineSvg(const RolloutRecord& record, const SvgOptions& options, bool standalone) {
  return Writer(record, options).write(standalone);
}

}  // namespace podscope::core
