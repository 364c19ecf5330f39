#include "ui/timeline_view.h"

#include <QApplication>
#include <QHBoxLayout>
#include <QHelpEvent>
#include <QKeyEvent>
#include <QLabel>
#include <QPainter>
#include <QPainterPath>
#include <QPixmap>
#include <QScrollBar>
#include <QToolButton>
#include <QToolTip>
#include <QVBoxLayout>
#include <QWheelEvent>

#include <algorithm>
#include <array>
#include <cmath>
#include <csignal>
#include <limits>

#include "ui/state_palette.h"

namespace podscope::ui {

namespace {

using namespace std::chrono_literals;

constexpr int kAxisHeight = 26;
constexpr int kLabelPadding = 10;
constexpr int kSubLaneIndent = 14;
constexpr int kMinGutter = 130;
constexpr int kMaxGutter = 260;
constexpr int kRightMargin = 12;
constexpr double kMinTickSpacing = 80;
constexpr double kHitTolerance = 5;
constexpr double kDragThreshold = 4;
constexpr double kMinNsPerPixel = 1e4;  // 10 µs a pixel: a millisecond is 100 pixels wide
constexpr double kFollowHeadroom = 0.05;
// Level of detail: items closer than this many pixels are drawn as one.
constexpr double kDotBin = 3;
constexpr double kMarkBin = 4;
// Bars narrower than this are plain rectangles: no rounded corners, no text.
constexpr double kPlainBarWidth = 6;
constexpr core::RunTime kDefaultSpan = 60s;
// Time 0 sits this far in from the gutter, so marks at the pod's creation show whole.
constexpr double kLeadPixels = 10;

// The palette the reports share (core/report_palette.h).
namespace palette = core::palette;
const QColor kGutterPaper = paletteColor(palette::kGutterPaper);
const QColor kRule = paletteColor(palette::kRule);
const QColor kGrid = paletteColor(palette::kGrid);
const QColor kStripe = paletteColor(palette::kStripe);
const QColor kMuted = paletteColor(palette::kMuted);
const QColor kInk = paletteColor(palette::kInk);
const QColor kRestartRule = paletteColor(palette::kRestartRule);
const QColor kCursor(0x1F, 0x6F, 0xEB);
const QColor kSelection(0x1F, 0x6F, 0xEB);
const QColor kProbePass = paletteColor(palette::kProbePass);
const QColor kProbeWarn = paletteColor(palette::kProbeWarn);
const QColor kProbeFail = paletteColor(palette::kProbeFail);
const QColor kProbeError = paletteColor(palette::kProbeError);
const QColor kEventNormal = paletteColor(palette::kEventNormal);
const QColor kEventWarning = paletteColor(palette::kEventWarning);
const QColor kSigterm = paletteColor(palette::kSigterm);
const QColor kSigkill = paletteColor(palette::kSigkill);
const QColor kConditionTrue = paletteColor(palette::kConditionTrue);
const QColor kConditionFalse = paletteColor(palette::kConditionFalse);

QString qs(const std::string& s) { return QString::fromStdString(s); }

int laneHeight(TimelineLaneKind kind) {
  switch (kind) {
    case TimelineLaneKind::PodPhase: return 24;
    case TimelineLaneKind::PodCondition: return 13;
    case TimelineLaneKind::ContainerState: return 28;
    case TimelineLaneKind::Hooks: return 18;
    case TimelineLaneKind::Probe: return 16;
    case TimelineLaneKind::Deployment: return 24;
    case TimelineLaneKind::DeploymentCondition: return 15;
    case TimelineLaneKind::ReplicaSet: return 36;
    case TimelineLaneKind::RolloutPod: return 16;
  }
  return 20;
}

bool isSubLane(TimelineLaneKind kind) {
  return kind == TimelineLaneKind::PodCondition || kind == TimelineLaneKind::Hooks || kind == TimelineLaneKind::Probe ||
         kind == TimelineLaneKind::DeploymentCondition || kind == TimelineLaneKind::RolloutPod;
}

// A ReplicaSet's chart: the DESIRED outline over the READY fill.
const QColor kDesiredLine(0x1F, 0x6F, 0xEB);
const QColor kReadyFill(0x3C, 0xA5, 0x5C, 0xC0);
const QColor kCurrentFill(0x3C, 0xA5, 0x5C, 0x40);
const QColor kConditionUnknown(0xF2, 0xD4, 0x8A);

QColor runningNotStarted() {
  const QColor g = stateColor(LaneState::Running);
  return QColor((g.red() + 2 * 255) / 3, (g.green() + 2 * 255) / 3, (g.blue() + 2 * 255) / 3);
}

QColor attemptColor(core::AttemptResult result) {
  switch (result) {
    case core::AttemptResult::Success: return kProbePass;
    case core::AttemptResult::Warning: return kProbeWarn;
    case core::AttemptResult::Failure: return kProbeFail;
    case core::AttemptResult::Error: return kProbeError;
  }
  return kProbeError;
}

/// Which of two attempts sharing a pixel shows: a failure outranks the rest.
int attemptWeight(core::AttemptResult result) {
  switch (result) {
    case core::AttemptResult::Success: return 0;
    case core::AttemptResult::Warning: return 1;
    case core::AttemptResult::Error: return 2;
    case core::AttemptResult::Failure: return 3;
  }
  return 0;
}

// --- the marks, shared by the lanes and the legend --------------------------

/// Dots and diamonds are drawn thousands of times a frame: each look is
/// rendered once, antialiased, and then copied.
class GlyphCache {
 public:
  static const QPixmap& dot(core::AttemptResult result) {
    static GlyphCache cache;
    return cache.m_dots[static_cast<size_t>(result)];
  }
  static const QPixmap& diamond(core::EventType type) {
    static GlyphCache cache;
    return cache.m_diamonds[type == core::EventType::Warning ? 1 : 0];
  }
  static constexpr int kSize = 12;

 private:
  GlyphCache() {
    for (auto result : {core::AttemptResult::Success, core::AttemptResult::Warning, core::AttemptResult::Failure,
                        core::AttemptResult::Error}) {
      m_dots[static_cast<size_t>(result)] = render([result](QPainter& p, QPointF c) { paintDot(p, c, result); });
    }
    m_diamonds[0] = render([](QPainter& p, QPointF c) { paintDiamond(p, c, core::EventType::Normal); });
    m_diamonds[1] = render([](QPainter& p, QPointF c) { paintDiamond(p, c, core::EventType::Warning); });
  }
  template <typename Paint>
  static QPixmap render(Paint paint) {
    QPixmap pixmap(kSize, kSize);
    pixmap.fill(Qt::transparent);
    QPainter p(&pixmap);
    p.setRenderHint(QPainter::Antialiasing, true);
    paint(p, QPointF(kSize / 2.0, kSize / 2.0));
    return pixmap;
  }
  static void paintDot(QPainter& p, QPointF c, core::AttemptResult result) {
    const QColor color = attemptColor(result);
    const bool hollow = result == core::AttemptResult::Failure || result == core::AttemptResult::Error;
    p.setPen(QPen(color, 1.6));
    p.setBrush(hollow ? QBrush(Qt::white) : QBrush(color));
    p.drawEllipse(c, 3.4, 3.4);
  }
  static void paintDiamond(QPainter& p, QPointF c, core::EventType type) {
    const double r = 4;
    QPolygonF d;
    d << QPointF(c.x(), c.y() - r) << QPointF(c.x() + r, c.y()) << QPointF(c.x(), c.y() + r) << QPointF(c.x() - r, c.y());
    const QColor color = type == core::EventType::Warning ? kEventWarning : kEventNormal;
    p.setPen(QPen(color.darker(130), 1));
    p.setBrush(color);
    p.drawPolygon(d);
  }

