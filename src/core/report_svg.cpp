#include "core/report_svg.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <map>
#include <optional>
#include <vector>

#include "core/report_palette.h"
#include "core/report_svg_parts.h"
#include "core/report_text.h"

namespace podscope::core {

namespace {

using namespace std::chrono_literals;
using namespace svg;
namespace pal = palette;

constexpr double kPodLane = 24;
constexpr double kConditionLane = 13;
constexpr double kContainerLane = 28;
constexpr double kHookLane = 18;
constexpr double kProbeLane = 16;
constexpr double kContainerGap = 3;

std::string esc(std::string_view s) { return escapeXml(s); }

enum class LaneKind { PodPhase, Condition, State, Hooks, Probe };

struct Lane {
  LaneKind kind = LaneKind::State;
  std::string title;
  std::string tag;  // "pod", "init", "sidecar"
  RunContainer container;  // for State, Hooks, Probe
  std::string condition;   // for Condition
  AttemptKind probe = AttemptKind::LivenessProbe;
  double top = 0;
  double height = 0;
  std::size_t blockEnd = 0;  // State: index of the last sub-lane of its block
};

double laneHeight(LaneKind kind) {
  switch (kind) {
    case LaneKind::PodPhase: return kPodLane;
    case LaneKind::Condition: return kConditionLane;
    case LaneKind::State: return kContainerLane;
    case LaneKind::Hooks: return kHookLane;
    case LaneKind::Probe: return kProbeLane;
  }
  return kProbeLane;
}

std::string_view phaseColor(std::string_view phase) {
  if (phase == "Pending") return pal::kPending;
  if (phase == "Running") return pal::kRunning;
  if (phase == "Succeeded") return pal::kSucceeded;
  if (phase == "Failed") return pal::kFailed;
  return pal::kUnknown;
}

std::string_view attemptColor(AttemptResult r) {
  switch (r) {
    case AttemptResult::Success: return pal::kProbePass;
    case AttemptResult::Warning: return pal::kProbeWarn;
    case AttemptResult::Failure: return pal::kProbeFail;
    case AttemptResult::Error: return pal::kProbeError;
  }
  return pal::kProbeError;
}

class Writer {
 public:
  Writer(const RunRecord& record, const SvgOptions& options) : m_r(record), m_o(options) {}

  std::string write(bool standalone) {
    layout();
    m_canvas.open(m_height, "podscope-timeline", "Timeline of pod " + m_r.podName, standalone);
    paper();
    m_canvas.axis(m_scale, m_end, m_lanesBottom, "seconds since creation");
    for (std::size_t i = 0; i < m_lanes.size(); ++i) paintLane(i);
    gutter();
    m_canvas.legend(legendEntries(), m_legendTop, m_height);
    return m_canvas.close();
  }

