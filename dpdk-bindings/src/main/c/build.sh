#!/usr/bin/env bash
# Builds libopensase_dpdk.so (the DPDK shim) into the directory given as $1, against pkg-config libdpdk.
# Run by the Maven build (maven-antrun-plugin, compile phase). Where pkg-config cannot find libdpdk it prints a
# note and exits 0, so the module still builds; the Java bindings then report DPDK as unavailable and the tests
# that need it are skipped. Where libdpdk is present, a failure here fails the build.
set -euo pipefail

out_dir=${1:?usage: build.sh OUTPUT_DIR}
src_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
library="$out_dir/libopensase_dpdk.so"

if ! command -v pkg-config >/dev/null 2>&1 || ! pkg-config --exists libdpdk; then
    echo "[opensase-dpdk] NOTE: pkg-config finds no libdpdk: the DPDK shim is not built and DPDK tests will be" \
        "skipped. To build it install libdpdk-dev (Debian 12: apt-get install dpdk dpdk-dev libdpdk-dev)."
    exit 0
fi

cc=${CC:-gcc}
if ! command -v "$cc" >/dev/null 2>&1; then
    echo "[opensase-dpdk] ERROR: libdpdk $(pkg-config --modversion libdpdk) is installed but there is no C" \
        "compiler '$cc' to build the shim: apt-get install gcc (or set CC)." >&2
    exit 1
fi

mkdir -p "$out_dir"
if [ -f "$library" ] && [ "$library" -nt "$src_dir/opensase_dpdk_shim.c" ] \
    && [ "$library" -nt "$src_dir/opensase_dpdk_shim.h" ] && [ "$library" -nt "${BASH_SOURCE[0]}" ]; then
    echo "[opensase-dpdk] $library is up to date"
    exit 0
fi

# shellcheck disable=SC2046 # pkg-config output is a list of words
"$cc" -O2 -g -fPIC -shared -std=gnu11 -Wall -Wextra -Werror -Wno-unused-parameter \
    -o "$library.tmp" "$src_dir/opensase_dpdk_shim.c" \
    $(pkg-config --cflags libdpdk) \
    -Wl,--no-undefined -Wl,-soname,libopensase_dpdk.so \
    $(pkg-config --libs libdpdk)
mv -f "$library.tmp" "$library"
echo "[opensase-dpdk] built $library against DPDK $(pkg-config --modversion libdpdk)"