  std::array<QPixmap, 4> m_dots;
  std::array<QPixmap, 2> m_diamonds;
};

void drawGlyph(QPainter& p, QPointF c, const QPixmap& glyph) {
  p.drawPixmap(QPointF(c.x() - GlyphCache::kSize / 2.0, c.y() - GlyphCache::kSize / 2.0), glyph);
}

void drawDiamond(QPainter& p, QPointF c, core::EventType type) { drawGlyph(p, c, GlyphCache::diamond(type)); }

void drawProbeDot(QPainter& p, QPointF c, core::AttemptResult result, bool threshold, double laneHeightPx) {
  if (threshold) {
    // A threshold crossing: a rule through the dot, the height of the lane.
    p.fillRect(QRectF(c.x() - 1, c.y() - laneHeightPx / 2 + 1, 2, laneHeightPx - 2), attemptColor(result));
  }
  drawGlyph(p, c, GlyphCache::dot(result));
}

/// A signal: an arrow down onto the bar, from `top` to `tip`.
void drawSignal(QPainter& p, double x, double top, double tip, int signal) {
  const QColor color = signal == SIGKILL ? kSigkill : kSigterm;
  p.setPen(QPen(color, 1.6));
  p.drawLine(QPointF(x, top), QPointF(x, tip - 4));
  QPolygonF head;
  head << QPointF(x - 4, tip - 5) << QPointF(x + 4, tip - 5) << QPointF(x, tip);
  p.setPen(Qt::NoPen);
  p.setBrush(color);
  p.drawPolygon(head);
}

void drawRestart(QPainter& p, double x, double top, double bottom) {
  p.setPen(Qt::NoPen);
  p.setBrush(kRestartRule);
  p.drawRect(QRectF(x - 1, top, 2, bottom - top));
}

/// A hook run: brackets at both ends joined by a line.
void drawHook(QPainter& p, double left, double right, double midY, double halfHeight, core::AttemptResult result) {
  const QColor color = result == core::AttemptResult::Success ? kInk : kProbeFail;
  right = std::max(right, left + 4);
  const double top = midY - halfHeight;
  const double bottom = midY + halfHeight;
  QPainterPath path;
  path.moveTo(left + 3, top);
  path.lineTo(left, top);
  path.lineTo(left, bottom);
  path.lineTo(left + 3, bottom);
  path.moveTo(right - 3, top);
  path.lineTo(right, top);
  path.lineTo(right, bottom);
  path.lineTo(right - 3, bottom);
  p.setBrush(Qt::NoBrush);
  p.setPen(QPen(color, 1.4));
  p.drawPath(path);
  QColor fill = color;
  fill.setAlphaF(0.18);
  p.fillRect(QRectF(left + 1, top + 1, right - left - 2, bottom - top - 2), fill);
}

void drawWaiting(QPainter& p, const QRectF& bar) {
  const QColor fill = stateColor(LaneState::Waiting);
  QPainterPath path;
  path.addRoundedRect(bar, 3, 3);
  p.fillPath(path, fill.lighter(108));
  p.fillPath(path, QBrush(fill.darker(122), Qt::BDiagPattern));
  p.setPen(QPen(stateOutlineColor(LaneState::Waiting), 1));
  p.setBrush(Qt::NoBrush);
  p.drawPath(path);
}

void drawSolid(QPainter& p, const QRectF& bar, const QColor& fill) {
  QPainterPath path;
  path.addRoundedRect(bar, 3, 3);
  p.fillPath(path, fill);
  p.setPen(QPen(fill.darker(135), 1));
  p.setBrush(Qt::NoBrush);
  p.drawPath(path);
}

/// A terminated container: a solid cap, then a faint rail for as long as
/// it stays terminated, so it does not outweigh things that are running.
void drawTerminated(QPainter& p, const QRectF& bar, const QColor& fill) {
  QColor rail = fill;
  rail.setAlphaF(0.35);
  p.fillRect(QRectF(bar.left(), bar.center().y() - 1.5, bar.width(), 3), rail);
  QPainterPath cap;
  cap.addRoundedRect(QRectF(bar.left(), bar.top(), std::min(bar.width(), 6.0), bar.height()), 2, 2);
  p.fillPath(cap, fill);
}

}  // namespace

// --- TimelineView -----------------------------------------------------------

TimelineView::TimelineView(QWidget* parent) : QAbstractScrollArea(parent) {
  setObjectName(QStringLiteral("timelineView"));
  setFrameShape(QFrame::NoFrame);
  setFocusPolicy(Qt::StrongFocus);
  viewport()->setMouseTracking(true);
  viewport()->setAttribute(Qt::WA_OpaquePaintEvent);
  setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOn);
  setVerticalScrollBarPolicy(Qt::ScrollBarAsNeeded);
  setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

void TimelineView::setModel(TimelineModel* model) {
  if (m_model) disconnect(m_model, nullptr, this, nullptr);
  m_model = model;
  if (m_model) {
    connect(m_model, &QAbstractItemModel::modelReset, this, &TimelineView::relayoutLanes);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, [this](const QModelIndex& parent) {
      if (!parent.isValid()) {
        relayoutLanes();
      } else {
        viewport()->update();
      }
    });
    connect(m_model, &QAbstractItemModel::dataChanged, viewport(), qOverload<>(&QWidget::update));
    connect(m_model, &TimelineModel::endChanged, this, &TimelineView::onEndChanged);
  }
  relayoutLanes();
}

void TimelineView::setPlaceholderText(const QString& text) {
  m_placeholder = text;
  viewport()->update();
}

void TimelineView::relayoutLanes() {
  const size_t before = m_rows.size();
  m_rows.clear();
  QFont bold = font();
  bold.setBold(true);
  const QFontMetrics boldMetrics(bold);
  const QFontMetrics metrics(font());
  int widest = 0;
  int y = 0;
  const int lanes = m_model ? m_model->laneCount() : 0;
  for (int i = 0; i < lanes; ++i) {
    const TimelineLane& lane = m_model->lane(i);
    if (i > 0) {
      const TimelineLane& previous = m_model->lane(i - 1);
      if (previous.group != lane.group || lane.kind == TimelineLaneKind::ReplicaSet) {
        y += 8;  // a gap between groups: pod, init containers, sidecars, containers; between ReplicaSets
      } else if (lane.kind == TimelineLaneKind::ContainerState) {
        y += 3;  // and a smaller one between containers
      }
    }
    const int h = laneHeight(lane.kind);
    m_rows.push_back(Row{y, h});
    y += h;
    int w = isSubLane(lane.kind) ? kSubLaneIndent + metrics.horizontalAdvance(lane.title)
                                 : boldMetrics.horizontalAdvance(lane.title) + metrics.horizontalAdvance(QStringLiteral(" sidecar"));
    widest = std::max(widest, w);
  }
  m_gutter = std::clamp(widest + 2 * kLabelPadding + 8, kMinGutter, kMaxGutter);
  if (m_rows.size() != before) {
    updateGeometry();
    emit laneCountChanged(static_cast<int>(m_rows.size()));
  }
  if (m_model && m_model->laneCount() > 0 && m_model->end() > core::RunTime{0} && !m_following) {
    applyRange(m_start, m_nsPerPixel, false);
  } else {
    onEndChanged(recordEnd());
  }
  viewport()->update();
}

int TimelineView::lanesTop() const { return kAxisHeight + 4 - verticalScrollBar()->value(); }

int TimelineView::contentHeight() const {
  return m_rows.empty() ? 0 : m_rows.back().top + m_rows.back().height + kAxisHeight + 10;
}

double TimelineView::plotWidth() const {
  return std::max(1.0, viewport()->width() - m_gutter - static_cast<double>(kRightMargin));
}

core::RunTime TimelineView::recordEnd() const { return m_model ? m_model->end() : core::RunTime{0}; }

core::RunTime TimelineView::visibleSpan() const {
  return core::RunTime{static_cast<core::RunTime::rep>(std::llround(m_nsPerPixel * plotWidth()))};
}

TimeScale TimelineView::timeScale() const { return TimeScale(m_start, visibleSpan(), m_gutter, plotWidth()); }

double TimelineView::timeToX(core::RunTime t) const {
  return m_gutter + static_cast<double>((t - m_start).count()) / m_nsPerPixel;
}

core::RunTime TimelineView::xToTime(double x) const {
  return m_start + core::RunTime{static_cast<core::RunTime::rep>(std::llround((x - m_gutter) * m_nsPerPixel))};
}

double TimelineView::minNsPerPixel() const { return kMinNsPerPixel; }

double TimelineView::maxNsPerPixel() const {
  const double whole = static_cast<double>(std::max(recordEnd(), kDefaultSpan).count());
  return std::max(whole * 2 / plotWidth(), kMinNsPerPixel);
}

void TimelineView::applyRange(core::RunTime start, double nsPerPixel, bool userAction) {
  m_nsPerPixel = std::clamp(nsPerPixel, minNsPerPixel(), maxNsPerPixel());
  const core::RunTime span = visibleSpan();
  const core::RunTime end = recordEnd();
  // The present may go as far left as the middle of the view, no further.
  const core::RunTime latestStart = std::max(core::RunTime{0}, end - span / 2);
  const core::RunTime earliestStart{-static_cast<core::RunTime::rep>(kLeadPixels * m_nsPerPixel)};
  m_start = std::clamp(start, earliestStart, std::max(earliestStart, latestStart));
  if (userAction) {
    const bool presentVisible = end >= m_start && end <= m_start + span;
    if (presentVisible != m_following) {
      m_following = presentVisible;
      emit followingChanged(m_following);
    }
  }
  updateScrollBars();
  emit visibleRangeChanged(m_start, span);
  viewport()->update();
}