 private:
  void layout() {
    m_end = std::max(m_r.lastTime(), RunTime{1s});
    m_scale.end = m_end;
    m_scale.width = std::max(100.0, m_o.width - kGutter - kLead - kRightMargin);
    m_containers = runContainers(m_r);

    Lane pod;
    pod.kind = LaneKind::PodPhase;
    pod.title = m_r.podName;
    pod.tag = "pod";
    m_lanes.push_back(pod);
    for (const char* type : {"Initialized", "ContainersReady", "Ready"}) {
      Lane band;
      band.kind = LaneKind::Condition;
      band.title = type;
      band.condition = type;
      m_lanes.push_back(band);
    }
    m_lanes.front().blockEnd = m_lanes.size() - 1;
    for (const RunContainer& c : m_containers) {
      Lane state;
      state.kind = LaneKind::State;
      state.title = c.name;
      state.container = c;
      state.tag = c.kind == SubjectKind::InitContainer ? (c.sidecar ? "sidecar" : "init") : "";
      const std::size_t first = m_lanes.size();
      m_lanes.push_back(state);
      bool hooks = false;
      std::array<bool, 3> probes{};
      for (const HandlerAttempt& a : m_r.attempts()) {
        if (a.containerKind != c.kind || a.container != c.name) continue;
        switch (a.kind) {
          case AttemptKind::StartupProbe: probes[0] = true; break;
          case AttemptKind::LivenessProbe: probes[1] = true; break;
          case AttemptKind::ReadinessProbe: probes[2] = true; break;
          case AttemptKind::PostStartHook:
          case AttemptKind::PreStopHook: hooks = true; break;
        }
      }
      if (hooks) {
        Lane l = state;
        l.kind = LaneKind::Hooks;
        l.title = "lifecycle";
        m_lanes.push_back(l);
      }
      const std::array<AttemptKind, 3> kinds = {AttemptKind::StartupProbe, AttemptKind::LivenessProbe,
                                                AttemptKind::ReadinessProbe};
      for (std::size_t k = 0; k < 3; ++k) {
        if (!probes[k]) continue;
        Lane l = state;
        l.kind = LaneKind::Probe;
        l.probe = kinds[k];
        l.title = std::string(toString(kinds[k]));
        m_lanes.push_back(l);
      }
      m_lanes[first].blockEnd = m_lanes.size() - 1;
    }
    double y = kAxisHeight + 6;
    for (std::size_t i = 0; i < m_lanes.size(); ++i) {
      Lane& l = m_lanes[i];
      if (i > 0 && (l.kind == LaneKind::State)) {
        const Lane& prev = m_lanes[i - 1];
        const bool sameGroup = prev.kind != LaneKind::PodPhase && prev.kind != LaneKind::Condition &&
                               prev.container.kind == l.container.kind && prev.container.sidecar == l.container.sidecar;
        y += sameGroup ? kContainerGap : kGroupGap;
      }
      l.top = y;
      l.height = laneHeight(l.kind);
      y += l.height;
    }
    m_lanesBottom = y;
    m_legendTop = m_lanesBottom + 14;
    m_height = m_legendTop + m_canvas.legendHeight(legendEntries()) + 8;
  }

  static std::vector<LegendEntry> legendEntries() {
    return {{Glyph::Waiting, "Waiting"},        {Glyph::NotStarted, "not started"},  {Glyph::Running, "Running"},
            {Glyph::Exit0, "exit 0"},           {Glyph::Error, "error"},             {Glyph::ConditionTrue, "True"},
            {Glyph::ConditionFalse, "False"},   {Glyph::ProbeOk, "probe ok"},        {Glyph::ProbeFailed, "failed"},
            {Glyph::Threshold, "threshold"},    {Glyph::Hook, "hook"},               {Glyph::Sigterm, "SIGTERM"},
            {Glyph::Sigkill, "SIGKILL"},        {Glyph::Restart, "restart"},         {Glyph::Event, "event"},
            {Glyph::Warning, "Warning"}};
  }

  void paper() {
    // Alternate paper per block, so a container's sub-lanes read as its own.
    bool shaded = false;
    for (const Lane& l : m_lanes) {
      if (l.kind == LaneKind::State || l.kind == LaneKind::PodPhase) shaded = !shaded;
      if (!shaded) m_canvas.stripe(l.top, l.height);
    }
  }

  void gutter() {
    std::vector<GutterLabel> labels;
    for (const Lane& l : m_lanes) {
      const bool sub = l.kind == LaneKind::Condition || l.kind == LaneKind::Hooks || l.kind == LaneKind::Probe;
      labels.push_back({l.top, l.height, l.title, l.tag, sub, l.kind == LaneKind::PodPhase});
    }
    m_canvas.gutter(labels, m_lanesBottom);
  }

  void rect(double x, double y, double w, double h, std::string_view fill, const std::string& title,
            std::string_view extra = {}) {
    m_canvas.rect(x, y, w, h, fill, title, extra);
  }

  void text(double x, double y, const std::string& s, std::string_view color, std::string_view extra = {}) {
    m_canvas.text(x, y, s, color, extra);
  }

  void paintLane(std::size_t index) {
    const Lane& l = m_lanes[index];
    m_out += "<g class=\"lane\">\n";
    switch (l.kind) {
      case LaneKind::PodPhase: paintPhase(l); break;
      case LaneKind::Condition: paintCondition(l); break;
      case LaneKind::State: paintState(l, m_lanes[l.blockEnd]); break;
      case LaneKind::Hooks: paintHooks(l); break;
      case LaneKind::Probe: paintProbes(l); break;
    }
    if (l.kind == LaneKind::PodPhase) paintEvents(l, "");
    if (l.kind == LaneKind::State) paintEvents(l, containerFieldPath(l.container.kind, l.container.name));
    m_out += "</g>\n";
  }

