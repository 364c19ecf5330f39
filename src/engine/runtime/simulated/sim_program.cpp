#include "engine/runtime/simulated/sim_program.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <stdexcept>

namespace podscope::engine::sim {

enum class Connector { Seq, And, Or };

struct Node {
  enum class Kind { Simple, List, Loop };
  Kind kind = Kind::Simple;
  std::vector<std::string> argv;                                    // Simple
  std::vector<std::pair<Connector, std::unique_ptr<Node>>> items;  // List
  std::unique_ptr<Node> cond;                                       // Loop
  std::unique_ptr<Node> body;
  bool until = false;
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
    } else if (c == '(' || c == ')' || c == '<' || c == '>') {
      throw ParseError{std::string("uses `") + c + "`"};
    } else {
      word += c;
      inWord = true;
    }
  }
  flush();
  return out;
}

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
        while (m_pos < m_tokens.size() && !m_tokens[m_pos].op) node->argv.push_back(m_tokens[m_pos++].text);
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
  list->items.emplace_back(Connector::Seq, std::move(simple));
  return list;
}

// Commands that take no noticeable time and succeed in a healthy container.
const std::set<std::string> kInstant = {"cat", "touch", "mkdir", "rm", "cp", "mv", "ln", "date", "ls", "env",
                                        "printenv", "hostname", "id", "whoami", "pwd", "cd", "export", "set",
                                        "uname", "chmod", "chown", "tee", "printf", "sync", "test", "[", "ps"};
constexpr int kBusyLoopLimit = 10000;

}  // namespace

Program::Program() = default;
Program::~Program() = default;
Program::Program(Program&&) noexcept = default;
Program& Program::operator=(Program&&) noexcept = default;

Program Program::fromArgv(const std::vector<std::string>& argv) {
  Program p;
  if (argv.empty()) {
    p.m_server = true;
    return p;
  }
  try {
    if (isShell(argv[0])) {
      auto c = std::find(argv.begin() + 1, argv.end(), "-c");
      if (c == argv.end() || c + 1 == argv.end()) {
        // A shell with no script reads its (empty) stdin and ends.
        p.m_root = listOf({});
      } else {
        p.m_root = parseScript(*(c + 1));
      }
    } else {
      p.m_root = listOf(argv);
    }
  } catch (const ParseError& e) {
    p.m_notes.push_back("the script is not simulated (" + e.message + "): it is taken to run until stopped");
    p.m_server = true;
    p.m_root.reset();
    return p;
  }
  p.m_stack.push_back(Frame{p.m_root.get()});
  return p;
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
        std::vector<std::string> argv = node->argv;
        m_stack.pop_back();
        if (argv.empty()) break;
        std::string cmd = baseName(argv[0]);
        if (cmd == "sleep") {
          std::optional<Duration> d = argv.size() > 1 ? parseSleep(argv[1]) : std::nullopt;
          if (!d) {
            output += "sleep: invalid number '" + (argv.size() > 1 ? argv[1] : std::string()) + "'\n";
            m_status = 1;
            break;
          }
          m_status = 0;
          return Action{Action::Kind::Sleep, *d, 0};
        }
        if (cmd == "exit") {
          m_exited = true;
          if (argv.size() > 1) {
            try {
              m_status = std::stoi(argv[1]) & 0xff;
            } catch (const std::exception&) {
              m_status = 2;
            }
          }
          break;
        }
        if (cmd == "true" || cmd == ":") {
          m_status = 0;
        } else if (cmd == "false") {
          m_status = 1;
        } else if (cmd == "echo") {
          size_t first = 1;
          bool newline = true;
          if (argv.size() > 1 && argv[1] == "-n") {
            newline = false;
            first = 2;
          }
          for (size_t i = first; i < argv.size(); ++i) output += (i > first ? " " : "") + argv[i];
          if (newline) output += "\n";
          m_status = 0;
        } else if (cmd == "trap") {
          bool term = false;
          for (size_t i = 2; i < argv.size(); ++i) {
            term = term || argv[i] == "TERM" || argv[i] == "SIGTERM" || argv[i] == "15";
          }
          if (term && argv.size() > 1) {
            try {
              m_trap = argv[1].empty() || argv[1] == "-" ? nullptr : parseScript(argv[1]);
            } catch (const ParseError& e) {
              m_notes.push_back("the TERM trap is not simulated (" + e.message + ")");
            }
          }
          m_status = 0;
        } else if (isShell(argv[0])) {
          auto c = std::find(argv.begin() + 1, argv.end(), "-c");
          if (c != argv.end() && c + 1 != argv.end()) {
            try {
              // Nested scripts live as long as the program; keep them with the trap list.
              auto nested = parseScript(*(c + 1));
              m_stack.push_back(Frame{nested.get()});
              m_nested.push_back(std::move(nested));
            } catch (const ParseError& e) {
              m_notes.push_back("a nested script is not simulated (" + e.message + ")");
            }
          }
          m_status = 0;
        } else {
          if (!kInstant.count(cmd)) {
            std::string note = "`" + cmd + "` is not simulated: taken to succeed at once";
            if (std::find(m_notes.begin(), m_notes.end(), note) == m_notes.end()) m_notes.push_back(note);
          }
          m_status = 0;
        }
        break;
      }
    }
  }
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
