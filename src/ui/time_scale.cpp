#include "ui/time_scale.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>

namespace podscope::ui {

using namespace std::chrono_literals;

namespace {

constexpr core::RunTime kMinimumSpan = 1s;
// Room left after the last change, as a share of the run's length.
constexpr double kFitHeadroom = 0.04;

}  // namespace

TimeScale::TimeScale(core::RunTime start, core::RunTime span, double pixelOrigin, double pixelWidth)
    : m_start(start),
      m_span(std::max(span, core::RunTime{1})),
      m_origin(pixelOrigin),
      m_width(std::max(pixelWidth, 1.0)) {}

TimeScale TimeScale::fit(core::RunTime end, double pixelOrigin, double pixelWidth) {
  auto padded = core::RunTime{static_cast<core::RunTime::rep>(
      static_cast<double>(std::max(end, core::RunTime{0}).count()) * (1.0 + kFitHeadroom))};
  return TimeScale(core::RunTime{0}, std::max(padded, kMinimumSpan), pixelOrigin, pixelWidth);
}

double TimeScale::toPixel(core::RunTime t) const {
  return m_origin + static_cast<double>((t - m_start).count()) / static_cast<double>(m_span.count()) * m_width;
}

core::RunTime TimeScale::toTime(double x) const {
  double ns = (x - m_origin) / m_width * static_cast<double>(m_span.count());
  return m_start + core::RunTime{static_cast<core::RunTime::rep>(std::llround(ns))};
}

core::RunTime TimeScale::tickStep(double minPixels) const {
  // Steps people count in: decimal below a second, then clock-like ones so
  // labels read 15s, 30s, 1m rather than 20s, 50s, 100s.
  static constexpr std::array<core::RunTime, 26> kSteps = {
      1ms, 2ms, 5ms, 10ms, 20ms, 50ms, 100ms, 200ms, 500ms,
      1s, 2s, 5s, 10s, 15s, 30s,
      1min, 2min, 5min, 10min, 15min, 30min,
      1h, 2h, 6h, 12h, 24h};
  double pixelsPerNs = m_width / static_cast<double>(m_span.count());
  for (core::RunTime step : kSteps) {
    if (static_cast<double>(step.count()) * pixelsPerNs >= minPixels) return step;
  }
  return kSteps.back();
}

std::vector<core::RunTime> TimeScale::ticks(double minPixels) const {
  constexpr std::size_t kMaxTicks = 1000;
  std::vector<core::RunTime> out;
  const std::int64_t step = tickStep(std::max(minPixels, 1.0)).count();
  const std::int64_t start = m_start.count();
  // Integer division truncates towards zero, which rounds negatives up already.
  std::int64_t first = start >= 0 ? (start + step - 1) / step : start / step;
  for (core::RunTime t{first * step}; t <= end() && out.size() < kMaxTicks; t += core::RunTime{step}) {
    out.push_back(t);
  }
  return out;
}

QString TimeScale::formatTick(core::RunTime t, core::RunTime step) {
  using std::chrono::duration_cast;
  if (step < 1s) {
    auto ms = duration_cast<std::chrono::milliseconds>(t).count();
    if (ms % 1000 == 0) return QStringLiteral("%1s").arg(ms / 1000);
    if (t < 1s) return QStringLiteral("%1ms").arg(ms);
    return QStringLiteral("%1s").arg(static_cast<double>(ms) / 1000.0, 0, 'f', step < 100ms ? 2 : 1);
  }
  auto s = duration_cast<std::chrono::seconds>(t).count();
  if (s < 60) return QStringLiteral("%1s").arg(s);
  if (s % 60 == 0) return QStringLiteral("%1m").arg(s / 60);
  return QStringLiteral("%1m%2s").arg(s / 60).arg(s % 60);
}

}  // namespace podscope::ui
