#pragma once
// Time-to-pixel maths for the timeline, kept apart from any widget so it can
// be tested on its own.

#include <QString>

#include <vector>

#include "core/run_record.h"

namespace podscope::ui {

/// Maps run time onto a horizontal pixel range: `start` lands on
/// `pixelOrigin`, `start + span` on `pixelOrigin + pixelWidth`.
/// Thread contract: a plain value type.
class TimeScale {
 public:
  TimeScale() = default;
  TimeScale(core::RunTime start, core::RunTime span, double pixelOrigin, double pixelWidth);

  /// A scale from zero that shows a run ending at `end` whole, with a little
  /// room after the last change so it does not sit on the edge.
  static TimeScale fit(core::RunTime end, double pixelOrigin, double pixelWidth);

  core::RunTime start() const { return m_start; }
  core::RunTime span() const { return m_span; }
  core::RunTime end() const { return m_start + m_span; }
  double pixelOrigin() const { return m_origin; }
  double pixelWidth() const { return m_width; }

  double toPixel(core::RunTime t) const;
  core::RunTime toTime(double x) const;

  /// The smallest step of the 1-2-5 series (1ms .. hours) whose ticks are at
  /// least `minPixels` apart.
  core::RunTime tickStep(double minPixels) const;
  /// Tick times inside [start, end], multiples of tickStep(minPixels).
  std::vector<core::RunTime> ticks(double minPixels) const;

  /// A tick label: "0s", "15s", "2.5s", "250ms", "1m30s".
  static QString formatTick(core::RunTime t, core::RunTime step);

  friend bool operator==(const TimeScale&, const TimeScale&) = default;

 private:
  core::RunTime m_start{0};
  core::RunTime m_span{std::chrono::seconds(1)};
  double m_origin = 0;
  double m_width = 1;
};

}  // namespace podscope::ui
