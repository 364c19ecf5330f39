#pragma once
// Turns the transitions of a run into timeline lanes: one per subject (the
// pod first, then init containers, then containers, each in the order they
// first appear) made of back-to-back state segments.

#include <QString>

#include <optional>

#include <vector>

#include "core/run_record.h"

class QAbstractItemModel;

namespace podscope::ui {

/// What a segment means visually; the palette gives each its colour.
enum class LaneState {
  Pending,     ///< the pod before it runs
  Waiting,     ///< a container not running yet (or between restarts)
  Running,
  Succeeded,   ///< terminated with exit code 0, or a pod that Succeeded
  Failed,      ///< terminated with a non-zero exit code, or a pod that Failed
  Unknown,     ///< a pod in phase Unknown (its runtime could not be reached), or a state this version does not know
};

/// Reads the engine's state words ("Waiting", "Running", "Terminated",
/// pod phases) and, for terminations, the exit code (or, without one, the
/// reason) to tell a clean exit from a failure.
LaneState classifyState(core::SubjectKind kind, const QString& to, const QString& reason,
                        std::optional<int> exitCode);

struct LaneSegment {
  core::RunTime start{0};
  core::RunTime end{0};
  LaneState state = LaneState::Unknown;
  QString to;
  QString reason;
  QString message;
  bool ongoing = false;  ///< the subject was still in this state when the record ended
  int restart = 0;       ///< for Running: how many times the container ran before this
};

struct Lane {
  QString subject;
  core::SubjectKind kind = core::SubjectKind::Container;
  std::vector<LaneSegment> segments;
};

struct LaneLayout {
  std::vector<Lane> lanes;
  core::RunTime end{0};  ///< the latest time the lanes reach
};

/// Builds the lanes from a model with TransitionModel's roles, reading
/// through the roles only. `until`, if later than the last transition,
/// stretches open segments up to it (a run still in progress).
/// Thread contract: reads `model`, so call it on the model's thread.
LaneLayout layoutLanes(const QAbstractItemModel& model, core::RunTime until = core::RunTime{0});

}  // namespace podscope::ui
