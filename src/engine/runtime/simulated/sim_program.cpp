#include "engine/runtime/simulated/sim_program.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <stdexcept>

namespace podscope::engine::sim {

enum class Connector { Seq, And, Or };

struct Redirect {
  int fd = 1;          // 1 or 2
  bool append = false;  // >>
  bool dup = false;     // >&N: target is a descriptor
  std::string target;
};

// The commands the interpreter models, told apart once when read.
enum class Command { Other, Sleep, Exit, Trap, Shell, True, False, Echo, Touch, Rm, Cat, Mkdir, Test, Bracket };

struct Node {
  enum class Kind { Simple, List, Loop };
  Kind kind = Kind::Simple;
  std::vector<std::string> argv;                                    // Simple
  std::vector<Redirect> redirects;                                  // Simple
  std::vector<std::pair<Connector, std::unique_ptr<Node>>> items;  // List
  std::unique_ptr<Node> cond;                                       // Loop
  std::unique_ptr<Node> body;
  bool until = false;
  // Simple: what runInstant() needs, worked out once when the command is
  // read rather than on every run of it.
  std::string cmd;                    ///< baseName(argv[0])
  Command command = Command::Other;   ///< what `cmd` names
  std::string flags;                  ///< option letters (`rm -rf` gives "rf")
  std::vector<std::string> operands;  ///< the other arguments
};

struct Program::Frame {
  const Node* node = nullptr;
  size_t index = 0;
  int phase = 0;
};

namespace {

struct Token {
  bool op = false;
  std::string text;
};

/// Thrown inside this file only; becomes a note.
struct ParseError {
  std::string message;
};

std::vector<Token> tokenize(const std::string& s) {
  std::vector<Token> out;
  std::string word;
  bool inWord = false;
  auto flush = [&] {
    if (inWord) out.push_back({false, word});
    word.clear();
    inWord = false;
  };
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '\'') {
      size_t end = s.find('\'', i + 1);
      if (end == std::string::npos) throw ParseError{"unterminated single quote"};
      word += s.substr(i + 1, end - i - 1);
      inWord = true;
      i = end;
    } else if (c == '"') {
      inWord = true;
      size_t j = i + 1;
      for (; j < s.size() && s[j] != '"'; ++j) {
        if (s[j] == '\\' && j + 1 < s.size() && std::string_view("\"\\$`").find(s[j + 1]) != std::string_view::npos) {
          ++j;
        }
        word += s[j];
      }
      if (j >= s.size()) throw ParseError{"unterminated double quote"};
      i = j;
    } else if (c == '\\' && i + 1 < s.size()) {
      if (s[i + 1] != '\n') {
        word += s[i + 1];
        inWord = true;
      }
      ++i;
    } else if (c == '#' && !inWord) {
      while (i + 1 < s.size() && s[i + 1] != '\n') ++i;
    } else if (c == ' ' || c == '\t' || c == '\r') {
      flush();
    } else if (c == '\n' || c == ';') {
      flush();
      out.push_back({true, std::string(1, c == ';' ? ';' : '\n')});
    } else if (c == '&' || c == '|') {
      flush();
      if (i + 1 < s.size() && s[i + 1] == c) {
        out.push_back({true, std::string(2, c)});
        ++i;
      } else {
        out.push_back({true, std::string(1, c)});
      }
    } else if (c == '>') {
      // `>`, `>>`, `2>`, `2>&1`: the fd is a lone digit written right before.
      std::string fd = "1";
      if (inWord && (word == "1" || word == "2")) {
        fd = word;
        word.clear();
        inWord = false;
      } else {
        flush();
      }
      std::string op = fd + ">";
      if (i + 1 < s.size() && s[i + 1] == '>') {
        op += ">";
        ++i;
      }
      if (i + 1 < s.size() && s[i + 1] == '&') {
        op += "&";
        ++i;
      }
      out.push_back({true, op});
    } else if (c == '(' || c == ')' || c == '<') {
      throw ParseError{std::string("uses `") + c + "`"};
    } else {
      word += c;
      inWord = true;
    }
  }
  flush();
  return out;
}

