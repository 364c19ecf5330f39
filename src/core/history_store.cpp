#include "core/history_store.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <sstream>
#include <thread>
#include <utility>

#include "core/user_dirs.h"

namespace podscope::core {

namespace {

// Every file SQLite writes starts with these 16 bytes.
constexpr std::string_view kSqliteHeader{"SQLite format 3\0", 16};

// Schema version N is reached by running step N-1 on a file at version N-1;
// a file at 0 is new (or was never written) and runs them all.
constexpr const char* kMigrations[] = {
    // 0 -> 1: deployments and their revisions.
    R"sql(
CREATE TABLE deployments (
  id INTEGER PRIMARY KEY,
  namespace TEXT NOT NULL,
  name TEXT NOT NULL,
  manifest_path TEXT NOT NULL DEFAULT '',
  current_revision INTEGER NOT NULL DEFAULT 0,
  revision_history_limit INTEGER NOT NULL DEFAULT 10,
  updated_ms INTEGER NOT NULL,
  UNIQUE (namespace, name)
);
CREATE TABLE revisions (
  id INTEGER PRIMARY KEY,
  deployment_id INTEGER NOT NULL REFERENCES deployments(id) ON DELETE CASCADE,
  number INTEGER NOT NULL,
  template_hash TEXT NOT NULL,
  template_yaml TEXT NOT NULL,
  change_cause TEXT NOT NULL DEFAULT '',
  images TEXT NOT NULL DEFAULT '',
  revision_history TEXT NOT NULL DEFAULT '',
  created_ms INTEGER NOT NULL,
  numbered_ms INTEGER NOT NULL,
  outcome TEXT NOT NULL DEFAULT 'Progressing',
  record_ref TEXT NOT NULL DEFAULT '',
  UNIQUE (deployment_id, number),
  UNIQUE (deployment_id, template_hash)
);
)sql",
};
static_assert(std::size(kMigrations) == HistoryStore::kSchemaVersion, "one migration step per schema version");

constexpr const char* kLeftAlone = "; it was left as it is";

std::int64_t systemNowMs() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::string joinImages(const std::vector<std::string>& images) {
  std::string out;
  for (const std::string& image : images) {
    if (!out.empty()) out += '\n';
    out += image;
  }
  return out;
}

std::vector<std::string> splitImages(std::string_view text) {
  std::vector<std::string> images;
  if (text.empty()) return images;
  std::size_t start = 0;
  while (true) {
    std::size_t nl = text.find('\n', start);
    images.emplace_back(text.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start));
    if (nl == std::string_view::npos) return images;
    start = nl + 1;
  }
}

/// One prepared statement, finalized when it goes out of scope.
class Statement {
 public:
  Statement(sqlite3* db, std::string_view sql) {
    m_rc = sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &m_stmt, nullptr);
  }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement() { sqlite3_finalize(m_stmt); }

  bool prepared() const { return m_rc == SQLITE_OK; }
  int rc() const { return m_rc; }

  Statement& bind(int i, std::int64_t v) {
    if (m_rc == SQLITE_OK) m_rc = sqlite3_bind_int64(m_stmt, i, v);
    return *this;
  }
  Statement& bind(int i, std::string_view v) {
    if (m_rc == SQLITE_OK) m_rc = sqlite3_bind_text(m_stmt, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }

  /// Steps once: true with a row, false when done or failed (see rc()).
  bool step() {
    if (m_rc != SQLITE_OK && m_rc != SQLITE_ROW) return false;
    m_rc = sqlite3_step(m_stmt);
    if (m_rc == SQLITE_ROW) return true;
    if (m_rc == SQLITE_DONE) m_rc = SQLITE_OK;
    return false;
  }

  std::int64_t integer(int col) const { return sqlite3_column_int64(m_stmt, col); }
  std::string text(int col) const {
    const unsigned char* p = sqlite3_column_text(m_stmt, col);
    return p ? std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(sqlite3_column_bytes(m_stmt, col)))
             : std::string();
  }

 private:
  sqlite3_stmt* m_stmt = nullptr;
  int m_rc = SQLITE_OK;
};

}  // namespace

