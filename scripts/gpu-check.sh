#!/usr/bin/env bash
# The CUDA backend's proof on a machine with an NVIDIA GPU (driver R580+ for CUDA 13, nvcc on the
# PATH), in about 8 minutes: builds with the CUDA kernels required, runs the GPU test suite (which
# fails, instead of skipping, when the GPU cannot be used), then benchmarks decode at batch 1, 8 and
# 48 and prefill on the qwen0.5b and 1b shapes (FP16 weights) and writes target/gpu-check/results.json
# and results.md naming the GPU, the driver and CUDA. Run from anywhere:
#
#   scripts/gpu-check.sh            # everything
#   GPU_CHECK_BENCH=0 scripts/gpu-check.sh   # build and tests only
set -euo pipefail
cd "$(dirname "$0")/.."
out=target/gpu-check
mkdir -p "$out"
start=$(date +%s)

command -v nvidia-smi >/dev/null || { echo "gpu-check: no nvidia-smi: this machine has no NVIDIA driver" >&2; exit 1; }
command -v nvcc >/dev/null || { echo "gpu-check: no nvcc on the PATH: the CUDA kernels cannot be compiled" >&2; exit 1; }
gpu=$(nvidia-smi --query-gpu=name --format=csv,noheader -i 0)
driver=$(nvidia-smi --query-gpu=driver_version --format=csv,noheader -i 0)
cuda=$(nvcc --version | sed -n 's/.*release \([0-9.]*\).*/\1/p')
echo "gpu-check: $gpu, driver $driver, CUDA $cuda"

# 1. Build: the kernels must compile in (-Dnative.cuda=ON fails the build without nvcc).
mvn -B -q package -DskipTests -Dnative.cuda=ON
echo "gpu-check: built in $(( $(date +%s) - start )) s"

# 2. The GPU tests, required to run (not skip) here, then the device selection tests. The shared
#    models are ../shared/models, /work/shared/models or, where the checkout holds one, shared/models.
shared=()
[[ -d shared/models ]] && shared=("-Deuclid.shared=$PWD/shared")
mvn -B -q surefire:test -pl library -Deuclid.gpu.required=true "${shared[@]}" \
    -Dtest='dev.euclid.gpu.*Test,DeviceSelectionTest,CudaProbeTest,CudaBuildTest' -Dsurefire.failIfNoSpecifiedTests=false
echo "gpu-check: GPU tests passed at $(( $(date +%s) - start )) s"
[[ ${GPU_CHECK_BENCH:-1} == 0 ]] && exit 0

# 3. Benchmark: one JSON object per run, then a table. Peak HBM bandwidth is the datasheet figure
#    for the GPU's name (decode at batch 1 reads every weight once per token).
bench=$out/bench.jsonl
: > "$bench"
for shape in qwen0.5b 1b; do
    for batch in 1 8 48; do
        java -jar target/euclid-cli.jar bench --model "synthetic:$shape" --weights fp16 --device cuda:0 \
            --batch "$batch" --prompt-tokens 128 --gen-tokens 64 --runs 2 --json \
            | sed "s/^{/{\"shape\":\"$shape\",\"graphs\":true,/" >> "$bench"
    done
done
# What the CUDA graphs of repeated decode steps save: batch 1 again with them off.
EUCLID_CUDA_GRAPHS=0 java -jar target/euclid-cli.jar bench --model synthetic:qwen0.5b --weights fp16 --device cuda:0 \
    --batch 1 --prompt-tokens 128 --gen-tokens 64 --runs 2 --json \
    | sed 's/^{/{"shape":"qwen0.5b","graphs":false,/' >> "$bench"
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
result = {"gpu": gpu, "driver": driver, "cuda": cuda, "peak_bandwidth_bytes_per_s": peak, "runs": rows}
json.dump(result, open(out + "/results.json", "w"), indent=1)
with open(out + "/results.md", "w") as md:
    md.write(f"# Euclid CUDA backend: {gpu}, driver {driver}, CUDA {cuda}\n\n")
    md.write("| shape | batch | CUDA graphs | prefill tok/s | decode tok/s | weight GB/s | of peak |\n|---|---|---|---|---|---|---|\n")
    for r in rows:
        frac = f"{100 * r['hbm_fraction']:.0f}%" if r["hbm_fraction"] is not None else "?"
        md.write(f"| {r['shape']} | {r['batch']} | {'on' if r['graphs'] else 'off'} | {r['prefill_tokens_per_s']:.0f} | {r['decode_tokens_per_s']:.1f} | "
                 f"{r['weight_bandwidth_bytes_per_s'] / 1e9:.0f} | {frac} |\n")
print(open(out + "/results.md").read())
PY
echo "gpu-check: done in $(( $(date +%s) - start )) s; results in $out/results.json and $out/results.md"