void TimelineView::setVisibleRange(core::RunTime start, core::RunTime span) {
  applyRange(start, static_cast<double>(std::max(span, core::RunTime{1}).count()) / plotWidth(), true);
}

void TimelineView::zoomBy(double factor, double anchorX) {
  if (factor <= 0) return;
  const core::RunTime anchor = xToTime(anchorX);
  const double ns = std::clamp(m_nsPerPixel / factor, minNsPerPixel(), maxNsPerPixel());
  const core::RunTime start =
      anchor - core::RunTime{static_cast<core::RunTime::rep>(std::llround((anchorX - m_gutter) * ns))};
  applyRange(start, ns, true);
}

void TimelineView::zoomIn() { zoomBy(1.5, m_cursor ? timeToX(*m_cursor) : m_gutter + plotWidth() / 2); }
void TimelineView::zoomOut() { zoomBy(1 / 1.5, m_cursor ? timeToX(*m_cursor) : m_gutter + plotWidth() / 2); }

void TimelineView::fit() {
  const core::RunTime end = recordEnd();
  const double span = std::max(static_cast<double>(end.count()) * 1.04, 1e9);
  const double ns = span / std::max(1.0, plotWidth() - kLeadPixels);
  applyRange(core::RunTime{-static_cast<core::RunTime::rep>(kLeadPixels * ns)}, ns, true);
}

void TimelineView::panBy(double pixels) {
  applyRange(m_start + core::RunTime{static_cast<core::RunTime::rep>(std::llround(pixels * m_nsPerPixel))},
             m_nsPerPixel, true);
}

void TimelineView::setFollowing(bool following) {
  if (following != m_following) {
    m_following = following;
    emit followingChanged(m_following);
  }
  if (m_following) onEndChanged(recordEnd());
}

void TimelineView::onEndChanged(core::RunTime end) {
  if (!m_following) {
    updateScrollBars();
    viewport()->update();
    return;
  }
  // Keep the present a little way in from the right edge; a run shorter
  // than the view stays where it began.
  const double span = m_nsPerPixel * plotWidth();
  const double wanted = static_cast<double>(end.count()) - span * (1 - kFollowHeadroom);
  applyRange(core::RunTime{static_cast<core::RunTime::rep>(std::max(-kLeadPixels * m_nsPerPixel, wanted))},
             m_nsPerPixel, false);
}

void TimelineView::updateScrollBars() {
  m_syncingScrollBars = true;
  const core::RunTime span = visibleSpan();
  const core::RunTime total = std::max(recordEnd(), m_start + span);
  // Scroll bar steps of at least a millisecond, and few enough to fit an int.
  const double unit = std::max(1e6, static_cast<double>(total.count()) / 1e9);
  QScrollBar* h = horizontalScrollBar();
  h->setRange(0, static_cast<int>(static_cast<double>((total - span).count()) / unit));
  h->setPageStep(std::max(1, static_cast<int>(static_cast<double>(span.count()) / unit)));
  h->setSingleStep(std::max(1, h->pageStep() / 10));
  h->setValue(static_cast<int>(static_cast<double>(m_start.count()) / unit));
  h->setProperty("nsPerStep", unit);

  QScrollBar* v = verticalScrollBar();
  v->setRange(0, std::max(0, contentHeight() - viewport()->height()));
  v->setPageStep(viewport()->height());
  v->setSingleStep(20);
  m_syncingScrollBars = false;
}

void TimelineView::scrollContentsBy(int dx, int) {
  if (!m_syncingScrollBars && dx != 0) {
    const double unit = horizontalScrollBar()->property("nsPerStep").toDouble();
    applyRange(core::RunTime{static_cast<core::RunTime::rep>(horizontalScrollBar()->value() * unit)}, m_nsPerPixel,
               true);
  }
  viewport()->update();
}

void TimelineView::resizeEvent(QResizeEvent* event) {
  QAbstractScrollArea::resizeEvent(event);
  if (m_following) {
    onEndChanged(recordEnd());
  } else {
    applyRange(m_start, m_nsPerPixel, false);
  }
}

QSize TimelineView::sizeHint() const {
  const int lanes = m_rows.empty() ? 120 : contentHeight();
  return {720, lanes + horizontalScrollBar()->sizeHint().height()};
}

QSize TimelineView::minimumSizeHint() const { return {320, kAxisHeight + 60}; }

QRect TimelineView::laneRect(int lane) const {
  if (lane < 0 || lane >= static_cast<int>(m_rows.size())) return {};
  const Row& row = m_rows[static_cast<size_t>(lane)];
  return QRect(0, lanesTop() + row.top, viewport()->width(), row.height);
}

QPoint TimelineView::itemPoint(int laneRow, const TimelineItem& item) const {
  const QRect r = laneRect(laneRow);
  double x = timeToX(item.start);
  if (!item.isMark() && item.kind != TimelineItemKind::Probe && item.kind != TimelineItemKind::Hook) {
    const double right = timeToX(item.ongoing ? recordEnd() : item.end);
    x = (std::max(x, plotLeft()) + std::min(right, plotLeft() + plotWidth())) / 2;
  }
  int y = r.center().y();
  if (item.kind == TimelineItemKind::Event) y = r.bottom() - 4;
  if (item.kind == TimelineItemKind::Signal) y = r.top() + 4;
  return QPoint(static_cast<int>(std::lround(x)), y);
}

QModelIndex TimelineView::indexAt(QPoint pos) const {
  if (!m_model || pos.x() < m_gutter || pos.y() < kAxisHeight) return {};
  int laneRow = -1;
  for (int i = 0; i < static_cast<int>(m_rows.size()); ++i) {
    const QRect r = laneRect(i);
    if (pos.y() >= r.top() && pos.y() <= r.bottom()) {
      laneRow = i;
      break;
    }
  }
  if (laneRow < 0) return {};
  const TimelineLane& lane = m_model->lane(laneRow);
  const QModelIndex laneIndex = m_model->index(laneRow, 0);
  const core::RunTime t = xToTime(pos.x());
  const auto tolerance = core::RunTime{static_cast<core::RunTime::rep>(kHitTolerance * m_nsPerPixel)};

  // Marks first: they sit on top of the bars.
  {
    auto from = std::lower_bound(lane.marks.begin(), lane.marks.end(), t - tolerance,
                                 [](const TimelineItem& x, core::RunTime v) { return x.start < v; });
    auto best = lane.marks.end();
    core::RunTime bestDistance = tolerance + core::RunTime{1};
    for (auto it = from; it != lane.marks.end() && it->start <= t + tolerance; ++it) {
      const core::RunTime d = it->start > t ? it->start - t : t - it->start;
      // Among marks at one spot, events win: they are what the table lists.
      if (d < bestDistance || (d == bestDistance && it->kind == TimelineItemKind::Event)) {
        bestDistance = d;
        best = it;
      }
    }
    if (best != lane.marks.end()) {
      return m_model->index(static_cast<int>(lane.spans.size() + (best - lane.marks.begin())), 0, laneIndex);
    }
  }
  const core::RunTime end = recordEnd();
  const auto spanEnd = [end](const TimelineItem& x) { return x.ongoing ? std::max(end, x.start) : x.end; };
  const bool attempts = lane.kind == TimelineLaneKind::Probe || lane.kind == TimelineLaneKind::Hooks;
  const core::RunTime slack = attempts ? tolerance : core::RunTime{0};
  auto first = std::partition_point(lane.spans.begin(), lane.spans.end(),
                                    [&](const TimelineItem& x) { return spanEnd(x) + slack < t; });
  auto best = lane.spans.end();
  core::RunTime bestDistance = core::RunTime::max();
  for (auto it = first; it != lane.spans.end() && it->start <= t + slack; ++it) {
    const core::RunTime d = t < it->start ? it->start - t : (t > spanEnd(*it) ? t - spanEnd(*it) : core::RunTime{0});
    if (d < bestDistance) {
      bestDistance = d;
      best = it;
    }
  }
  if (best == lane.spans.end()) return {};
  return m_model->index(static_cast<int>(best - lane.spans.begin()), 0, laneIndex);
}

void TimelineView::setSelectedIndex(const QModelIndex& index) {
  m_selected = index;
  viewport()->update();
}

// --- painting ---------------------------------------------------------------

