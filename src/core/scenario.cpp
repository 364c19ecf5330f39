#include "core/scenario.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <set>

#include "core/duration.h"
#include "core/file_text.h"
#include "core/manifest.h"
#include "core/name_suggestions.h"

namespace podscope::core {

std::string_view toString(ScenarioHandler handler) {
  switch (handler) {
    case ScenarioHandler::Startup: return "startup";
    case ScenarioHandler::Liveness: return "liveness";
    case ScenarioHandler::Readiness: return "readiness";
    case ScenarioHandler::PostStart: return "postStart";
    case ScenarioHandler::PreStop: return "preStop";
  }
  return "";
}

bool isHook(ScenarioHandler handler) {
  return handler == ScenarioHandler::PostStart || handler == ScenarioHandler::PreStop;
}

bool ScenarioStatement::isHandlerStatement() const {
  switch (kind) {
    case Kind::Succeeds:
    case Kind::Fails:
    case Kind::Errors:
    case Kind::Takes: return true;
    case Kind::StartsAfter:
    case Kind::Exits:
    case Kind::OomKilled:
    case Kind::RunsUntilStopped:
    case Kind::OnSigterm:
    case Kind::IgnoresSigterm: return false;
  }
  return false;
}

bool ScenarioStatement::covers(std::chrono::nanoseconds sinceStart) const {
  return (!from || sinceStart >= *from) && (!until || sinceStart < *until);
}

std::string ScenarioError::toString() const {
  return "line " + std::to_string(line) + ", column " + std::to_string(column) + ": " + message;
}

namespace {

using std::chrono::nanoseconds;

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

struct Token {
  std::string text;
  int column = 0;  ///< 1-based
  int length = 0;  ///< in the source, quotes included
  bool quoted = false;
  bool colon = false;  ///< a `:` of its own
};

/// Thrown inside this file only, for the line being read.
struct LineError {
  int column;
  int length;
  std::string message;
};

std::string code(std::string_view s) { return "`" + std::string(s) + "`"; }

std::vector<Token> tokenizeLine(std::string_view line) {
  std::vector<Token> out;
  size_t i = 0;
  while (i < line.size()) {
    char c = line[i];
    if (c == ' ' || c == '\t' || c == '\r') {
      ++i;
      continue;
    }
    if (c == '#') break;
    Token t;
    t.column = static_cast<int>(i) + 1;
    if (c == '"' || c == '\'') {
      t.quoted = true;
      size_t j = i + 1;
      bool closed = false;
      for (; j < line.size(); ++j) {
        char d = line[j];
        if (d == c) {
          closed = true;
          break;
        }
        if (c == '"' && d == '\\' && j + 1 < line.size()) {
          char e = line[++j];
          t.text += e == 'n' ? '\n' : e == 't' ? '\t' : e;
          continue;
        }
        t.text += d;
      }
      if (!closed) {
        throw LineError{t.column, static_cast<int>(line.size() - i),
                        std::string("this text has no closing ") + (c == '"' ? "double" : "single") +
                            " quote; write text in quotes on one line, like \"connection refused\""};
      }
      t.length = static_cast<int>(j - i + 1);
      i = j + 1;
    } else if (c == ':') {
      t.text = ":";
      t.colon = true;
      t.length = 1;
      ++i;
    } else {
      size_t j = i;
      while (j < line.size() && line[j] != ' ' && line[j] != '\t' && line[j] != '\r' && line[j] != ':' &&
             line[j] != '#' && line[j] != '"' && line[j] != '\'') {
        ++j;
      }
      t.text = std::string(line.substr(i, j - i));
      t.length = static_cast<int>(j - i);
      i = j;
    }
    out.push_back(std::move(t));
  }
  return out;
}

constexpr std::string_view kStatementWords =
    "starts, exits, oom-killed, runs, on SIGTERM, ignores, startup, liveness, readiness, postStart or preStop";

std::optional<ScenarioHandler> handlerNamed(std::string_view word) {
  std::string w = lower(word);
  if (w == "startup" || w == "startupprobe") return ScenarioHandler::Startup;
  if (w == "liveness" || w == "livenessprobe") return ScenarioHandler::Liveness;
  if (w == "readiness" || w == "readinessprobe") return ScenarioHandler::Readiness;
  if (w == "poststart" || w == "poststarthook") return ScenarioHandler::PostStart;
  if (w == "prestop" || w == "prestophook") return ScenarioHandler::PreStop;
  return std::nullopt;
}

bool isSigterm(std::string_view word) {
  std::string w = lower(word);
  return w == "sigterm" || w == "term";
}

/// Reads one statement from tokens[pos...].
class LineParser {
 public:
  LineParser(const std::vector<Token>& tokens, size_t pos, int lineNumber)
      : m_t(tokens), m_pos(pos), m_line(lineNumber) {}

