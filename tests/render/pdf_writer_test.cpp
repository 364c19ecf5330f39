// The PDF file: whole or not at all, named in errors. (What is in it —
// pages, A4, the words — is checked on podscope-cli's output with poppler's
// tools in tests/cli/report_test.cpp.)

#include "render/pdf_writer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <QDir>
#include <QFile>
#include <QTemporaryDir>

namespace podscope::render {
namespace {

using ::testing::HasSubstr;

TEST(WritePdf, WritesAPdfOrNamesTheFileItCouldNotWrite) {
  QTemporaryDir dir;
  ASSERT_TRUE(dir.isValid());
  const QString path = dir.filePath(QStringLiteral("r.pdf"));
  PdfOptions options;
  options.title = QStringLiteral("pod/web");
  options.creator = QStringLiteral("Podscope test");
  ASSERT_TRUE(writePdf("<html><body><h1>pod/web</h1><p>Hello</p></body></html>", options, path));
  QFile file(path);
  ASSERT_TRUE(file.open(QIODevice::ReadOnly));
  const QByteArray bytes = file.readAll();
  EXPECT_TRUE(bytes.startsWith("%PDF-")) << bytes.left(16).toStdString();
  EXPECT_TRUE(bytes.contains("/Title")) << "the PDF names its title";
  EXPECT_EQ(QDir(dir.path()).entryList(QDir::Files), QStringList{QStringLiteral("r.pdf")});

  const QString missing = dir.filePath(QStringLiteral("no/such/folder/r.pdf"));
  core::Status refused = writePdf("<p>x</p>", options, missing);
  ASSERT_FALSE(refused);
  EXPECT_THAT(refused.error().message, HasSubstr(missing.toStdString() + ": cannot be written: the folder"));
  EXPECT_FALSE(QFile::exists(missing));
}

}  // namespace
}  // namespace podscope::render