void TimelineView::paintEvent(QPaintEvent*) {
  QPainter p(viewport());
  p.fillRect(viewport()->rect(), palette().base());
  if (!m_model || m_model->laneCount() == 0) {
    p.setPen(kMuted);
    p.drawText(viewport()->rect().adjusted(16, 0, -16, 0), Qt::AlignCenter | Qt::TextWordWrap, m_placeholder);
    return;
  }
  const TimeScale scale = timeScale();
  const core::RunTime step = scale.tickStep(kMinTickSpacing);

  // Alternate paper per container block, so a container's sub-lanes read as its own.
  bool shaded = false;
  for (int i = 0; i < static_cast<int>(m_rows.size()); ++i) {
    const TimelineLane& lane = m_model->lane(i);
    if (lane.kind == TimelineLaneKind::ContainerState || lane.kind == TimelineLaneKind::PodPhase ||
        lane.kind == TimelineLaneKind::Deployment || lane.kind == TimelineLaneKind::ReplicaSet) {
      shaded = !shaded;
    }
    const QRect r = laneRect(i);
    if (!shaded) p.fillRect(QRect(m_gutter, r.top(), viewport()->width() - m_gutter, r.height()), kStripe);
  }
  // Grid lines under everything.
  const int lanesBottom = laneRect(static_cast<int>(m_rows.size()) - 1).bottom();
  p.setPen(QPen(kGrid, 1));
  for (core::RunTime tick : scale.ticks(kMinTickSpacing)) {
    const double x = scale.toPixel(tick);
    p.drawLine(QPointF(x, kAxisHeight), QPointF(x, lanesBottom));
  }

  p.setClipRect(QRect(m_gutter, kAxisHeight, viewport()->width() - m_gutter, viewport()->height() - kAxisHeight));
  for (int i = 0; i < static_cast<int>(m_rows.size()); ++i) {
    const QRect r = laneRect(i);
    if (r.bottom() < kAxisHeight || r.top() > viewport()->height()) continue;
    paintLane(p, i, r, scale);
  }
  paintSelection(p, scale);
  p.setClipping(false);

  paintGutter(p);
  paintAxis(p, scale, step);
  paintCursor(p, scale);
}

void TimelineView::paintLane(QPainter& p, int laneRow, const QRect& rect, const TimeScale& scale) const {
  const auto* lane = static_cast<const TimelineLane*>(
      m_model->index(laneRow, 0).data(TimelineModel::LaneDataRole).value<const void*>());
  if (!lane) return;
  paintSpans(p, *lane, rect, scale);
  paintMarks(p, laneRow, *lane, rect, scale);
}

