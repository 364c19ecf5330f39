#include "ui/swimlane_view.h"

#include <QAbstractItemModel>
#include <QHelpEvent>
#include <QPainter>
#include <QPainterPath>
#include <QObject>
#include <QToolTip>

#include <algorithm>

#include "ui/state_palette.h"

namespace podscope::ui {

namespace {

constexpr int kAxisHeight = 28;
constexpr int kLaneHeight = 28;
constexpr int kBarHeight = 18;
constexpr int kEndBarHeight = 12;
constexpr int kRightMargin = 16;
constexpr int kLabelPadding = 12;
constexpr int kMinLabelWidth = 120;
constexpr int kMaxLabelWidth = 260;
constexpr double kMinTickSpacing = 72;
constexpr int kPlaceholderLanes = 3;

const QColor kGutterPaper(0xF6, 0xF8, 0xFA);
const QColor kRule(0xD8, 0xDE, 0xE4);
const QColor kGrid(0xEC, 0xEF, 0xF2);
const QColor kStripe(0xFA, 0xFB, 0xFC);
const QColor kMuted(0x6A, 0x73, 0x7D);
const QColor kInk(0x24, 0x29, 0x2E);
const QColor kRestartRule(0x44, 0x4D, 0x56);

QString qs(const std::string& s) { return QString::fromStdString(s); }

bool isTerminated(const Lane& lane, const LaneSegment& segment) {
  return lane.kind != core::SubjectKind::Pod &&
         (segment.state == LaneState::Succeeded || segment.state == LaneState::Failed);
}

// The reason says why a container waits or ended; for Running it is only
// "Started", so the restart count is the more useful word there.
QString segmentText(const LaneSegment& segment) {
  if (segment.state == LaneState::Running) {
    return segment.restart > 0 ? QObject::tr("%1 · restart %2").arg(segment.to).arg(segment.restart) : segment.to;
  }
  if (segment.reason.isEmpty()) return segment.to;
  return segment.to + QStringLiteral(" · ") + segment.reason;
}

}  // namespace

SwimlaneView::SwimlaneView(QWidget* parent) : QWidget(parent) {
  setObjectName(QStringLiteral("swimlaneView"));
  setAttribute(Qt::WA_OpaquePaintEvent);
  setMouseTracking(true);
  setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
}

void SwimlaneView::setModel(QAbstractItemModel* model) {
  if (m_model) disconnect(m_model, nullptr, this, nullptr);
  m_model = model;
  if (m_model) {
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &SwimlaneView::relayout);
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &SwimlaneView::relayout);
    connect(m_model, &QAbstractItemModel::modelReset, this, &SwimlaneView::relayout);
    connect(m_model, &QAbstractItemModel::layoutChanged, this, &SwimlaneView::relayout);
    connect(m_model, &QAbstractItemModel::dataChanged, this, &SwimlaneView::relayout);
  }
  relayout();
}

void SwimlaneView::setPlaceholderText(const QString& text) {
  m_placeholder = text;
  update();
}

void SwimlaneView::relayout() {
  const size_t lanesBefore = m_layout.lanes.size();
  m_layout = m_model ? layoutLanes(*m_model) : LaneLayout{};

  QFont bold = font();
  bold.setBold(true);
  const QFontMetrics metrics(bold);
  int widest = 0;
  for (const Lane& lane : m_layout.lanes) widest = std::max(widest, metrics.horizontalAdvance(laneLabel(lane)));
  // Room for the kind tag ("init") drawn after the name.
  widest += metrics.horizontalAdvance(QStringLiteral("init")) + kLabelPadding;
  m_labelWidth = std::clamp(widest + 2 * kLabelPadding, kMinLabelWidth, kMaxLabelWidth);

  if (m_layout.lanes.size() != lanesBefore) {
    updateGeometry();
    emit laneCountChanged(static_cast<int>(m_layout.lanes.size()));
  }
  update();
}

TimeScale SwimlaneView::timeScale() const {
  const double origin = m_labelWidth + 8;
  return TimeScale::fit(m_layout.end, origin, std::max(width() - origin - kRightMargin, 1.0));
}

QSize SwimlaneView::sizeHint() const {
  const int lanes = m_layout.lanes.empty() ? kPlaceholderLanes : static_cast<int>(m_layout.lanes.size());
  return {640, kAxisHeight + lanes * kLaneHeight + 6};
}

QSize SwimlaneView::minimumSizeHint() const { return {320, kAxisHeight + kLaneHeight}; }

int SwimlaneView::laneTop(int lane) const { return kAxisHeight + lane * kLaneHeight; }

QString SwimlaneView::laneLabel(const Lane& lane) const { return lane.subject; }

