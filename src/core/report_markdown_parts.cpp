#include "core/report_markdown_parts.h"

#include <algorithm>
#include <optional>

namespace podscope::core::markdown {

std::string md(std::string_view text, bool tableCell) {
  std::string o;
  o.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '<': o += "&lt;"; break;
      case '>': o += "&gt;"; break;
      case '&': o += "&amp;"; break;
      case '*':
      case '_':
      case '`':
      case '[':
      case ']':
      case '\\': o += '\\'; o += c; break;
      case '|': o += tableCell ? "\\|" : "|"; break;
      case '\n': o += ' '; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t') {
          // U+2400 + c: the control picture, as the HTML report shows it.
          o += "\xE2\x90";
          o += static_cast<char>(0x80 + c);
        } else {
          o += c;
        }
    }
  }
  return o;
}

std::string fenced(std::string_view text, std::string_view info) {
  std::size_t longest = 0;
  std::size_t run = 0;
  for (char c : text) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  const std::string fence(std::max<std::size_t>(3, longest + 1), '`');
  // Code is shown as written, but terminal escapes and other control
  // characters are made visible rather than pasted.
  std::string body;
  for (char c : text) {
    if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t') {
      body += "\xE2\x90";
      body += static_cast<char>(0x80 + c);
    } else {
      body += c;
    }
  }
  if (!body.empty() && body.back() != '\n') body += '\n';
  return fence + std::string(info) + "\n" + body + fence + "\n";
}


std::string whyList(const std::vector<WhyFact>& facts) {
  std::string o;
  std::optional<WhyTopic> topic;
  bool first = true;
  for (const WhyFact& f : facts) {
    if (topic != f.topic) {
      topic = f.topic;
      o += std::string(first ? "" : "\n") + "*" + std::string(toString(f.topic)) + "*\n\n";
      first = false;
    }
    o += "- `" + formatRunTime(f.time) + "` " + md(f.text) + "\n";
  }
  return o;
}

}  // namespace podscope::core::markdown