void TimelineView::paintSpans(QPainter& p, const TimelineLane& lane, const QRect& rect, const TimeScale& scale) const {
  if (lane.spans.empty()) return;
  const core::RunTime t0 = scale.start();
  const core::RunTime t1 = scale.end();
  const core::RunTime end = recordEnd();
  const auto spanEnd = [end](const TimelineItem& x) { return x.ongoing ? std::max(end, x.start) : x.end; };
  auto it = std::partition_point(lane.spans.begin(), lane.spans.end(),
                                 [&](const TimelineItem& x) { return spanEnd(x) < t0; });
  const double leftEdge = scale.pixelOrigin() - 2;
  const double rightEdge = scale.pixelOrigin() + scale.pixelWidth() + 2;
  QFont small = font();
  small.setPointSizeF(font().pointSizeF() * 0.88);
  const QFontMetrics smallMetrics(small);
  p.setFont(small);

  switch (lane.kind) {
    case TimelineLaneKind::Probe: {
      p.setRenderHint(QPainter::Antialiasing, true);
      const double cy = rect.center().y() + 0.5;
      int lastColumn = std::numeric_limits<int>::min();
      int lastWeight = -1;
      for (; it != lane.spans.end() && it->start <= t1; ++it) {
        const double x = scale.toPixel(it->start);
        const int column = static_cast<int>(std::floor(x / kDotBin));
        const auto result = static_cast<core::AttemptResult>(it->value);
        const int weight = attemptWeight(result) + (it->threshold ? 10 : 0);
        // Attempts closer together than a dot can show are drawn once; a
        // failure or a threshold crossing among them is the one that shows.
        if (column == lastColumn && weight <= lastWeight) continue;
        if (column != lastColumn) lastWeight = -1;
        lastColumn = column;
        lastWeight = std::max(lastWeight, weight);
        const double width = scale.toPixel(it->end) - x;
        if (width > 6) {
          // A slow attempt: a line for as long as it took.
          QColor line = attemptColor(result);
          line.setAlphaF(0.45);
          p.fillRect(QRectF(x, cy - 1, width, 2), line);
        }
        drawProbeDot(p, QPointF(x, cy), result, it->threshold, rect.height());
      }
      p.setRenderHint(QPainter::Antialiasing, false);
      return;
    }
    case TimelineLaneKind::Hooks: {
      p.setRenderHint(QPainter::Antialiasing, true);
      int lastColumn = std::numeric_limits<int>::min();
      for (; it != lane.spans.end() && it->start <= t1; ++it) {
        const double left = scale.toPixel(it->start);
        const double right = scale.toPixel(it->end);
        const int column = static_cast<int>(std::floor(left));
        if (column == lastColumn && right - left < 1) continue;
        lastColumn = column;
        const auto result = static_cast<core::AttemptResult>(it->value);
        drawHook(p, left, right, rect.center().y() + 0.5, rect.height() / 2.0 - 2, result);
        const QString name = qs(std::string(core::toString(m_model->record().attempts()[static_cast<size_t>(it->source)].kind)));
        const QString label = result == core::AttemptResult::Success ? name : name + QStringLiteral(" ✗");
        const double room = right - left - 8;
        p.setPen(result == core::AttemptResult::Success ? kInk : kProbeFail);
        if (room >= smallMetrics.horizontalAdvance(label)) {
          p.drawText(QRectF(left + 4, rect.top(), room, rect.height()), Qt::AlignCenter, label);
        } else if (right - left < 30 && smallMetrics.horizontalAdvance(label) < 90) {
          // Short runs are labelled beside their brackets.
          p.drawText(QRectF(right + 4, rect.top(), 90, rect.height()), Qt::AlignLeft | Qt::AlignVCenter, label);
        }
      }
      p.setRenderHint(QPainter::Antialiasing, false);
      return;
    }
    case TimelineLaneKind::PodCondition: {
      int lastColumn = std::numeric_limits<int>::min();
      for (; it != lane.spans.end() && it->start <= t1; ++it) {
        const double left = std::max(scale.toPixel(it->start), leftEdge);
        const double right = std::min(scale.toPixel(spanEnd(*it)), rightEdge);
        const int column = static_cast<int>(std::floor(left));
        if (right - left < 1 && column == lastColumn) continue;
        lastColumn = column;
        const QRectF band(left, rect.top() + 3, std::max(right - left - 1, 1.0), rect.height() - 6);
        p.fillRect(band, it->value ? kConditionTrue : kConditionFalse);
      }
      return;
    }
    case TimelineLaneKind::DeploymentCondition: {
      int lastColumn = std::numeric_limits<int>::min();
      for (; it != lane.spans.end() && it->start <= t1; ++it) {
        const double left = std::max(scale.toPixel(it->start), leftEdge);
        const double right = std::min(scale.toPixel(spanEnd(*it)), rightEdge);
        const int column = static_cast<int>(std::floor(left));
        if (right - left < 1 && column == lastColumn) continue;
        lastColumn = column;
        const QRectF band(left, rect.top() + 2, std::max(right - left - 1, 1.0), rect.height() - 4);
        const auto status = static_cast<core::ConditionStatus>(it->value);
        const QColor fill = status == core::ConditionStatus::True    ? kConditionTrue
                            : status == core::ConditionStatus::False ? kConditionFalse
                                                                     : kConditionUnknown;
        p.fillRect(band, fill);
        const core::DeploymentCondition& c = m_model->deploymentConditions()[static_cast<size_t>(it->source)];
        const QRectF textRect = band.adjusted(4, 0, -2, 0);
        if (textRect.width() > smallMetrics.horizontalAdvance(QStringLiteral("Rep…"))) {
          p.setPen(status == core::ConditionStatus::True ? QColor(Qt::white) : kInk);
          p.drawText(textRect, Qt::AlignLeft | Qt::AlignVCenter,
                     smallMetrics.elidedText(qs(c.reason), Qt::ElideRight, static_cast<int>(textRect.width())));
        }
      }
      return;
    }
    case TimelineLaneKind::ReplicaSet: {
      // A step chart: the READY count filled, CURRENT lighter behind it,
      // DESIRED as a line, all on one scale for every ReplicaSet; the
      // numbers READY/DESIRED where there is room.
      const double chartTop = rect.top() + 3;
      const double chartHeight = rect.height() - 6;
      const double perReplica = chartHeight / std::max(1, m_model->maxReplicas());
      const auto& samples = m_model->replicaSetSamples();
      double previousDesiredY = std::numeric_limits<double>::quiet_NaN();
      p.setRenderHint(QPainter::Antialiasing, false);
      for (; it != lane.spans.end() && it->start <= t1; ++it) {
        const core::ReplicaSetSample& sample = samples[static_cast<size_t>(it->source)];
        const double left = std::max(scale.toPixel(it->start), leftEdge);
        const double right = std::min(scale.toPixel(spanEnd(*it)), rightEdge);
        const double width = std::max(right - left, 1.0);
        const double bottom = chartTop + chartHeight;
        p.fillRect(QRectF(left, bottom - sample.current * perReplica, width, sample.current * perReplica), kCurrentFill);
        p.fillRect(QRectF(left, bottom - sample.ready * perReplica, width, sample.ready * perReplica), kReadyFill);
        const double desiredY = bottom - sample.desired * perReplica;
        p.setPen(QPen(kDesiredLine, 1.5));
        if (!std::isnan(previousDesiredY)) p.drawLine(QPointF(left, previousDesiredY), QPointF(left, desiredY));
        p.drawLine(QPointF(left, desiredY), QPointF(left + width, desiredY));
        previousDesiredY = desiredY;
        const QString label = QStringLiteral("%1/%2").arg(sample.ready).arg(sample.desired);
        if (width > smallMetrics.horizontalAdvance(label) + 8) {
          p.setPen(kInk);
          p.drawText(QRectF(left + 3, rect.top(), width - 4, rect.height()), Qt::AlignLeft | Qt::AlignTop, label);
        }
      }
      return;
    }
    case TimelineLaneKind::Deployment:
    case TimelineLaneKind::RolloutPod: {
      const double barHeight = lane.kind == TimelineLaneKind::Deployment ? rect.height() - 8 : rect.height() - 4;
      const double top = rect.top() + (rect.height() - barHeight) / 2.0;
      int lastColumn = std::numeric_limits<int>::min();
      p.setRenderHint(QPainter::Antialiasing, true);
      for (; it != lane.spans.end() && it->start <= t1; ++it) {
        const double rawLeft = scale.toPixel(it->start);
        const double rawRight = scale.toPixel(spanEnd(*it));
        const int column = static_cast<int>(std::floor(rawLeft));
        if (rawRight - rawLeft < 1 && column == lastColumn) continue;
        lastColumn = column;
        const double left = std::max(rawLeft, leftEdge);
        const double right = std::min(rawRight, rightEdge);
        QRectF bar(left, top, std::max(right - left, 1.0), barHeight);
        if (bar.width() > 3) bar.adjust(0, 0, -1, 0);
        const auto state = static_cast<LaneState>(it->value);
        QString label;
        QColor fill = stateColor(state);
        QColor ink = Qt::white;
        if (lane.kind == TimelineLaneKind::Deployment) {
          const core::DeploymentStatusLine& l = m_model->deploymentLines()[static_cast<size_t>(it->source)];
          label = tr("READY %1 · UP-TO-DATE %2 · AVAILABLE %3").arg(qs(l.ready), qs(l.upToDate), qs(l.available));
          if (!it->started) {
            fill = runningNotStarted();
            ink = kInk;
          }
        } else {
          const core::PodStatusLine& l = m_model->record().statusLines()[static_cast<size_t>(it->source)];
          label = tr("%1 %2").arg(qs(l.status), qs(l.ready));
          // Running but not Ready: the lighter green of a container not started.
          if (state == LaneState::Running && !it->started) fill = runningNotStarted();
          if (state == LaneState::Pending || state == LaneState::Waiting || fill == runningNotStarted()) ink = kInk;
        }
        if (state == LaneState::Waiting) {
          drawWaiting(p, bar);
        } else {
          drawSolid(p, bar, fill);
        }
        const QRectF textRect = bar.adjusted(5, 0, -3, 0);
        if (textRect.width() < smallMetrics.horizontalAdvance(QStringLiteral("Run…"))) continue;
        p.setPen(ink);
        p.drawText(textRect, Qt::AlignLeft | Qt::AlignVCenter,
                   smallMetrics.elidedText(label, Qt::ElideRight, static_cast<int>(textRect.width())));
      }
      p.setRenderHint(QPainter::Antialiasing, false);
      return;
    }
    case TimelineLaneKind::PodPhase:
    case TimelineLaneKind::ContainerState: break;
  }

  // State bars.
  p.setRenderHint(QPainter::Antialiasing, true);
  const bool pod = lane.kind == TimelineLaneKind::PodPhase;
  const double barHeight = pod ? rect.height() - 6 : 18;
  const double top = rect.top() + (rect.height() - barHeight) / 2.0;
  int lastColumn = std::numeric_limits<int>::min();
  for (; it != lane.spans.end() && it->start <= t1; ++it) {
    const double rawLeft = scale.toPixel(it->start);
    const double rawRight = scale.toPixel(spanEnd(*it));
    const int column = static_cast<int>(std::floor(rawLeft));
    if (rawRight - rawLeft < 1 && column == lastColumn) continue;  // many short states in one pixel: one is drawn
    lastColumn = column;
    const double left = std::max(rawLeft, leftEdge);
    const double right = std::min(rawRight, rightEdge);
    QRectF bar(left, top, std::max(right - left, 1.0), barHeight);
    if (bar.width() > 3) bar.adjust(0, 0, -1, 0);  // a hairline between neighbours
    const auto state = static_cast<LaneState>(it->value);
    if (bar.width() < kPlainBarWidth) {
      QColor fill = stateColor(state);
      if (state == LaneState::Running && !pod && !it->started) fill = runningNotStarted();
      const bool terminatedBar = !pod && (state == LaneState::Succeeded || state == LaneState::Failed);
      p.fillRect(terminatedBar ? QRectF(bar.left(), bar.top(), bar.width(), bar.height()) : bar, fill);
      continue;
    }
    const core::Transition& t = m_model->record().transitions()[static_cast<size_t>(it->source)];
    QString label;
    QColor ink = Qt::white;
    const bool terminated = !pod && (state == LaneState::Succeeded || state == LaneState::Failed);
    if (terminated) {
      drawTerminated(p, bar, stateColor(state));
      label = t.exitCode ? tr("%1 · exit %2").arg(qs(t.reason)).arg(*t.exitCode) : qs(t.reason);
      ink = stateOutlineColor(state);
      const QRectF textRect(bar.left() + 10, rect.top(), bar.width() - 12, rect.height());
      if (textRect.width() > smallMetrics.horizontalAdvance(QStringLiteral("exit 0…"))) {
        p.setPen(ink);
        p.drawText(textRect, Qt::AlignLeft | Qt::AlignVCenter,
                   smallMetrics.elidedText(label, Qt::ElideRight, static_cast<int>(textRect.width())));
      }
      continue;
    }
    if (state == LaneState::Waiting || (pod && state == LaneState::Pending)) {
      if (pod) {
        drawSolid(p, bar, stateColor(state));
      } else {
        drawWaiting(p, bar);
      }
      ink = kInk;
      label = t.reason.empty() ? qs(t.to) : qs(t.reason);
    } else if (state == LaneState::Running && !pod) {
      drawSolid(p, bar, it->started ? stateColor(state) : runningNotStarted());
      ink = it->started ? QColor(Qt::white) : kInk;
      label = it->started ? tr("Running") : tr("Running · not started");
      if (it->count > 0) label += tr(" · restart %1").arg(it->count);
    } else {
      drawSolid(p, bar, stateColor(state));
      label = qs(t.to);
    }
    const QRectF textRect = bar.adjusted(6, 0, -4, 0);
    if (textRect.width() < smallMetrics.horizontalAdvance(QStringLiteral("Wai…"))) continue;
    p.setPen(ink);
    p.drawText(textRect, Qt::AlignLeft | Qt::AlignVCenter,
               smallMetrics.elidedText(label, Qt::ElideRight, static_cast<int>(textRect.width())));
  }
  p.setRenderHint(QPainter::Antialiasing, false);
}

