#!/usr/bin/env bash
# Two builds of the native engine against each other on batch-1 decode, alternating process by
# process (which goes first swaps every pair): each run is native/bench's decode_bench (ROUNDS
# rounds of 16 tokens after 64 of context, each followed by a bandwidth probe). A pair prints B's
# median tok/s over A's, and B's median share of the bandwidth beside it over A's: the host's
# bandwidth moves between two processes seconds apart, and the share divides that out.
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
measure() {  # BINARY: "TOK_PER_S SHARE_PERCENT" of one run's median line
    "$1" --model "$model" --activations "$activations" --rounds "$rounds" |
        sed -n 's/^median, [a-z0-9]*: decode \([0-9.]*\) tok\/s, \([0-9.]*\)% of the bandwidth.*/\1 \2/p'
}
speeds=()
shares=()
for pair in $(seq "$pairs"); do
    if (( pair % 2 )); then ma=$(measure "$a"); mb=$(measure "$b"); else mb=$(measure "$b"); ma=$(measure "$a"); fi
    read -r sa fa <<< "$ma"
    read -r sb fb <<< "$mb"
    speeds+=("$(python3 -c "print(f'{$sb / $sa:.3f}')")")
    shares+=("$(python3 -c "print(f'{$fb / $fa:.3f}')")")
    echo "pair $pair: A $sa tok/s ($fa% of the bandwidth), B $sb tok/s ($fb%), B/A ${speeds[-1]} in tok/s, ${shares[-1]} in share"
done
summary() {  # NAME VALUES...: their median and range
    local name=$1
    shift
    printf '%s\n' "$@" | sort -n | awk -v n="$name" '{v[NR]=$1} END {print "median B/A in " n " " v[int((NR+1)/2)] " (of " NR " pairs, " v[1] " to " v[NR] ")"}'
}
summary "tok/s" "${speeds[@]}"
summary "share of the bandwidth" "${shares[@]}"
