#include "engine/runtime/containerd/sha256.h"

#include <openssl/evp.h>

namespace podscope::engine::containerd {

struct Sha256::State {
  EVP_MD_CTX* context = EVP_MD_CTX_new();
  bool started = false;
  ~State() { EVP_MD_CTX_free(context); }
};

Sha256::Sha256() : m_state(std::make_unique<State>()) {}

Sha256::~Sha256() = default;

void Sha256::update(std::string_view data) {
  if (!m_state->started) {
    EVP_DigestInit_ex(m_state->context, EVP_sha256(), nullptr);
    m_state->started = true;
  }
  EVP_DigestUpdate(m_state->context, data.data(), data.size());
}

std::string Sha256::finishHex() {
  if (!m_state->started) update({});
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_DigestFinal_ex(m_state->context, digest, &length);
  m_state->started = false;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * length);
  for (unsigned int i = 0; i < length; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 0xf];
  }
  return out;
}

std::string sha256Hex(std::string_view data) {
  Sha256 hash;
  hash.update(data);
  return hash.finishHex();
}

}  // namespace podscope::engine::containerd
