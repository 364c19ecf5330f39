#pragma once
// LeftoversDialog: lists, object by object, what runs that ended without
// cleaning up left in containerd and on disk (as `podscope-cli gc
// --dry-run` does), with what a removal could not remove and why.

#include <QDialog>
#include <QString>

#include <string>
#include <vector>

#include "engine/runtime/containerd/leftovers.h"
#include "ui/run_controller.h"

class QLabel;
class QPushButton;
class QTreeWidget;

namespace podscope::ui {

/// Thread contract: GUI thread only.
class LeftoversDialog final : public QDialog {
  Q_OBJECT

 public:
  explicit LeftoversDialog(QWidget* parent = nullptr);

  /// Shows `leftovers`, found with `settings`. `problems`, when a removal
  /// left some of them, are listed above them; `removeText` labels the
  /// button that asks for their removal.
  void setLeftovers(const ContainerdSettings& settings, const engine::ContainerdLeftovers& leftovers,
                    const std::vector<std::string>& problems, const QString& removeText);

  QTreeWidget* objectTree() const { return m_tree; }
  QTreeWidget* problemList() const { return m_problems; }
  QPushButton* removeButton() const { return m_removeButton; }
  QPushButton* copyButton() const { return m_copyButton; }
  /// What Copy List puts on the clipboard: a heading, then one line per
  /// object as `podscope-cli gc --dry-run` prints them.
  QString listText() const { return m_listText; }

 signals:
  void removeRequested();

 private:
  void copyList();

  QLabel* m_intro = nullptr;
  QTreeWidget* m_problems = nullptr;
  QTreeWidget* m_tree = nullptr;
  QPushButton* m_removeButton = nullptr;
  QPushButton* m_copyButton = nullptr;
  QString m_listText;
};

}  // namespace podscope::ui
