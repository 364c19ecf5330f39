// libFuzzer target for the record readers: any bytes given to
// anyRecordFromJson must come back as a run record, a rollout record or an
// error a user can read, never as a crash, a hang, a leak or a runaway
// allocation. A record that reads must also survive being saved again:
// toJson writes it, that text reads back (through anyRecordFromJson and
// through its own format's reader), and writing what came back gives the
// very same bytes. Records are shared between users, so a record that opens
// but cannot be saved and reopened, or changes each time it is saved, is a
// bug the sanitizers alone would not see. Each broken promise aborts with a
// message saying which, so libFuzzer keeps the input.
// Build and run: scripts/fuzz.sh [SECONDS] record

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/record_json.h"
#include "core/rollout_record_json.h"
#include "core/run_record_json.h"

extern "C" std::size_t LLVMFuzzerMutate(std::uint8_t* data, std::size_t size, std::size_t maxSize);

namespace {

using namespace podscope::core;

[[noreturn]] void violated(const char* what, const std::string& detail) {
  std::fprintf(stderr, "record_fuzzer: %s: %s\n", what, detail.c_str());
  std::abort();
}

bool validUtf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    std::size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (std::size_t k = 1; k < n; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    i += n;
  }
  return true;
}

int lineCount(std::string_view text) { return static_cast<int>(std::count(text.begin(), text.end(), '\n')) + 1; }

// Where two texts part, with a little of each, so the message shows what
// changed between one save and the next.
std::string firstDifference(const std::string& a, const std::string& b) {
  std::size_t at = 0;
  while (at < a.size() && at < b.size() && a[at] == b[at]) ++at;
  const std::size_t from = at < 80 ? 0 : at - 80;
  return "first difference at byte " + std::to_string(at) + "\n--- first save:\n" + a.substr(from, 160) +
         "\n--- second save:\n" + b.substr(from, 160);
}

// A refusal is shown in the Open dialog and printed by the CLI: it must say
// something, in valid UTF-8 (messages quote the input), in our words rather
// than a library's exception text, and a position it names must be inside
// the input.
void checkError(const Error& e, std::string_view input, const char* reader) {
  const std::string text = e.toString();
  if (e.message.empty()) violated("error without a message", reader);
  if (!validUtf8(text)) violated("error message is not valid UTF-8", std::string(reader) + ": " + text);
  // (Unless the input itself holds those words, and a message quotes them.)
  constexpr std::string_view kTag = "[json.exception";
  if (text.find(kTag) != std::string::npos && input.find(kTag) == std::string_view::npos) {
    violated("error message is a raw exception text", std::string(reader) + ": " + text);
  }
  if (e.pos && (e.pos->line < 1 || e.pos->line > lineCount(input) || e.pos->column < 1)) {
    violated("error names a position outside the input", std::string(reader) + ": " + text);
  }
}

// Saves `record`, reopens the saved text with `readOwn` (the format's own
// reader) and anyRecordFromJson, and requires both to give back a record
// that saves to the same bytes.
template <typename Record, typename ReadOwn>
void checkSavesStably(const Record& record, ReadOwn readOwn, const char* format) {
  const std::string saved = toJson(record);
  if (!validUtf8(saved)) violated("saved record is not valid UTF-8", format);

  auto own = readOwn(saved);
  if (!own) violated("saved record does not read back", std::string(format) + ": " + own.error().toString());
  const std::string again = toJson(*own);
  if (again != saved) {
    violated("saving a reopened record changes it", std::string(format) + ": " + firstDifference(saved, again));
  }

  Result<AnyRecord> any = anyRecordFromJson(saved);
  if (!any) violated("anyRecordFromJson refuses a saved record", std::string(format) + ": " + any.error().toString());
  const Record* same = std::get_if<Record>(&*any);
  if (!same) violated("anyRecordFromJson reads a saved record as the other kind", format);
  if (toJson(*same) != saved) violated("anyRecordFromJson reads a saved record differently", format);
}

// ---- Mutating inside strings ------------------------------------------------
// Byte mutations of the JSON text seldom keep a string's escapes intact, so
// they rarely reach what is inside one: the pod templates, YAML in a JSON
// string. Half the time the mutator below parses the input instead, mutates
// the bytes of one string value (a pod template when there is one, half the
// time) and writes the document back, so the envelope stays a record.

