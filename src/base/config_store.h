// ConfigStore: the framework's persistent configuration, in an SQLite database
// (write-ahead log, full synchronous commits) under the state directory.
//
// The store holds objects, each named by (kind, key) — ("lu", GUID),
// ("host-group", name), ("view", "GUID/3") — with a set of string properties.
// Every change goes through Apply(), which commits a whole batch in one
// transaction: after a crash or kill -9 at any moment the database holds either
// all of a batch or none of it. The file is created mode 0600 (it holds CHAP
// secrets). A database that cannot be read is reported with its path and SQLite's
// reason; nothing is discarded silently.
//
// Thread-safety: not thread-safe; one owner (the framework's management thread).
#ifndef OPENSTMF_BASE_CONFIG_STORE_H
#define OPENSTMF_BASE_CONFIG_STORE_H

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/status.h"

struct sqlite3;

namespace openstmf {

using Properties = std::map<std::string, std::string>;

struct ConfigChange {
  enum class Op { kPut, kDelete };
  Op op = Op::kPut;
  std::string kind;
  std::string key;
  Properties props;  // kPut: the object's complete new properties

  static ConfigChange Put(std::string kind, std::string key, Properties props) {
    return {Op::kPut, std::move(kind), std::move(key), std::move(props)};
  }
  static ConfigChange Delete(std::string kind, std::string key) {
    return {Op::kDelete, std::move(kind), std::move(key), {}};
  }
};

class ConfigStore {
 public:
  // Opens (creating if needed) the database at path.
  static Result<std::unique_ptr<ConfigStore>> Open(const std::string& path);
  ~ConfigStore();
  ConfigStore(const ConfigStore&) = delete;
  ConfigStore& operator=(const ConfigStore&) = delete;

  // Applies every change or none. Deleting an absent object is not an error.
  Status Apply(const std::vector<ConfigChange>& changes);

  Result<std::optional<Properties>> Get(const std::string& kind, const std::string& key) const;
  // Objects of a kind, ordered by key.
  Result<std::vector<std::pair<std::string, Properties>>> List(const std::string& kind) const;

  const std::string& path() const { return path_; }

 private:
  ConfigStore(std::string path, sqlite3* db) : path_(std::move(path)), db_(db) {}
  Status Exec(const char* sql) const;
  Status Error(const char* what) const;

  std::string path_;
  sqlite3* db_;
};

}  // namespace openstmf

#endif  // OPENSTMF_BASE_CONFIG_STORE_H
