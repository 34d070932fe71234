// mgmt_client: sends one request to stmfd's management door and prints the
// reply, for the management integration tests.
//
//   mgmt_client DOOR OP [ARG]...
//     name=text      a text field          #name=123   a number field
//     @name=HEX      a GUID (32 hex digits) sent as 16 raw bytes
//     +name=value    one item of the "props" list ({name, value})
// Output: one "field=value" line per reply field (byte fields holding 16 bytes
// named guid in hex; list items as "list.N.field=value"). Exit status: 0 when
// the reply's status is 0, 3 when it is an STMF error (printed as
// status=0x8xxx), 1 when the door cannot be called, 2 on bad arguments.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "mgmt/client.h"
#include "mgmt/message.h"

namespace {

using openstmf::mgmt::Message;

std::string Hex(const std::string& b) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : b) {
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

bool FromHex(const std::string& hex, std::string* out) {
  if (hex.size() % 2 != 0) return false;
  for (size_t i = 0; i < hex.size(); i += 2) {
    char* end = nullptr;
    std::string pair = hex.substr(i, 2);
    long v = std::strtol(pair.c_str(), &end, 16);
    if (*end != '\0') return false;
    out->push_back(static_cast<char>(v));
  }
  return true;
}

void Print(const Message& m, const std::string& prefix) {
  for (const auto& [name, value] : m.fields()) {
    if (const auto* n = std::get_if<uint64_t>(&value)) {
      if (name == "status" && prefix.empty()) {
        std::printf("%s%s=0x%llx\n", prefix.c_str(), name.c_str(),
                    static_cast<unsigned long long>(*n));
      } else {
        std::printf("%s%s=%llu\n", prefix.c_str(), name.c_str(),
                    static_cast<unsigned long long>(*n));
      }
    } else if (const auto* s = std::get_if<std::string>(&value)) {
      const bool raw = name == "guid" && s->size() == 16;
      std::printf("%s%s=%s\n", prefix.c_str(), name.c_str(), raw ? Hex(*s).c_str() : s->c_str());
    } else if (const auto* l = std::get_if<Message::List>(&value)) {
      for (size_t i = 0; i < l->size(); ++i) {
        Print((*l)[i], prefix + name + "." + std::to_string(i) + ".");
      }
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr,
                 "usage: mgmt_client DOOR OP [name=text|#name=N|@name=HEX|+prop=value]...\n");
    return 2;
  }
  Message req(argv[2]);
  for (int i = 3; i < argc; ++i) {
    std::string a = argv[i];
    size_t eq = a.find('=');
    if (eq == std::string::npos || eq == 0) {
      std::fprintf(stderr, "bad argument %s\n", a.c_str());
      return 2;
    }
    std::string name = a.substr(0, eq);
    std::string value = a.substr(eq + 1);
    if (name[0] == '#') {
      req.Set(name.substr(1), static_cast<uint64_t>(std::strtoull(value.c_str(), nullptr, 0)));
    } else if (name[0] == '@') {
      std::string bytes;
      if (!FromHex(value, &bytes)) {
        std::fprintf(stderr, "bad hex in %s\n", a.c_str());
        return 2;
      }
      req.Set(name.substr(1), bytes);
    } else if (name[0] == '+') {
      req.Append("props", Message().Set("name", name.substr(1)).Set("value", value));
    } else {
      req.Set(name, value);
    }
  }
  auto client = openstmf::mgmt::Client::Open(argv[1]);
  if (!client.ok()) {
    std::fprintf(stderr, "%s\n", client.status().ToString().c_str());
    return 1;
  }
  auto reply = client->Call(req);
  if (!reply.ok()) {
    std::fprintf(stderr, "%s\n", reply.status().ToString().c_str());
    return 1;
  }
  Print(*reply, "");
  return openstmf::mgmt::ReplyStatus(*reply) == 0 ? 0 : 3;
}
