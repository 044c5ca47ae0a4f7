// The synthetic model shapes the native benchmarks run, as
// src/main/java/dev/euclid/synthetic/ModelShape.java defines them.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>

#include "euclid/euclid.h"

namespace euclid::bench {

// qwen0.5b or 1b (exits with a message on any other name); max_seq_len is left 0.
inline ModelConfig shape_named(const std::string& name) {
    ModelConfig c;
    if (name == "qwen0.5b") {
        c.dim = 896, c.hidden_dim = 4864, c.n_layers = 24, c.n_heads = 14, c.n_kv_heads = 2;
    } else if (name == "1b") {
        c.dim = 2048, c.hidden_dim = 8192, c.n_layers = 16, c.n_heads = 32, c.n_kv_heads = 8;
    } else {
        std::fprintf(stderr, "unknown shape %s (qwen0.5b, 1b)\n", name.c_str());
        std::exit(2);
    }
    c.head_dim = 64;
    c.vocab_size = 32000;
    return c;
}

}  // namespace euclid::bench
