#include "cli/itadm/secret.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>

#include "base/unique_fd.h"

namespace openstmf::cli {
namespace {

Status Invalid(std::string msg) { return Status(Code::kInvalidArgument, std::move(msg)); }

// One line from fd without its newline; an empty result at end of input.
std::string ReadLine(int fd) {
  std::string line;
  char c = 0;
  while (read(fd, &c, 1) == 1 && c != '\n') line += c;
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

std::string ReadNoEcho(const char* prompt) {
  std::fputs(prompt, stderr);
  std::fflush(stderr);
  termios old{};
  const bool tty = tcgetattr(STDIN_FILENO, &old) == 0;
  if (tty) {
    termios quiet = old;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
  }
  std::string line = ReadLine(STDIN_FILENO);
  if (tty) tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
  std::fputs("\n", stderr);
  return line;
}

}  // namespace

Status CheckSecretLength(std::string_view secret) {
  if (secret.size() < 12 || secret.size() > 255) {
    return Invalid("secret must be between 12 and 255 characters");
  }
  return Status::Ok();
}

Result<std::string> ReadSecretFile(const std::string& path) {
  UniqueFd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC));
  struct stat st {};
  if (!fd.valid() || fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode)) {
    return Invalid("invalid secret file " + path);
  }
  if (st.st_size > 1024) return Invalid("secret file " + path + " is larger than 1 KiB");
  std::string text(static_cast<size_t>(st.st_size), '\0');
  size_t got = 0;
  while (got < text.size()) {
    ssize_t n = read(fd.get(), text.data() + got, text.size() - got);
    if (n <= 0) return Status(Code::kIoError, "could not read secret file " + path);
    got += static_cast<size_t>(n);
  }
  if (!text.empty() && text.back() == '\n') text.pop_back();
  RETURN_IF_ERROR(CheckSecretLength(text));
  return text;
}

Result<std::string> ReadSecretPrompt(const char* prompt) {
  if (!isatty(STDIN_FILENO)) {
    std::string line = ReadLine(STDIN_FILENO);
    RETURN_IF_ERROR(CheckSecretLength(line));
    return line;
  }
  std::string first = ReadNoEcho(prompt);
  RETURN_IF_ERROR(CheckSecretLength(first));
  std::string again = ReadNoEcho("Re-enter secret: ");
  if (again != first) return Invalid("secret validation failed: the two entries differ");
  return first;
}

}  // namespace openstmf::cli