  ScenarioStatement statement() {
    ScenarioStatement s;
    s.line = m_line;
    const Token& first = need("a statement");
    s.column = first.column;
    std::string w = lower(first.text);
    if (first.quoted || first.colon) {
      fail(first, "expected a statement, such as `exits 1 after 30s` or `readiness fails until 12s`, not " +
                      describe(first));
    }
    ++m_pos;
    if (w == "starts") {
      s.kind = ScenarioStatement::Kind::StartsAfter;
      keyword("after", "`starts after 2s`");
      s.time = duration();
    } else if (w == "exits" || w == "exit") {
      s.kind = ScenarioStatement::Kind::Exits;
      s.exitCode = exitCode();
      if (optionalKeyword("after")) s.time = duration();
    } else if (w == "oom-killed" || w == "oomkilled") {
      s.kind = ScenarioStatement::Kind::OomKilled;
      if (optionalKeyword("after")) s.time = duration();
    } else if (w == "runs") {
      s.kind = ScenarioStatement::Kind::RunsUntilStopped;
      if (!optionalKeyword("forever")) {
        keyword("until", "`runs until stopped`");
        keyword("stopped", "`runs until stopped`");
      }
    } else if (w == "on") {
      s.kind = ScenarioStatement::Kind::OnSigterm;
      const Token& sig = need("`SIGTERM`");
      if (!isSigterm(sig.text) || sig.quoted) {
        fail(sig, "only SIGTERM can be described (`on SIGTERM exit 0 after 3s`); SIGKILL always ends a "
                  "container at once. Found " + describe(sig));
      }
      ++m_pos;
      const Token& verb = need("`exit`");
      if (lower(verb.text) != "exit" && lower(verb.text) != "exits") {
        fail(verb, "expected `exit CODE [after TIME]`, as in `on SIGTERM exit 0 after 3s`, not " + describe(verb));
      }
      ++m_pos;
      s.exitCode = exitCode();
      if (optionalKeyword("after")) s.time = duration();
    } else if (w == "ignores") {
      s.kind = ScenarioStatement::Kind::IgnoresSigterm;
      const Token& sig = need("`SIGTERM`");
      if (!isSigterm(sig.text) || sig.quoted) {
        fail(sig, "only `ignores SIGTERM` can be written: SIGKILL cannot be ignored. Found " + describe(sig));
      }
      ++m_pos;
    } else if (std::optional<ScenarioHandler> h = handlerNamed(first.text)) {
      s.handler = *h;
      handlerStatement(s, first);
    } else {
      std::vector<std::string_view> words = {"starts",   "exits",    "oom-killed", "runs",      "on", "ignores",
                                             "startup",  "liveness", "readiness",  "postStart", "preStop"};
      std::string hint;
      if (std::optional<std::string_view> near = closestName(first.text, words)) {
        hint = " (did you mean " + code(*near) + "?)";
      }
      fail(first, "unknown statement " + code(first.text) + hint + "; a statement starts with " +
                      std::string(kStatementWords));
    }
    if (m_pos < m_t.size()) {
      const Token& extra = m_t[m_pos];
      fail(extra, "unexpected " + describe(extra) + " at the end of the statement");
    }
    return s;
  }