void prepareSimple(Node& node);

class Parser {
 public:
  explicit Parser(std::vector<Token> tokens) : m_tokens(std::move(tokens)) {}

  std::unique_ptr<Node> parseAll() {
    auto list = parseList({});
    if (m_pos < m_tokens.size()) throw ParseError{"unexpected `" + m_tokens[m_pos].text + "`"};
    return list;
  }

 private:
  bool atWord(const std::string& w) const {
    return m_pos < m_tokens.size() && !m_tokens[m_pos].op && m_tokens[m_pos].text == w;
  }

  std::unique_ptr<Node> parseList(const std::set<std::string>& stopWords) {
    auto list = std::make_unique<Node>();
    list->kind = Node::Kind::List;
    Connector conn = Connector::Seq;
    while (m_pos < m_tokens.size()) {
      const Token& t = m_tokens[m_pos];
      if (t.op && (t.text == ";" || t.text == "\n")) {
        ++m_pos;
        conn = Connector::Seq;
        continue;
      }
      if (!t.op && stopWords.count(t.text)) break;
      if (t.op) throw ParseError{"unexpected `" + t.text + "`"};
      std::unique_ptr<Node> node;
      if (t.text == "while" || t.text == "until") {
        node = parseLoop();
      } else if (t.text == "if" || t.text == "for" || t.text == "case" || t.text == "{" || t.text == "function") {
        throw ParseError{"uses `" + t.text + "`"};
      } else {
        node = std::make_unique<Node>();
        while (m_pos < m_tokens.size()) {
          const Token& w = m_tokens[m_pos];
          if (!w.op) {
            node->argv.push_back(w.text);
            ++m_pos;
            continue;
          }
          if (w.text.size() < 2 || (w.text[1] != '>')) break;
          Redirect r;
          r.fd = w.text[0] - '0';
          r.append = w.text.find(">>") != std::string::npos;
          r.dup = w.text.back() == '&';
          ++m_pos;
          if (m_pos >= m_tokens.size() || m_tokens[m_pos].op) throw ParseError{"a redirection without a target"};
          r.target = m_tokens[m_pos++].text;
          node->redirects.push_back(std::move(r));
        }
        prepareSimple(*node);
      }
      list->items.emplace_back(conn, std::move(node));
      conn = Connector::Seq;
      if (m_pos < m_tokens.size() && m_tokens[m_pos].op) {
        const std::string& op = m_tokens[m_pos].text;
        if (op == "&&") conn = Connector::And;
        else if (op == "||") conn = Connector::Or;
        ++m_pos;  // `;`, newline, `|` and `&` all continue in sequence here
      }
    }
    return list;
  }

  std::unique_ptr<Node> parseLoop() {
    auto loop = std::make_unique<Node>();
    loop->kind = Node::Kind::Loop;
    loop->until = m_tokens[m_pos++].text == "until";
    loop->cond = parseList({"do"});
    if (!atWord("do")) throw ParseError{"`while`/`until` without `do`"};
    ++m_pos;
    loop->body = parseList({"done"});
    if (!atWord("done")) throw ParseError{"loop without `done`"};
    ++m_pos;
    return loop;
  }

  std::vector<Token> m_tokens;
  size_t m_pos = 0;
};