struct HistoryStore::Impl {
  std::string path;
  HistoryStoreOptions options;
  sqlite3* db = nullptr;
  std::mutex mutex;

  ~Impl() {
    if (db) sqlite3_close_v2(db);
  }

  std::int64_t now() const { return options.nowMs ? options.nowMs() : systemNowMs(); }

  /// An error about the file, in words a user can act on.
  Error fileError(int rc, std::string_view doing) const {
    Error e;
    e.file = path;
    e.kind = ErrorKind::Io;
    std::string detail = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    switch (rc & 0xff) {
      case SQLITE_NOTADB:
        e.message = "not a Podscope history: the file is not an SQLite database" + std::string(kLeftAlone) +
                    "; move it away or choose another file";
        break;
      case SQLITE_CORRUPT:
        e.message = "the history database is corrupt (" + detail + ")" + kLeftAlone +
                    "; move it away to start a new history, or repair it with sqlite3's .recover";
        break;
      case SQLITE_BUSY:
      case SQLITE_LOCKED:
        e.message = "the history database stayed locked by another program for longer than " +
                    std::to_string(options.busyTimeoutMs) + " ms while " + std::string(doing);
        break;
      default:
        e.message = "cannot use the history database while " + std::string(doing) + ": " + detail;
        break;
    }
    return e;
  }

  Error plainError(std::string message) const {
    Error e;
    e.file = path;
    e.message = std::move(message);
    return e;
  }

  Status exec(const char* sql, std::string_view doing) {
    char* msg = nullptr;
    int rc = sqlite3_exec(db, sql, nullptr, nullptr, &msg);
    sqlite3_free(msg);
    if (rc != SQLITE_OK) return fileError(rc, doing);
    return Status::ok();
  }

  Result<std::int64_t> pragmaInteger(const char* sql) {
    Statement s(db, sql);
    if (!s.step()) return fileError(s.rc() == SQLITE_OK ? SQLITE_CORRUPT : s.rc(), "reading its header");
    return s.integer(0);
  }

  /// Runs `body` in a write transaction, taking the write lock first so
  /// what it reads cannot change before it writes.
  template <typename Body>
  Status writeTransaction(std::string_view doing, Body&& body) {
    if (Status begun = exec("BEGIN IMMEDIATE", doing); !begun) return begun;
    Status done = body();
    if (done && options.beforeCommit) options.beforeCommit();
    if (done) done = exec("COMMIT", doing);
    if (!done) rollback();
    return done;
  }

