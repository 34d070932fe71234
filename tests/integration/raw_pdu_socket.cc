#include "raw_pdu_socket.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <cstdio>
#include <cstdlib>

#include "port/iscsi/bhs.h"

namespace openstmf::testing {

int Dial(const char* host, int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  inet_pton(AF_INET, host, &a.sin_addr);
  if (connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a)) != 0) {
    std::perror("connect");
    std::exit(1);
  }
  return fd;
}

void SendAll(int fd, const std::vector<uint8_t>& b) {
  size_t off = 0;
  while (off < b.size()) {
    ssize_t n = send(fd, b.data() + off, b.size() - off, MSG_NOSIGNAL);
    if (n <= 0) return;
    off += static_cast<size_t>(n);
  }
}

bool ReadN(int fd, uint8_t* p, size_t n) {
  size_t got = 0;
  while (got < n) {
    pollfd pfd{fd, POLLIN, 0};
    if (poll(&pfd, 1, 5000) <= 0) return false;
    ssize_t r = recv(fd, p + got, n - got, 0);
    if (r <= 0) return false;
    got += static_cast<size_t>(r);
  }
  return true;
}

bool ReadPdu(int fd, uint8_t* bhs, std::vector<uint8_t>* data) {
  using namespace openstmf::iscsi;  // NOLINT(google-build-using-namespace)
  if (!ReadN(fd, bhs, kBhsSize)) return false;
  BhsView h(bhs);
  size_t len = h.total_ahs_length() + h.data_segment_length();
  len += PadLength(len);
  data->resize(len);
  return len == 0 || ReadN(fd, data->data(), len);
}

}  // namespace openstmf::testing