  void paintPhase(const Lane& l) {
    std::vector<const Transition*> ts;
    for (const Transition& t : m_r.transitions()) {
      if (t.kind == SubjectKind::Pod) ts.push_back(&t);
    }
    double lastRight = -1;
    for (std::size_t i = 0; i < ts.size(); ++i) {
      const RunTime end = i + 1 < ts.size() ? ts[i + 1]->time : m_end;
      const double x0 = m_scale.x(ts[i]->time);
      const double x1 = m_scale.x(end);
      if (x1 - x0 < 0.5 && x0 < lastRight + 0.5) continue;
      lastRight = x1;
      std::string title = "pod " + m_r.podName + ": " + ts[i]->to + " from " + formatRunTime(ts[i]->time) + " to " +
                          formatRunTime(end);
      if (!ts[i]->reason.empty()) title += " (" + ts[i]->reason + ")";
      if (!ts[i]->message.empty()) title += ": " + ts[i]->message;
      rect(x0, l.top + 3, std::max(x1 - x0 - 1, 1.0), l.height - 6, phaseColor(ts[i]->to), title, " rx=\"3\"");
      text(x0 + 6, l.top + l.height / 2 + 4, label(ts[i]->to, x1 - x0 - 10),
           ts[i]->to == "Pending" ? pal::kInk : "#FFFFFF");
    }
  }

  void paintCondition(const Lane& l) {
    std::vector<const ConditionChange*> cs;
    for (const ConditionChange& c : m_r.conditions()) {
      if (c.kind == SubjectKind::Pod && c.type == l.condition) cs.push_back(&c);
    }
    double lastRight = -1;
    for (std::size_t i = 0; i < cs.size(); ++i) {
      const RunTime end = i + 1 < cs.size() ? cs[i + 1]->time : m_end;
      const double x0 = m_scale.x(cs[i]->time);
      const double x1 = m_scale.x(end);
      if (x1 - x0 < 0.5 && x0 < lastRight + 0.5) continue;
      lastRight = x1;
      std::string title = l.condition + " " + (cs[i]->status ? "True" : "False") + " from " +
                          formatRunTime(cs[i]->time) + " to " + formatRunTime(end);
      if (!cs[i]->reason.empty()) title += ": " + cs[i]->reason;
      if (!cs[i]->message.empty()) title += " (" + cs[i]->message + ")";
      rect(x0, l.top + 3, std::max(x1 - x0 - 1, 1.0), l.height - 6,
           cs[i]->status ? pal::kConditionTrue : pal::kConditionFalse, title);
    }
  }

  /// The Started flag of a container over time.
  std::vector<std::pair<RunTime, bool>> startedChanges(const RunContainer& c) const {
    std::vector<std::pair<RunTime, bool>> out;
    for (const ConditionChange& ch : m_r.conditions()) {
      if (ch.kind == c.kind && ch.subject == c.name && ch.type == "Started") out.emplace_back(ch.time, ch.status);
    }
    return out;
  }