std::string baseName(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

bool isShell(const std::string& program) {
  std::string b = baseName(program);
  return b == "sh" || b == "bash" || b == "ash" || b == "dash";
}

// Splits a simple command into program name, option letters and operands.
// Options come first (`rm -rf`, `mkdir -p`); `--` ends them; echo and test
// take none.
void prepareSimple(Node& node) {
  const std::vector<std::string>& argv = node.argv;
  if (argv.empty()) return;
  node.cmd = baseName(argv[0]);
  const std::string& cmd = node.cmd;
  static const std::map<std::string, Command, std::less<>> kCommands = {
      {"sleep", Command::Sleep}, {"exit", Command::Exit},   {"trap", Command::Trap},   {"sh", Command::Shell},
      {"bash", Command::Shell},  {"ash", Command::Shell},   {"dash", Command::Shell},  {"true", Command::True},
      {":", Command::True},      {"false", Command::False}, {"echo", Command::Echo},   {"touch", Command::Touch},
      {"rm", Command::Rm},       {"cat", Command::Cat},     {"mkdir", Command::Mkdir}, {"test", Command::Test},
      {"[", Command::Bracket}};
  if (auto it = kCommands.find(cmd); it != kCommands.end()) node.command = it->second;
  bool optionsDone = false;
  for (size_t i = 1; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (!optionsDone && a == "--") {
      optionsDone = true;
    } else if (!optionsDone && a.size() > 1 && a[0] == '-' && cmd != "echo" && cmd != "test" && cmd != "[") {
      node.flags += a.substr(1);
    } else {
      node.operands.push_back(a);
    }
  }
}

std::optional<Duration> parseSleep(const std::string& arg) {
  if (arg == "infinity" || arg == "inf") return Duration::max();
  double factor = 1;
  std::string number = arg;
  if (!number.empty() && std::string_view("smhd").find(number.back()) != std::string_view::npos) {
    char unit = number.back();
    number.pop_back();
    factor = unit == 'm' ? 60 : unit == 'h' ? 3600 : unit == 'd' ? 86400 : 1;
  }
  try {
    size_t used = 0;
    double seconds = std::stod(number, &used);
    if (used != number.size() || seconds < 0 || !std::isfinite(seconds)) return std::nullopt;
    return std::chrono::duration_cast<Duration>(std::chrono::duration<double>(seconds * factor));
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

std::unique_ptr<Node> parseScript(const std::string& script) { return Parser(tokenize(script)).parseAll(); }

std::unique_ptr<Node> listOf(std::vector<std::string> argv) {
  auto list = std::make_unique<Node>();
  list->kind = Node::Kind::List;
  auto simple = std::make_unique<Node>();
  simple->argv = std::move(argv);
  prepareSimple(*simple);
  list->items.emplace_back(Connector::Seq, std::move(simple));
  return list;
}

// Commands that take no noticeable time and succeed in a healthy container.
const std::set<std::string> kInstant = {"cat", "touch", "mkdir", "rm", "cp", "mv", "ln", "date", "ls", "env",
                                        "printenv", "hostname", "id", "whoami", "pwd", "cd", "export", "set",
                                        "uname", "chmod", "chown", "tee", "printf", "sync", "test", "[", "ps"};
constexpr int kBusyLoopLimit = 10000;

const std::vector<std::string> kScratchFolders = {"/tmp", "/run", "/var/run", "/var/tmp", "/dev/shm"};

std::string normalPath(const std::string& path) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string::npos) slash = path.size();
    std::string part = path.substr(start, slash - start);
    if (part == "..") {
      if (!parts.empty()) parts.pop_back();
    } else if (!part.empty() && part != ".") {
      parts.push_back(part);
    }
    start = slash + 1;
  }
  std::string out;
  for (const std::string& p : parts) out += "/" + p;
  return out.empty() ? "/" : out;
}

bool isUnder(std::string_view path, std::string_view folder) {
  return folder == "/" || (path.size() > folder.size() && path.compare(0, folder.size(), folder) == 0 &&
                           path[folder.size()] == '/');
}

// Whether normalPath(path) == path: absolute, no empty, `.` or `..`
// component, no trailing slash. Commands in manifests nearly always name
// files this way, so the common case needs no rewriting (and no allocation).
bool isNormal(std::string_view path) {
  if (path.empty() || path[0] != '/') return false;
  if (path.size() == 1) return true;
  size_t start = 1;
  while (true) {
    size_t slash = path.find('/', start);
    std::string_view part = path.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    if (part.empty() || part == "." || part == "..") return false;
    if (slash == std::string_view::npos) return true;
    start = slash + 1;
  }
}

