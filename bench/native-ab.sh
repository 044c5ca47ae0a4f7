#!/usr/bin/env bash
# Two builds of the native engine against each other on batch-1 decode, alternating process by
# process (which goes first swaps every pair), so a shared host's drifting bandwidth hits both
# alike: each run is native/bench's decode_bench (ROUNDS rounds of 16 tokens after 64 of
# context), and each pair prints B's median tok/s over A's.
#   bench/native-ab.sh A_BUILD B_BUILD ENGINE_FILE [ACTIVATIONS (fp32)] [PAIRS (8)] [ROUNDS (3)]
# A build is a native/bench build folder (cmake -S native -B DIR -DEUCLID_BENCH=ON && cmake
# --build DIR --target decode_bench); for an earlier commit, build it from a git worktree.
set -euo pipefail
a="$1/bench/decode_bench"
b="$2/bench/decode_bench"
model="$3"
activations=${4:-fp32}
pairs=${5:-8}
rounds=${6:-3}
speed() {  # BINARY: median decode tok/s of one run
    "$1" --model "$model" --activations "$activations" --rounds "$rounds" | sed -n 's/^median, [a-z0-9]*: decode \([0-9.]*\) tok\/s.*/\1/p'
}
ratios=()
for pair in $(seq "$pairs"); do
    if (( pair % 2 )); then sa=$(speed "$a"); sb=$(speed "$b"); else sb=$(speed "$b"); sa=$(speed "$a"); fi
    r=$(python3 -c "print(f'{$sb / $sa:.3f}')")
    ratios+=("$r")
    echo "pair $pair: A $sa tok/s, B $sb tok/s, B/A $r"
done
printf '%s\n' "${ratios[@]}" | sort -n | awk '{v[NR]=$1} END {print "median B/A " v[int((NR+1)/2)] " (of " NR " pairs, " v[1] " to " v[NR] ")"}'
