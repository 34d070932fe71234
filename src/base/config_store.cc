#include "base/config_store.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

namespace openstmf {
namespace {

constexpr int kSchemaVersion = 1;

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS meta(name TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT OR IGNORE INTO meta VALUES('schema_version', '1');
CREATE TABLE IF NOT EXISTS objects(
  kind TEXT NOT NULL, key TEXT NOT NULL, PRIMARY KEY(kind, key));
CREATE TABLE IF NOT EXISTS properties(
  kind TEXT NOT NULL, key TEXT NOT NULL, name TEXT NOT NULL, value TEXT NOT NULL,
  PRIMARY KEY(kind, key, name),
  FOREIGN KEY(kind, key) REFERENCES objects(kind, key) ON DELETE CASCADE);
)sql";

// A prepared statement that finalises itself.
class Stmt {
 public:
  Stmt(sqlite3* db, const char* sql) { rc_ = sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr); }
  ~Stmt() { sqlite3_finalize(stmt_); }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  bool ok() const { return rc_ == SQLITE_OK; }
  Stmt& Bind(int i, const std::string& s) {
    if (rc_ == SQLITE_OK) {
      rc_ = sqlite3_bind_text(stmt_, i, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
    }
    return *this;
  }
  // SQLITE_ROW, SQLITE_DONE or an error code.
  int Step() { return rc_ == SQLITE_OK ? sqlite3_step(stmt_) : rc_; }
  void Reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  std::string Text(int col) const {
    const auto* p = sqlite3_column_text(stmt_, col);
    return p == nullptr ? std::string()
                        : std::string(reinterpret_cast<const char*>(p),
                                      static_cast<size_t>(sqlite3_column_bytes(stmt_, col)));
  }

 private:
  sqlite3_stmt* stmt_ = nullptr;
  int rc_ = SQLITE_OK;
};

// The file holds CHAP secrets: create it owner-only before SQLite does.
Status CreateOwnerOnly(const std::string& path) {
  int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return Status::FromErrno(errno, "creating configuration database " + path);
  const bool chmod_ok = fchmod(fd, 0600) == 0;
  const int err = errno;
  close(fd);
  if (!chmod_ok) return Status::FromErrno(err, "restricting permissions of " + path);
  return Status::Ok();
}

}  // namespace

Result<std::unique_ptr<ConfigStore>> ConfigStore::Open(const std::string& path) {
  RETURN_IF_ERROR(CreateOwnerOnly(path));
  sqlite3* db = nullptr;
  int rc =
      sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX, nullptr);
  std::unique_ptr<ConfigStore> store(new ConfigStore(path, db));
  if (rc != SQLITE_OK) return store->Error("opening");
  sqlite3_busy_timeout(db, 5000);
  // A damaged file must be reported, not silently rebuilt.
  {
    Stmt check(db, "PRAGMA quick_check");
    if (check.Step() != SQLITE_ROW) return store->Error("checking");
    if (check.Text(0) != "ok") {
      return Status(Code::kCorrupt,
                    "configuration database " + path + " is damaged: " + check.Text(0));
    }
  }
  RETURN_IF_ERROR(store->Exec("PRAGMA journal_mode=WAL"));
  RETURN_IF_ERROR(store->Exec("PRAGMA synchronous=FULL"));
  RETURN_IF_ERROR(store->Exec("PRAGMA foreign_keys=ON"));
  RETURN_IF_ERROR(store->Exec(kSchema));
  Stmt version(db, "SELECT value FROM meta WHERE name = 'schema_version'");
  if (version.Step() != SQLITE_ROW) return store->Error("reading the schema version of");
  const std::string v = version.Text(0);
  if (v != std::to_string(kSchemaVersion)) {
    return Status(Code::kCorrupt, "configuration database " + path + " has schema version " + v +
                                      "; this openstmf reads version " +
                                      std::to_string(kSchemaVersion));
  }
  return store;
}

ConfigStore::~ConfigStore() { sqlite3_close_v2(db_); }

