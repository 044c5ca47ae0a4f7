#!/usr/bin/env bash
# Installs what scripts/fuzz.sh needs on a clean Debian/Ubuntu machine: clang with
# libFuzzer and the sanitizer runtimes (libclang-rt-dev), and llvm-symbolizer
# (package llvm) so sanitizer reports show file:line. Idempotent; needs root or sudo.
set -euo pipefail

packages=(clang libclang-rt-dev llvm cmake)

have_all=1
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || have_all=0
done
if [[ $have_all == 1 ]]; then
    echo "fuzz dependencies already installed: ${packages[*]}"
    exit 0
fi

sudo=""
if [[ $(id -u) != 0 ]]; then
    command -v sudo >/dev/null || { echo "error: need root or sudo to install ${packages[*]}" >&2; exit 1; }
    sudo="sudo"
fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${packages[@]}"
clang --version | head -1
