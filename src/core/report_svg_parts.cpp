#include "core/report_svg_parts.h"

#include <algorithm>
#include <cstdio>

#include "core/report_palette.h"
#include "core/report_text.h"

namespace podscope::core::svg {

namespace {

using namespace std::chrono_literals;
namespace pal = palette;

std::string esc(std::string_view s) { return escapeXml(s); }

double entryWidth(const LegendEntry& e) { return 26 + static_cast<double>(e.text.size()) * kCharWidth + 12; }

}  // namespace

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  std::string s = buf;
  if (s.size() > 2 && s.compare(s.size() - 2, 2, ".0") == 0) s.resize(s.size() - 2);
  return s;
}

std::string tickLabel(RunTime t, RunTime step) {
  if (step < 1s) {
    char buf[32];
    const int decimals = step >= 100ms ? 1 : (step >= 10ms ? 2 : 3);
    std::snprintf(buf, sizeof buf, "%.*fs", decimals, static_cast<double>(t.count()) / 1e9);
    return buf;
  }
  const long long s = std::chrono::duration_cast<std::chrono::seconds>(t).count();
  if (s < 120) return std::to_string(s) + "s";
  const long long h = s / 3600;
  const long long m = (s % 3600) / 60;
  const long long sec = s % 60;
  std::string out;
  if (h > 0) out += std::to_string(h) + "h";
  if (m > 0) out += std::to_string(m) + "m";
  if (sec > 0) out += std::to_string(sec) + "s";
  return out;
}

RunTime Scale::step() const {
  static constexpr std::array<long long, 30> kStepsMs = {
      1,     2,     5,     10,     20,     50,     100,    200,     500,     1000,
      2000,  5000,  10000, 15000,  30000,  60000,  120000, 300000,  600000,  900000,
      1800000, 3600000, 7200000, 10800000, 21600000, 43200000, 86400000, 172800000, 604800000, 2592000000};
  for (long long ms : kStepsMs) {
    const RunTime s = std::chrono::milliseconds(ms);
    if (static_cast<double>(s.count()) / static_cast<double>(end.count()) * width >= kMinTickSpacing) return s;
  }
  return std::chrono::milliseconds(kStepsMs.back());
}

std::string fit(const std::string& s, std::size_t chars) {
  if (s.size() <= chars || chars < 5) return s;
  const std::size_t keep = chars - 1;
  Excerpt head = excerpt(s, keep - keep / 2);
  std::size_t tailStart = s.size() - keep / 2;
  while (tailStart < s.size() && (static_cast<unsigned char>(s[tailStart]) & 0xC0) == 0x80) ++tailStart;
  return head.text + "…" + s.substr(tailStart);
}

std::string label(const std::string& s, double px) {
  const auto chars = static_cast<std::size_t>(std::max(0.0, px / kCharWidth));
  if (chars < 4) return {};
  if (s.size() <= chars) return s;
  return excerpt(s, chars - 1).text + "…";
}

// ---- Canvas -------------------------------------------------------------------

void Canvas::open(double height, std::string_view cssClass, const std::string& title, bool standalone) {
  std::string& o = m_out;
  if (standalone) o += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  o += "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"" + std::string(cssClass) + "\" width=\"" + num(m_width) +
       "\" height=\"" + num(height) + "\" viewBox=\"0 0 " + num(m_width) + " " + num(height) +
       "\" font-family=\"DejaVu Sans, Segoe UI, Helvetica, Arial, sans-serif\" font-size=\"11\">\n";
  o += "<title>" + esc(title) + "</title>\n";
  o += "<defs><pattern id=\"ps-hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" "
       "patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#D1D6DC\"/>"
       "<rect width=\"2\" height=\"6\" fill=\"" + std::string(pal::kWaitingHatch) + "\"/></pattern></defs>\n";
  o += "<rect width=\"100%\" height=\"100%\" fill=\"#FFFFFF\"/>\n";
}

std::string Canvas::close() {
  m_out += "</svg>\n";
  return std::move(m_out);
}

void Canvas::rect(double x, double y, double w, double h, std::string_view fill, const std::string& title,
                  std::string_view extra) {
  m_out += "<rect x=\"" + num(x) + "\" y=\"" + num(y) + "\" width=\"" + num(std::max(w, 1.0)) + "\" height=\"" +
           num(h) + "\" fill=\"" + std::string(fill) + "\"" + std::string(extra) + ">";
  if (!title.empty()) m_out += "<title>" + esc(title) + "</title>";
  m_out += "</rect>\n";
}

