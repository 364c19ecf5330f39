#include "ui/lane_layout.h"

#include <QAbstractItemModel>

#include <algorithm>
#include <optional>

#include "ui/transition_model.h"

namespace podscope::ui {

namespace {

LaneState classifyTermination(const QString& reason, std::optional<int> exitCode) {
  if (exitCode) return *exitCode == 0 ? LaneState::Succeeded : LaneState::Failed;
  return reason == QLatin1String("Completed") ? LaneState::Succeeded : LaneState::Failed;
}

}  // namespace

LaneState classifyState(core::SubjectKind kind, const QString& to, const QString& reason,
                        std::optional<int> exitCode) {
  switch (kind) {
    case core::SubjectKind::Pod:
      if (to == QLatin1String("Pending")) return LaneState::Pending;
      if (to == QLatin1String("Running")) return LaneState::Running;
      if (to == QLatin1String("Succeeded")) return LaneState::Succeeded;
      if (to == QLatin1String("Failed")) return LaneState::Failed;
      if (to.startsWith(QLatin1String("Terminat"))) return LaneState::Waiting;
      return LaneState::Unknown;
    case core::SubjectKind::InitContainer:
    case core::SubjectKind::Container:
      if (to.startsWith(QLatin1String("Waiting"))) return LaneState::Waiting;
      if (to.startsWith(QLatin1String("Running"))) return LaneState::Running;
      if (to.startsWith(QLatin1String("Terminated"))) return classifyTermination(reason, exitCode);
      return LaneState::Unknown;
  }
  return LaneState::Unknown;
}

LaneLayout layoutLanes(const QAbstractItemModel& model, core::RunTime until) {
  LaneLayout layout;
  // Lanes keyed by (kind, subject): an init container and a container may
  // share a name in a broken manifest and must still not share a lane.
  auto findLane = [&layout](core::SubjectKind kind, const QString& subject) -> Lane& {
    auto it = std::find_if(layout.lanes.begin(), layout.lanes.end(), [&](const Lane& lane) {
      return lane.kind == kind && lane.subject == subject;
    });
    if (it != layout.lanes.end()) return *it;
    layout.lanes.push_back(Lane{subject, kind, {}});
    return layout.lanes.back();
  };

  const int rows = model.rowCount();
  for (int row = 0; row < rows; ++row) {
    QModelIndex index = model.index(row, 0);
    core::RunTime time{index.data(TransitionModel::TimeRole).toLongLong()};
    auto kind = static_cast<core::SubjectKind>(index.data(TransitionModel::KindRole).toInt());
    QString subject = index.data(TransitionModel::SubjectRole).toString();
    QString to = index.data(TransitionModel::ToRole).toString();
    QString reason = index.data(TransitionModel::ReasonRole).toString();
    QString message = index.data(TransitionModel::MessageRole).toString();
    QVariant exit = index.data(TransitionModel::ExitCodeRole);
    std::optional<int> exitCode = exit.isValid() ? std::optional<int>(exit.toInt()) : std::nullopt;

    Lane& lane = findLane(kind, subject);
    if (!lane.segments.empty()) lane.segments.back().end = time;
    const LaneState state = classifyState(kind, to, reason, exitCode);
    int restart = 0;
    if (state == LaneState::Running && kind != core::SubjectKind::Pod) {
      restart = static_cast<int>(std::count_if(lane.segments.begin(), lane.segments.end(), [](const LaneSegment& s) {
        return s.state == LaneState::Running;
      }));
    }
    lane.segments.push_back(LaneSegment{time, time, state, to, reason, message, true, restart});
    layout.end = std::max(layout.end, time);
  }
  layout.end = std::max(layout.end, until);

  for (Lane& lane : layout.lanes) {
    for (size_t i = 0; i + 1 < lane.segments.size(); ++i) lane.segments[i].ongoing = false;
    if (!lane.segments.empty()) lane.segments.back().end = layout.end;
  }
  // Pod first, then init containers, then containers; stable keeps the
  // order of first appearance within each group.
  auto rank = [](core::SubjectKind kind) {
    switch (kind) {
      case core::SubjectKind::Pod: return 0;
      case core::SubjectKind::InitContainer: return 1;
      case core::SubjectKind::Container: return 2;
    }
    return 3;
  };
  std::stable_sort(layout.lanes.begin(), layout.lanes.end(),
                   [&](const Lane& a, const Lane& b) { return rank(a.kind) < rank(b.kind); });
  return layout;
}

}  // namespace podscope::ui