// `raw` itself when it is already normal, else its normal form in `storage`.
const std::string& normalized(const std::string& raw, std::string& storage) {
  if (isNormal(raw)) return raw;
  storage = normalPath(raw);
  return storage;
}

}  // namespace

FileSystem::Kind FileSystem::kind(const std::string& raw) const { return lookup(raw).first; }

const FileSystem::Entry* FileSystem::entryOf(const std::string& path) const {
  auto it = m_entries.find(path);
  return it == m_entries.end() ? nullptr : &it->second;
}

std::pair<FileSystem::Kind, const std::string*> FileSystem::lookup(const std::string& raw) const {
  static const std::string kEmpty;
  std::string storage;
  const std::string& path = normalized(raw, storage);
  if (const Entry* e = entryOf(path)) return {e->kind, e->kind == Kind::File ? &e->content : nullptr};
  const Kind k = kindWithoutEntry(path);
  return {k, k == Kind::Image ? &kEmpty : nullptr};
}

FileSystem::Kind FileSystem::kindWithoutEntry(const std::string& path) const {
  if (path == "/") return Kind::Directory;
  for (const std::string& f : kScratchFolders) {
    if (path == f) return Kind::Directory;
  }
  // A folder that holds something written is there. Entries under `path`
  // (those starting with "path/") sort together after `path`; entries such
  // as "path-old" or "path.bak", which sort between, are stepped over.
  for (auto it = m_entries.upper_bound(path); it != m_entries.end(); ++it) {
    std::string_view name = it->first;
    if (name.size() <= path.size() || name.compare(0, path.size(), path) != 0 || name[path.size()] > '/') break;
    if (name[path.size()] < '/') continue;
    if (it->second.kind != Kind::Missing) return Kind::Directory;
  }
  // The nearest known ancestor decides: below a file, a removed path or a
  // folder made here, nothing exists that was not written.
  for (std::string_view parent = path; parent != "/";) {
    parent = parent.substr(0, parent.rfind('/'));
    if (parent.empty()) parent = "/";
    if (auto it = m_entries.find(parent); it != m_entries.end()) return Kind::Missing;
  }
  for (const std::string& f : kScratchFolders) {
    if (isUnder(path, f)) return Kind::Missing;
  }
  return Kind::Image;
}

std::optional<std::string> FileSystem::read(const std::string& raw) const {
  const auto [kind, content] = lookup(raw);
  if (!content) return std::nullopt;
  return *content;
}

void FileSystem::write(const std::string& raw, const std::string& content, bool append) {
  Entry& e = m_entries[normalPath(raw)];
  if (e.kind != Kind::File || !append) e.content.clear();
  e.kind = Kind::File;
  e.content += content;
}

void FileSystem::remove(const std::string& raw) {
  std::string path = normalPath(raw);
  for (auto it = m_entries.lower_bound(path + "/"); it != m_entries.end() && isUnder(it->first, path);) {
    it = m_entries.erase(it);
  }
  m_entries[path] = Entry{Kind::Missing, {}};
}

void FileSystem::makeDirectory(const std::string& raw) { m_entries[normalPath(raw)] = Entry{Kind::Directory, {}}; }

Program::Program() = default;
Program::~Program() = default;
Program::Program(Program&&) noexcept = default;
Program& Program::operator=(Program&&) noexcept = default;

Script::Script() = default;
Script::~Script() = default;

std::shared_ptr<const Script> Script::fromArgv(const std::vector<std::string>& argv) {
  std::shared_ptr<Script> s(new Script());
  if (argv.empty()) {
    s->m_server = true;
    return s;
  }
  try {
    if (isShell(argv[0])) {
      auto c = std::find(argv.begin() + 1, argv.end(), "-c");
      if (c == argv.end() || c + 1 == argv.end()) {
        // A shell with no script reads its (empty) stdin and ends.
        s->m_root = listOf({});
      } else {
        s->m_root = parseScript(*(c + 1));
      }
    } else {
      s->m_root = listOf(argv);
    }
  } catch (const ParseError& e) {
    s->m_notes.push_back("the script is not simulated (" + e.message + "): it is taken to run until stopped");
    s->m_server = true;
    s->m_root.reset();
  }
  return s;
}