 private:
  const std::vector<Token>& m_t;
  size_t m_pos;
  int m_line;

  [[noreturn]] static void fail(const Token& t, std::string message) {
    throw LineError{t.column, std::max(1, t.length), std::move(message)};
  }

  static std::string describe(const Token& t) {
    if (t.colon) return "`:`";
    if (t.quoted) return "the text \"" + t.text + "\"";
    return code(t.text);
  }

  const Token& need(std::string_view what) {
    if (m_pos < m_t.size()) return m_t[m_pos];
    int column = 1;
    int length = 1;
    if (!m_t.empty()) {
      column = m_t.back().column + m_t.back().length;
    }
    throw LineError{column, length, "the statement ends too early: expected " + std::string(what)};
  }

  void keyword(std::string_view word, std::string_view example) {
    const Token& t = need(code(word));
    if (t.quoted || lower(t.text) != word) {
      fail(t, "expected " + code(word) + " here, as in " + std::string(example) + ", not " + describe(t));
    }
    ++m_pos;
  }

  bool optionalKeyword(std::string_view word) {
    if (m_pos < m_t.size() && !m_t[m_pos].quoted && lower(m_t[m_pos].text) == word) {
      ++m_pos;
      return true;
    }
    return false;
  }

  nanoseconds duration() {
    const Token& t = need("a time, like 12s");
    Result<nanoseconds> d = t.quoted ? Result<nanoseconds>(Error{}) : parseDuration(t.text);
    if (!d) {
      fail(t, "invalid time " + describe(t) + ": use a number with a unit, like 12s, 500ms, 2m or 1h30m");
    }
    ++m_pos;
    return *d;
  }

  std::optional<int> integer(const Token& t) const {
    if (t.quoted || t.text.empty() || t.text.size() > 6) return std::nullopt;
    if (!std::all_of(t.text.begin(), t.text.end(), [](unsigned char c) { return std::isdigit(c); })) {
      return std::nullopt;
    }
    return std::stoi(t.text);
  }

  int exitCode() {
    const Token& t = need("an exit code from 0 to 255");
    std::optional<int> v = integer(t);
    if (!v || *v > 255) fail(t, "expected an exit code from 0 to 255, not " + describe(t));
    ++m_pos;
    return *v;
  }

  void handlerStatement(ScenarioStatement& s, const Token& subject) {
    const Token& verb = need("`succeeds`, `fails`, `errors` or `takes`");
    std::string v = lower(verb.text);
    using Kind = ScenarioStatement::Kind;
    if (v == "succeeds" || v == "succeed") {
      s.kind = Kind::Succeeds;
    } else if (v == "fails" || v == "fail") {
      s.kind = Kind::Fails;
    } else if (v == "errors" || v == "error") {
      s.kind = Kind::Errors;
    } else if (v == "takes" || v == "take") {
      s.kind = Kind::Takes;
    } else {
      fail(verb, "expected `succeeds`, `fails`, `errors` or `takes` after " + code(subject.text) + ", not " +
                     describe(verb));
    }
    ++m_pos;
    if (s.kind == Kind::Takes) s.time = duration();
    bool with = s.kind == Kind::Takes;  // `takes` has no `with`
    while (m_pos < m_t.size()) {
      const Token& t = m_t[m_pos];
      std::string w = t.quoted ? std::string() : lower(t.text);
      if (w == "from" || w == "until") {
        if (isHook(s.handler)) {
          fail(t, "a hook runs once per attempt, so it has no time window; to change it between attempts, "
                  "write `on attempt 2: " + std::string(toString(s.handler)) + " ...`");
        }
        ++m_pos;
        std::optional<nanoseconds>& slot = w == "from" ? s.from : s.until;
        if (slot) fail(t, code(w) + " is given twice");
        slot = duration();
      } else if (w == "with" && !with) {
        with = true;
        ++m_pos;
        details(s);
      } else {
        std::string accepted = s.kind == Kind::Takes ? "`from TIME` or `until TIME`"
                                                     : "`from TIME`, `until TIME` or `with ...`";
        fail(t, "unexpected " + describe(t) + "; after " + code(subject.text + " " + verb.text) + " come " +
                    accepted);
      }
    }
    if (s.from && s.until && *s.until <= *s.from) {
      fail(subject, "the time window is empty: `until` must come after `from`");
    }
  }

