#include "core/report_text.h"

#include <algorithm>
#include <map>
#include <set>

namespace podscope::core {

namespace {

void appendCodePoint(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

/// Decodes one UTF-8 character at `i`; returns its length, or 0 when the
/// bytes there are not UTF-8 (overlong forms and surrogates included).
std::size_t decodeUtf8(std::string_view s, std::size_t i, char32_t& cp) {
  const auto b = static_cast<unsigned char>(s[i]);
  std::size_t len = 0;
  if (b < 0x80) {
    cp = b;
    return 1;
  } else if ((b & 0xE0) == 0xC0) {
    len = 2;
    cp = b & 0x1F;
  } else if ((b & 0xF0) == 0xE0) {
    len = 3;
    cp = b & 0x0F;
  } else if ((b & 0xF8) == 0xF0) {
    len = 4;
    cp = b & 0x07;
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  for (std::size_t k = 1; k < len; ++k) {
    const auto c = static_cast<unsigned char>(s[i + k]);
    if ((c & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (c & 0x3F);
  }
  static constexpr char32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return len;
}

}  // namespace

std::string escapeXml(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (std::size_t i = 0; i < text.size();) {
    char32_t cp = 0;
    const std::size_t len = decodeUtf8(text, i, cp);
    if (len == 0) {
      out += "\xEF\xBF\xBD";  // U+FFFD
      ++i;
      continue;
    }
    switch (cp) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      case '\t':
      case '\n':
      case '\r': out += static_cast<char>(cp); break;
      default:
        if (cp < 0x20) {
          appendCodePoint(out, 0x2400 + cp);  // the Control Pictures block
        } else if (cp == 0x7F) {
          appendCodePoint(out, 0x2421);  // ␡
        } else if (cp == 0xFFFE || cp == 0xFFFF) {
          out += "\xEF\xBF\xBD";  // not characters in XML 1.0
        } else {
          out.append(text.substr(i, len));
        }
    }
    i += len;
  }
  return out;
}

Excerpt excerpt(std::string_view text, std::size_t maxBytes) {
  if (text.size() <= maxBytes) return {std::string(text), 0};
  std::size_t cut = maxBytes;
  // Back up to the first byte of a character.
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return {std::string(text.substr(0, cut)), text.size() - cut};
}

std::string formatGetPodLine(const RunRecord& record) {
  if (record.statusLines().empty()) return {};
  const PodStatusLine& last = record.statusLines().back();
  const std::vector<std::string> header = {"NAME", "READY", "STATUS", "RESTARTS", "AGE"};
  const std::vector<std::string> row = {record.podName, last.ready, last.status, last.restarts, last.age};
  // kubectl's printer: a tabwriter with minimum width 6 and padding 3.
  std::string out;
  for (const auto* cells : {&header, &row}) {
    std::string line;
    for (std::size_t c = 0; c < cells->size(); ++c) {
      line += (*cells)[c];
      if (c + 1 == cells->size()) break;
      const std::size_t width = std::max<std::size_t>(6, std::max(header[c].size(), row[c].size()) + 3);
      line.append(width - (*cells)[c].size(), ' ');
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  return out;
}

std::vector<RunContainer> runContainers(const RunRecord& record) {
  std::vector<RunContainer> init;
  std::vector<RunContainer> regular;
  std::set<std::pair<SubjectKind, std::string>> seen;
  auto note = [&](SubjectKind kind, const std::string& name) {
    if (kind == SubjectKind::Pod || !seen.insert({kind, name}).second) return;
    (kind == SubjectKind::InitContainer ? init : regular).push_back({kind, name, false});
  };
  for (const Transition& t : record.transitions()) note(t.kind, t.subject);
  for (const HandlerAttempt& a : record.attempts()) note(a.containerKind, a.container);
  for (const SignalSent& s : record.signalsSent()) note(s.kind, s.container);

  // Which init containers behaved as sidecars.
  std::set<std::string> sidecars;
  for (const HandlerAttempt& a : record.attempts()) {
    if (a.containerKind == SubjectKind::InitContainer) sidecars.insert(a.container);
  }
  std::map<std::string, std::string> initState;  // the latest state of each init container
  std::map<std::string, std::string> lastReason;
  bool regularStarted = false;
  for (const Transition& t : record.transitions()) {
    if (t.kind == SubjectKind::InitContainer) {
      if (t.to == "Running" && lastReason[t.subject] == "Completed") sidecars.insert(t.subject);
      if (t.to == "Terminated") lastReason[t.subject] = t.reason;
      initState[t.subject] = t.to;
    } else if (t.kind == SubjectKind::Container && t.to == "Running" && !regularStarted) {
      regularStarted = true;
      for (const auto& [name, state] : initState) {
        if (state == "Running") sidecars.insert(name);
      }
    }
  }
  for (RunContainer& c : init) c.sidecar = sidecars.count(c.name) > 0;
  init.insert(init.end(), regular.begin(), regular.end());
  return init;
}

std::vector<Milestone> runMilestones(const RunRecord& record) {
  std::vector<Milestone> out;
  auto firstTrue = [&](SubjectKind kind, const std::string& subject, std::string_view type) -> std::optional<RunTime> {
    for (const ConditionChange& c : record.conditions()) {
      if (c.kind == kind && c.status && c.type == type && (kind == SubjectKind::Pod || c.subject == subject)) {
        return c.time;
      }
    }
    return std::nullopt;
  };
  out.push_back({"Initialized", firstTrue(SubjectKind::Pod, "", "Initialized")});
  for (const RunContainer& c : runContainers(record)) {
    if (c.kind == SubjectKind::InitContainer && !c.sidecar) continue;
    std::optional<RunTime> started = firstTrue(c.kind, c.name, "Started");
    if (!started && record.conditions().empty()) {
      // Records written before conditions were kept: the first Running.
      for (const Transition& t : record.transitions()) {
        if (t.kind == c.kind && t.subject == c.name && t.to == "Running") {
          started = t.time;
          break;
        }
      }
    }
    out.push_back({c.name + " Started", started});
  }
  out.push_back({"Ready", firstTrue(SubjectKind::Pod, "", "Ready")});
  return out;
}

std::vector<RestartCount> restartCounts(const RunRecord& record) {
  std::vector<RestartCount> out;
  for (const RunContainer& c : runContainers(record)) {
    int runs = 0;
    for (const Transition& t : record.transitions()) {
      if (t.kind == c.kind && t.subject == c.name && t.to == "Running") ++runs;
    }
    out.push_back({c, std::max(0, runs - 1)});
  }
  return out;
}

std::string containerFieldPath(SubjectKind kind, std::string_view name) {
  return std::string(kind == SubjectKind::InitContainer ? "spec.initContainers{" : "spec.containers{") +
         std::string(name) + "}";
}

std::string signalName(int number) {
  switch (number) {
    case 1: return "SIGHUP";
    case 2: return "SIGINT";
    case 3: return "SIGQUIT";
    case 9: return "SIGKILL";
    case 10: return "SIGUSR1";
    case 12: return "SIGUSR2";
    case 15: return "SIGTERM";
    case 28: return "SIGWINCH";
    default: return "signal " + std::to_string(number);
  }
}

}  // namespace podscope::core