  /// Ends a failed transaction. After a failed COMMIT SQLite may have rolled
  /// back already, and then has nothing more to do.
  void rollback() { sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr); }

  /// Runs `body` in a read transaction, so its reads see one state.
  template <typename Body>
  Status readTransaction(std::string_view doing, Body&& body) {
    if (Status begun = exec("BEGIN", doing); !begun) return begun;
    Status done = body();
    if (done) done = exec("COMMIT", doing);
    if (!done) rollback();
    return done;
  }

  Status migrate() {
    return writeTransaction("creating its tables", [&]() -> Status {
      // Read again under the lock: another program may have got here first.
      Result<std::int64_t> version = pragmaInteger("PRAGMA user_version");
      if (!version) return version.error();
      if (*version > kSchemaVersion) return newerError(*version);
      if (*version == 0) {
        Statement tables(db, "SELECT count(*) FROM sqlite_master");
        if (!tables.step()) return fileError(tables.rc(), "reading its tables");
        if (tables.integer(0) != 0) return foreignError();
      }
      for (std::int64_t v = *version; v < kSchemaVersion; ++v) {
        if (Status step = exec(kMigrations[v], "upgrading its tables"); !step) return step;
      }
      if (*version != kSchemaVersion) {
        std::string set = "PRAGMA application_id = " + std::to_string(kApplicationId) +
                          "; PRAGMA user_version = " + std::to_string(kSchemaVersion);
        if (Status stamped = exec(set.c_str(), "upgrading its tables"); !stamped) return stamped;
      }
      return Status::ok();
    });
  }

  /// Whether the file is a history this build may use, by reading only.
  /// One read transaction, so a file another program is creating at this
  /// moment is seen before or after, never half made.
  Status checkItIsOurs() {
    return readTransaction("reading its header", [&]() -> Status {
      Result<std::int64_t> appId = pragmaInteger("PRAGMA application_id");
      if (!appId) return appId.error();
      if (*appId != 0 && *appId != kApplicationId) {
        std::ostringstream id;
        id << std::hex << "0x" << *appId;
        return plainError("not a Podscope history: an SQLite database of another program (application id " +
                          id.str() + ")" + kLeftAlone + "; choose another file");
      }
      Result<std::int64_t> version = pragmaInteger("PRAGMA user_version");
      if (!version) return version.error();
      if (*version > kSchemaVersion) return newerError(*version);
      Statement schema(db, "SELECT count(*) FROM sqlite_master");
      if (!schema.step()) return fileError(schema.rc() == SQLITE_OK ? SQLITE_CORRUPT : schema.rc(), "reading its tables");
      if (*version == 0 && schema.integer(0) != 0) return foreignError();
      return Status::ok();
    });
  }

  Error foreignError() const {
    return plainError("not a Podscope history: an SQLite database of another program (it has tables but no "
                      "Podscope version)" + std::string(kLeftAlone) + "; choose another file");
  }

  Error newerError(std::int64_t version) const {
    return plainError("written by a newer Podscope: the history schema is version " + std::to_string(version) +
                      ", this Podscope reads versions up to " + std::to_string(kSchemaVersion) + kLeftAlone +
                      "; use a newer Podscope or choose another file");
  }

  // --- rows ----------------------------------------------------------------

  struct DeploymentRow {
    std::int64_t id = 0;
    DeploymentSummary summary;
  };

  Result<std::optional<DeploymentRow>> findDeployment(const DeploymentKey& key) {
    Statement s(db,
                "SELECT d.id, d.manifest_path, d.current_revision, d.revision_history_limit, d.updated_ms, "
                "(SELECT count(*) FROM revisions r WHERE r.deployment_id = d.id) "
                "FROM deployments d WHERE d.namespace = ? AND d.name = ?");
    s.bind(1, key.ns).bind(2, key.name);
    if (!s.step()) {
      if (s.rc() != SQLITE_OK) return fileError(s.rc(), "reading a deployment");
      return std::optional<DeploymentRow>();
    }
    DeploymentRow row;
    row.id = s.integer(0);
    row.summary.key = key;
    row.summary.manifestPath = s.text(1);
    row.summary.currentRevision = s.integer(2);
    row.summary.revisionHistoryLimit = static_cast<int>(s.integer(3));
    row.summary.updatedMs = s.integer(4);
    row.summary.revisionCount = s.integer(5);
    return std::optional<DeploymentRow>(std::move(row));
  }

  struct RevisionRowIds {
    std::vector<Revision> revisions;
    std::vector<std::int64_t> ids;  ///< the row id of each revision, same order
  };

  Result<RevisionRowIds> loadRevisions(std::int64_t deploymentId) {
    Statement s(db,
                "SELECT id, number, template_hash, template_yaml, change_cause, images, revision_history, "
                "created_ms, numbered_ms, outcome, record_ref FROM revisions WHERE deployment_id = ? ORDER BY number");
    s.bind(1, deploymentId);
    RevisionRowIds out;
    while (s.step()) {
      Revision r;
      r.number = s.integer(1);
      r.templateHash = s.text(2);
      r.templateYaml = s.text(3);
      r.changeCause = s.text(4);
      r.images = splitImages(s.text(5));
      std::optional<std::vector<std::int64_t>> history = parseRevisionHistory(s.text(6));
      std::optional<RevisionOutcome> outcome = revisionOutcomeFromString(s.text(9));
      if (!history || !outcome) {
        return plainError("the history database holds a revision it cannot read (revision " +
                          std::to_string(r.number) + ": revision_history '" + s.text(6) + "', outcome '" + s.text(9) +
                          "')" + kLeftAlone);
      }
      r.revisionHistory = std::move(*history);
      r.createdMs = s.integer(7);
      r.numberedMs = s.integer(8);
      r.outcome = *outcome;
      r.recordRef = s.text(10);
      out.ids.push_back(s.integer(0));
      out.revisions.push_back(std::move(r));
    }
    if (s.rc() != SQLITE_OK) return fileError(s.rc(), "reading revisions");
    return out;
  }

  Status run(Statement& s, std::string_view doing) {
    s.step();
    if (s.rc() != SQLITE_OK) return fileError(s.rc(), doing);
    return Status::ok();
  }

  Status updateRevisionField(const DeploymentKey& key, std::int64_t revision, const char* column,
                             std::string_view value) {
    return writeTransaction("updating a revision", [&]() -> Status {
      Result<std::optional<DeploymentRow>> d = findDeployment(key);
      if (!d) return d.error();
      std::string sql = std::string("UPDATE revisions SET ") + column + " = ? WHERE deployment_id = ? AND number = ?";
      Statement s(db, sql);
      s.bind(1, value).bind(2, *d ? (*d)->id : -1).bind(3, revision);
      if (Status ran = run(s, "updating a revision"); !ran) return ran;
      if (sqlite3_changes(db) == 0) {
        return plainError(deploymentRef(key.name) + " in namespace " + key.ns + " has no revision " +
                          std::to_string(revision) + " in its history");
      }
      return Status::ok();
    });
  }
};

