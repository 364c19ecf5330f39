#pragma once
// How a finding's severity looks wherever it is shown: the squiggle's
// colour in the editor, the margin marker and the Problems list's icon are
// drawn from the same colours, so the three read as one.
// Thread contract: GUI thread only (icons and images are painted).

#include <QColor>
#include <QIcon>
#include <QImage>
#include <QString>

#include "core/diagnostic.h"

namespace podscope::ui {

QColor severityColor(core::Severity severity);
/// "Error", "Warning", "Info".
QString severityName(core::Severity severity);
/// A round badge: a cross for errors, an exclamation mark for warnings, an
/// "i" for information; `size` pixels square at device pixel ratio `dpr`.
QImage severityImage(core::Severity severity, int size, qreal dpr = 1.0);
QIcon severityIcon(core::Severity severity);

}  // namespace podscope::ui
