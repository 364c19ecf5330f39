#include "ui_test_support.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <gtest/gtest.h>

namespace podscope::ui::test {

const char kInitContainerPod[] = R"(apiVersion: v1
kind: Pod
metadata:
  name: init-demo
spec:
  restartPolicy: Never
  initContainers:
  - name: init-setup
    image: busybox
    command: ['sh', '-c', 'sleep 2']
  containers:
  - name: app
    image: busybox
    command: ['sh', '-c', 'sleep 5']
)";

TempFiles::TempFiles() { EXPECT_TRUE(m_dir.isValid()); }

QString TempFiles::write(const QString& name, const QByteArray& contents) {
  const QString path = m_dir.filePath(name);
  QDir().mkpath(QFileInfo(path).absolutePath());
  QFile file(path);
  EXPECT_TRUE(file.open(QIODevice::WriteOnly)) << path.toStdString();
  file.write(contents);
  return path;
}

}  // namespace podscope::ui::test