  void details(ScenarioStatement& s) {
    using Kind = ScenarioStatement::Kind;
    FailureDetail& d = s.detail;
    bool any = false;
    while (m_pos < m_t.size()) {
      const Token& t = m_t[m_pos];
      std::string w = t.quoted ? std::string() : lower(t.text);
      if (any && w == "and") {
        ++m_pos;
        continue;
      }
      if (w == "from" || w == "until") break;
      if (t.quoted) {
        if (d.text) fail(t, "the output text is given twice");
        d.text = t.text;
        ++m_pos;
      } else if (w == "status" || w == "exit") {
        ++m_pos;
        if (w == "exit") optionalKeyword("code");
        if (s.kind == Kind::Errors) {
          fail(t, "a handler that errors could not run, so it has no status; write `errors with \"why\"`");
        }
        const Token& value = need("a status: an exit code, an HTTP status code or a gRPC serving status");
        if (d.status || d.grpcStatus) fail(value, "the status is given twice");
        if (std::optional<int> n = integer(value); n && *n <= 599) {
          d.status = *n;
        } else {
          std::string upper = value.text;
          std::transform(upper.begin(), upper.end(), upper.begin(),
                         [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
          static const std::set<std::string> kGrpc = {"SERVING", "NOT_SERVING", "UNKNOWN", "SERVICE_UNKNOWN"};
          if (value.quoted || !kGrpc.count(upper) || w == "exit") {
            fail(value, "expected an exit code (0-255), an HTTP status code (100-599) or a gRPC serving status "
                        "(SERVING, NOT_SERVING, UNKNOWN, SERVICE_UNKNOWN), not " + describe(value));
          }
          d.grpcStatus = upper;
        }
        ++m_pos;
      } else if (w == "connection") {
        ++m_pos;
        keyword("refused", "`fails with connection refused`");
        if (s.kind != Kind::Fails) {
          fail(t, "only a failing handler can refuse connections (`readiness fails with connection refused`)");
        }
        d.connectionRefused = true;
      } else {
        fail(t, "after `with` comes output text in quotes, `status N`, `exit code N` or `connection refused`, "
                "not " + describe(t));
      }
      any = true;
    }
    if (!any) {
      const Token& last = m_t[m_pos - 1];
      throw LineError{last.column, last.length,
                      "`with` needs output text in quotes, `status N`, `exit code N` or `connection refused`"};
    }
    if (s.kind == Kind::Errors && (d.status || d.grpcStatus)) {
      fail(m_t[m_pos - 1], "a handler that errors could not run, so it has no status");
    }
  }
};

/// `attempt 3:`, `on attempt 3:`, `attempts 1-3:`, `attempts 4+:`. Returns
/// the range and moves `pos` past the colon, or nullopt when the line has no
/// qualifier.
std::optional<AttemptRange> attemptQualifier(const std::vector<Token>& t, size_t& pos) {
  size_t i = 0;
  if (t.size() > 1 && !t[0].quoted && lower(t[0].text) == "on") i = 1;
  if (i >= t.size() || t[i].quoted) return std::nullopt;
  std::string w = lower(t[i].text);
  if (w != "attempt" && w != "attempts") return std::nullopt;
  const Token& word = t[i];
  ++i;
  auto bad = [&](const Token& at) -> LineError {
    return LineError{at.column, std::max(1, at.length),
                     "expected attempts as `N`, `N-M` or `N+` followed by `:`, as in `attempts 1-3: exits 1 "
                     "after 5s` (attempt 1 is the first run)"};
  };
  if (i >= t.size()) throw bad(word);
  const Token& r = t[i];
  if (r.quoted || r.colon) throw bad(r);
  AttemptRange range;
  std::string text = r.text;
  auto number = [&](std::string_view s) -> int {
    if (s.empty() || s.size() > 6 ||
        !std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); })) {
      throw bad(r);
    }
    int n = std::stoi(std::string(s));
    if (n < 1) {
      throw LineError{r.column, r.length, "attempts are counted from 1 (the first run), so " + code(s) +
                                              " is not an attempt"};
    }
    return n;
  };
  if (!text.empty() && text.back() == '+') {
    range.first = number(std::string_view(text).substr(0, text.size() - 1));
  } else if (size_t dash = text.find('-'); dash != std::string::npos) {
    range.first = number(std::string_view(text).substr(0, dash));
    range.last = number(std::string_view(text).substr(dash + 1));
    if (range.last < range.first) {
      throw LineError{r.column, r.length, "the attempt range " + code(text) + " is empty: it must go up"};
    }
  } else {
    range.first = range.last = number(text);
  }
  ++i;
  if (i >= t.size() || !t[i].colon) throw bad(i < t.size() ? t[i] : r);
  pos = i + 1;
  if (pos >= t.size()) {
    throw LineError{t[i].column, 1, "a statement must follow the attempts on the same line, as in "
                                    "`on attempt 3: exits 0 after 5s`"};
  }
  return range;
}

bool validContainerName(std::string_view name) {
  if (name.empty() || name.size() > 63) return false;
  if (!std::isalnum(static_cast<unsigned char>(name.front())) || !std::isalnum(static_cast<unsigned char>(name.back()))) {
    return false;
  }
  return std::all_of(name.begin(), name.end(), [](unsigned char c) {
    return (std::islower(c) || std::isdigit(c) || c == '-');
  });
}

}  // namespace

