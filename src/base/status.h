// Status and Result<T>: how every openstmf component reports errors.
//
// A Status is either OK or carries a Code, an errno value where one applies, and a
// message for people. Result<T> holds either a T or a non-OK Status. Both are
// [[nodiscard]]: ignoring an error is a compile error. Exceptions never cross a
// component boundary; these types do.
//
// Thread-safety: values; safe to copy and move between threads.
#ifndef OPENSTMF_BASE_STATUS_H
#define OPENSTMF_BASE_STATUS_H

#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace openstmf {

enum class Code {
  kOk = 0,
  kInvalidArgument,    // the caller's input is wrong (bad value, malformed bytes)
  kNotFound,           // the named object does not exist
  kAlreadyExists,      // the object exists already
  kPermissionDenied,   // the caller may not do this
  kResourceExhausted,  // out of memory, descriptors, space, slots
  kUnavailable,        // the peer or service is not there (try again later)
  kIoError,            // the operating system failed an operation
  kCorrupt,            // stored data does not parse or fails its checks
  kInternal,           // a broken invariant of our own
};

// Human-readable name of a code ("InvalidArgument").
std::string_view CodeName(Code code);

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK
  Status(Code code, std::string message, int sys_errno = 0)
      : code_(code), errno_(sys_errno), message_(std::move(message)) {}

  static Status Ok() { return {}; }
  // An error for a failed system call: code from errno, message "what: strerror".
  static Status FromErrno(int sys_errno, std::string_view what);

  // A copy carrying a component-specific refinement of code() (for example which
  // libstmf error a view conflict is), so callers need not parse messages.
  Status WithDetail(int detail) const {
    Status s = *this;
    s.detail_ = detail;
    return s;
  }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  int sys_errno() const { return errno_; }
  int detail() const { return detail_; }  // 0 unless set with WithDetail
  const std::string& message() const { return message_; }
  // "InvalidArgument: message".
  std::string ToString() const;

 private:
  Code code_ = Code::kOk;
  int errno_ = 0;
  int detail_ = 0;
  std::string message_;
};

// Either a value or an error. Access the value only after checking ok().
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}         // NOLINT(google-explicit-constructor)
  Result(Status status) : v_(std::move(status)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOkStatus;
    return ok() ? kOkStatus : std::get<Status>(v_);
  }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T& operator*() & { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace openstmf

#define OPENSTMF_CONCAT_INNER(a, b) a##b
#define OPENSTMF_CONCAT(a, b) OPENSTMF_CONCAT_INNER(a, b)

// Returns the Status of expr from the enclosing function if it is an error.
#define RETURN_IF_ERROR(expr)                            \
  do {                                                   \
    ::openstmf::Status openstmf_status_ = (expr);        \
    if (!openstmf_status_.ok()) return openstmf_status_; \
  } while (0)

// Evaluates a Result<T> expression; returns its Status on error, else moves the
// value into lhs (which may be a declaration: ASSIGN_OR_RETURN(auto x, f())).
#define ASSIGN_OR_RETURN(lhs, expr) \
  ASSIGN_OR_RETURN_IMPL(OPENSTMF_CONCAT(openstmf_result_, __LINE__), lhs, expr)
#define ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr)                                  \
  auto tmp = (expr);                  /* NOLINT(bugprone-macro-parentheses) */ \
  if (!tmp.ok()) return tmp.status(); /* NOLINT(bugprone-macro-parentheses) */ \
  lhs = std::move(tmp).value()        /* NOLINT(bugprone-macro-parentheses) */

#endif  // OPENSTMF_BASE_STATUS_H