Program Program::fromArgv(const std::vector<std::string>& argv, std::shared_ptr<FileSystem> files) {
  return start(Script::fromArgv(argv), std::move(files));
}

Program Program::start(std::shared_ptr<const Script> script, std::shared_ptr<FileSystem> files) {
  Program p;
  p.restart(std::move(script), std::move(files));
  return p;
}

void Program::restart(std::shared_ptr<const Script> script, std::shared_ptr<FileSystem> files) {
  m_files = files ? std::move(files) : std::make_shared<FileSystem>();
  m_server = script->m_server;
  m_notes = script->m_notes;
  m_trap.reset();
  m_stack.clear();
  m_nested.clear();
  m_status = 0;
  m_termPending = false;
  m_exited = false;
  if (!m_server) m_stack.push_back(Frame{script->m_root.get()});
  m_script = std::move(script);
}

Action Program::next(std::string& output) {
  if (m_server) return Action{Action::Kind::Sleep, Duration::max(), 0};
  int budget = kBusyLoopLimit;
  while (true) {
    if (m_exited) return Action{Action::Kind::Exit, Duration{0}, m_status};
    if (m_termPending && m_trap) {
      m_termPending = false;
      m_stack.clear();
      m_stack.push_back(Frame{m_trap.get()});
    }
    if (m_stack.empty()) {
      m_exited = true;
      continue;
    }
    if (--budget == 0) {
      // A loop that never sleeps still uses time on a real machine.
      return Action{Action::Kind::Sleep, std::chrono::milliseconds(10), 0};
    }
    Frame& f = m_stack.back();
    const Node* node = f.node;
    switch (node->kind) {
      case Node::Kind::List: {
        if (f.index >= node->items.size()) {
          m_stack.pop_back();
          break;
        }
        const auto& [conn, child] = node->items[f.index++];
        if ((conn == Connector::And && m_status != 0) || (conn == Connector::Or && m_status == 0)) break;
        m_stack.push_back(Frame{child.get()});
        break;
      }
      case Node::Kind::Loop: {
        if (f.phase == 0) {
          f.phase = 1;
          m_stack.push_back(Frame{node->cond.get()});
        } else if (f.phase == 1) {
          bool ok = m_status == 0;
          if (ok != node->until) {
            f.phase = 0;
            m_stack.push_back(Frame{node->body.get()});
          } else {
            m_stack.pop_back();
            m_status = 0;
          }
        }
        break;
      }
      case Node::Kind::Simple: {
        const std::vector<std::string>& argv = node->argv;
        m_stack.pop_back();
        if (argv.empty()) break;
        std::string out;
        std::string err;
        if (node->command == Command::Sleep) {
          std::optional<Duration> d = argv.size() > 1 ? parseSleep(argv[1]) : std::nullopt;
          if (d) {
            m_status = 0;
            return Action{Action::Kind::Sleep, *d, 0};
          }
          err += "sleep: invalid number '" + (argv.size() > 1 ? argv[1] : std::string()) + "'\n";
          m_status = 1;
        } else if (node->command == Command::Exit) {
          m_exited = true;
          if (argv.size() > 1) {
            try {
              m_status = std::stoi(argv[1]) & 0xff;
            } catch (const std::exception&) {
              m_status = 2;
            }
          }
          break;
        } else if (node->command == Command::Trap) {
          bool term = false;
          for (size_t i = 2; i < argv.size(); ++i) {
            term = term || argv[i] == "TERM" || argv[i] == "SIGTERM" || argv[i] == "15";
          }
          if (term && argv.size() > 1) {
            try {
              m_trap = argv[1].empty() || argv[1] == "-" ? nullptr : parseScript(argv[1]);
            } catch (const ParseError& e) {
              note("the TERM trap is not simulated (" + e.message + ")");
            }
          }
          m_status = 0;
        } else if (node->command == Command::Shell) {
          auto c = std::find(argv.begin() + 1, argv.end(), "-c");
          if (c != argv.end() && c + 1 != argv.end()) {
            try {
              // Nested scripts live as long as the program; keep them with the trap list.
              auto nested = parseScript(*(c + 1));
              m_stack.push_back(Frame{nested.get()});
              m_nested.push_back(std::move(nested));
            } catch (const ParseError& e) {
              note("a nested script is not simulated (" + e.message + ")");
            }
          }
          m_status = 0;
        } else {
          m_status = runInstant(*node, out, err);
        }
        route(node->redirects, out, err, output);
        break;
      }
    }
  }
}