  void paintState(const Lane& l, const Lane& blockEnd) {
    const RunContainer& c = l.container;
    std::vector<const Transition*> ts;
    for (const Transition& t : m_r.transitions()) {
      if (t.kind == c.kind && t.subject == c.name) ts.push_back(&t);
    }
    const auto started = startedChanges(c);
    const bool knowsStarted = !started.empty();
    const double barTop = l.top + (l.height - 18) / 2;
    double lastRight = -1;
    int runs = 0;
    struct Rule {
      double x;
      int count;
      RunTime t;
    };
    std::vector<Rule> rules;
    for (std::size_t i = 0; i < ts.size(); ++i) {
      const Transition& t = *ts[i];
      const RunTime end = i + 1 < ts.size() ? ts[i + 1]->time : m_end;
      const double x0 = m_scale.x(t.time);
      const double x1 = m_scale.x(end);
      if (t.to == "Running") {
        if (++runs > 1) rules.push_back({x0, runs - 1, t.time});
      }
      const bool terminated = t.to == "Terminated";
      if (x1 - x0 < 0.5 && x0 < lastRight + 0.5 && !terminated) continue;
      lastRight = std::max(lastRight, x1);
      std::string title = c.name + ": " + t.to;
      if (!t.reason.empty()) title += " (" + t.reason + ")";
      title += " from " + formatRunTime(t.time) + (i + 1 < ts.size() ? " to " + formatRunTime(end) : " to the end");
      if (!t.message.empty()) title += ": " + t.message;
      const double w = std::max(x1 - x0 - (x1 - x0 > 3 ? 1 : 0), 1.0);
      if (t.to == "Waiting") {
        rect(x0, barTop, w, 18, "url(#ps-hatch)", title,
             " rx=\"3\" stroke=\"#9EA4AB\" stroke-width=\"1\"");
        text(x0 + 6, barTop + 13, label(t.reason.empty() ? t.to : t.reason, w - 10), pal::kInk);
      } else if (t.to == "Running") {
        // Lighter until Started: split the bar where the flag changes.
        std::vector<std::pair<RunTime, bool>> pieces;
        bool now = !knowsStarted;
        for (const auto& [when, value] : started) {
          if (when <= t.time) now = value;
        }
        pieces.emplace_back(t.time, now);
        for (const auto& [when, value] : started) {
          if (when > t.time && when < end && value != pieces.back().second) pieces.emplace_back(when, value);
        }
        for (std::size_t p = 0; p < pieces.size(); ++p) {
          const RunTime pe = p + 1 < pieces.size() ? pieces[p + 1].first : end;
          const double px0 = m_scale.x(pieces[p].first);
          const double px1 = m_scale.x(pe);
          const double pw = std::max(px1 - px0 - (p + 1 == pieces.size() && px1 - px0 > 3 ? 1 : 0), 1.0);
          const bool on = pieces[p].second;
          std::string pieceTitle = title + (on ? "" : " (not started: postStart or the startup probe not done)");
          rect(px0, barTop, pw, 18, on ? pal::kRunning : pal::kRunningNotStarted, pieceTitle, " rx=\"3\"");
          std::string words = on ? "Running" : "Running · not started";
          if (runs > 1) words += " · restart " + std::to_string(runs - 1);
          text(px0 + 6, barTop + 13, label(words, pw - 10), on ? "#FFFFFF" : pal::kInk);
        }
      } else if (terminated) {
        const bool clean = t.exitCode.value_or(t.reason == "Completed" ? 0 : 1) == 0;
        const std::string_view color = clean ? pal::kSucceeded : pal::kFailed;
        // A solid cap, then a faint rail for as long as it stays terminated.
        if (x1 - x0 > 6) {
          m_out += "<rect x=\"" + num(x0) + "\" y=\"" + num(barTop + 7.5) + "\" width=\"" + num(x1 - x0) +
                   "\" height=\"3\" fill=\"" + std::string(color) + "\" fill-opacity=\"0.35\"/>\n";
        }
        rect(x0, barTop, std::min(std::max(x1 - x0, 2.0), 6.0), 18, color, title, " rx=\"2\"");
        std::string words = t.reason.empty() ? "Terminated" : t.reason;
        if (t.exitCode) words += " · exit " + std::to_string(*t.exitCode);
        text(x0 + 10, barTop + 13, label(words, x1 - x0 - 12), clean ? "#2C5EA2" : "#A3342C");
      } else {
        rect(x0, barTop, w, 18, pal::kUnknown, title, " rx=\"3\"");
        text(x0 + 6, barTop + 13, label(t.to, w - 10), "#FFFFFF");
      }
    }
    // Restart rules run down through the container's sub-lanes.
    const double bottom = blockEnd.top + blockEnd.height;
    for (std::size_t i = 0; i < rules.size(); ++i) {
      // Rules closer than a few pixels: the last of them is drawn, with its count.
      if (i + 1 < rules.size() && rules[i + 1].x - rules[i].x < m_o.markSpacing) continue;
      const std::string title = c.name + ": restart " + std::to_string(rules[i].count) + " at " +
                                formatRunTime(rules[i].t);
      rect(rules[i].x - 1, l.top + 1, 2, bottom - l.top - 1, pal::kRestartRule, title);
      text(rules[i].x + 5, l.top + 9, "↻" + std::to_string(rules[i].count), pal::kRestartRule,
           " font-size=\"9\" font-weight=\"bold\" stroke=\"#FFFFFF\" stroke-width=\"2.5\" paint-order=\"stroke\"");
    }
    paintSignals(l);
  }

