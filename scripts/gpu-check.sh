#!/usr/bin/env bash
# The CUDA backend's proof on an NVIDIA GPU (driver R580+ for CUDA 13), in about 8 minutes: the GPU
# test suite (src/test/java/dev/euclid/gpu, run by dev.euclid.gpu.GpuCheck, which fails rather than
# skips where the GPU cannot be used), then decode at batch 1, 8 and 48 and prefill on the qwen0.5b
# and 1b shapes (FP16 weights), written to $GPU_CHECK_OUT (default target/gpu-check) as results.json
# and results.md naming the GPU, the driver and CUDA.
#
# Lent GPU machines have a driver and python3 but no JDK, no Maven and no network, so the check runs
# from a kit built where Maven, a JDK 17+ and nvcc are (no GPU needed there):
#
#   scripts/gpu-check.sh --kit        # builds with the CUDA kernels required and packs gpu-kit/
#                                     # (a jlinked Java runtime, the CLI jar, the GPU tests, stories260K)
#   scripts/gpu-check.sh --from-kit   # on the GPU machine, from the repository root with gpu-kit/
#   scripts/gpu-check.sh              # both, on a GPU machine that has Maven, a JDK and nvcc
#
# GPU_CHECK_BENCH=0 skips the benchmark; GPU_CHECK_MVN_ARGS adds Maven options (-o offline).
set -euo pipefail
cd "$(dirname "$0")/.."
kit=gpu-kit
mode=${1:-all}

find_models() {
    for d in ../shared/models /work/shared/models shared/models; do
        [[ -f $d/stories260K/stories260K.bin ]] && { echo "$d"; return; }
    done
    echo "gpu-check: no shared models (../shared/models, /work/shared/models or shared/models)" >&2
    exit 1
}

build_kit() {
    command -v nvcc >/dev/null || { echo "gpu-check: no nvcc on the PATH: the CUDA kernels cannot be compiled" >&2; exit 1; }
    mvn -B -q ${GPU_CHECK_MVN_ARGS:-} package -DskipTests -Dnative.cuda=ON -pl tools -am
    rm -rf "$kit"
    mkdir -p "$kit/lib" "$kit/test-classes/dev/euclid" "$kit/models"
    cp target/euclid-cli.jar "$kit/lib/"
    cp -r library/target/test-classes/dev/euclid/gpu library/target/test-classes/dev/euclid/testing "$kit/test-classes/dev/euclid/"
    mvn -B -q ${GPU_CHECK_MVN_ARGS:-} dependency:build-classpath -pl library -DincludeScope=test -Dmdep.outputFile="$PWD/$kit/junit.classpath" \
        -DincludeGroupIds=org.junit.jupiter,org.junit.platform,org.opentest4j,org.apiguardian
    tr ':' '\n' < "$kit/junit.classpath" | xargs -I{} cp {} "$kit/lib/"
    rm "$kit/junit.classpath"
    cp -r "$(find_models)/stories260K" "$kit/models/"
    # What the CLI jar and the tests use (jdeps, less the server's and Spark's modules).
    jlink --add-modules java.base,java.logging,java.management,java.net.http,jdk.management,jdk.unsupported \
        --strip-debug --no-man-pages --no-header-files --compress=2 --output "$kit/jre"
    echo "gpu-check: $kit/ is $(du -sm "$kit" | cut -f1) MiB; carry it to the GPU machine and run scripts/gpu-check.sh --from-kit"
}

