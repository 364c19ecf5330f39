#include "engine/container_env.h"

#include <algorithm>

namespace podscope::engine {

std::string expandVariables(const std::string& input, const std::map<std::string, std::string>& env) {
  std::string out;
  size_t checkpoint = 0;
  for (size_t cursor = 0; cursor < input.size(); ++cursor) {
    if (input[cursor] != '$' || cursor + 1 >= input.size()) continue;
    out.append(input, checkpoint, cursor - checkpoint);
    const char next = input[cursor + 1];
    size_t advance = 1;
    if (next == '$') {
      out += '$';  // "$$" is an escaped "$"
    } else if (next == '(') {
      size_t close = input.find(')', cursor + 2);
      if (close == std::string::npos) {
        out += "$(";  // an unterminated reference is kept as written
      } else {
        std::string name = input.substr(cursor + 2, close - cursor - 2);
        auto it = env.find(name);
        out += it != env.end() ? it->second : "$(" + name + ")";
        advance = close - cursor;
      }
    } else {
      out += '$';
      out += next;
    }
    cursor += advance;
    checkpoint = cursor + 1;
  }
  out.append(input, std::min(checkpoint, input.size()), std::string::npos);
  return out;
}

std::map<std::string, std::string> literalEnvMap(const std::vector<core::EnvVar>& env) {
  std::map<std::string, std::string> m;
  for (const core::EnvVar& e : env) m[e.name] = e.value;
  return m;
}

std::vector<std::pair<std::string, std::string>> containerEnvironment(const core::Container& spec,
                                                                      std::vector<std::string>* skipped) {
  std::vector<std::pair<std::string, std::string>> out;
  std::map<std::string, std::string> defined;
  for (const core::EnvVar& e : spec.env) {
    if (e.valueFrom) {
      if (skipped) skipped->push_back(e.name);
      continue;
    }
    std::string value = expandVariables(e.value, defined);
    defined[e.name] = value;
    // A name set twice keeps its first place and takes the later value.
    auto same = std::find_if(out.begin(), out.end(), [&](const auto& kv) { return kv.first == e.name; });
    if (same != out.end()) {
      same->second = std::move(value);
    } else {
      out.emplace_back(e.name, std::move(value));
    }
  }
  return out;
}

std::vector<std::string> expandWithEnvironment(const std::vector<std::string>& argv,
                                               const std::vector<std::pair<std::string, std::string>>& env) {
  std::map<std::string, std::string> vars(env.begin(), env.end());
  std::vector<std::string> out;
  out.reserve(argv.size());
  for (const std::string& a : argv) out.push_back(expandVariables(a, vars));
  return out;
}

}  // namespace podscope::engine
