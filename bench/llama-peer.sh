# Sourced by the scripts that measure Euclid against native llama.cpp on llama-quantize's files
# (q4-compare.sh, int8-activations.sh). Expects $root (the repository) and $work (a cache folder);
# sets $bin (the peer build: ../shared/peers/llama.cpp/bin, or LLAMA_BIN) and $cli (Euclid's CLI).
bin="${LLAMA_BIN:-$root/../shared/peers/llama.cpp/bin}"
cli=(java -jar "$root/target/euclid-cli.jar")
mkdir -p "$work"

# peer_files SHAPE TYPE...: the synthetic SHAPE as an F16 GGUF ($work/SHAPE-f16.gguf) and, made by
# llama-quantize from the same weights (`euclid synthetic --llama-bin`), one file per TYPE
# ($work/SHAPE-TYPE.gguf); existing files are kept.
peer_files() {
    local shape=$1 q
    shift
    local f16="$work/$shape-f16.gguf"
    [ -f "$f16" ] || "${cli[@]}" synthetic --shape "$shape" --format gguf --dtype F16 --out "$f16"
    for q in "$@"; do
        [ -f "$work/$shape-$q.gguf" ] || "${cli[@]}" synthetic --shape "$shape" --format gguf --dtype "$q" \
            --llama-bin "$bin" --out "$work/$shape-$q.gguf"
    done
}