run_kit() {
    local out=${GPU_CHECK_OUT:-target/gpu-check} java=$kit/jre/bin/java start
    start=$(date +%s)
    [[ -x $java ]] || { echo "gpu-check: no $kit/ here: build it with scripts/gpu-check.sh --kit" >&2; exit 1; }
    command -v nvidia-smi >/dev/null || { echo "gpu-check: no nvidia-smi: this machine has no NVIDIA driver" >&2; exit 1; }
    mkdir -p "$out"
    local gpu driver cuda
    gpu=$(nvidia-smi --query-gpu=name --format=csv,noheader -i 0)
    driver=$(nvidia-smi --query-gpu=driver_version --format=csv,noheader -i 0)
    cuda=$(nvidia-smi | sed -n 's/.*CUDA Version: *\([0-9.]*\).*/\1/p' | head -1)
    echo "gpu-check: $gpu, driver $driver, CUDA $cuda (driver API)"

    local status=0
    "$java" -Deuclid.shared="$kit" -cp "$kit/test-classes:$kit/lib/*" dev.euclid.gpu.GpuCheck 2>&1 | tee "$out/tests.txt" \
        || status=1
    echo "gpu-check: GPU tests $([[ $status == 0 ]] && echo passed || echo FAILED) at $(( $(date +%s) - start )) s"
    [[ ${GPU_CHECK_BENCH:-1} == 0 ]] && exit $status

    # One JSON object per run; the same runs again would only repeat them, so each is measured twice.
    local bench=$out/bench.jsonl shape batch
    : > "$bench"
    for shape in qwen0.5b 1b; do
        for batch in 1 8 48; do
            "$java" -jar "$kit/lib/euclid-cli.jar" bench --model "synthetic:$shape" --weights fp16 --device cuda:0 \
                --batch "$batch" --prompt-tokens 128 --gen-tokens 64 --runs 2 --bandwidth --json \
                | sed "s/^{/{\"shape\":\"$shape\",\"graphs\":true,/" >> "$bench" || status=1
        done
    done
    # What the CUDA graphs of repeated decode steps save: batch 1 again with them off.
    EUCLID_CUDA_GRAPHS=0 "$java" -jar "$kit/lib/euclid-cli.jar" bench --model synthetic:qwen0.5b --weights fp16 --device cuda:0 \
        --batch 1 --prompt-tokens 128 --gen-tokens 64 --runs 2 --bandwidth --json \
        | sed 's/^{/{"shape":"qwen0.5b","graphs":false,/' >> "$bench" || status=1
    python3 - "$bench" "$out" "$gpu" "$driver" "$cuda" <<'PY'
import json, sys
bench, out, gpu, driver, cuda = sys.argv[1:]
# Datasheet HBM/GDDR bandwidth, bytes/s, by the start of nvidia-smi's name.
peaks = [("NVIDIA H200", 4.8e12), ("NVIDIA H100 80GB HBM3", 3.35e12), ("NVIDIA H100 PCIe", 2.0e12),
         ("NVIDIA H100 NVL", 3.9e12), ("NVIDIA A100-SXM4-80GB", 2.04e12), ("NVIDIA A100", 1.56e12),
         ("NVIDIA L4", 3.0e11), ("Tesla T4", 3.2e11)]
peak = next((p for n, p in peaks if gpu.startswith(n)), 0.0)
rows = [json.loads(l) for l in open(bench) if l.strip()]
for r in rows:
    # Weights are read once per step: a step of `batch` sequences makes `batch` tokens.
    r["weight_bandwidth_bytes_per_s"] = r["decode_tokens_per_s"] / r["batch"] * r.get("weight_bytes_per_token", 0)
    r["hbm_fraction"] = r["weight_bandwidth_bytes_per_s"] / peak if peak else None
    measured = r.get("memory_read_bandwidth_bytes_per_s", 0)  # bench --bandwidth: device-to-device copies
    r["measured_fraction"] = r["weight_bandwidth_bytes_per_s"] / measured if measured else None
result = {"gpu": gpu, "driver": driver, "cuda": cuda, "peak_bandwidth_bytes_per_s": peak, "runs": rows}
json.dump(result, open(out + "/results.json", "w"), indent=1)
with open(out + "/results.md", "w") as md:
    md.write(f"# Euclid CUDA backend: {gpu}, driver {driver}, CUDA {cuda}\n\n")
    md.write("| shape | batch | CUDA graphs | prefill tok/s | decode tok/s | weight GB/s | of datasheet | of measured copy |\n"
             "|---|---|---|---|---|---|---|---|\n")
    for r in rows:
        frac = f"{100 * r['hbm_fraction']:.0f}%" if r["hbm_fraction"] is not None else "?"
        copy = f"{100 * r['measured_fraction']:.0f}%" if r["measured_fraction"] is not None else "?"
        md.write(f"| {r['shape']} | {r['batch']} | {'on' if r['graphs'] else 'off'} | {r['prefill_tokens_per_s']:.0f} | "
                 f"{r['decode_tokens_per_s']:.1f} | {r['weight_bandwidth_bytes_per_s'] / 1e9:.0f} | {frac} | {copy} |\n")
print(open(out + "/results.md").read())
PY
    echo "gpu-check: done in $(( $(date +%s) - start )) s; results in $out/"
    exit $status
}

case $mode in
    --kit) build_kit ;;
    --from-kit) run_kit ;;
    all) build_kit && run_kit ;;
    *) echo "usage: scripts/gpu-check.sh [--kit | --from-kit]" >&2; exit 2 ;;
esac