void Canvas::text(double x, double y, const std::string& s, std::string_view color, std::string_view extra) {
  if (s.empty()) return;
  m_out += "<text x=\"" + num(x) + "\" y=\"" + num(y) + "\" fill=\"" + std::string(color) + "\"" +
           std::string(extra) + ">" + esc(s) + "</text>\n";
}

void Canvas::stripe(double top, double height) {
  m_out += "<rect x=\"" + num(kGutter) + "\" y=\"" + num(top) + "\" width=\"" + num(m_width - kGutter) +
           "\" height=\"" + num(height) + "\" fill=\"" + std::string(pal::kStripe) + "\"/>\n";
}

void Canvas::axis(const Scale& scale, RunTime end, double bottom, std::string_view caption) {
  const RunTime step = scale.step();
  std::string& o = m_out;
  o += "<g class=\"axis\">\n";
  o += "<text x=\"10\" y=\"" + num(kAxisHeight - 8) + "\" fill=\"" + std::string(pal::kMuted) + "\">" + esc(caption) +
       "</text>\n";
  for (RunTime t{0}; t <= end; t += step) {
    const double x = scale.x(t);
    o += "<line x1=\"" + num(x) + "\" y1=\"" + num(kAxisHeight) + "\" x2=\"" + num(x) + "\" y2=\"" + num(bottom) +
         "\" stroke=\"" + std::string(pal::kGrid) + "\"/>";
    o += "<line x1=\"" + num(x) + "\" y1=\"" + num(kAxisHeight - 5) + "\" x2=\"" + num(x) + "\" y2=\"" +
         num(kAxisHeight) + "\" stroke=\"" + std::string(pal::kRule) + "\"/>";
    o += "<text x=\"" + num(x) + "\" y=\"" + num(kAxisHeight - 8) + "\" text-anchor=\"middle\" fill=\"" +
         std::string(pal::kMuted) + "\">" + esc(tickLabel(t, step)) + "</text>\n";
  }
  // Where the record ends.
  const double xe = scale.x(end);
  o += "<line x1=\"" + num(xe) + "\" y1=\"" + num(kAxisHeight) + "\" x2=\"" + num(xe) + "\" y2=\"" + num(bottom) +
       "\" stroke=\"" + std::string(pal::kMuted) + "\" stroke-dasharray=\"3 3\"><title>" +
       esc("end of the record: " + formatRunTime(end)) + "</title></line>\n";
  o += "<line x1=\"0\" y1=\"" + num(kAxisHeight) + "\" x2=\"" + num(m_width) + "\" y2=\"" + num(kAxisHeight) +
       "\" stroke=\"" + std::string(pal::kRule) + "\"/>\n";
  o += "</g>\n";
}

void Canvas::gutter(const std::vector<GutterLabel>& labels, double bottom) {
  std::string& o = m_out;
  o += "<g class=\"gutter\">\n";
  o += "<rect x=\"0\" y=\"" + num(kAxisHeight + 1) + "\" width=\"" + num(kGutter) + "\" height=\"" +
       num(bottom - kAxisHeight + 4) + "\" fill=\"" + std::string(pal::kGutterPaper) + "\"/>\n";
  o += "<line x1=\"" + num(kGutter) + "\" y1=\"" + num(kAxisHeight) + "\" x2=\"" + num(kGutter) + "\" y2=\"" +
       num(bottom + 4) + "\" stroke=\"" + std::string(pal::kRule) + "\"/>\n";
  for (const GutterLabel& l : labels) {
    const double y = l.top + l.height / 2 + 4;
    if (l.sub) {
      o += "<text x=\"24\" y=\"" + num(y) + "\" font-size=\"10\" fill=\"" + std::string(pal::kMuted) + "\">" +
           esc(fit(l.title, static_cast<std::size_t>((kGutter - 34) / 6))) + "</text>\n";
      continue;
    }
    const double tagWidth = l.tag.empty() ? 0 : static_cast<double>(l.tag.size()) * 6 + 8;
    const std::string name = fit(l.title, static_cast<std::size_t>((kGutter - 20 - tagWidth) / 7));
    // The full name as the tooltip of a group around the text: a <title>
    // inside <text> is drawn as text by some renderers (Qt's among them).
    o += "<g><title>" + esc(l.title) + "</title><text x=\"10\" y=\"" + num(y) + "\" fill=\"" + std::string(pal::kInk) +
         "\"" + (l.bold ? " font-weight=\"bold\"" : "") + ">" + esc(name);
    if (!l.tag.empty()) {
      // A space before the tag, not only dx: not every renderer honours dx.
      o += " <tspan dx=\"3\" font-size=\"10\" fill=\"" + std::string(pal::kMuted) + "\">" + esc(l.tag) + "</tspan>";
    }
    o += "</text></g>\n";
  }
  o += "</g>\n";
}

