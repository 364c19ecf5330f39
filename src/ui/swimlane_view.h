#pragma once
// SwimlaneView: the run drawn as lanes, one per subject, with a state bar
// for each stretch of time and a seconds axis on top. It reads a model with
// TransitionModel's roles and redraws as rows arrive.

#include <QPointer>
#include <QWidget>

#include "ui/lane_layout.h"
#include "ui/time_scale.h"

class QAbstractItemModel;

namespace podscope::ui {

/// Thread contract: GUI thread only.
class SwimlaneView final : public QWidget {
  Q_OBJECT

 public:
  explicit SwimlaneView(QWidget* parent = nullptr);

  void setModel(QAbstractItemModel* model);
  /// Text shown when there is nothing to draw.
  void setPlaceholderText(const QString& text);

  const LaneLayout& layout() const { return m_layout; }
  /// The scale the lanes are drawn with at the current width.
  TimeScale timeScale() const;

  QSize sizeHint() const override;
  QSize minimumSizeHint() const override;

 signals:
  void laneCountChanged(int count);

 protected:
  void paintEvent(QPaintEvent* event) override;
  bool event(QEvent* event) override;

 private:
  void relayout();
  int laneTop(int lane) const;
  QRectF barRect(const Lane& lane, const LaneSegment& segment, int laneIndex, const TimeScale& scale) const;
  const LaneSegment* segmentAt(QPoint pos, const Lane** lane) const;
  QString laneLabel(const Lane& lane) const;

  QPointer<QAbstractItemModel> m_model;
  LaneLayout m_layout;
  QString m_placeholder;
  int m_labelWidth = 160;
};

}  // namespace podscope::ui