QRectF SwimlaneView::barRect(const Lane& lane, const LaneSegment& segment, int laneIndex,
                             const TimeScale& scale) const {
  const double left = scale.toPixel(segment.start);
  // The last state lasts for as long as the picture shows.
  const double right = segment.ongoing ? scale.pixelOrigin() + scale.pixelWidth() : scale.toPixel(segment.end);
  const int height = isTerminated(lane, segment) ? kEndBarHeight : kBarHeight;
  const double top = laneTop(laneIndex) + (kLaneHeight - height) / 2.0;
  return QRectF(left, top, std::max(right - left, 0.0), height);
}

void SwimlaneView::paintEvent(QPaintEvent*) {
  QPainter painter(this);
  painter.fillRect(rect(), palette().base());

  if (m_layout.lanes.empty()) {
    painter.setPen(kMuted);
    painter.drawText(rect().adjusted(16, 0, -16, 0), Qt::AlignCenter | Qt::TextWordWrap, m_placeholder);
    return;
  }

  const TimeScale scale = timeScale();
  const int lanesBottom = laneTop(static_cast<int>(m_layout.lanes.size()));

  // Lane stripes first, so the grid and bars sit on top of them.
  for (int i = 0; i < static_cast<int>(m_layout.lanes.size()); ++i) {
    if (i % 2 == 1) painter.fillRect(QRect(m_labelWidth, laneTop(i), width() - m_labelWidth, kLaneHeight), kStripe);
  }

  const core::RunTime step = scale.tickStep(kMinTickSpacing);
  QFont small = font();
  small.setPointSizeF(font().pointSizeF() * 0.9);
  painter.setFont(small);
  for (core::RunTime tick : scale.ticks(kMinTickSpacing)) {
    const double x = scale.toPixel(tick);
    painter.setPen(QPen(kGrid, 1));
    painter.drawLine(QPointF(x, kAxisHeight), QPointF(x, lanesBottom));
    painter.setPen(QPen(kRule, 1));
    painter.drawLine(QPointF(x, kAxisHeight - 5), QPointF(x, kAxisHeight));
    painter.setPen(kMuted);
    const QString label = TimeScale::formatTick(tick, step);
    const QRectF labelRect(x - 40, 0, 80, kAxisHeight - 6);
    painter.drawText(labelRect, Qt::AlignHCenter | Qt::AlignBottom, label);
  }
  painter.setPen(QPen(kRule, 1));
  painter.drawLine(QPoint(m_labelWidth, kAxisHeight), QPoint(width(), kAxisHeight));

  painter.setRenderHint(QPainter::Antialiasing, true);
  const QFontMetrics smallMetrics(small);
  for (int i = 0; i < static_cast<int>(m_layout.lanes.size()); ++i) {
    const Lane& lane = m_layout.lanes[static_cast<size_t>(i)];
    for (const LaneSegment& segment : lane.segments) {
      QRectF bar = barRect(lane, segment, i, scale);
      if (bar.width() < 0.5) continue;
      // A hairline gap keeps neighbouring states apart.
      if (bar.width() > 3) bar.adjust(0, 0, -1, 0);
      const QColor fill = stateColor(segment.state);
      if (isTerminated(lane, segment)) {
        // A finished container stays Terminated to the end of the run; a
        // faint rail after a solid cap says so without outweighing the
        // bars of things that are actually running.
        QColor rail = fill;
        rail.setAlphaF(0.35);
        const QRectF railRect(bar.left(), bar.center().y() - 1.5, bar.width(), 3);
        painter.fillRect(railRect, rail);
        QRectF cap(bar.left(), bar.top(), std::min(bar.width(), 6.0), bar.height());
        QPainterPath capPath;
        capPath.addRoundedRect(cap, 2, 2);
        painter.fillPath(capPath, fill);
        continue;
      }
      QPainterPath path;
      path.addRoundedRect(bar, 3, 3);
      painter.fillPath(path, fill);
      if (segment.state == LaneState::Waiting) {
        painter.fillPath(path, QBrush(fill.darker(118), Qt::BDiagPattern));
      }
      painter.setPen(QPen(stateOutlineColor(segment.state), 1));
      painter.drawPath(path);
      if (segment.restart > 0) {
        // A restart is an event, not a state: a rule across the lane at the
        // moment the container ran again.
        const QRectF rule(bar.left() - 1, laneTop(i) + 2, 2, kLaneHeight - 4);
        painter.fillRect(rule, kRestartRule);
      }

      const QString text = segmentText(segment);
      const QRectF textRect = bar.adjusted(6, 0, -4, 0);
      if (textRect.width() < smallMetrics.horizontalAdvance(QStringLiteral("Wai…"))) continue;
      const bool lightFill = segment.state == LaneState::Waiting || segment.state == LaneState::Pending;
      painter.setPen(lightFill ? kInk : QColor(Qt::white));
      painter.drawText(textRect, Qt::AlignLeft | Qt::AlignVCenter,
                       smallMetrics.elidedText(text, Qt::ElideRight, static_cast<int>(textRect.width())));
    }
  }
  painter.setRenderHint(QPainter::Antialiasing, false);

  // Label gutter last, so bars never run under the names.
  painter.fillRect(QRect(0, 0, m_labelWidth, height()), kGutterPaper);
  painter.setPen(QPen(kRule, 1));
  painter.drawLine(QPoint(m_labelWidth, 0), QPoint(m_labelWidth, height()));
  painter.drawLine(QPoint(0, kAxisHeight), QPoint(m_labelWidth, kAxisHeight));
  painter.setPen(kMuted);
  painter.drawText(QRect(kLabelPadding, 0, m_labelWidth - kLabelPadding, kAxisHeight - 6),
                   Qt::AlignLeft | Qt::AlignBottom, tr("time since creation"));

  QFont bold = font();
  bold.setBold(true);
  for (int i = 0; i < static_cast<int>(m_layout.lanes.size()); ++i) {
    const Lane& lane = m_layout.lanes[static_cast<size_t>(i)];
    const QRect row(kLabelPadding, laneTop(i), m_labelWidth - 2 * kLabelPadding, kLaneHeight);
    QString tag;
    switch (lane.kind) {
      case core::SubjectKind::Pod: tag = tr("pod"); break;
      case core::SubjectKind::InitContainer: tag = tr("init"); break;
      case core::SubjectKind::Container: break;
    }
    const QFont& nameFont = lane.kind == core::SubjectKind::Pod ? bold : font();
    const QFontMetrics nameMetrics(nameFont);
    const int tagWidth = tag.isEmpty() ? 0 : smallMetrics.horizontalAdvance(tag) + 8;
    const QString name = nameMetrics.elidedText(laneLabel(lane), Qt::ElideMiddle, row.width() - tagWidth);
    painter.setFont(nameFont);
    painter.setPen(kInk);
    painter.drawText(row, Qt::AlignLeft | Qt::AlignVCenter, name);
    if (!tag.isEmpty()) {
      painter.setFont(small);
      painter.setPen(kMuted);
      painter.drawText(row.adjusted(nameMetrics.horizontalAdvance(name) + 8, 0, 0, 0), Qt::AlignLeft | Qt::AlignVCenter,
                       tag);
    }
  }
  painter.setPen(QPen(kRule, 1));
  painter.drawLine(QPoint(0, lanesBottom), QPoint(width(), lanesBottom));
}

