#!/usr/bin/env bash
# Line and branch coverage that the fuzz corpora reach in the native readers:
# replays target/fuzz/corpus/TARGET (grown by scripts/fuzz.sh) plus the seeds
# through a build with clang source-based coverage, then prints llvm-cov's
# report for the files the targets exist to test.
#
#   scripts/fuzz-coverage.sh [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."

targets=("$@")
[[ ${#targets[@]} -gt 0 ]] || targets=(fuzz_engine_file fuzz_tensor_file)
build=$PWD/target/fuzz-coverage-build
work=$PWD/target/fuzz
command -v llvm-cov >/dev/null || { echo "error: llvm-cov not found; run scripts/install-fuzz-deps.sh" >&2; exit 1; }

cmake -S native -B "$build" -DCMAKE_CXX_COMPILER=clang++ -DEUCLID_FUZZ=ON -DEUCLID_FUZZ_COVERAGE=ON \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" --parallel >/dev/null

files=(native/src/io/EngineFile.cpp native/src/io/TensorFile.cpp native/src/io/MappedFile.cpp
       native/src/io/Checksum.cpp native/src/model/Model.cpp native/src/quant/Quantize.cpp
       native/src/runtime/NativeMemory.cpp)
for target in "${targets[@]}"; do
    inputs=()
    for dir in "$work/corpus/$target" native/fuzz/seeds/$target "$work/seeds/$target" native/fuzz/regressions/$target; do
        [[ -d $dir ]] && inputs+=("$dir")
    done
    rm -f "$build/$target".*.profraw
    LLVM_PROFILE_FILE="$build/$target.%p.profraw" ASAN_OPTIONS=detect_leaks=0 \
        "$build/fuzz/$target" -runs=0 "${inputs[@]}" >"$build/$target-replay.log" 2>&1
    llvm-profdata merge -sparse "$build/$target".*.profraw -o "$build/$target.profdata"
    echo "== $target: $(find "${inputs[@]}" -type f | wc -l) inputs replayed"
    llvm-cov report "$build/fuzz/$target" -instr-profile="$build/$target.profdata" "${files[@]}" |
        sed -n '1,2p;/\.cpp/p;/^TOTAL/p'
done
