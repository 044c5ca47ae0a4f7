#!/usr/bin/env bash
# INT8 activations against FP32 activations and native llama.cpp on the same GGUF files,
# alternating: llama.cpp's llama-quantize makes Q8_0 and Q4_0 from one synthetic F16 GGUF; Euclid
# opens them (Q8_0 as INT8 with one scale per row: --weights int8; Q4_0 blocks copied: --weights
# q4_0) with --activations fp32 and int8, and llama-bench / llama-batched-bench measure the same
# files. Per round: prefill of a 512-token prompt and batch-1 decode (Q8_0), 48 sequences decoding
# together (Q8_0), batch-1 decode (Q4_0). Prints one JSON line per measurement.
#   bench/int8-activations.sh [SHAPE (qwen0.5b)] [ROUNDS (2)] [THREADS (2)]
# Needs target/euclid-cli.jar (mvn -B package -DskipTests), a C compiler and the peer build in
# ../shared/peers/llama.cpp/bin (LLAMA_BIN overrides).
set -euo pipefail
shape=${1:-qwen0.5b}
rounds=${2:-2}
threads=${3:-2}
root="$(cd "$(dirname "$0")/.." && pwd)"
work="${INT8_BENCH_CACHE:-$HOME/.cache/euclid/int8-activations}"
source "$root/bench/llama-peer.sh"
peer_files "$shape" Q8_0 Q4_0
euclid() {  # euclid FILE WEIGHTS ACTIVATIONS BENCH-ARGS...
    local file=$1 weights=$2 activations=$3
    shift 3
    echo "{\"round\": $round, \"file\": \"$(basename "$file" .gguf)\", \"engine\": \"euclid --weights $weights --activations $activations\", \"args\": \"$*\", \"result\": $(
        "${cli[@]}" bench --model "$file" --weights "$weights" --activations "$activations" --threads "$threads" "$@" --json 2>/dev/null)}"
}
llama() {  # llama FILE TOOL ARGS...
    local file=$1 tool=$2
    shift 2
    echo "{\"round\": $round, \"file\": \"$(basename "$file" .gguf)\", \"engine\": \"$tool\", \"args\": \"$*\", \"result\": $(
        LD_LIBRARY_PATH="$bin" "$bin/$tool" -m "$file" "$@" 2>/dev/null | grep '^{' | tr '\n' ',' | sed 's/,$//; s/^/[/; s/$/]/')}"
}
q8="$work/$shape-Q8_0.gguf"
q4="$work/$shape-Q4_0.gguf"
for round in $(seq "$rounds"); do
    for a in fp32 int8; do euclid "$q8" int8 "$a" --prompt-tokens 512 --gen-tokens 32 --runs 3; done
    llama "$q8" llama-bench -t "$threads" -p 512 -n 32 -r 3 -o jsonl
    for a in fp32 int8; do euclid "$q8" int8 "$a" --batch 48 --prompt-tokens 32 --gen-tokens 64 --runs 2; done
    llama "$q8" llama-batched-bench -npp 32 -ntg 64 -npl 48 -c 8192 -t "$threads" -tb "$threads" --output-format jsonl
    for a in fp32 int8; do euclid "$q4" q4_0 "$a" --prompt-tokens 128 --gen-tokens 64 --runs 3; done
    llama "$q4" llama-bench -t "$threads" -p 128 -n 64 -r 3 -o jsonl
done