ScenarioParse parseScenario(std::string_view text, ScenarioForm form, std::string_view container) {
  ScenarioParse out;
  ScenarioSection* current = nullptr;
  auto openSection = [&](std::string name, int line, int column) {
    out.scenario.sections.push_back(ScenarioSection{std::move(name), line, column, {}});
    current = &out.scenario.sections.back();
  };
  if (form == ScenarioForm::Container) openSection(std::string(container), 0, 0);

  int lineNumber = 0;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    ++lineNumber;
    start = end + 1;
    try {
      std::vector<Token> tokens = tokenizeLine(line);
      if (tokens.empty()) continue;
      if (!tokens[0].quoted && lower(tokens[0].text) == "container") {
        if (form == ScenarioForm::Container) {
          throw LineError{tokens[0].column, tokens[0].length,
                          "this annotation holds one container's statements, so it has no `container NAME:` "
                          "sections; those belong in " + std::string(kSimulateAnnotation) + " or a side file"};
        }
        auto bad = [&](const Token& at) {
          return LineError{at.column, std::max(1, at.length),
                           "a section starts with `container NAME:` (or `container *:` for every container), "
                           "alone on its line"};
        };
        if (tokens.size() < 2 || tokens[1].colon || tokens[1].quoted) throw bad(tokens.size() < 2 ? tokens[0] : tokens[1]);
        const Token& name = tokens[1];
        if (name.text != "*" && !validContainerName(name.text)) {
          throw LineError{name.column, name.length,
                          code(name.text) + " is not a container name: names are lower-case letters, digits "
                                            "and '-', starting and ending with a letter or digit"};
        }
        if (tokens.size() < 3 || !tokens[2].colon) throw bad(tokens.size() < 3 ? name : tokens[2]);
        if (tokens.size() > 3) {
          throw LineError{tokens[3].column, tokens[3].length,
                          "a section header stands alone on its line; put statements on the lines below it"};
        }
        openSection(name.text, lineNumber, name.column);
        continue;
      }
      size_t pos = 0;
      std::optional<AttemptRange> attempts = attemptQualifier(tokens, pos);
      ScenarioStatement s = LineParser(tokens, pos, lineNumber).statement();
      s.attempts = attempts;
      s.column = tokens[0].column;
      if (!current) openSection("*", 0, 0);
      current->statements.push_back(std::move(s));
    } catch (const LineError& e) {
      out.errors.push_back(ScenarioError{lineNumber, e.column, e.length, e.message});
    }
    if (end == text.size()) break;
  }
  return out;
}