void TimelineView::paintMarks(QPainter& p, int laneRow, const TimelineLane& lane, const QRect& rect,
                              const TimeScale& scale) const {
  if (lane.marks.empty()) return;
  const core::RunTime t0 = scale.start() - core::RunTime{static_cast<core::RunTime::rep>(6 * m_nsPerPixel)};
  const core::RunTime t1 = scale.end() + core::RunTime{static_cast<core::RunTime::rep>(6 * m_nsPerPixel)};
  auto first = std::lower_bound(lane.marks.begin(), lane.marks.end(), t0,
                                [](const TimelineItem& x, core::RunTime v) { return x.start < v; });
  // A restart rule runs down through the container's hooks and probe lanes.
  int blockBottom = rect.bottom();
  for (int i = laneRow + 1; i < m_model->laneCount(); ++i) {
    const TimelineLane& next = m_model->lane(i);
    if (!(next.kind == TimelineLaneKind::Hooks || next.kind == TimelineLaneKind::Probe) || next.subject != lane.subject)
      break;
    blockBottom = laneRect(i).bottom();
  }
  QFont small = font();
  small.setPointSizeF(font().pointSizeF() * 0.8);
  small.setBold(true);
  p.setFont(small);
  p.setRenderHint(QPainter::Antialiasing, true);
  // Three passes, so diamonds are never hidden under rules or arrows.
  for (TimelineItemKind kind : {TimelineItemKind::Restart, TimelineItemKind::Signal, TimelineItemKind::Event}) {
    int lastColumn = std::numeric_limits<int>::min();
    int lastWeight = -1;
    for (auto it = first; it != lane.marks.end() && it->start <= t1; ++it) {
      if (it->kind != kind) continue;
      const double x = scale.toPixel(it->start);
      const int column = static_cast<int>(std::floor(x / kMarkBin));
      const int weight = kind == TimelineItemKind::Event ? it->value : (kind == TimelineItemKind::Signal ? (it->value == SIGKILL ? 1 : 0) : 0);
      if (column == lastColumn && weight <= lastWeight) continue;
      if (column != lastColumn) lastWeight = -1;
      lastColumn = column;
      lastWeight = std::max(lastWeight, weight);
      switch (kind) {
        case TimelineItemKind::Restart: {
          drawRestart(p, x, rect.top() + 1, blockBottom);
          const QString badge = QStringLiteral("↻%1").arg(it->count);
          p.setPen(kRestartRule);
          // Beside the rule, clear of a signal arrow at the same moment.
          p.drawText(QRectF(x + 6, rect.top(), 40, 12), Qt::AlignLeft | Qt::AlignTop, badge);
          break;
        }
        case TimelineItemKind::Signal: drawSignal(p, x, rect.top() + 1, rect.top() + 10, it->value); break;
        case TimelineItemKind::Event:
          drawDiamond(p, QPointF(x, rect.bottom() - 4), static_cast<core::EventType>(it->value));
          break;
        case TimelineItemKind::State:
        case TimelineItemKind::Condition:
        case TimelineItemKind::Probe:
        case TimelineItemKind::Hook:
        case TimelineItemKind::DeploymentStatus:
        case TimelineItemKind::DeploymentCondition:
        case TimelineItemKind::Replicas:
        case TimelineItemKind::PodStatus: break;
      }
    }
  }
  p.setRenderHint(QPainter::Antialiasing, false);
}

void TimelineView::paintSelection(QPainter& p, const TimeScale& scale) const {
  const TimelineItem* item = m_model ? m_model->item(m_selected) : nullptr;
  if (!item) return;
  const int laneRow = m_selected.parent().row();
  const QRect r = laneRect(laneRow);
  p.setRenderHint(QPainter::Antialiasing, true);
  p.setPen(QPen(kSelection, 2));
  p.setBrush(Qt::NoBrush);
  if (item->isMark() || item->kind == TimelineItemKind::Probe) {
    const QPoint c = itemPoint(laneRow, *item);
    p.drawEllipse(QPointF(c), 7, 7);
  } else {
    const double left = std::max(scale.toPixel(item->start), scale.pixelOrigin() - 2);
    const double right = std::min(scale.toPixel(item->ongoing ? recordEnd() : item->end),
                                  scale.pixelOrigin() + scale.pixelWidth() + 2);
    p.drawRoundedRect(QRectF(left - 2, r.top() + 1, std::max(right - left, 2.0) + 4, r.height() - 2), 4, 4);
  }
  p.setRenderHint(QPainter::Antialiasing, false);
}

void TimelineView::paintGutter(QPainter& p) const {
  p.fillRect(QRect(0, 0, m_gutter, viewport()->height()), kGutterPaper);
  p.setPen(QPen(kRule, 1));
  p.drawLine(QPoint(m_gutter, 0), QPoint(m_gutter, viewport()->height()));
  p.setClipRect(QRect(0, kAxisHeight, m_gutter, viewport()->height() - kAxisHeight));
  QFont bold = font();
  bold.setBold(true);
  QFont small = font();
  small.setPointSizeF(font().pointSizeF() * 0.88);
  const QFontMetrics smallMetrics(small);
  for (int i = 0; i < static_cast<int>(m_rows.size()); ++i) {
    const QRect r = laneRect(i);
    if (r.bottom() < kAxisHeight || r.top() > viewport()->height()) continue;
    const TimelineLane& lane = m_model->lane(i);
    if (isSubLane(lane.kind)) {
      p.setFont(small);
      p.setPen(kMuted);
      const QRect text(kLabelPadding + kSubLaneIndent, r.top(), m_gutter - kLabelPadding * 2 - kSubLaneIndent, r.height());
      p.drawText(text, Qt::AlignLeft | Qt::AlignVCenter, smallMetrics.elidedText(lane.title, Qt::ElideRight, text.width()));
      continue;
    }
    QString tag;
    switch (lane.group) {
      case LaneGroup::Pod: tag = tr("pod"); break;
      case LaneGroup::InitContainer: tag = tr("init"); break;
      case LaneGroup::Sidecar: tag = tr("sidecar"); break;
      case LaneGroup::Container: break;
      case LaneGroup::Deployment:
      case LaneGroup::ReplicaSet: tag = lane.badge; break;
    }
    const QRect row(kLabelPadding, r.top(), m_gutter - 2 * kLabelPadding, r.height());
    const QFont& nameFont =
        lane.kind == TimelineLaneKind::PodPhase || lane.kind == TimelineLaneKind::Deployment ? bold : font();
    const QFontMetrics nameMetrics(nameFont);
    const int tagWidth = tag.isEmpty() ? 0 : smallMetrics.horizontalAdvance(tag) + 6;
    const QString name = nameMetrics.elidedText(lane.title, Qt::ElideMiddle, row.width() - tagWidth);
    p.setFont(nameFont);
    p.setPen(kInk);
    p.drawText(row, Qt::AlignLeft | Qt::AlignVCenter, name);
    if (!tag.isEmpty()) {
      p.setFont(small);
      p.setPen(kMuted);
      p.drawText(row.adjusted(nameMetrics.horizontalAdvance(name) + 6, 0, 0, 0), Qt::AlignLeft | Qt::AlignVCenter, tag);
    }
  }
  p.setClipping(false);
}

void TimelineView::paintAxis(QPainter& p, const TimeScale& scale, core::RunTime step) const {
  p.fillRect(QRect(0, 0, viewport()->width(), kAxisHeight), palette().base());
  p.fillRect(QRect(0, 0, m_gutter, kAxisHeight), kGutterPaper);
  QFont small = font();
  small.setPointSizeF(font().pointSizeF() * 0.9);
  p.setFont(small);
  p.setPen(kMuted);
  p.drawText(QRect(kLabelPadding, 0, m_gutter - kLabelPadding, kAxisHeight - 5), Qt::AlignLeft | Qt::AlignBottom,
             tr("since creation"));
  p.setClipRect(QRect(m_gutter, 0, viewport()->width() - m_gutter, kAxisHeight));
  for (core::RunTime tick : scale.ticks(kMinTickSpacing)) {
    const double x = scale.toPixel(tick);
    p.setPen(QPen(kRule, 1));
    p.drawLine(QPointF(x, kAxisHeight - 5), QPointF(x, kAxisHeight));
    p.setPen(kMuted);
    p.drawText(QRectF(x - 40, 0, 80, kAxisHeight - 6), Qt::AlignHCenter | Qt::AlignBottom,
               TimeScale::formatTick(tick, step));
  }
  p.setClipping(false);
  p.setPen(QPen(kRule, 1));
  p.drawLine(QPoint(0, kAxisHeight), QPoint(viewport()->width(), kAxisHeight));
}

void TimelineView::paintCursor(QPainter& p, const TimeScale& scale) const {
  if (!m_cursor) return;
  const double x = scale.toPixel(*m_cursor);
  if (x < m_gutter || x > viewport()->width()) return;
  QColor line = kCursor;
  line.setAlphaF(0.55);
  p.setPen(QPen(line, 1));
  p.drawLine(QPointF(x, kAxisHeight), QPointF(x, viewport()->height()));
  // The exact time, in a tag on the axis.
  QFont bold = font();
  bold.setPointSizeF(font().pointSizeF() * 0.9);
  bold.setBold(true);
  p.setFont(bold);
  const QString text = qs(core::formatRunTime(*m_cursor));
  const QFontMetrics metrics(bold);
  const int w = metrics.horizontalAdvance(text) + 10;
  double left = std::clamp(x - w / 2.0, static_cast<double>(m_gutter), static_cast<double>(viewport()->width() - w));
  const QRectF tag(left, 3, w, kAxisHeight - 6);
  p.setRenderHint(QPainter::Antialiasing, true);
  p.setPen(Qt::NoPen);
  p.setBrush(kCursor);
  p.drawRoundedRect(tag, 3, 3);
  p.setPen(Qt::white);
  p.drawText(tag, Qt::AlignCenter, text);
  p.setRenderHint(QPainter::Antialiasing, false);
}