  void paintSignals(const Lane& l) {
    struct Mark {
      double x;
      const SignalSent* s;
      int n;
    };
    std::vector<Mark> marks;
    for (const SignalSent& s : m_r.signalsSent()) {
      if (s.kind != l.container.kind || s.container != l.container.name) continue;
      const double x = m_scale.x(s.time);
      if (!marks.empty() && x - marks.back().x < m_o.markSpacing) {
        ++marks.back().n;
        if (s.number == 9) marks.back().s = &s;  // SIGKILL outranks the rest
        continue;
      }
      marks.push_back({x, &s, 1});
    }
    for (const Mark& m : marks) {
      const bool kill = m.s->number == 9;
      const std::string_view color = kill ? pal::kSigkill : pal::kSigterm;
      const std::string name = m.s->name.empty() ? signalName(m.s->number) : m.s->name;
      std::string title = name + " sent to " + m.s->container + " at " + formatRunTime(m.s->time);
      if (m.n > 1) title += " (" + std::to_string(m.n) + " signals here)";
      const double top = l.top + 1;
      const double tip = l.top + 11;
      m_out += "<g><title>" + esc(title) + "</title><line x1=\"" + num(m.x) + "\" y1=\"" + num(top) + "\" x2=\"" +
               num(m.x) + "\" y2=\"" + num(tip - 4) + "\" stroke=\"" + std::string(color) +
               "\" stroke-width=\"1.6\"/><path d=\"M" + num(m.x - 4) + " " + num(tip - 5) + " L" + num(m.x + 4) + " " +
               num(tip - 5) + " L" + num(m.x) + " " + num(tip) + " Z\" fill=\"" + std::string(color) + "\"/></g>\n";
    }
  }

  void paintEvents(const Lane& l, const std::string& object) {
    std::vector<EventMark> marks;
    for (const Event& e : m_r.events()) {
      if (e.object == object) marks.push_back({e.time, &e});
    }
    m_canvas.events(marks, m_scale, l.top + l.height - 4, m_o.markSpacing, m_o.tooltipOutputBytes);
  }

  std::string attemptTitle(const HandlerAttempt& a) const {
    std::string t = std::string(toString(a.kind)) + " " + std::string(toString(a.result)) + " at " +
                    formatRunTime(a.start) + ", took " + formatRunTime(a.duration);
    if (a.restartCount > 0) t += ", restart " + std::to_string(a.restartCount);
    if (a.consecutive > 0) t += ", " + std::to_string(a.consecutive) + " in a row";
    if (a.published) t += " (threshold reached: result published)";
    t += "\n" + a.handler.str();
    Excerpt out = excerpt(a.output, m_o.tooltipOutputBytes);
    if (!out.text.empty()) t += "\n" + out.text + (out.omittedBytes ? "…" : "");
    return t;
  }

  void paintHooks(const Lane& l) {
    double lastLeft = -100;
    const double cy = l.top + l.height / 2;
    for (const HandlerAttempt& a : m_r.attempts()) {
      if (a.containerKind != l.container.kind || a.container != l.container.name ||
          (a.kind != AttemptKind::PostStartHook && a.kind != AttemptKind::PreStopHook)) {
        continue;
      }
      const double left = m_scale.x(a.start);
      const double right = std::max(m_scale.x(a.start + a.duration), left + 4);
      if (right - left < 5 && std::abs(left - lastLeft) < m_o.markSpacing) continue;
      lastLeft = left;
      const bool ok = a.result == AttemptResult::Success || a.result == AttemptResult::Warning;
      const std::string_view color = ok ? pal::kInk : pal::kProbeFail;
      const double top = cy - 6;
      const double bottom = cy + 6;
      m_out += "<g><title>" + esc(attemptTitle(a)) + "</title><rect x=\"" + num(left + 1) + "\" y=\"" + num(top + 1) +
               "\" width=\"" + num(right - left - 2) + "\" height=\"10\" fill=\"" + std::string(color) +
               "\" fill-opacity=\"0.18\"/><path d=\"M" + num(left + 3) + " " + num(top) + " H" + num(left) + " V" +
               num(bottom) + " H" + num(left + 3) + " M" + num(right - 3) + " " + num(top) + " H" + num(right) + " V" +
               num(bottom) + " H" + num(right - 3) + "\" fill=\"none\" stroke=\"" + std::string(color) +
               "\" stroke-width=\"1.4\"/></g>\n";
      std::string name = std::string(toString(a.kind)) + (ok ? "" : " ✗");
      if (right - left - 8 >= name.size() * kCharWidth) {
        text((left + right) / 2, cy + 4, name, color, " text-anchor=\"middle\" font-size=\"10\"");
      } else if (right - left < 30) {
        text(right + 4, cy + 4, name, color, " font-size=\"10\"");
      }
    }
  }

