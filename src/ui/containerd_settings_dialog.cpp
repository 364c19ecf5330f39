#include "ui/containerd_settings_dialog.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QVBoxLayout>

namespace podscope::ui {

bool isValidContainerdNamespace(const QString& name) {
  static const QRegularExpression kValid(QStringLiteral("^[A-Za-z0-9]+(?:[._-][A-Za-z0-9]+)*$"));
  return kValid.match(name).hasMatch();
}

ContainerdSettingsDialog::ContainerdSettingsDialog(const ContainerdSettings& settings, QWidget* parent)
    : QDialog(parent) {
  setWindowTitle(tr("containerd Settings"));
  m_address = new QLineEdit(settings.address, this);
  m_address->setPlaceholderText(QString::fromLatin1(kDefaultContainerdAddress));
  m_address->setClearButtonEnabled(true);
  m_namespace = new QLineEdit(settings.containerdNamespace, this);
  m_namespace->setPlaceholderText(ContainerdSettings{}.containerdNamespace);
  m_stateDir = new QLineEdit(settings.stateDir, this);
  m_stateDir->setPlaceholderText(tr("the default (/run/podscope as root)"));
  m_stateDir->setClearButtonEnabled(true);
  auto* browse = new QPushButton(tr("&Browse…"), this);
  connect(browse, &QPushButton::clicked, this, [this] {
    const QString dir = QFileDialog::getExistingDirectory(this, tr("State Directory"), m_stateDir->text());
    if (!dir.isEmpty()) m_stateDir->setText(dir);
  });
  auto* stateRow = new QHBoxLayout;
  stateRow->addWidget(m_stateDir, 1);
  stateRow->addWidget(browse);

  auto* form = new QFormLayout;
  form->addRow(tr("&Socket:"), m_address);
  form->addRow(tr("&Namespace:"), m_namespace);
  form->addRow(tr("S&tate directory:"), stateRow);
  auto* help = new QLabel(tr("Everything Podscope creates goes into the namespace, labelled so it can be found "
                             "again; the state directory holds the pods' namespaces, volumes and run locks on "
                             "this machine."),
                          this);
  help->setWordWrap(true);
  help->setForegroundRole(QPalette::PlaceholderText);
  m_problem = new QLabel(this);
  m_problem->setWordWrap(true);
  m_problem->setStyleSheet(QStringLiteral("color: #B3261E;"));
  m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
  connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
  connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

  auto* layout = new QVBoxLayout(this);
  layout->addLayout(form);
  layout->addWidget(help);
  layout->addWidget(m_problem);
  layout->addWidget(m_buttons);
  for (QLineEdit* edit : {m_address, m_namespace, m_stateDir}) connect(edit, &QLineEdit::textChanged, this, &ContainerdSettingsDialog::check);
  check();
  resize(560, sizeHint().height());
}

ContainerdSettings ContainerdSettingsDialog::settings() const {
  ContainerdSettings out;
  const QString address = m_address->text().trimmed();
  if (!address.isEmpty()) out.address = address;
  const QString name = m_namespace->text().trimmed();
  if (!name.isEmpty()) out.containerdNamespace = name;
  const QString dir = m_stateDir->text().trimmed();
  // Runs label their objects with this path, so it is spelt one way.
  out.stateDir = dir.isEmpty() ? QString() : QDir::cleanPath(QFileInfo(dir).absoluteFilePath());
  return out;
}

QString ContainerdSettingsDialog::problem() const {
  const QString name = m_namespace->text().trimmed();
  if (!name.isEmpty() && !isValidContainerdNamespace(name)) {
    return tr("\"%1\" is not a containerd namespace name: use letters and digits, joined by single '.', '_' or "
              "'-'.").arg(name);
  }
  const QString address = m_address->text().trimmed();
  if (!address.isEmpty() && !address.startsWith(QLatin1Char('/')) && !address.startsWith(QLatin1String("unix://"))) {
    return tr("The socket is a path on this machine, such as %1.").arg(QString::fromLatin1(kDefaultContainerdAddress));
  }
  const QString dir = m_stateDir->text().trimmed();
  if (!dir.isEmpty() && QFileInfo::exists(dir) && !QFileInfo(dir).isDir()) {
    return tr("%1 is a file, not a folder.").arg(dir);
  }
  return {};
}

void ContainerdSettingsDialog::check() {
  const QString why = problem();
  m_problem->setText(why);
  m_problem->setVisible(!why.isEmpty());
  m_buttons->button(QDialogButtonBox::Ok)->setEnabled(why.isEmpty());
}

}  // namespace podscope::ui
