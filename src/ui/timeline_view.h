#pragma once
// TimelineView: a TimelineModel drawn as swimlanes under a time axis, in
// the grammar of ux.md: state bars, condition bands, a dot per probe attempt,
// bracketed hook runs, signal arrows, restart rules and event diamonds.
// Zoom (Ctrl+wheel, + and -), pan (drag, wheel, arrow keys), Fit, a time
// cursor under the mouse; while a run streams in the view follows the
// present unless the user has moved away from it. Only the visible time
// range is painted: each lane's items are found by binary search and items
// that share a pixel column are drawn once.
//
// TimelineWidget puts the view between a small tool bar (Fit, zoom, Follow)
// and a legend.

#include <QAbstractScrollArea>
#include <QPersistentModelIndex>
#include <QPointer>
#include <QWidget>

#include <optional>

#include "ui/time_scale.h"
#include "ui/timeline_model.h"

class QLabel;
class QToolButton;

namespace podscope::ui {

/// Thread contract: GUI thread only.
class TimelineView final : public QAbstractScrollArea {
  Q_OBJECT

 public:
  explicit TimelineView(QWidget* parent = nullptr);

  void setModel(TimelineModel* model);
  TimelineModel* model() const { return m_model; }
  /// Text shown when there is nothing to draw.
  void setPlaceholderText(const QString& text);

  /// The scale the lanes are drawn with, in viewport coordinates.
  TimeScale timeScale() const;
  core::RunTime visibleStart() const { return m_start; }
  core::RunTime visibleSpan() const;
  /// Shows [start, start + span] (within the zoom limits).
  void setVisibleRange(core::RunTime start, core::RunTime span);
  /// Zooms by `factor` (> 1 zooms in) keeping the time at viewport x `anchorX` in place.
  void zoomBy(double factor, double anchorX);
  void zoomIn();
  void zoomOut();
  /// Shows the whole record.
  void fit();
  /// Moves the view by `pixels` (positive: later).
  void panBy(double pixels);
  /// Follow the present: the newest time stays in view as the record grows.
  bool isFollowing() const { return m_following; }
  void setFollowing(bool following);

  double timeToX(core::RunTime t) const;
  core::RunTime xToTime(double x) const;
  /// Where a lane is, in viewport coordinates.
  QRect laneRect(int lane) const;
  /// Where an item is drawn (its centre for marks and dots, its middle for bars).
  QPoint itemPoint(int lane, const TimelineItem& item) const;
  /// The model index of what is drawn at a viewport position, or invalid.
  QModelIndex indexAt(QPoint pos) const;
  /// The time under the mouse, while it is over the lanes.
  std::optional<core::RunTime> cursorTime() const { return m_cursor; }
  /// Highlights an item (a TimelineModel child index); invalid clears.
  void setSelectedIndex(const QModelIndex& index);
  QModelIndex selectedIndex() const { return m_selected; }

  QSize sizeHint() const override;
  QSize minimumSizeHint() const override;

 signals:
  /// An item was clicked: a child index of the model.
  void itemClicked(const QModelIndex& index);
  void visibleRangeChanged(core::RunTime start, core::RunTime span);
  void followingChanged(bool following);
  void laneCountChanged(int count);

 protected:
  void paintEvent(QPaintEvent* event) override;
  void resizeEvent(QResizeEvent* event) override;
  void wheelEvent(QWheelEvent* event) override;
  void keyPressEvent(QKeyEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void mouseReleaseEvent(QMouseEvent* event) override;
  void leaveEvent(QEvent* event) override;
  bool viewportEvent(QEvent* event) override;
  void scrollContentsBy(int dx, int dy) override;

 private:
  struct Row {
    int top = 0;
    int height = 0;
  };

  void relayoutLanes();
  void onEndChanged(core::RunTime end);
  void updateScrollBars();
  void applyRange(core::RunTime start, double nsPerPixel, bool userAction);
  double plotLeft() const { return m_gutter; }
  double plotWidth() const;
  int lanesTop() const;
  int contentHeight() const;
  core::RunTime recordEnd() const;
  double minNsPerPixel() const;
  double maxNsPerPixel() const;

  void paintAxis(QPainter& p, const TimeScale& scale, core::RunTime step) const;
  void paintLane(QPainter& p, int lane, const QRect& rect, const TimeScale& scale) const;
  void paintSpans(QPainter& p, const TimelineLane& lane, const QRect& rect, const TimeScale& scale) const;
  void paintMarks(QPainter& p, int laneRow, const TimelineLane& lane, const QRect& rect, const TimeScale& scale) const;
  void paintGutter(QPainter& p) const;
  void paintCursor(QPainter& p, const TimeScale& scale) const;
  void paintSelection(QPainter& p, const TimeScale& scale) const;

  QPointer<TimelineModel> m_model;
  QString m_placeholder;
  std::vector<Row> m_rows;
  int m_gutter = 160;
  core::RunTime m_start{0};
  double m_nsPerPixel = 1e8;  ///< 100 ms a pixel: a minute across 600 pixels
  bool m_following = true;
  bool m_syncingScrollBars = false;
  std::optional<core::RunTime> m_cursor;
  std::optional<QPoint> m_pressPos;
  core::RunTime m_pressStart{0};
  bool m_dragging = false;
  QPersistentModelIndex m_selected;
};

/// The legend: every mark of the grammar with its meaning, drawn with the
/// same painter code as the lanes.
class TimelineLegend final : public QWidget {
  Q_OBJECT

 public:
  explicit TimelineLegend(QWidget* parent = nullptr);
  /// Whether the ReplicaSet chart's marks are explained too (a rollout is shown).
  void setShowsReplicaSets(bool shows);
  bool showsReplicaSets() const { return m_showsReplicaSets; }
  QSize sizeHint() const override;
  bool hasHeightForWidth() const override { return true; }
  int heightForWidth(int width) const override;

 protected:
  void paintEvent(QPaintEvent* event) override;

 private:
  int layoutEntries(int width, QPainter* painter) const;
  bool m_showsReplicaSets = false;
};

/// The view with its tool bar (Fit, zoom out, zoom in, Follow, the visible
/// range) and legend.
class TimelineWidget final : public QWidget {
  Q_OBJECT

 public:
  explicit TimelineWidget(QWidget* parent = nullptr);
  TimelineView* view() const { return m_view; }
  TimelineLegend* legend() const { return m_legend; }

 private:
  void updateRangeLabel();

  TimelineView* m_view = nullptr;
  TimelineLegend* m_legend = nullptr;
  QLabel* m_rangeLabel = nullptr;
  QToolButton* m_followButton = nullptr;
};

}  // namespace podscope::ui