std::vector<ScenarioError> checkScenarioContainers(const Scenario& scenario, const PodSpec& spec) {
  std::vector<std::string> names;
  for (const Container& c : spec.initContainers) names.push_back(c.name);
  for (const Container& c : spec.containers) names.push_back(c.name);
  std::vector<std::string_view> views(names.begin(), names.end());
  std::vector<ScenarioError> out;
  for (const ScenarioSection& s : scenario.sections) {
    if (s.container == "*" || std::find(names.begin(), names.end(), s.container) != names.end()) continue;
    std::string message = "the pod has no container named \"" + s.container + "\"";
    if (std::optional<std::string_view> near = closestName(s.container, views)) {
      message += " (did you mean \"" + std::string(*near) + "\"?)";
    } else {
      std::string list;
      for (const std::string& n : names) list += (list.empty() ? "" : ", ") + n;
      message += "; its containers: " + (list.empty() ? std::string("none") : list);
    }
    out.push_back(ScenarioError{s.line, s.column, static_cast<int>(s.container.size()), message});
  }
  return out;
}

std::string scenarioSideFilePath(const std::string& manifestPath) { return manifestPath + ".simulate"; }

Result<Scenario> readScenarioFile(const std::string& path) {
  constexpr std::uintmax_t kMaxBytes = 1024 * 1024;
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return Error{"is a folder, not a scenario file", path, std::nullopt, ErrorKind::Io};
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{"cannot open the scenario file for reading", path, std::nullopt, ErrorKind::Io};
  std::string text;
  if (!readUpTo(in, kMaxBytes, text)) return Error{"cannot read the scenario file", path, std::nullopt, ErrorKind::Io};
  if (text.size() > kMaxBytes) {
    return Error{"the scenario file is larger than 1 MiB; a scenario is a few lines of text", path, std::nullopt,
                 ErrorKind::Io};
  }
  ScenarioParse parse = parseScenario(text);
  if (!parse.ok()) {
    const ScenarioError& e = parse.errors.front();
    std::string message = e.message;
    if (parse.errors.size() > 1) {
      message += " (and " + std::to_string(parse.errors.size() - 1) + " more mistake" +
                 (parse.errors.size() > 2 ? "s" : "") + " in the file)";
    }
    return Error{message, path, SourcePos{e.line, e.column}, ErrorKind::Shape};
  }
  return std::move(parse.scenario);
}

Result<std::optional<Scenario>> findScenarioFile(const std::string& manifestPath) {
  std::string path = scenarioSideFilePath(manifestPath);
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return std::optional<Scenario>();
  Result<Scenario> s = readScenarioFile(path);
  if (!s) return s.error();
  return std::optional<Scenario>(std::move(*s));
}

// ---------------------------------------------------------------------------
// Plans.

