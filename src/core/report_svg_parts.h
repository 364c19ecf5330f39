#pragma once
// What the timeline SVGs share — the pod's (report_svg.cpp) and the
// rollout's (rollout_svg.cpp): the layout's measures, the time scale and its
// tick labels, names cut to fit, and a Canvas that writes the document's
// frame, the time axis, the gutter of lane names, event diamonds and the
// legend in the app's palette (report_palette.h). Internal to the reports.
// Thread contract: values and free functions without shared state; a Canvas
// is used by one thread at a time.

#include <array>
#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/run_record.h"

namespace podscope::core::svg {

inline constexpr double kGutter = 190;
inline constexpr double kRightMargin = 16;
inline constexpr double kLead = 10;  ///< time 0 sits this far in from the gutter
inline constexpr double kAxisHeight = 28;
inline constexpr double kMinTickSpacing = 80;
inline constexpr double kCharWidth = 6.4;  ///< an 11 px sans-serif character, near enough to fit labels
inline constexpr double kGroupGap = 8;
inline constexpr double kLegendRow = 20;

/// A coordinate: one decimal, without a trailing ".0".
std::string num(double v);

/// A tick label: seconds below two minutes, then kubectl-like compact forms.
std::string tickLabel(RunTime t, RunTime step);

/// Time to x: `end` spans `width` pixels from `left`.
struct Scale {
  RunTime end{std::chrono::seconds(1)};
  double left = kGutter + kLead;
  double width = 800;
  double x(RunTime t) const {
    return left + static_cast<double>(t.count()) / static_cast<double>(end.count()) * width;
  }
  /// A round step between ticks at least kMinTickSpacing apart.
  RunTime step() const;
};

/// A name that fits `chars` characters, cut in the middle.
std::string fit(const std::string& s, std::size_t chars);

/// A label that fits `px` pixels, cut at the end; empty when not even a few letters fit.
std::string label(const std::string& s, double px);

/// A lane's name in the gutter.
struct GutterLabel {
  double top = 0;
  double height = 0;
  std::string title;
  std::string tag;   ///< after the name, small and muted: "pod", "init", "rev 2"
  bool sub = false;  ///< a sub-lane: indented, small and muted, no tag
  bool bold = false;
};

/// An event where it falls on the drawing's axis.
struct EventMark {
  RunTime time{0};
  const Event* event = nullptr;
};

/// The marks a legend explains.
enum class Glyph {
  Waiting, NotStarted, Running, Exit0, Error, ConditionTrue, ConditionFalse, ProbeOk, ProbeFailed, Threshold, Hook,
  Sigterm, Sigkill, Restart, Event, Warning, Pending, ConditionUnknown, ReadyReplicas, CurrentReplicas,
  DesiredReplicas, PodSucceeded, PodFailed, Deadline
};
struct LegendEntry {
  Glyph glyph;
  std::string_view text;
};

/// Writes one SVG document into a string.
class Canvas {
 public:
  explicit Canvas(double width) : m_width(width) {}

  std::string& out() { return m_out; }
  double width() const { return m_width; }

  /// The prolog (when `standalone`), the <svg> element of class `cssClass`
  /// with its <title>, the hatching pattern and white paper.
  void open(double height, std::string_view cssClass, const std::string& title, bool standalone);
  /// Closes the document and hands it over.
  std::string close();

  /// A rectangle (at least 1 px wide) with a tooltip when `title` is set;
  /// `extra` holds further attributes, each after a space.
  void rect(double x, double y, double w, double h, std::string_view fill, const std::string& title,
            std::string_view extra = {});
  /// Text, unless `s` is empty.
  void text(double x, double y, const std::string& s, std::string_view color, std::string_view extra = {});
  /// The lighter paper of every other block, from the gutter to the right edge.
  void stripe(double top, double height);

  /// Grid lines and tick labels from 0 to `end` down to `bottom`, the
  /// `caption` at the left, a dashed line where the record ends.
  void axis(const Scale& scale, RunTime end, double bottom, std::string_view caption);
  /// The gutter's paper and the lanes' names; a full name cut to fit is
  /// the tooltip.
  void gutter(const std::vector<GutterLabel>& labels, double bottom);
  /// A diamond per event centred at height `cy`; events closer than
  /// `spacing` pixels are drawn once (a Warning over a Normal one, among
  /// equals the latest), the tooltip counting them.
  void events(const std::vector<EventMark>& marks, const Scale& scale, double cy, double spacing,
              std::size_t tooltipBytes);

  /// The height of `entries` laid out in rows as wide as the drawing.
  double legendHeight(const std::vector<LegendEntry>& entries) const;
  /// The legend on its own paper from `top` down to the drawing's `bottom`.
  void legend(const std::vector<LegendEntry>& entries, double top, double bottom);

 private:
  double m_width;
  std::string m_out;
};

}  // namespace podscope::core::svg