void Program::note(std::string text) {
  if (std::find(m_notes.begin(), m_notes.end(), text) == m_notes.end()) m_notes.push_back(std::move(text));
}

void Program::route(const std::vector<Redirect>& redirects, const std::string& out, const std::string& err,
                    std::string& output) {
  // Where descriptors 1 and 2 go: the program's output, nowhere, or a file.
  struct Target {
    enum class Kind { Output, Null, File } kind = Kind::Output;
    std::string path;
  };
  Target targets[3];
  for (const Redirect& r : redirects) {
    if (r.dup) {
      int from = r.target == "2" ? 2 : 1;
      targets[r.fd] = targets[from];
    } else if (r.target == "/dev/null") {
      targets[r.fd] = Target{Target::Kind::Null, {}};
    } else {
      m_files->write(r.target, "", r.append);  // `>` creates or empties the file at once
      targets[r.fd] = Target{Target::Kind::File, r.target};
    }
  }
  auto put = [&](const Target& t, const std::string& text) {
    if (text.empty()) return;
    switch (t.kind) {
      case Target::Kind::Output: output += text; break;
      case Target::Kind::Null: break;
      case Target::Kind::File: m_files->write(t.path, text, /*append=*/true); break;
    }
  };
  put(targets[1], out);
  put(targets[2], err);
}

