#include "core/manifest_reader.h"

#include <yaml-cpp/yaml.h>

#include <fstream>
#include <sstream>

namespace podscope::core {
namespace {

/// One YAML document's text and the line it starts on in the file.
struct Chunk {
  std::string text;
  int firstLine = 1;  // 1-based line of chunk's first line in the file
  bool blank = true;  // only comments and whitespace
};

bool isDocumentMarker(std::string_view line, std::string_view marker) {
  if (line.substr(0, marker.size()) != marker) return false;
  if (line.size() == marker.size()) return true;
  char next = line[marker.size()];
  return next == ' ' || next == '\t' || next == '\r' || next == '#';
}

bool isBlankOrComment(std::string_view line) {
  for (char c : line) {
    if (c == '#') return true;
    if (c != ' ' && c != '\t' && c != '\r') return false;
  }
  return true;
}

// Splits at `---` lines ourselves rather than with YAML::LoadAll, because
// LoadAll gives up on the whole stream at the first error; a broken second
// document must not hide a good first one.
std::vector<Chunk> splitDocuments(std::string_view text) {
  std::vector<Chunk> chunks(1);
  int lineNo = 0;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    ++lineNo;
    if (isDocumentMarker(line, "---")) {
      Chunk next;
      next.firstLine = lineNo;
      // Blank out the marker but keep what follows it on the line, so line
      // numbers stay true and nodes start where their text does.
      std::string_view rest = line.substr(3);
      next.text.append("   ").append(rest).append("\n");
      next.blank = isBlankOrComment(rest);
      chunks.push_back(std::move(next));
    } else if (isDocumentMarker(line, "...")) {
      chunks.back().text.append("\n");
    } else {
      chunks.back().text.append(line).append("\n");
      if (!isBlankOrComment(line)) chunks.back().blank = false;
    }
    if (end == text.size()) break;
    start = end + 1;
  }
  return chunks;
}

/// Thrown inside this file only, caught in readDocument.
struct ShapeError {
  std::string message;
  SourcePos pos;
};

class DocumentReader {
 public:
  explicit DocumentReader(int lineOffset) : m_lineOffset(lineOffset) {}

  SourcePos pos(const YAML::Node& node) const { return pos(node.Mark()); }
  SourcePos pos(const YAML::Mark& mark) const {
    if (mark.is_null()) return {};
    return {mark.line + m_lineOffset, mark.column + 1};
  }

  [[noreturn]] void fail(const std::string& path, const std::string& what, const YAML::Node& at) const {
    throw ShapeError{path + ": " + what, pos(at)};
  }

  static std::string typeName(const YAML::Node& node) {
    switch (node.Type()) {
      case YAML::NodeType::Undefined: return "nothing";
      case YAML::NodeType::Null: return "null";
      case YAML::NodeType::Scalar: return "a string";
      case YAML::NodeType::Sequence: return "a list";
      case YAML::NodeType::Map: return "a mapping";
    }
    return "an unknown value";
  }

  std::string scalar(const YAML::Node& node, const std::string& path) const {
    if (!node.IsScalar()) fail(path, "expected a string, found " + typeName(node), node);
    return node.Scalar();
  }

  std::int64_t integer(const YAML::Node& node, const std::string& path) const {
    std::int64_t value = 0;
    if (!node.IsScalar() || !YAML::convert<std::int64_t>::decode(node, value)) {
      fail(path, "expected an integer, found " + (node.IsScalar() ? "\"" + node.Scalar() + "\"" : typeName(node)), node);
    }
    return value;
  }

  std::vector<std::string> strings(const YAML::Node& node, const std::string& path) const {
    std::vector<std::string> out;
    if (node.IsNull()) return out;
    if (!node.IsSequence()) fail(path, "expected a list of strings, found " + typeName(node), node);
    for (size_t i = 0; i < node.size(); ++i) {
      out.push_back(scalar(node[i], path + "[" + std::to_string(i) + "]"));
    }
    return out;
  }

  Container container(const YAML::Node& node, const std::string& path) const {
    if (!node.IsMap()) fail(path, "expected a mapping, found " + typeName(node), node);
    Container c;
    c.range.begin = c.range.end = pos(node);
    if (auto v = node["name"]; v && !v.IsNull()) c.name = scalar(v, path + ".name");
    if (c.name.empty()) fail(path + ".name", "Required value", node);
    if (auto v = node["image"]; v && !v.IsNull()) c.image = scalar(v, path + ".image");
    if (c.image.empty()) fail(path + ".image", "Required value", node);
    c.imagePullPolicy = defaultPullPolicy(c.image);
    if (auto v = node["imagePullPolicy"]; v && !v.IsNull()) {
      std::string p = scalar(v, path + ".imagePullPolicy");
      if (p == "Always") c.imagePullPolicy = PullPolicy::Always;
      else if (p == "IfNotPresent") c.imagePullPolicy = PullPolicy::IfNotPresent;
      else if (p == "Never") c.imagePullPolicy = PullPolicy::Never;
      else fail(path + ".imagePullPolicy", "Unsupported value: \"" + p + "\": supported values: \"Always\", \"IfNotPresent\", \"Never\"", v);
    }
    if (auto v = node["command"]) c.command = strings(v, path + ".command");
    if (auto v = node["args"]) c.args = strings(v, path + ".args");
    return c;
  }

