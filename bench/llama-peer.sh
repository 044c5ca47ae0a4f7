# Sourced by the scripts that measure Euclid against native llama.cpp on llama-quantize's files
# (q4-compare.sh, int8-activations.sh). Expects $root (the repository) and $work (a cache folder);
# sets $bin (the peer build: ../shared/peers/llama.cpp/bin, or LLAMA_BIN) and $cli (Euclid's CLI).
bin="${LLAMA_BIN:-$root/../shared/peers/llama.cpp/bin}"
cli=(java -jar "$root/target/euclid-cli.jar")
mkdir -p "$work"
# This peer build loads its CPU backend as a plugin and llama-quantize never asks for it (it
# crashes in llama_model_loader::init_mappings): a preload library loads the backends first.
printf 'void ggml_backend_load_all(void);\n__attribute__((constructor)) static void load(void) { ggml_backend_load_all(); }\n' \
    > "$work/load_backends.c"
cc -shared -fPIC -o "$work/load_backends.so" "$work/load_backends.c" -L"$bin" -lggml

# peer_files SHAPE THREADS TYPE...: the synthetic SHAPE as an F16 GGUF and, quantised from it by
# llama-quantize, one file per TYPE ($work/SHAPE-TYPE.gguf); existing files are kept.
peer_files() {
    local shape=$1 threads=$2 q
    shift 2
    local f16="$work/$shape-f16.gguf"
    [ -f "$f16" ] || "${cli[@]}" synthetic --shape "$shape" --format gguf --dtype F16 --out "$f16"
    for q in "$@"; do
        [ -f "$work/$shape-$q.gguf" ] || LD_LIBRARY_PATH="$bin" LD_PRELOAD="$work/load_backends.so" \
            "$bin/llama-quantize" "$f16" "$work/$shape-$q.gguf" "$q" "$threads" > "$work/$shape-$q.log" 2>&1
    done
}
