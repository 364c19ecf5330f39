#include "core/manifest_reader.h"

#include <filesystem>
#include <fstream>

#include "core/decoder.h"
#include "core/file_text.h"
#include "core/validation.h"

namespace podscope::core {

Manifest readManifest(std::string_view text, const std::string& fileName, const YamlLimits& limits) {
  Manifest out;
  out.file = fileName;
  out.diagnostics = checkYamlText(text, fileName, limits);
  if (!out.diagnostics.empty()) return out;
  // Editors do not show a UTF-8 byte-order mark; positions count from after it.
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);

  int index = 0;
  for (const YamlChunk& chunk : splitYamlDocuments(text)) {
    if (chunk.blank) continue;
    YamlParse parse = parseYamlDocument(chunk, fileName, index, limits);
    std::vector<Diagnostic> found = std::move(parse.diagnostics);
    if (parse.root && !parse.root->isMap() && !parse.root->isNull()) {
      Diagnostic d;
      d.range = parse.root->range;
      d.rule = "not-a-manifest";
      d.message = "a manifest document must be a mapping with apiVersion, kind, metadata and spec, not " +
                  parse.root->describe();
      found.push_back(std::move(d));
    } else if (parse.root && parse.root->isMap()) {
      Document doc;
      doc.index = index;
      decodeDocument(*parse.root, fileName, doc, found);
      std::vector<Diagnostic> rules = validateDocument(doc, fileName);
      std::vector<Diagnostic> lints = lintDocument(doc, fileName);
      found.insert(found.end(), rules.begin(), rules.end());
      found.insert(found.end(), lints.begin(), lints.end());
      if (!doc.kind.empty() && doc.kind != "Pod" && doc.kind != "Deployment") {
        Diagnostic d;
        d.severity = Severity::Info;
        d.range = {doc.range.begin, doc.range.begin};
        d.rule = "not-run";
        d.message = doc.kind + (doc.name.empty() ? "" : " \"" + doc.name + "\"") +
                    " is kept but not run: Podscope runs Pods and Deployments";
        found.push_back(std::move(d));
      }
      // The API server accepts an object whole or not at all.
      if (hasErrors(found)) {
        doc.pod.reset();
        doc.deployment.reset();
      }
      out.documents.push_back(std::move(doc));
    }
    for (Diagnostic& d : found) {
      d.file = fileName;
      d.document = index;
    }
    out.diagnostics.insert(out.diagnostics.end(), found.begin(), found.end());
    ++index;
  }
  sortDiagnostics(out.diagnostics);
  return out;
}

Result<Manifest> readManifestFile(const std::string& path, const YamlLimits& limits) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return Error{"is a folder, not a manifest file", path, std::nullopt, ErrorKind::Io};
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{"cannot open the file for reading", path, std::nullopt, ErrorKind::Io};
  // Read at most one byte past the limit: enough to know it is too large
  // without holding a huge file in memory.
  std::string text;
  if (!readUpTo(in, limits.maxBytes, text)) return Error{"cannot read the file", path, std::nullopt, ErrorKind::Io};
  if (text.size() > limits.maxBytes) {
    std::uintmax_t size = std::filesystem::file_size(path, ec);
    Manifest m;
    m.file = path;
    m.diagnostics.push_back(fileTooLarge(path, ec ? text.size() : size, limits));
    return m;
  }
  return readManifest(text, path, limits);
}

Result<Pod> readPod(std::string_view text, const std::string& fileName) {
  Manifest manifest = readManifest(text, fileName);
  if (const Document* doc = manifest.firstPod()) return *doc->pod;
  for (const Document& d : manifest.documents) {
    if (d.kind != "Pod") continue;
    for (const Diagnostic& diag : manifest.diagnostics) {
      if (diag.document == d.index && diag.severity == Severity::Error) {
        return Error{diag.message, fileName, diag.range.begin, ErrorKind::Shape};
      }
    }
  }
  if (std::optional<Error> e = manifest.firstError()) return *e;
  std::string kinds;
  for (const Document& d : manifest.documents) kinds += (kinds.empty() ? "" : ", ") + d.kind;
  return Error{kinds.empty() ? "the file holds no manifest documents"
                             : "the file holds no Pod to run (found: " + kinds + ")",
               fileName, std::nullopt, ErrorKind::Shape};
}

}  // namespace podscope::core