const LaneSegment* SwimlaneView::segmentAt(QPoint pos, const Lane** laneOut) const {
  if (pos.y() < kAxisHeight || pos.x() < m_labelWidth) return nullptr;
  const int index = (pos.y() - kAxisHeight) / kLaneHeight;
  if (index < 0 || index >= static_cast<int>(m_layout.lanes.size())) return nullptr;
  const Lane& lane = m_layout.lanes[static_cast<size_t>(index)];
  const TimeScale scale = timeScale();
  for (const LaneSegment& segment : lane.segments) {
    QRectF bar = barRect(lane, segment, index, scale);
    // Short bars are hard to hit; the whole lane height counts.
    bar.setTop(laneTop(index));
    bar.setHeight(kLaneHeight);
    if (bar.contains(pos)) {
      *laneOut = &lane;
      return &segment;
    }
  }
  return nullptr;
}

bool SwimlaneView::event(QEvent* event) {
  if (event->type() == QEvent::ToolTip) {
    auto* help = static_cast<QHelpEvent*>(event);
    const Lane* lane = nullptr;
    if (const LaneSegment* segment = segmentAt(help->pos(), &lane)) {
      QString text = QStringLiteral("<b>%1</b><br>%2<br>%3 – %4")
                         .arg(lane->subject.toHtmlEscaped(), segmentText(*segment).toHtmlEscaped(),
                              qs(core::formatRunTime(segment->start)),
                              segment->ongoing ? tr("end of run") : qs(core::formatRunTime(segment->end)));
      if (!segment->message.isEmpty()) text += QStringLiteral("<br>") + segment->message.toHtmlEscaped();
      QToolTip::showText(help->globalPos(), text, this);
    } else {
      QToolTip::hideText();
      event->ignore();
    }
    return true;
  }
  return QWidget::event(event);
}

}  // namespace podscope::ui
