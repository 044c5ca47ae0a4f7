#!/usr/bin/env bash
# Builds the native fuzz targets (clang, libFuzzer, ASan + UBSan) and runs each
# for SECONDS (default 60: the short CI run; use 600+ for a real campaign).
#
#   scripts/install-fuzz-deps.sh      # once, on a clean machine (clang, libFuzzer)
#   scripts/fuzz.sh [SECONDS] [TARGET...]
#
# Targets: fuzz_engine_file, fuzz_tensor_file (default: every fuzz_* target the
# build produces, one after the other, so a new target is fuzzed without edits here).
# Before fuzzing, every file in native/fuzz/regressions/TARGET is replayed: those
# are inputs that once failed and must keep passing. The growing corpus lives in
# target/fuzz/corpus/TARGET (kept between runs), the logs in target/fuzz/logs.
# A finding stops the run with the sanitizer report and the input saved under
# target/fuzz/findings/; the script then exits non-zero.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-60}
shift || true
targets=("$@")
root=$PWD
build=$root/target/fuzz-build
work=$root/target/fuzz
models=${EUCLID_SHARED:-$root/../shared}/models

if ! command -v clang++ >/dev/null; then
    echo "error: clang++ not found; run scripts/install-fuzz-deps.sh first" >&2
    exit 1
fi

cmake -S native -B "$build" -DCMAKE_CXX_COMPILER=clang++ -DEUCLID_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" --parallel >/dev/null
if [[ ${#targets[@]} -eq 0 ]]; then
    for bin in "$build"/fuzz/fuzz_*; do [[ -f $bin && -x $bin ]] && targets+=("$(basename "$bin")"); done
    [[ ${#targets[@]} -gt 0 ]] || { echo "error: the build produced no fuzz targets" >&2; exit 1; }
fi

# Engine-file seeds: stories260K converted to every precision, plus a tiny
# Qwen2-shaped synthetic model (QKV bias, tied head). Generated, not committed.
engine_seeds=$work/seeds/fuzz_engine_file
if [[ " ${targets[*]} " == *" fuzz_engine_file "* && ! -s $engine_seeds/tiny-qwen-int8.euclid ]]; then
    [[ -f target/euclid-cli.jar ]] || mvn -B -q package -DskipTests
    mkdir -p "$engine_seeds"
    for w in fp32 bf16 fp16 fp8 int8; do
        java -jar target/euclid-cli.jar build --model "$models/stories260K/stories260K.bin" --weights $w \
            --out "$engine_seeds/stories260K-$w.euclid" >/dev/null
    done
    java -jar target/euclid-cli.jar build --model synthetic:tiny-qwen --weights int8 \
        --out "$engine_seeds/tiny-qwen-int8.euclid" >/dev/null
fi

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}
status=0
for target in "${targets[@]}"; do
    bin=$build/fuzz/$target
    [[ -x $bin ]] || { echo "error: unknown target $target" >&2; exit 1; }
    corpus=$work/corpus/$target
    mkdir -p "$corpus" "$work/logs" "$work/findings/$target"
    regressions=(native/fuzz/regressions/$target/*)
    if [[ -e ${regressions[0]} ]]; then
        echo "$target: replaying ${#regressions[@]} regression inputs"
        "$bin" "${regressions[@]}" >"$work/logs/$target-regressions.log" 2>&1 || {
            echo "$target: a regression input fails again, see $work/logs/$target-regressions.log" >&2
            status=1
            continue
        }
    fi
    seeds=()
    for dir in native/fuzz/seeds/$target $work/seeds/$target; do [[ -d $dir ]] && seeds+=("$dir"); done
    echo "$target: fuzzing for $seconds s"
    log=$work/logs/$target.log
    if ! "$bin" -max_total_time="$seconds" -timeout=10 -print_final_stats=1 \
            -artifact_prefix="$work/findings/$target/" "$corpus" "${seeds[@]}" >"$log" 2>&1; then
        echo "$target: FINDING, see $log and $work/findings/$target/" >&2
        grep -m1 -E "ERROR: |runtime error:|==[0-9]+==" "$log" >&2 || true
        status=1
        continue
    fi
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
    cov=$(grep -oE 'cov: [0-9]+ ft: [0-9]+' "$log" | tail -1)
    edges=$(grep -oE 'Loaded 1 modules +\([0-9]+ inline 8-bit counters\)' "$log" | grep -oE '[0-9]+ inline' | grep -oE '[0-9]+')
    echo "$target: ok: $execs executions ($rate/s), $cov (of $edges instrumented edges), corpus $(ls "$corpus" | wc -l) files"
done
exit $status