std::string HistoryStore::defaultPath() {
  // The XDG base directory specification ignores a relative path.
  const char* data = std::getenv("XDG_DATA_HOME");
  if (data && data[0] == '/') return std::string(data) + "/podscope/history.sqlite";
  const char* home = std::getenv("HOME");
  if (home && home[0] == '/') return std::string(home) + "/.local/share/podscope/history.sqlite";
  return {};
}

HistoryStore::HistoryStore(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
HistoryStore::HistoryStore(HistoryStore&&) noexcept = default;
HistoryStore& HistoryStore::operator=(HistoryStore&&) noexcept = default;
HistoryStore::~HistoryStore() = default;

const std::string& HistoryStore::path() const { return m_impl->path; }

Result<HistoryStore> HistoryStore::open(const std::string& path, HistoryStoreOptions options) {
  namespace fs = std::filesystem;
  auto impl = std::make_unique<Impl>();
  impl->path = path;
  impl->options = std::move(options);
  if (path.empty()) {
    return Error{"no history file: set XDG_DATA_HOME or HOME to an absolute path, or name the file"};
  }

  std::error_code ec;
  fs::path parent = fs::path(path).parent_path();
  if (!parent.empty() && !fs::exists(parent, ec)) {
    if (Status made = makePrivateDirectories(parent.string()); !made) return impl->plainError(made.error().message);
  }

  // Look at the file before SQLite does: something that is not an SQLite
  // database must never be opened by it, let alone written to.
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd >= 0) {
    struct stat st{};
    char header[16] = {};
    ssize_t got = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) ? ::read(fd, header, sizeof header) : -1;
    ::close(fd);
    if (!S_ISREG(st.st_mode)) return impl->plainError("not a Podscope history: not a regular file");
    if (got != 0 && (got != static_cast<ssize_t>(sizeof header) ||
                     std::string_view(header, sizeof header) != kSqliteHeader)) {
      return impl->plainError("not a Podscope history: the file is not an SQLite database" + std::string(kLeftAlone) +
                              "; move it away or choose another file");
    }
  } else if (errno == ENOENT) {
    // Created here so it is the user's alone whatever the umask; SQLite
    // gives its -wal and -shm files the database's permissions.
    fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0 && errno != EEXIST) {
      return impl->plainError(std::string("cannot create the history file: ") + std::strerror(errno));
    }
    if (fd >= 0) {
      ::fchmod(fd, 0600);
      ::close(fd);
    }
  } else {
    return impl->plainError(std::string("cannot open the history file: ") + std::strerror(errno));
  }

  int rc = sqlite3_open_v2(path.c_str(), &impl->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) return impl->fileError(rc, "opening it");
  sqlite3_extended_result_codes(impl->db, 1);
  sqlite3_busy_timeout(impl->db, impl->options.busyTimeoutMs);

  // Read-only checks first: a file this build must not touch stays as it is.
  if (Status readable = impl->checkItIsOurs(); !readable) return readable.error();

  // Switching a new file to WAL needs it to itself for a moment, and SQLite
  // answers "busy" at once rather than wait when another connection is
  // opening it too: try again for as long as a write would wait.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(impl->options.busyTimeoutMs);
  while (true) {
    Statement wal(impl->db, "PRAGMA journal_mode = WAL");
    if (wal.step()) {
      if (wal.text(0) == "wal") break;
      return impl->plainError("cannot switch the history database to write-ahead logging (journal mode stays " +
                              wal.text(0) + ")");
    }
    int rc = wal.rc() & 0xff;
    if ((rc != SQLITE_BUSY && rc != SQLITE_LOCKED) || std::chrono::steady_clock::now() >= deadline) {
      return impl->fileError(wal.rc(), "switching it to write-ahead logging");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  // FULL: a committed revision survives a power cut, not only a crash.
  if (Status s = impl->exec("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON", "setting it up"); !s) return s.error();
  if (Status migrated = impl->migrate(); !migrated) return migrated.error();
  return HistoryStore(std::move(impl));
}

Result<RecordResult> HistoryStore::record(const DeploymentKey& key, const AppliedTemplate& applied) {
  std::lock_guard lock(m_impl->mutex);
  Impl& d = *m_impl;
  RecordResult result;
  Status done = d.writeTransaction("recording a revision", [&]() -> Status {
    std::int64_t now = d.now();
    Result<std::optional<Impl::DeploymentRow>> found = d.findDeployment(key);
    if (!found) return found.error();
    std::int64_t deploymentId = 0;
    std::int64_t current = 0;
    if (*found) {
      deploymentId = (*found)->id;
      current = (*found)->summary.currentRevision;
    } else {
      Statement ins(d.db,
                    "INSERT INTO deployments (namespace, name, manifest_path, current_revision, "
                    "revision_history_limit, updated_ms) VALUES (?, ?, ?, 0, ?, ?)");
      ins.bind(1, key.ns).bind(2, key.name).bind(3, applied.manifestPath).bind(4, applied.revisionHistoryLimit).bind(5, now);
      if (Status ran = d.run(ins, "adding a deployment"); !ran) return ran;
      deploymentId = sqlite3_last_insert_rowid(d.db);
    }

    Result<Impl::RevisionRowIds> loaded = d.loadRevisions(deploymentId);
    if (!loaded) return loaded.error();
    std::vector<Revision>& revisions = loaded->revisions;
    ApplyDecision decision = decideApply(revisions, current, applied.templateHash);

    std::size_t matched = revisions.size();
    for (std::size_t i = 0; i < revisions.size(); ++i) {
      if (revisions[i].templateHash == applied.templateHash) matched = i;
    }
    if (matched < revisions.size() && revisions[matched].templateYaml != applied.templateYaml) {
      return d.plainError("template hash " + applied.templateHash + " of " + deploymentRef(key.name) +
                          " is already revision " + std::to_string(revisions[matched].number) +
                          "'s, whose template differs: hash the template with a collision count");
    }

    switch (decision.kind) {
      case ApplyDecision::Kind::Unchanged: {
        const Revision& r = revisions[matched];
        if (!applied.changeCause.empty() && applied.changeCause != r.changeCause) {
          Statement up(d.db, "UPDATE revisions SET change_cause = ? WHERE id = ?");
          up.bind(1, applied.changeCause).bind(2, loaded->ids[matched]);
          if (Status ran = d.run(up, "updating a revision"); !ran) return ran;
        }
        break;
      }
      case ApplyDecision::Kind::Renumbered: {
        Revision& r = revisions[matched];
        std::vector<std::int64_t> history =
            decision.number == r.number ? r.revisionHistory : appendRevisionHistory(r.revisionHistory, r.number);
        Statement up(d.db,
                     "UPDATE revisions SET number = ?, revision_history = ?, numbered_ms = ?, outcome = ?, "
                     "record_ref = ?, change_cause = ? WHERE id = ?");
        up.bind(1, decision.number)
            .bind(2, joinRevisionHistory(history))
            .bind(3, now)
            .bind(4, toString(RevisionOutcome::Progressing))
            .bind(5, applied.recordRef)
            .bind(6, applied.changeCause.empty() ? r.changeCause : applied.changeCause)
            .bind(7, loaded->ids[matched]);
        if (Status ran = d.run(up, "renumbering a revision"); !ran) return ran;
        r.number = decision.number;
        break;
      }
      case ApplyDecision::Kind::Created: {
        Statement ins(d.db,
                      "INSERT INTO revisions (deployment_id, number, template_hash, template_yaml, change_cause, "
                      "images, revision_history, created_ms, numbered_ms, outcome, record_ref) "
                      "VALUES (?, ?, ?, ?, ?, ?, '', ?, ?, ?, ?)");
        ins.bind(1, deploymentId)
            .bind(2, decision.number)
            .bind(3, applied.templateHash)
            .bind(4, applied.templateYaml)
            .bind(5, applied.changeCause)
            .bind(6, joinImages(applied.images))
            .bind(7, now)
            .bind(8, now)
            .bind(9, toString(RevisionOutcome::Progressing))
            .bind(10, applied.recordRef);
        if (Status ran = d.run(ins, "adding a revision"); !ran) return ran;
        Revision added;
        added.number = decision.number;
        revisions.push_back(std::move(added));
        break;
      }
    }

    result.pruned = revisionsToPrune(revisions, decision.number, applied.revisionHistoryLimit);
    for (std::int64_t number : result.pruned) {
      Statement del(d.db, "DELETE FROM revisions WHERE deployment_id = ? AND number = ?");
      del.bind(1, deploymentId).bind(2, number);
      if (Status ran = d.run(del, "pruning old revisions"); !ran) return ran;
    }

    Statement up(d.db,
                 "UPDATE deployments SET current_revision = ?, revision_history_limit = ?, updated_ms = ?, "
                 "manifest_path = CASE WHEN ? = '' THEN manifest_path ELSE ? END WHERE id = ?");
    up.bind(1, decision.number)
        .bind(2, applied.revisionHistoryLimit)
        .bind(3, now)
        .bind(4, applied.manifestPath)
        .bind(5, applied.manifestPath)
        .bind(6, deploymentId);
    if (Status ran = d.run(up, "updating a deployment"); !ran) return ran;
    result.decision = decision;
    result.message = describeApply(key.name, decision);
    return Status::ok();
  });
  if (!done) return done.error();
  return result;
}

Result<UndoPlan> HistoryStore::undo(const DeploymentKey& key, std::int64_t toRevision, const UndoOptions& options) {
  Result<std::optional<DeploymentHistory>> found = history(key);
  if (!found) return found.error();
  std::vector<Revision> revisions;
  std::string currentHash;
  if (*found) {
    revisions = std::move((*found)->revisions);
    for (const Revision& r : revisions) {
      if (r.number == (*found)->deployment.currentRevision) currentHash = r.templateHash;
    }
  }
  if (options.currentTemplateHash) currentHash = *options.currentTemplateHash;
  return planUndo(key.name, revisions, currentHash, toRevision, options.paused);
}

Status HistoryStore::setOutcome(const DeploymentKey& key, std::int64_t revision, RevisionOutcome outcome) {
  std::lock_guard lock(m_impl->mutex);
  return m_impl->updateRevisionField(key, revision, "outcome", toString(outcome));
}

Status HistoryStore::setRecordRef(const DeploymentKey& key, std::int64_t revision, std::string_view recordRef) {
  std::lock_guard lock(m_impl->mutex);
  return m_impl->updateRevisionField(key, revision, "record_ref", recordRef);
}

Result<std::vector<DeploymentSummary>> HistoryStore::listDeployments() {
  std::lock_guard lock(m_impl->mutex);
  Impl& d = *m_impl;
  std::vector<DeploymentSummary> out;
  Status done = d.readTransaction("listing deployments", [&]() -> Status {
    Statement s(d.db,
                "SELECT d.namespace, d.name, d.manifest_path, d.current_revision, d.revision_history_limit, "
                "d.updated_ms, (SELECT count(*) FROM revisions r WHERE r.deployment_id = d.id) "
                "FROM deployments d ORDER BY d.namespace, d.name");
    while (s.step()) {
      DeploymentSummary summary;
      summary.key = {s.text(0), s.text(1)};
      summary.manifestPath = s.text(2);
      summary.currentRevision = s.integer(3);
      summary.revisionHistoryLimit = static_cast<int>(s.integer(4));
      summary.updatedMs = s.integer(5);
      summary.revisionCount = s.integer(6);
      out.push_back(std::move(summary));
    }
    if (s.rc() != SQLITE_OK) return d.fileError(s.rc(), "listing deployments");
    return Status::ok();
  });
  if (!done) return done.error();
  return out;
}

Result<std::optional<DeploymentHistory>> HistoryStore::history(const DeploymentKey& key) {
  std::lock_guard lock(m_impl->mutex);
  Impl& d = *m_impl;
  std::optional<DeploymentHistory> out;
  Status done = d.readTransaction("reading a history", [&]() -> Status {
    Result<std::optional<Impl::DeploymentRow>> found = d.findDeployment(key);
    if (!found) return found.error();
    if (!*found) return Status::ok();
    Result<Impl::RevisionRowIds> loaded = d.loadRevisions((*found)->id);
    if (!loaded) return loaded.error();
    out = DeploymentHistory{std::move((*found)->summary), std::move(loaded->revisions)};
    return Status::ok();
  });
  if (!done) return done.error();
  return out;
}

Result<bool> HistoryStore::removeDeployment(const DeploymentKey& key) {
  std::lock_guard lock(m_impl->mutex);
  Impl& d = *m_impl;
  bool removed = false;
  Status done = d.writeTransaction("deleting a history", [&]() -> Status {
    Result<std::optional<Impl::DeploymentRow>> found = d.findDeployment(key);
    if (!found) return found.error();
    if (!*found) return Status::ok();
    Statement revs(d.db, "DELETE FROM revisions WHERE deployment_id = ?");
    revs.bind(1, (*found)->id);
    if (Status ran = d.run(revs, "deleting a history"); !ran) return ran;
    Statement dep(d.db, "DELETE FROM deployments WHERE id = ?");
    dep.bind(1, (*found)->id);
    if (Status ran = d.run(dep, "deleting a history"); !ran) return ran;
    removed = true;
    return Status::ok();
  });
  if (!done) return done.error();
  return removed;
}

Result<std::string> HistoryStore::integrityCheck() {
  std::lock_guard lock(m_impl->mutex);
  Statement s(m_impl->db, "PRAGMA integrity_check");
  std::string out;
  while (s.step()) {
    if (!out.empty()) out += '\n';
    out += s.text(0);
  }
  if (s.rc() != SQLITE_OK) return m_impl->fileError(s.rc(), "checking it");
  return out;
}

}  // namespace podscope::core
