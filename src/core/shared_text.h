#pragma once
// Immutable text shared by every copy: a record holds the same handler text
// (`exec [cat /tmp/healthy]`) for each of a probe's attempts, tens of
// thousands a day, and a copy costs a reference, not an allocation.

#include <memory>
#include <ostream>
#include <string>
#include <string_view>

namespace podscope::core {

class SharedText {
 public:
  SharedText() = default;
  SharedText(std::string text)  // NOLINT(google-explicit-constructor): text in, text out
      : m_text(text.empty() ? nullptr : std::make_shared<const std::string>(std::move(text))) {}
  SharedText(const char* text) : SharedText(std::string(text)) {}  // NOLINT(google-explicit-constructor)

  const std::string& str() const { return m_text ? *m_text : empty_string(); }
  operator const std::string&() const { return str(); }  // NOLINT(google-explicit-constructor)
  bool empty() const { return !m_text; }
  size_t size() const { return m_text ? m_text->size() : 0; }

  friend bool operator==(const SharedText& a, const SharedText& b) {
    return a.m_text == b.m_text || a.str() == b.str();
  }
  friend bool operator==(const SharedText& a, std::string_view b) { return a.str() == b; }
  friend bool operator==(const SharedText& a, const std::string& b) { return a.str() == b; }
  friend bool operator==(const SharedText& a, const char* b) { return a.str() == b; }
  friend std::ostream& operator<<(std::ostream& out, const SharedText& t) { return out << t.str(); }

 private:
  static const std::string& empty_string() {
    static const std::string kEmpty;
    return kEmpty;
  }
  std::shared_ptr<const std::string> m_text;  ///< null when empty
};

}  // namespace podscope::core