namespace {

/// What a statement is about; the strongest source that speaks about an
/// aspect decides it alone.
enum class Aspect { Start, Process, Sigterm, Startup, Liveness, Readiness, PostStart, PreStop };
constexpr Aspect kAspects[] = {Aspect::Start,    Aspect::Process,   Aspect::Sigterm,   Aspect::Startup,
                               Aspect::Liveness, Aspect::Readiness, Aspect::PostStart, Aspect::PreStop};

Aspect aspectOf(const ScenarioStatement& s) {
  using Kind = ScenarioStatement::Kind;
  switch (s.kind) {
    case Kind::StartsAfter: return Aspect::Start;
    case Kind::Exits:
    case Kind::OomKilled:
    case Kind::RunsUntilStopped: return Aspect::Process;
    case Kind::OnSigterm:
    case Kind::IgnoresSigterm: return Aspect::Sigterm;
    case Kind::Succeeds:
    case Kind::Fails:
    case Kind::Errors:
    case Kind::Takes: break;
  }
  switch (s.handler) {
    case ScenarioHandler::Startup: return Aspect::Startup;
    case ScenarioHandler::Liveness: return Aspect::Liveness;
    case ScenarioHandler::Readiness: return Aspect::Readiness;
    case ScenarioHandler::PostStart: return Aspect::PostStart;
    case ScenarioHandler::PreStop: return Aspect::PreStop;
  }
  return Aspect::Start;
}

/// One source's sections for a container: `*` ones or named ones.
struct Layer {
  const Scenario* scenario = nullptr;
  bool wildcard = false;  ///< `*` sections, else the container's own
  bool any = false;       ///< every section (a per-container annotation)
};

/// The statements of `layer` about `aspect` that apply to `attempt`: those
/// qualified for the attempt if there are any, else the unqualified ones.
std::vector<const ScenarioStatement*> applicable(const Layer& layer, std::string_view container, Aspect aspect,
                                                 int attempt) {
  std::vector<const ScenarioStatement*> qualified;
  std::vector<const ScenarioStatement*> general;
  if (!layer.scenario) return {};
  for (const ScenarioSection& section : layer.scenario->sections) {
    bool mine = layer.any || (layer.wildcard ? section.container == "*" : section.container == container);
    if (!mine) continue;
    for (const ScenarioStatement& s : section.statements) {
      if (aspectOf(s) != aspect) continue;
      if (!s.attempts) {
        general.push_back(&s);
      } else if (s.attempts->contains(attempt)) {
        qualified.push_back(&s);
      }
    }
  }
  return qualified.empty() ? general : qualified;
}

}  // namespace

bool ScenarioPlan::speaksAbout(ScenarioHandler handler) const {
  return std::any_of(handlers.begin(), handlers.end(),
                     [&](const ScenarioStatement& s) { return s.handler == handler; });
}

std::optional<HandlerBehavior> ScenarioPlan::handlerAt(ScenarioHandler handler, nanoseconds sinceStart) const {
  if (!speaksAbout(handler)) return std::nullopt;
  using Kind = ScenarioStatement::Kind;
  HandlerBehavior out;
  for (const ScenarioStatement& s : handlers) {
    if (s.handler != handler || !s.covers(sinceStart)) continue;
    switch (s.kind) {
      case Kind::Takes: out.takes = s.time; break;
      case Kind::Succeeds:
        out.outcome = HandlerBehavior::Outcome::Succeeds;
        out.detail = s.detail;
        break;
      case Kind::Fails:
        out.outcome = HandlerBehavior::Outcome::Fails;
        out.detail = s.detail;
        break;
      case Kind::Errors:
        out.outcome = HandlerBehavior::Outcome::Errors;
        out.detail = s.detail;
        break;
      case Kind::StartsAfter:
      case Kind::Exits:
      case Kind::OomKilled:
      case Kind::RunsUntilStopped:
      case Kind::OnSigterm:
      case Kind::IgnoresSigterm: break;
    }
  }
  return out;
}

ScenarioPlan planScenario(const ScenarioSources& sources, std::string_view container, int attempt) {
  // Strongest first.
  const Layer layers[] = {
      {sources.sideFile, false, false},      {sources.sideFile, true, false},
      {sources.containerAnnotation, false, true},
      {sources.podAnnotation, false, false}, {sources.podAnnotation, true, false},
  };
  ScenarioPlan plan;
  for (Aspect aspect : kAspects) {
    std::vector<const ScenarioStatement*> found;
    for (const Layer& layer : layers) {
      found = applicable(layer, container, aspect, attempt);
      if (!found.empty()) break;
    }
    if (found.empty()) continue;
    switch (aspect) {
      case Aspect::Start: plan.startDelay = found.back()->time; break;
      case Aspect::Process: plan.process = *found.back(); break;
      case Aspect::Sigterm: plan.sigterm = *found.back(); break;
      case Aspect::Startup:
      case Aspect::Liveness:
      case Aspect::Readiness:
      case Aspect::PostStart:
      case Aspect::PreStop:
        for (const ScenarioStatement* s : found) plan.handlers.push_back(*s);
        break;
    }
  }
  return plan;
}

}  // namespace podscope::core
