#!/usr/bin/env bash
# Builds libopensase_hs.so (the Hyperscan shim: opensase_hs_shim.c) into the directory given as $1, against
# pkg-config libhs. Run by the Maven build (maven-antrun-plugin, compile phase). Where pkg-config cannot find libhs
# it prints a note and exits 0, so the module still builds; the Hyperscan prefilter then takes its matches through
# FFM upcalls and says so. Where libhs is present, a failure here fails the build.
set -euo pipefail

out_dir=${1:?usage: build.sh OUTPUT_DIR}
src_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
library="$out_dir/libopensase_hs.so"

if ! command -v pkg-config >/dev/null 2>&1 || ! pkg-config --exists libhs; then
    echo "[opensase-hs] NOTE: pkg-config finds no libhs: the Hyperscan shim is not built, and the Hyperscan" \
        "prefilter takes its matches through FFM upcalls. To build it install libhyperscan-dev."
    exit 0
fi

cc=${CC:-gcc}
if ! command -v "$cc" >/dev/null 2>&1; then
    echo "[opensase-hs] ERROR: libhs $(pkg-config --modversion libhs) is installed but there is no C compiler" \
        "'$cc' to build the shim: apt-get install gcc (or set CC)." >&2
    exit 1
fi

mkdir -p "$out_dir"
if [ -f "$library" ] && [ "$library" -nt "$src_dir/opensase_hs_shim.c" ] \
    && [ "$library" -nt "$src_dir/opensase_hs_shim.h" ] && [ "$library" -nt "${BASH_SOURCE[0]}" ]; then
    echo "[opensase-hs] $library is up to date"
    exit 0
fi

# shellcheck disable=SC2046 # pkg-config output is a list of words
"$cc" -O2 -g -fPIC -shared -std=gnu11 -Wall -Wextra -Werror -Wno-unused-parameter \
    -o "$library.tmp" "$src_dir/opensase_hs_shim.c" \
    $(pkg-config --cflags libhs) \
    -Wl,--no-undefined -Wl,-soname,libopensase_hs.so \
    $(pkg-config --libs libhs)
mv -f "$library.tmp" "$library"
echo "[opensase-hs] built $library against Hyperscan $(pkg-config --modversion libhs)"
