#pragma once
// Writing a file whole or not at all, with errors that name it: the bytes go
// to a temporary file beside the target, which replaces the target only
// once everything was written (QSaveFile).
// Thread contract: free functions without shared state; safe from any thread.

#include <QIODevice>
#include <QString>

#include <functional>

#include "core/result.h"

namespace podscope::render {

/// An error about `path`: "PATH: WHAT".
core::Error fileError(const QString& path, const QString& what);

/// Opens a temporary file for `path`, lets `write` fill it and, when it
/// returns true, puts it in place of `path`. When `write` returns false it
/// sets `why` to a reason (or leaves it empty for the device's own), and
/// `path` is left as it was.
core::Status saveAtomically(const QString& path, const std::function<bool(QIODevice& device, QString& why)>& write);

}  // namespace podscope::render