Status ConfigStore::Error(const char* what) const {
  const int code = db_ != nullptr ? sqlite3_errcode(db_) : SQLITE_CANTOPEN;
  const char* msg = db_ != nullptr ? sqlite3_errmsg(db_) : "cannot open";
  const Code c = (code == SQLITE_CORRUPT || code == SQLITE_NOTADB)  ? Code::kCorrupt
                 : (code == SQLITE_FULL)                            ? Code::kResourceExhausted
                 : (code == SQLITE_READONLY || code == SQLITE_PERM) ? Code::kPermissionDenied
                                                                    : Code::kIoError;
  return Status(c, std::string(what) + " configuration database " + path_ + ": " + msg);
}

Status ConfigStore::Exec(const char* sql) const {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    Status s = Error("updating");
    sqlite3_free(err);
    return s;
  }
  return Status::Ok();
}

Status ConfigStore::Apply(const std::vector<ConfigChange>& changes) {
  RETURN_IF_ERROR(Exec("BEGIN IMMEDIATE"));
  Stmt del(db_, "DELETE FROM objects WHERE kind = ?1 AND key = ?2");
  Stmt put(db_, "INSERT INTO objects(kind, key) VALUES(?1, ?2)");
  Stmt prop(db_, "INSERT INTO properties(kind, key, name, value) VALUES(?1, ?2, ?3, ?4)");
  bool ok = del.ok() && put.ok() && prop.ok();
  for (const ConfigChange& c : changes) {
    if (!ok) break;
    del.Reset();
    ok = del.Bind(1, c.kind).Bind(2, c.key).Step() == SQLITE_DONE;
    if (!ok || c.op == ConfigChange::Op::kDelete) continue;
    put.Reset();
    ok = put.Bind(1, c.kind).Bind(2, c.key).Step() == SQLITE_DONE;
    for (const auto& [name, value] : c.props) {
      if (!ok) break;
      prop.Reset();
      ok = prop.Bind(1, c.kind).Bind(2, c.key).Bind(3, name).Bind(4, value).Step() == SQLITE_DONE;
    }
  }
  if (!ok) {
    Status s = Error("updating");
    (void)Exec("ROLLBACK");
    return s;
  }
  return Exec("COMMIT");
}

Result<std::optional<Properties>> ConfigStore::Get(const std::string& kind,
                                                   const std::string& key) const {
  Stmt obj(db_, "SELECT 1 FROM objects WHERE kind = ?1 AND key = ?2");
  int rc = obj.Bind(1, kind).Bind(2, key).Step();
  if (rc == SQLITE_DONE) return std::optional<Properties>();
  if (rc != SQLITE_ROW) return Error("reading");
  Stmt q(db_, "SELECT name, value FROM properties WHERE kind = ?1 AND key = ?2");
  q.Bind(1, kind).Bind(2, key);
  Properties props;
  while ((rc = q.Step()) == SQLITE_ROW) props.emplace(q.Text(0), q.Text(1));
  if (rc != SQLITE_DONE) return Error("reading");
  return std::optional<Properties>(std::move(props));
}

Result<std::vector<std::pair<std::string, Properties>>> ConfigStore::List(
    const std::string& kind) const {
  std::vector<std::pair<std::string, Properties>> out;
  Stmt objs(db_, "SELECT key FROM objects WHERE kind = ?1 ORDER BY key");
  objs.Bind(1, kind);
  int rc;
  while ((rc = objs.Step()) == SQLITE_ROW) out.emplace_back(objs.Text(0), Properties{});
  if (rc != SQLITE_DONE) return Error("reading");
  Stmt props(db_, "SELECT key, name, value FROM properties WHERE kind = ?1 ORDER BY key");
  props.Bind(1, kind);
  size_t i = 0;
  while ((rc = props.Step()) == SQLITE_ROW) {
    const std::string key = props.Text(0);
    while (i < out.size() && out[i].first < key) ++i;
    if (i < out.size() && out[i].first == key) out[i].second.emplace(props.Text(1), props.Text(2));
  }
  if (rc != SQLITE_DONE) return Error("reading");
  return out;
}

}  // namespace openstmf