int Program::runInstant(const Node& node, std::string& out, std::string& err) {
  const std::vector<std::string>& argv = node.argv;
  const std::string& cmd = node.cmd;
  using Kind = FileSystem::Kind;
  // Options and operands were split when the command was read (prepareSimple).
  const std::string& flags = node.flags;
  const std::vector<std::string>& operands = node.operands;
  auto has = [&](char f) { return flags.find(f) != std::string::npos; };
  auto assumeImage = [&](const std::string& path) {
    if (m_files->kind(path) == Kind::Image) {
      note("`" + path + "` is taken to be in the image (image files are not simulated)");
    }
  };

  const Command command = node.command;
  if (command == Command::True) return 0;
  if (command == Command::False) return 1;
  if (command == Command::Echo) {
    size_t first = 1;
    bool newline = true;
    if (argv.size() > 1 && argv[1] == "-n") {
      newline = false;
      first = 2;
    }
    for (size_t i = first; i < argv.size(); ++i) out += (i > first ? " " : "") + argv[i];
    if (newline) out += "\n";
    return 0;
  }
  if (command == Command::Touch) {
    for (const std::string& path : operands) {
      if (m_files->kind(path) == Kind::Missing) m_files->write(path, "", /*append=*/true);
    }
    return 0;
  }
  if (command == Command::Rm) {
    int status = 0;
    for (const std::string& path : operands) {
      Kind k = m_files->kind(path);
      if (k == Kind::Missing) {
        if (!has('f')) {
          err += "rm: can't remove '" + path + "': No such file or directory\n";
          status = 1;
        }
      } else if (k == Kind::Directory && !has('r') && !has('R')) {
        err += "rm: '" + path + "' is a directory\n";
        status = 1;
      } else {
        m_files->remove(path);
      }
    }
    return status;
  }
  if (command == Command::Cat) {
    int status = 0;
    for (const std::string& path : operands) {
      if (path == "-") continue;  // stdin is empty
      // One look-up serves the checks below: nothing changes the files in between.
      const auto [k, content] = m_files->lookup(path);
      if (k == Kind::Directory) {
        err += "cat: read error: Is a directory\n";
        status = 1;
        continue;
      }
      if (k == Kind::Image) note("`" + path + "` is taken to be in the image (image files are not simulated)");
      if (!content) {
        err += "cat: can't open '" + path + "': No such file or directory\n";
        status = 1;
        continue;
      }
      out += *content;
    }
    return status;
  }
  if (command == Command::Mkdir) {
    int status = 0;
    for (const std::string& path : operands) {
      Kind k = m_files->kind(path);
      std::string parent = path.substr(0, path.find_last_of('/') == std::string::npos ? 0 : path.find_last_of('/'));
      if (k == Kind::Directory || k == Kind::Image) {
        if (!has('p')) {
          err += "mkdir: can't create directory '" + path + "': File exists\n";
          status = 1;
        }
      } else if (k == Kind::File) {
        err += "mkdir: can't create directory '" + path + "': File exists\n";
        status = 1;
      } else if (!has('p') && !parent.empty() && m_files->kind(parent) == Kind::Missing) {
        err += "mkdir: can't create directory '" + path + "': No such file or directory\n";
        status = 1;
      } else {
        m_files->makeDirectory(path);
      }
    }
    return status;
  }
  if (command == Command::Test || command == Command::Bracket) {
    std::vector<std::string> args(argv.begin() + 1, argv.end());
    if (command == Command::Bracket) {
      if (args.empty() || args.back() != "]") {
        err += "[: missing ]\n";
        return 2;
      }
      args.pop_back();
    }
    bool negate = !args.empty() && args[0] == "!";
    if (negate) args.erase(args.begin());
    std::optional<bool> result;
    if (args.empty()) {
      result = false;
    } else if (args.size() == 1) {
      result = !args[0].empty();
    } else if (args.size() == 2) {
      const std::string& op = args[0];
      const std::string& path = args[1];
      if (op == "-z") {
        result = path.empty();
      } else if (op == "-n") {
        result = !path.empty();
      } else if (op == "-f" || op == "-d" || op == "-e" || op == "-s" || op == "-r" || op == "-w" || op == "-x") {
        Kind k = m_files->kind(path);
        assumeImage(path);
        if (op == "-f") result = k == Kind::File || k == Kind::Image;
        else if (op == "-d") result = k == Kind::Directory || k == Kind::Image;
        else if (op == "-s") result = k == Kind::Image || (k == Kind::File && !m_files->read(path)->empty());
        else result = k != Kind::Missing;
      }
    } else if (args.size() == 3) {
      const std::string& op = args[1];
      if (op == "=" || op == "==") result = args[0] == args[2];
      else if (op == "!=") result = args[0] != args[2];
    }
    if (!result) {
      note("`" + cmd + " " + (args.empty() ? std::string() : args[0]) +
           " ...` is not simulated: taken to be true");
      return 0;
    }
    return *result != negate ? 0 : 1;
  }
  if (!kInstant.count(cmd)) note("`" + cmd + "` is not simulated: taken to succeed at once");
  return 0;
}

std::optional<Action> Program::terminate() {
  if (m_exited) return std::nullopt;
  if (m_server) {
    m_exited = true;
    m_status = 0;
    return Action{Action::Kind::Exit, Duration{0}, 0};
  }
  // PID 1 without a handler does not see SIGTERM (Linux ignores it); a
  // shell trap runs after the current foreground command returns.
  if (m_trap) m_termPending = true;
  return std::nullopt;
}

}  // namespace podscope::engine::sim