// --- input ------------------------------------------------------------------

void TimelineView::wheelEvent(QWheelEvent* event) {
  const QPoint delta = event->angleDelta();
  const double x = event->position().x();
  if (event->modifiers() & Qt::ControlModifier) {
    zoomBy(std::pow(1.0015, delta.y()), std::max(x, static_cast<double>(m_gutter)));
    event->accept();
    return;
  }
  const bool sideways = (event->modifiers() & Qt::ShiftModifier) || std::abs(delta.x()) > std::abs(delta.y());
  if (!sideways && verticalScrollBar()->maximum() > 0) {
    QAbstractScrollArea::wheelEvent(event);
    return;
  }
  const int d = sideways && delta.x() != 0 ? delta.x() : delta.y();
  panBy(-d / 2.0);
  event->accept();
}

void TimelineView::keyPressEvent(QKeyEvent* event) {
  switch (event->key()) {
    case Qt::Key_Plus:
    case Qt::Key_Equal: zoomIn(); break;
    case Qt::Key_Minus: zoomOut(); break;
    case Qt::Key_Left: panBy(-plotWidth() / 8); break;
    case Qt::Key_Right: panBy(plotWidth() / 8); break;
    case Qt::Key_Home: applyRange(core::RunTime::min(), m_nsPerPixel, true); break;
    case Qt::Key_End: setFollowing(true); break;
    case Qt::Key_F:
    case Qt::Key_0: fit(); break;
    default: QAbstractScrollArea::keyPressEvent(event); return;
  }
  event->accept();
}

void TimelineView::mousePressEvent(QMouseEvent* event) {
  if (event->button() == Qt::LeftButton) {
    m_pressPos = event->position().toPoint();
    m_pressStart = m_start;
    m_dragging = false;
  }
  QAbstractScrollArea::mousePressEvent(event);
}

void TimelineView::mouseMoveEvent(QMouseEvent* event) {
  const QPoint pos = event->position().toPoint();
  if (m_pressPos && (event->buttons() & Qt::LeftButton)) {
    const int dx = pos.x() - m_pressPos->x();
    if (m_dragging || std::abs(dx) >= kDragThreshold) {
      if (!m_dragging) viewport()->setCursor(Qt::ClosedHandCursor);
      m_dragging = true;
      applyRange(m_pressStart - core::RunTime{static_cast<core::RunTime::rep>(std::llround(dx * m_nsPerPixel))},
                 m_nsPerPixel, true);
    }
  }
  if (pos.x() >= m_gutter && pos.y() >= 0) {
    m_cursor = xToTime(pos.x());
  } else {
    m_cursor.reset();
  }
  viewport()->update();
  QAbstractScrollArea::mouseMoveEvent(event);
}

void TimelineView::mouseReleaseEvent(QMouseEvent* event) {
  if (event->button() == Qt::LeftButton && m_pressPos) {
    if (!m_dragging) {
      const QModelIndex index = indexAt(event->position().toPoint());
      setSelectedIndex(index);
      if (index.isValid()) emit itemClicked(index);
    }
    viewport()->unsetCursor();
    m_pressPos.reset();
    m_dragging = false;
  }
  QAbstractScrollArea::mouseReleaseEvent(event);
}

void TimelineView::leaveEvent(QEvent* event) {
  m_cursor.reset();
  viewport()->update();
  QAbstractScrollArea::leaveEvent(event);
}

bool TimelineView::viewportEvent(QEvent* event) {
  if (event->type() == QEvent::Leave) {
    m_cursor.reset();
    viewport()->update();
  }
  if (event->type() == QEvent::ToolTip && m_model) {
    auto* help = static_cast<QHelpEvent*>(event);
    const QModelIndex index = indexAt(help->pos());
    const TimelineItem* item = m_model->item(index);
    if (!item) {
      QToolTip::hideText();
      event->ignore();
      return true;
    }
    QString text = index.data(Qt::ToolTipRole).toString();
    const core::RunTime at = xToTime(help->pos().x());
    if (item->kind == TimelineItemKind::State && !item->ongoing && at < item->end) {
      const core::Transition& t = m_model->record().transitions()[static_cast<size_t>(item->source)];
      if (t.reason == "CrashLoopBackOff") {
        // The back-off countdown at the time under the mouse.
        text += QStringLiteral("<br>") +
                tr("at %1: %2 of back-off left")
                    .arg(qs(core::formatRunTime(at)), qs(core::formatRunTime(item->end - at)));
      }
    }
    if (item->kind == TimelineItemKind::Replicas) {
      text += QStringLiteral("<br>") + tr("at %1 under the mouse").arg(qs(core::formatRunTime(at)));
    }
    QToolTip::showText(help->globalPos(), text, viewport());
    return true;
  }
  return QAbstractScrollArea::viewportEvent(event);
}

// --- TimelineLegend ---------------------------------------------------------

namespace {

enum class LegendGlyph {
  Waiting, RunningNotStarted, Running, Completed, Failed, ConditionTrue, ConditionFalse, ProbePass, ProbeFail,
  Threshold, Hook, Sigterm, Sigkill, Restart, EventNormal, EventWarning, ReplicasReady, ReplicasCurrent,
  ReplicasDesired
};

struct LegendEntry {
  LegendGlyph glyph;
  const char* text;
};

constexpr LegendEntry kLegend[] = {
    {LegendGlyph::Waiting, QT_TRANSLATE_NOOP("TimelineLegend", "Waiting")},
    {LegendGlyph::RunningNotStarted, QT_TRANSLATE_NOOP("TimelineLegend", "not started")},
    {LegendGlyph::Running, QT_TRANSLATE_NOOP("TimelineLegend", "Running")},
    {LegendGlyph::Completed, QT_TRANSLATE_NOOP("TimelineLegend", "exit 0")},
    {LegendGlyph::Failed, QT_TRANSLATE_NOOP("TimelineLegend", "error")},
    {LegendGlyph::ConditionTrue, QT_TRANSLATE_NOOP("TimelineLegend", "True")},
    {LegendGlyph::ConditionFalse, QT_TRANSLATE_NOOP("TimelineLegend", "False")},
    {LegendGlyph::ProbePass, QT_TRANSLATE_NOOP("TimelineLegend", "probe ok")},
    {LegendGlyph::ProbeFail, QT_TRANSLATE_NOOP("TimelineLegend", "failed")},
    {LegendGlyph::Threshold, QT_TRANSLATE_NOOP("TimelineLegend", "threshold")},
    {LegendGlyph::Hook, QT_TRANSLATE_NOOP("TimelineLegend", "hook")},
    {LegendGlyph::Sigterm, QT_TRANSLATE_NOOP("TimelineLegend", "SIGTERM")},
    {LegendGlyph::Sigkill, QT_TRANSLATE_NOOP("TimelineLegend", "SIGKILL")},
    {LegendGlyph::Restart, QT_TRANSLATE_NOOP("TimelineLegend", "restart")},
    {LegendGlyph::EventNormal, QT_TRANSLATE_NOOP("TimelineLegend", "event")},
    {LegendGlyph::EventWarning, QT_TRANSLATE_NOOP("TimelineLegend", "Warning")},
    {LegendGlyph::ReplicasReady, QT_TRANSLATE_NOOP("TimelineLegend", "ready replicas")},
    {LegendGlyph::ReplicasCurrent, QT_TRANSLATE_NOOP("TimelineLegend", "current")},
    {LegendGlyph::ReplicasDesired, QT_TRANSLATE_NOOP("TimelineLegend", "desired")},
};

constexpr int kGlyphWidth = 22;
constexpr int kLegendRow = 20;

void drawLegendGlyph(QPainter& p, LegendGlyph glyph, const QRectF& box) {
  const QRectF bar(box.left(), box.center().y() - 6, box.width(), 12);
  const QPointF c = box.center();
  p.setRenderHint(QPainter::Antialiasing, true);
  switch (glyph) {
    case LegendGlyph::Waiting: drawWaiting(p, bar); break;
    case LegendGlyph::RunningNotStarted: drawSolid(p, bar, runningNotStarted()); break;
    case LegendGlyph::Running: drawSolid(p, bar, stateColor(LaneState::Running)); break;
    case LegendGlyph::Completed: drawTerminated(p, bar, stateColor(LaneState::Succeeded)); break;
    case LegendGlyph::Failed: drawTerminated(p, bar, stateColor(LaneState::Failed)); break;
    case LegendGlyph::ConditionTrue: p.fillRect(QRectF(bar.left(), c.y() - 3, bar.width(), 6), kConditionTrue); break;
    case LegendGlyph::ConditionFalse: p.fillRect(QRectF(bar.left(), c.y() - 3, bar.width(), 6), kConditionFalse); break;
    case LegendGlyph::ProbePass: drawProbeDot(p, c, core::AttemptResult::Success, false, 14); break;
    case LegendGlyph::ProbeFail: drawProbeDot(p, c, core::AttemptResult::Failure, false, 14); break;
    case LegendGlyph::Threshold: drawProbeDot(p, c, core::AttemptResult::Failure, true, 14); break;
    case LegendGlyph::Hook: drawHook(p, bar.left() + 2, bar.right() - 2, c.y(), 6, core::AttemptResult::Success); break;
    case LegendGlyph::Sigterm: drawSignal(p, c.x(), box.top() + 2, box.bottom() - 3, SIGTERM); break;
    case LegendGlyph::Sigkill: drawSignal(p, c.x(), box.top() + 2, box.bottom() - 3, SIGKILL); break;
    case LegendGlyph::Restart: drawRestart(p, c.x(), box.top() + 2, box.bottom() - 2); break;
    case LegendGlyph::EventNormal: drawDiamond(p, c, core::EventType::Normal); break;
    case LegendGlyph::EventWarning: drawDiamond(p, c, core::EventType::Warning); break;
    case LegendGlyph::ReplicasReady: p.fillRect(bar, kReadyFill); break;
    case LegendGlyph::ReplicasCurrent: p.fillRect(bar, kCurrentFill); break;
    case LegendGlyph::ReplicasDesired:
      p.setPen(QPen(kDesiredLine, 1.5));
      p.drawLine(QPointF(bar.left(), c.y()), QPointF(bar.right(), c.y()));
      break;
  }
  p.setRenderHint(QPainter::Antialiasing, false);
}

}  // namespace

