#pragma once
// Text that must be valid UTF-8 whatever it quotes: messages that repeat
// bytes from untrusted input (a parser's "last read" token, a YAML
// library's "unknown escape character" that is one byte of a multi-byte
// character) are shown by the desktop and printed into JSON and terminals.
// Thread contract: a pure function; safe from any thread.

#include <string>
#include <string_view>

namespace podscope::core {

/// `text` with each byte that does not start a well-formed UTF-8 sequence
/// (a stray continuation byte, a cut-off or overlong sequence, a UTF-16
/// surrogate, a code point past U+10FFFF, a byte never used in UTF-8)
/// replaced by U+FFFD. Valid text comes back unchanged.
std::string replaceInvalidUtf8(std::string_view text);

}  // namespace podscope::core
