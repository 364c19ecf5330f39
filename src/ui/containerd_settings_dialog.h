#pragma once
// ContainerdSettingsDialog: where runs on containerd happen (the socket, the
// containerd namespace and the state directory), checked as they are typed.

#include <QDialog>

#include "ui/run_controller.h"

class QDialogButtonBox;
class QLabel;
class QLineEdit;

namespace podscope::ui {

/// containerd's rule for namespace names: letters and digits, joined by
/// single '.', '_' or '-'.
bool isValidContainerdNamespace(const QString& name);

/// Thread contract: GUI thread only.
class ContainerdSettingsDialog final : public QDialog {
  Q_OBJECT

 public:
  explicit ContainerdSettingsDialog(const ContainerdSettings& settings, QWidget* parent = nullptr);

  /// What the fields say (an empty socket means the default one).
  ContainerdSettings settings() const;
  QLineEdit* addressEdit() const { return m_address; }
  QLineEdit* namespaceEdit() const { return m_namespace; }
  QLineEdit* stateDirEdit() const { return m_stateDir; }
  /// Why OK is off; empty when the fields are fine.
  QString problem() const;

 private:
  void check();

  QLineEdit* m_address = nullptr;
  QLineEdit* m_namespace = nullptr;
  QLineEdit* m_stateDir = nullptr;
  QLabel* m_problem = nullptr;
  QDialogButtonBox* m_buttons = nullptr;
};

}  // namespace podscope::ui