  void paintProbes(const Lane& l) {
    // Attempts binned by pixel column; each bin shows one dot per result
    // (a failure drawn over a success) and one threshold mark.
    struct Bin {
      std::array<const HandlerAttempt*, 4> shown{};
      std::array<int, 4> count{};
      const HandlerAttempt* threshold = nullptr;
      int thresholds = 0;
    };
    std::map<long long, Bin> bins;
    for (const HandlerAttempt& a : m_r.attempts()) {
      if (a.containerKind != l.container.kind || a.container != l.container.name || a.kind != l.probe) continue;
      const auto key = static_cast<long long>(std::floor(m_scale.x(a.start) / m_o.dotSpacing));
      Bin& b = bins[key];
      const auto r = static_cast<std::size_t>(a.result);
      ++b.count[r];
      // The latest of each result shows.
      if (!b.shown[r] || a.start >= b.shown[r]->start) b.shown[r] = &a;
      if (a.published) {
        ++b.thresholds;
        if (!b.threshold || a.start >= b.threshold->start) b.threshold = &a;
      }
    }
    const double cy = l.top + l.height / 2;
    for (const auto& entry : bins) {
      // A reference, not a structured binding: the lambda below captures it.
      const Bin& b = entry.second;
      int total = 0;
      for (int n : b.count) total += n;
      auto summary = [&](const HandlerAttempt& a) {
        std::string t = attemptTitle(a);
        if (total > 1) {
          t += "\n(" + std::to_string(total) + " attempts within this dot: ";
          bool first = true;
          for (std::size_t r = 0; r < 4; ++r) {
            if (b.count[r] == 0) continue;
            t += (first ? "" : ", ") + std::to_string(b.count[r]) + " " + std::string(toString(static_cast<AttemptResult>(r)));
            first = false;
          }
          t += ")";
        }
        return t;
      };
      if (b.threshold) {
        const double x = m_scale.x(b.threshold->start);
        rect(x - 1, l.top + 1, 2, l.height - 2, attemptColor(b.threshold->result),
             summary(*b.threshold) + (b.thresholds > 1 ? "\n(" + std::to_string(b.thresholds) + " threshold marks here)" : ""));
      }
      // Successes first, failures last: on top.
      for (AttemptResult r : {AttemptResult::Success, AttemptResult::Warning, AttemptResult::Error, AttemptResult::Failure}) {
        const HandlerAttempt* a = b.shown[static_cast<std::size_t>(r)];
        if (!a) continue;
        const double x = m_scale.x(a->start);
        const double w = m_scale.x(a->start + a->duration) - x;
        if (w > 6) {
          m_out += "<rect x=\"" + num(x) + "\" y=\"" + num(cy - 1) + "\" width=\"" + num(w) +
                   "\" height=\"2\" fill=\"" + std::string(attemptColor(r)) + "\" fill-opacity=\"0.45\"/>\n";
        }
        const bool hollow = r == AttemptResult::Failure || r == AttemptResult::Error;
        m_out += "<circle cx=\"" + num(x) + "\" cy=\"" + num(cy) + "\" r=\"3.4\" fill=\"" +
                 std::string(hollow ? "#FFFFFF" : attemptColor(r)) + "\" stroke=\"" + std::string(attemptColor(r)) +
                 "\" stroke-width=\"1.6\"><title>" + esc(summary(*a)) + "</title></circle>\n";
      }
    }
  }

  const RunRecord& m_r;
  const SvgOptions& m_o;
  Canvas m_canvas{static_cast<double>(m_o.width)};
  std::string& m_out = m_canvas.out();
  std::vector<RunContainer> m_containers;
  std::vector<Lane> m_lanes;
  Scale m_scale;
  RunTime m_end{1s};
  double m_lanesBottom = 0;
  double m_legendTop = 0;
  double m_height = 0;
};

}  // namespace

std::string timelineSvg(const RunRecord& record, const SvgOptions& options, bool standalone) {
  return Writer(record, options).write(standalone);
}

}  // namespace podscope::core