void Canvas::events(const std::vector<EventMark>& marks, const Scale& scale, double cy, double spacing,
                    std::size_t tooltipBytes) {
  struct Drawn {
    double x;
    EventMark m;
    int n;
  };
  std::vector<Drawn> drawn;
  for (const EventMark& m : marks) {
    const double x = scale.x(m.time);
    if (!drawn.empty() && x - drawn.back().x < spacing) {
      ++drawn.back().n;
      // A Warning outranks a Normal event; among equals the latest shows.
      if (m.event->type == EventType::Warning || drawn.back().m.event->type == EventType::Normal) drawn.back().m = m;
      continue;
    }
    drawn.push_back({x, m, 1});
  }
  for (const Drawn& d : drawn) {
    const Event& e = *d.m.event;
    const bool warning = e.type == EventType::Warning;
    std::string title = std::string(toString(e.type)) + " " + e.reason + " at " + formatRunTime(d.m.time) + ": " +
                        excerpt(e.message, tooltipBytes).text;
    if (d.n > 1) title += " (" + std::to_string(d.n) + " events here)";
    m_out += "<path d=\"M" + num(d.x) + " " + num(cy - 4) + " L" + num(d.x + 4) + " " + num(cy) + " L" + num(d.x) +
             " " + num(cy + 4) + " L" + num(d.x - 4) + " " + num(cy) + " Z\" fill=\"" +
             std::string(warning ? pal::kEventWarning : pal::kEventNormal) + "\" stroke=\"" +
             std::string(warning ? "#AE5307" : "#516273") + "\"><title>" + esc(title) + "</title></path>\n";
  }
}

double Canvas::legendHeight(const std::vector<LegendEntry>& entries) const {
  double x = 10;
  int rows = 1;
  for (const LegendEntry& e : entries) {
    const double w = entryWidth(e);
    if (x + w > m_width - 10 && x > 10) {
      x = 10;
      ++rows;
    }
    x += w;
  }
  return rows * kLegendRow;
}

