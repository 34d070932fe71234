// A stmfd management plane without the network: a framework (no event loops), a
// configuration store in a temporary directory and the dispatcher with every
// framework operation registered — what RunDaemon builds, so a test can
// "restart" it on the same store.
#ifndef OPENSTMF_TESTS_UNIT_DAEMON_MGMT_TEST_UTIL_H
#define OPENSTMF_TESTS_UNIT_DAEMON_MGMT_TEST_UTIL_H

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <string>

#include "base/config_store.h"
#include "daemon/mgmt_context.h"
#include "daemon/mgmt_state.h"
#include "daemon/mgmt_stmf.h"
#include "mgmt/server.h"
#include "mgmt/status_codes.h"

namespace openstmf::daemon {

// Makes every later write to the store at path fail, as a full disk would: a
// trigger (installed through a second connection) aborts inserts and deletes.
inline bool InstallFailingTriggers(const std::string& path) {
  sqlite3* db = nullptr;
  if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) {
    sqlite3_close(db);
    return false;
  }
  const char* sql =
      "CREATE TRIGGER fail_insert BEFORE INSERT ON objects "
      "BEGIN SELECT RAISE(ABORT, 'injected failure'); END;"
      "CREATE TRIGGER fail_delete BEFORE DELETE ON objects "
      "BEGIN SELECT RAISE(ABORT, 'injected failure'); END;";
  const bool ok = sqlite3_exec(db, sql, nullptr, nullptr, nullptr) == SQLITE_OK;
  sqlite3_close(db);
  return ok;
}

class MgmtFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/openstmf-mgmt-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    options_.state_dir = dir_;
    Start();
  }
  void TearDown() override {
    Stop();
    std::filesystem::remove_all(dir_);
  }

  void Start() {
    auto store = ConfigStore::Open(dir_ + "/config.db");
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
    fw_ = std::make_unique<stmf::Framework>(std::vector<event::EventLoop*>{},
                                            std::vector<event::IoRing*>{});
    state_ = std::make_unique<StmfState>(store_.get());
    ctx_ = MgmtContext{};
    ctx_.framework = fw_.get();
    ctx_.store = store_.get();
    ctx_.options = &options_;
    Status s = LoadStmfConfig(ctx_, *state_);
    ASSERT_TRUE(s.ok()) << s.ToString();
    dispatcher_ = std::make_unique<mgmt::Dispatcher>();
    RegisterStmfOps(*dispatcher_, ctx_, *state_);
  }
  void Stop() {
    dispatcher_.reset();
    state_.reset();
    fw_.reset();
    store_.reset();
  }
  void Restart() {
    Stop();
    Start();
  }

  mgmt::Message Run(const mgmt::Message& req) { return dispatcher_->Run(req, mgmt::Caller{}); }
  uint32_t Code(const mgmt::Message& req) { return mgmt::ReplyStatus(Run(req)); }

  std::string dir_;
  Options options_;
  std::unique_ptr<ConfigStore> store_;
  std::unique_ptr<stmf::Framework> fw_;
  std::unique_ptr<StmfState> state_;
  MgmtContext ctx_;
  std::unique_ptr<mgmt::Dispatcher> dispatcher_;
};

}  // namespace openstmf::daemon

#endif  // OPENSTMF_TESTS_UNIT_DAEMON_MGMT_TEST_UTIL_H
