#pragma once
// Helpers shared by the UI tests: manifests written on the spot, and files
// in a temporary directory that goes away with the test.

#include <QByteArray>
#include <QString>
#include <QTemporaryDir>

#include <ostream>

// GoogleTest prints a QString it compares as its text, found by ADL.
inline void PrintTo(const QString& text, std::ostream* out) { *out << '"' << text.toStdString() << '"'; }

namespace podscope::ui::test {

/// A pod with one init container that must finish before the app starts.
extern const char kInitContainerPod[];

/// A temporary directory that files can be written into.
/// Thread contract: test thread only.
class TempFiles {
 public:
  TempFiles();
  /// Writes `contents` to `name` in the directory and returns its path.
  QString write(const QString& name, const QByteArray& contents);

 private:
  QTemporaryDir m_dir;
};

}  // namespace podscope::ui::test
