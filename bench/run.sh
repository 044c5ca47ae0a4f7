#!/usr/bin/env bash
# Builds the library and the benchmarks, runs the default comparison and keeps JMH's JSON and the
# side-by-side summary (Markdown). Extra arguments go to JMH, e.g.:
#   bench/run.sh -p model=synthetic:110m -p threads=1,2
set -euo pipefail
bench="$(cd "$(dirname "$0")" && pwd)"
(cd "$bench/.." && mvn -B -q package -DskipTests)
mkdir -p "$bench/results"
out="$bench/results/jmh-$(date +%Y%m%d-%H%M%S).json"
# Run from bench/ so that the default -Deuclid.shared=../../shared resolves.
cd "$bench"
java -Deuclid.summary="${out%.json}.md" -jar target/benchmarks.jar -rf json -rff "$out" "$@"
echo "JMH results: $out, summary: ${out%.json}.md"