  std::vector<Container> containers(const YAML::Node& node, const std::string& path) const {
    std::vector<Container> out;
    if (!node || node.IsNull()) return out;
    if (!node.IsSequence()) fail(path, "expected a list of containers, found " + typeName(node), node);
    for (size_t i = 0; i < node.size(); ++i) {
      out.push_back(container(node[i], path + "[" + std::to_string(i) + "]"));
    }
    return out;
  }

  Pod pod(const YAML::Node& root) const {
    Pod pod;
    YAML::Node meta = root["metadata"];
    if (!meta || meta.IsNull()) fail("metadata.name", "Required value", root);
    if (!meta.IsMap()) fail("metadata", "expected a mapping, found " + typeName(meta), meta);
    if (auto v = meta["name"]; v && !v.IsNull()) pod.metadata.name = scalar(v, "metadata.name");
    if (pod.metadata.name.empty()) fail("metadata.name", "Required value", meta);
    if (auto v = meta["namespace"]; v && !v.IsNull()) pod.metadata.namespaceName = scalar(v, "metadata.namespace");

    YAML::Node spec = root["spec"];
    if (!spec || spec.IsNull()) fail("spec.containers", "Required value", root);
    if (!spec.IsMap()) fail("spec", "expected a mapping, found " + typeName(spec), spec);
    pod.spec.initContainers = containers(spec["initContainers"], "spec.initContainers");
    pod.spec.containers = containers(spec["containers"], "spec.containers");
    if (pod.spec.containers.empty()) fail("spec.containers", "Required value", spec);
    if (auto v = spec["restartPolicy"]; v && !v.IsNull()) {
      std::string p = scalar(v, "spec.restartPolicy");
      if (p == "Always") pod.spec.restartPolicy = RestartPolicy::Always;
      else if (p == "OnFailure") pod.spec.restartPolicy = RestartPolicy::OnFailure;
      else if (p == "Never") pod.spec.restartPolicy = RestartPolicy::Never;
      else fail("spec.restartPolicy", "Unsupported value: \"" + p + "\": supported values: \"Always\", \"OnFailure\", \"Never\"", v);
    }
    if (auto v = spec["terminationGracePeriodSeconds"]; v && !v.IsNull()) {
      pod.spec.terminationGracePeriodSeconds = integer(v, "spec.terminationGracePeriodSeconds");
      if (pod.spec.terminationGracePeriodSeconds < 0) {
        fail("spec.terminationGracePeriodSeconds", "must be greater than or equal to 0", v);
      }
    }
    return pod;
  }

 private:
  int m_lineOffset;
};

void readDocument(const Chunk& chunk, int index, Manifest& out) {
  DocumentReader reader(chunk.firstLine);
  try {
    YAML::Node root = YAML::Load(chunk.text);
    if (!root || root.IsNull()) return;  // an empty document between markers
    if (!root.IsMap()) {
      throw ShapeError{"a manifest document must be a mapping with apiVersion and kind, found " +
                           DocumentReader::typeName(root),
                       reader.pos(root)};
    }
    Document doc;
    doc.index = index;
    doc.range.begin = doc.range.end = reader.pos(root);
    if (auto v = root["apiVersion"]; v && !v.IsNull()) doc.apiVersion = reader.scalar(v, "apiVersion");
    if (auto v = root["kind"]; v && !v.IsNull()) doc.kind = reader.scalar(v, "kind");
    if (doc.kind.empty()) reader.fail("kind", "Required value", root);
    if (doc.apiVersion.empty()) reader.fail("apiVersion", "Required value", root);
    if (auto m = root["metadata"]; m && m.IsMap()) {
      if (auto n = m["name"]; n && n.IsScalar()) doc.name = n.Scalar();
    }
    if (doc.kind == "Pod") {
      if (doc.apiVersion != "v1") {
        reader.fail("apiVersion", "Pod is served as \"v1\", not \"" + doc.apiVersion + "\"", root["apiVersion"]);
      }
      doc.pod = reader.pod(root);
    }
    out.documents.push_back(std::move(doc));
  } catch (const YAML::Exception& e) {
    // yaml-cpp marks are 0-based and relative to the chunk.
    SourcePos pos = reader.pos(e.mark);
    out.errors.push_back(Error{"YAML syntax error: " + e.msg, out.file, pos, ErrorKind::Syntax});
  } catch (const ShapeError& e) {
    out.errors.push_back(Error{e.message, out.file, e.pos, ErrorKind::Shape});
  }
}

}  // namespace

Manifest readManifest(std::string_view text, const std::string& fileName) {
  Manifest out;
  out.file = fileName;
  std::vector<Chunk> chunks = splitDocuments(text);
  int index = 0;
  for (const Chunk& chunk : chunks) {
    if (chunk.blank) continue;
    readDocument(chunk, index++, out);
  }
  return out;
}

Result<Manifest> readManifestFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{"cannot open the file for reading", path, std::nullopt, ErrorKind::Io};
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) return Error{"cannot read the file", path, std::nullopt, ErrorKind::Io};
  return readManifest(buffer.str(), path);
}

Result<Pod> readPod(std::string_view text, const std::string& fileName) {
  Manifest manifest = readManifest(text, fileName);
  if (const Document* doc = manifest.firstPod()) return *doc->pod;
  if (!manifest.errors.empty()) return manifest.errors.front();
  std::string kinds;
  for (const Document& d : manifest.documents) kinds += (kinds.empty() ? "" : ", ") + d.kind;
  return Error{kinds.empty() ? "the file holds no manifest documents"
                             : "the file holds no Pod to run (found: " + kinds + ")",
               fileName, std::nullopt};
}

}  // namespace podscope::core