TimelineLegend::TimelineLegend(QWidget* parent) : QWidget(parent) {
  setObjectName(QStringLiteral("timelineLegend"));
  setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
  QSizePolicy policy = sizePolicy();
  policy.setHeightForWidth(true);
  setSizePolicy(policy);
}

int TimelineLegend::layoutEntries(int width, QPainter* painter) const {
  QFont small = font();
  small.setPointSizeF(font().pointSizeF() * 0.88);
  const QFontMetrics metrics(small);
  if (painter) {
    painter->setFont(small);
  }
  int x = 8;
  int y = 2;
  for (const LegendEntry& entry : kLegend) {
    const bool replicaSetMark = entry.glyph == LegendGlyph::ReplicasReady ||
                                entry.glyph == LegendGlyph::ReplicasCurrent ||
                                entry.glyph == LegendGlyph::ReplicasDesired;
    if (replicaSetMark && !m_showsReplicaSets) continue;
    const QString text = tr(entry.text);
    const int w = kGlyphWidth + 4 + metrics.horizontalAdvance(text) + 10;
    if (x + w > width && x > 8) {
      x = 8;
      y += kLegendRow;
    }
    if (painter) {
      drawLegendGlyph(*painter, entry.glyph, QRectF(x, y + 2, kGlyphWidth, kLegendRow - 4));
      painter->setPen(kMuted);
      painter->drawText(QRect(x + kGlyphWidth + 4, y, w, kLegendRow), Qt::AlignLeft | Qt::AlignVCenter, text);
    }
    x += w;
  }
  return y + kLegendRow + 2;
}

void TimelineLegend::setShowsReplicaSets(bool shows) {
  if (shows == m_showsReplicaSets) return;
  m_showsReplicaSets = shows;
  updateGeometry();
  update();
}

int TimelineLegend::heightForWidth(int width) const { return layoutEntries(width, nullptr); }

QSize TimelineLegend::sizeHint() const { return {720, heightForWidth(std::max(width(), 720))}; }

void TimelineLegend::paintEvent(QPaintEvent*) {
  QPainter p(this);
  p.fillRect(rect(), kGutterPaper);
  p.setPen(QPen(kRule, 1));
  p.drawLine(rect().topLeft(), rect().topRight());
  layoutEntries(width(), &p);
}

// --- TimelineWidget ---------------------------------------------------------

TimelineWidget::TimelineWidget(QWidget* parent) : QWidget(parent) {
  setObjectName(QStringLiteral("timelineWidget"));
  m_view = new TimelineView(this);
  m_legend = new TimelineLegend(this);
  // The ReplicaSet chart's marks are explained when a rollout is shown.
  connect(m_view, &TimelineView::laneCountChanged, m_legend, [this] {
    bool rollout = false;
    if (const TimelineModel* model = m_view->model()) {
      for (int i = 0; i < model->laneCount() && !rollout; ++i) {
        rollout = model->lane(i).kind == TimelineLaneKind::ReplicaSet;
      }
    }
    m_legend->setShowsReplicaSets(rollout);
  });

  auto makeButton = [this](const QString& text, const QString& tip) {
    auto* button = new QToolButton(this);
    button->setText(text);
    button->setToolTip(tip);
    button->setAutoRaise(true);
    return button;
  };
  QToolButton* fit = makeButton(tr("Fit"), tr("Show the whole run (F)"));
  fit->setObjectName(QStringLiteral("timelineFit"));
  QToolButton* zoomOut = makeButton(QStringLiteral("−"), tr("Zoom out (-, Ctrl+wheel)"));
  zoomOut->setObjectName(QStringLiteral("timelineZoomOut"));
  QToolButton* zoomIn = makeButton(QStringLiteral("+"), tr("Zoom in (+, Ctrl+wheel)"));
  zoomIn->setObjectName(QStringLiteral("timelineZoomIn"));
  m_followButton = makeButton(tr("Follow"), tr("Keep the present in view while the pod runs (End)"));
  m_followButton->setObjectName(QStringLiteral("timelineFollow"));
  m_followButton->setCheckable(true);
  m_followButton->setChecked(m_view->isFollowing());
  QToolButton* legendButton = makeButton(tr("Legend"), tr("Show or hide what the marks mean"));
  legendButton->setCheckable(true);
  legendButton->setChecked(true);
  m_rangeLabel = new QLabel(this);
  m_rangeLabel->setObjectName(QStringLiteral("timelineRange"));
  m_rangeLabel->setStyleSheet(QStringLiteral("color: #6A737D;"));
  auto* hint = new QLabel(tr("drag or scroll to pan · Ctrl+wheel to zoom · click an item for its details"), this);
  hint->setStyleSheet(QStringLiteral("color: #6A737D;"));

  auto* bar = new QHBoxLayout;
  bar->setContentsMargins(6, 2, 6, 2);
  bar->setSpacing(2);
  bar->addWidget(fit);
  bar->addWidget(zoomOut);
  bar->addWidget(zoomIn);
  bar->addWidget(m_followButton);
  bar->addSpacing(10);
  bar->addWidget(m_rangeLabel);
  bar->addStretch(1);
  bar->addWidget(hint);
  bar->addSpacing(8);
  bar->addWidget(legendButton);

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(0);
  layout->addLayout(bar);
  layout->addWidget(m_view, 1);
  layout->addWidget(m_legend);

  connect(fit, &QToolButton::clicked, m_view, &TimelineView::fit);
  connect(zoomOut, &QToolButton::clicked, m_view, &TimelineView::zoomOut);
  connect(zoomIn, &QToolButton::clicked, m_view, &TimelineView::zoomIn);
  connect(m_followButton, &QToolButton::toggled, m_view, &TimelineView::setFollowing);
  connect(m_view, &TimelineView::followingChanged, m_followButton, &QToolButton::setChecked);
  connect(legendButton, &QToolButton::toggled, m_legend, &QWidget::setVisible);
  connect(m_view, &TimelineView::visibleRangeChanged, this, &TimelineWidget::updateRangeLabel);
  updateRangeLabel();
}

void TimelineWidget::updateRangeLabel() {
  // The few pixels before the pod's creation are margin, not time.
  const core::RunTime end = m_view->visibleStart() + m_view->visibleSpan();
  const core::RunTime start = std::max(m_view->visibleStart(), core::RunTime{0});
  m_rangeLabel->setText(tr("%1 – %2").arg(qs(core::formatRunTime(start)), qs(core::formatRunTime(end))));
}

}  // namespace podscope::ui