void Canvas::legend(const std::vector<LegendEntry>& entries, double top, double bottom) {
  std::string& o = m_out;
  o += "<g class=\"legend\">\n";
  o += "<rect x=\"0\" y=\"" + num(top - 6) + "\" width=\"" + num(m_width) + "\" height=\"" + num(bottom - top + 6) +
       "\" fill=\"" + std::string(pal::kGutterPaper) + "\"/>\n";
  double x = 10;
  double y = top;
  for (const LegendEntry& e : entries) {
    const double w = entryWidth(e);
    if (x + w > m_width - 10 && x > 10) {
      x = 10;
      y += kLegendRow;
    }
    const double cy = y + kLegendRow / 2 - 2;
    const std::string X = num(x), X2 = num(x + 11), Y = num(cy);
    auto bar = [&](std::string_view fill, std::string_view extra = {}) {
      o += "<rect x=\"" + X + "\" y=\"" + num(cy - 6) + "\" width=\"22\" height=\"12\" rx=\"3\" fill=\"" +
           std::string(fill) + "\"" + std::string(extra) + "/>";
    };
    auto band = [&](std::string_view fill, std::string_view extra = {}) {
      o += "<rect x=\"" + X + "\" y=\"" + num(cy - 3) + "\" width=\"22\" height=\"6\" fill=\"" + std::string(fill) +
           "\"" + std::string(extra) + "/>";
    };
    switch (e.glyph) {
      case Glyph::Waiting: bar("url(#ps-hatch)", " stroke=\"#9EA4AB\""); break;
      case Glyph::NotStarted: bar(pal::kRunningNotStarted); break;
      case Glyph::Running: bar(pal::kRunning); break;
      case Glyph::Pending: bar(pal::kPending); break;
      case Glyph::PodSucceeded: bar(pal::kSucceeded); break;
      case Glyph::PodFailed: bar(pal::kFailed); break;
      case Glyph::Exit0:
      case Glyph::Error: {
        const std::string color(e.glyph == Glyph::Exit0 ? pal::kSucceeded : pal::kFailed);
        o += "<rect x=\"" + X + "\" y=\"" + num(cy - 1.5) + "\" width=\"22\" height=\"3\" fill=\"" + color +
             "\" fill-opacity=\"0.35\"/><rect x=\"" + X + "\" y=\"" + num(cy - 6) +
             "\" width=\"6\" height=\"12\" rx=\"2\" fill=\"" + color + "\"/>";
        break;
      }
      case Glyph::ConditionTrue: band(pal::kConditionTrue); break;
      case Glyph::ConditionFalse: band(pal::kConditionFalse); break;
      case Glyph::ConditionUnknown: band(pal::kConditionUnknown); break;
      case Glyph::ReadyReplicas: bar(pal::kRunning, " fill-opacity=\"" + std::string(pal::kReadyReplicasOpacity) + "\""); break;
      case Glyph::CurrentReplicas: bar(pal::kRunning, " fill-opacity=\"" + std::string(pal::kCurrentReplicasOpacity) + "\""); break;
      case Glyph::DesiredReplicas:
        o += "<line x1=\"" + X + "\" y1=\"" + Y + "\" x2=\"" + num(x + 22) + "\" y2=\"" + Y + "\" stroke=\"" +
             std::string(pal::kDesiredReplicas) + "\" stroke-width=\"1.5\"/>";
        break;
      case Glyph::ProbeOk:
        o += "<circle cx=\"" + X2 + "\" cy=\"" + Y + "\" r=\"3.4\" fill=\"" + std::string(pal::kProbePass) +
             "\" stroke=\"" + std::string(pal::kProbePass) + "\" stroke-width=\"1.6\"/>";
        break;
      case Glyph::ProbeFailed:
        o += "<circle cx=\"" + X2 + "\" cy=\"" + Y + "\" r=\"3.4\" fill=\"#FFFFFF\" stroke=\"" +
             std::string(pal::kProbeFail) + "\" stroke-width=\"1.6\"/>";
        break;
      case Glyph::Threshold:
        o += "<rect x=\"" + num(x + 10) + "\" y=\"" + num(cy - 7) + "\" width=\"2\" height=\"14\" fill=\"" +
             std::string(pal::kProbeFail) + "\"/><circle cx=\"" + X2 + "\" cy=\"" + Y +
             "\" r=\"3.4\" fill=\"#FFFFFF\" stroke=\"" + std::string(pal::kProbeFail) + "\" stroke-width=\"1.6\"/>";
        break;
      case Glyph::Hook:
        o += "<path d=\"M" + num(x + 5) + " " + num(cy - 6) + " H" + num(x + 2) + " V" + num(cy + 6) + " H" +
             num(x + 5) + " M" + num(x + 17) + " " + num(cy - 6) + " H" + num(x + 20) + " V" + num(cy + 6) + " H" +
             num(x + 17) + "\" fill=\"none\" stroke=\"" + std::string(pal::kInk) + "\" stroke-width=\"1.4\"/>";
        break;
      case Glyph::Sigterm:
      case Glyph::Sigkill: {
        const std::string color(e.glyph == Glyph::Sigterm ? pal::kSigterm : pal::kSigkill);
        o += "<line x1=\"" + X2 + "\" y1=\"" + num(cy - 7) + "\" x2=\"" + X2 + "\" y2=\"" + num(cy + 2) +
             "\" stroke=\"" + color + "\" stroke-width=\"1.6\"/><path d=\"M" + num(x + 7) + " " + num(cy + 1) + " L" +
             num(x + 15) + " " + num(cy + 1) + " L" + X2 + " " + num(cy + 6) + " Z\" fill=\"" + color + "\"/>";
        break;
      }
      case Glyph::Restart:
        o += "<rect x=\"" + num(x + 10) + "\" y=\"" + num(cy - 7) + "\" width=\"2\" height=\"14\" fill=\"" +
             std::string(pal::kRestartRule) + "\"/>";
        break;
      case Glyph::Deadline:
        o += "<rect x=\"" + num(x + 10) + "\" y=\"" + num(cy - 7) + "\" width=\"2\" height=\"14\" fill=\"" +
             std::string(pal::kFailed) + "\"/>";
        break;
      case Glyph::Event:
      case Glyph::Warning: {
        const std::string color(e.glyph == Glyph::Event ? pal::kEventNormal : pal::kEventWarning);
        o += "<path d=\"M" + X2 + " " + num(cy - 4) + " L" + num(x + 15) + " " + Y + " L" + X2 + " " + num(cy + 4) +
             " L" + num(x + 7) + " " + Y + " Z\" fill=\"" + color + "\"/>";
        break;
      }
    }
    o += "<text x=\"" + num(x + 26) + "\" y=\"" + num(cy + 4) + "\" fill=\"" + std::string(pal::kMuted) + "\">" +
         esc(e.text) + "</text>\n";
    x += w;
  }
  o += "</g>\n";
}

}  // namespace podscope::core::svg