using OrderedJson = nlohmann::ordered_json;

// Deeper input is left to the byte mutations: writing it back recurses.
constexpr int kMutatorMaxDepth = 64;
struct TooDeepToMutate {};

void collectStrings(OrderedJson& j, const std::string& key, std::vector<OrderedJson*>& all,
                    std::vector<OrderedJson*>& templates) {
  if (j.is_string()) {
    all.push_back(&j);
    if (key == "podTemplate") templates.push_back(&j);
  } else if (j.is_object()) {
    for (auto it = j.begin(); it != j.end(); ++it) collectStrings(it.value(), it.key(), all, templates);
  } else if (j.is_array()) {
    for (OrderedJson& element : j) collectStrings(element, key, all, templates);
  }
}

std::size_t mutateInsideAString(std::uint8_t* data, std::size_t size, std::size_t maxSize, std::minstd_rand& random) {
  OrderedJson doc;
  try {
    OrderedJson::parser_callback_t limitDepth = [](int depth, OrderedJson::parse_event_t, OrderedJson&) {
      if (depth > kMutatorMaxDepth) throw TooDeepToMutate{};
      return true;
    };
    doc = OrderedJson::parse(data, data + size, limitDepth);
  } catch (...) {
    return 0;
  }
  std::vector<OrderedJson*> all;
  std::vector<OrderedJson*> templates;
  collectStrings(doc, "", all, templates);
  if (all.empty()) return 0;
  const std::vector<OrderedJson*>& pool = !templates.empty() && random() % 2 == 0 ? templates : all;
  OrderedJson& target = *pool[random() % pool.size()];

  std::string text = target.get<std::string>();
  const std::size_t room = std::min<std::size_t>(maxSize, text.size() * 2 + 64);
  text.resize(std::max(room, text.size()));
  const std::size_t length = LLVMFuzzerMutate(reinterpret_cast<std::uint8_t*>(text.data()),
                                              std::min(target.get_ref<const std::string&>().size(), text.size()),
                                              text.size());
  text.resize(length);
  target = std::move(text);

  // Invalid UTF-8 the mutation made is written as U+FFFD, so the text stays
  // JSON the readers get past.
  const std::string out = doc.dump(-1, ' ', false, OrderedJson::error_handler_t::replace);
  if (out.size() > maxSize) return 0;
  std::memcpy(data, out.data(), out.size());
  return out.size();
}

}  // namespace

extern "C" std::size_t LLVMFuzzerCustomMutator(std::uint8_t* data, std::size_t size, std::size_t maxSize,
                                               unsigned int seed) {
  std::minstd_rand random(seed);
  if (random() % 2 == 0) {
    if (std::size_t mutated = mutateInsideAString(data, size, maxSize, random)) return mutated;
  }
  return LLVMFuzzerMutate(data, size, maxSize);
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  Result<AnyRecord> read = anyRecordFromJson(input);
  if (!read) {
    checkError(read.error(), input, "anyRecordFromJson");
    return 0;
  }
  if (const RunRecord* run = std::get_if<RunRecord>(&*read)) {
    // The format's own reader must agree with the one that tells them apart.
    Result<RunRecord> direct = runRecordFromJson(input);
    if (!direct) violated("runRecordFromJson refuses what anyRecordFromJson read", direct.error().toString());
    if (toJson(*direct) != toJson(*run)) violated("runRecordFromJson reads differently", "");
    checkSavesStably(*run, [](std::string_view json) { return runRecordFromJson(json); }, "run record");
  } else {
    const RolloutRecord& rollout = std::get<RolloutRecord>(*read);
    Result<RolloutRecord> direct = rolloutRecordFromJson(input);
    if (!direct) violated("rolloutRecordFromJson refuses what anyRecordFromJson read", direct.error().toString());
    if (toJson(*direct) != toJson(rollout)) violated("rolloutRecordFromJson reads differently", "");
    checkSavesStably(rollout, [](std::string_view json) { return rolloutRecordFromJson(json); }, "rollout record");
  }
  return 0;
}
