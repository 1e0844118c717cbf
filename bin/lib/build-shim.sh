#!/usr/bin/env bash
# Builds a module's C shim, lib<NAME>.so, from its src/main/c/<NAME>_shim.{c,h} against a pkg-config package.
# Run by the Maven build (maven-antrun-plugin, compile phase) of dpdk-bindings and ips-engine. Where pkg-config
# cannot find the package it prints a note and exits 0, so the module still builds; where the package is present, a
# failure here fails the build.
#
# usage: build-shim.sh MODULE_DIR OUTPUT_DIR NAME PACKAGE WITHOUT
#   NAME     opensase_dpdk builds libopensase_dpdk.so from opensase_dpdk_shim.c
#   PACKAGE  the pkg-config package (libdpdk, libhs)
#   WITHOUT  what the module does without the shim and how to get it, for the note
set -euo pipefail

module_dir=${1:?usage: build-shim.sh MODULE_DIR OUTPUT_DIR NAME PACKAGE WITHOUT}
out_dir=${2:?output directory}
name=${3:?library name}
package=${4:?pkg-config package}
without=${5:?what happens without the shim}
src_dir="$module_dir/src/main/c"
library="$out_dir/lib$name.so"
tag="[$name]"

if ! command -v pkg-config >/dev/null 2>&1 || ! pkg-config --exists "$package"; then
    echo "$tag NOTE: pkg-config finds no $package: lib$name.so is not built; $without."
    exit 0
fi

cc=${CC:-gcc}
if ! command -v "$cc" >/dev/null 2>&1; then
    echo "$tag ERROR: $package $(pkg-config --modversion "$package") is installed but there is no C compiler" \
        "'$cc' to build the shim: apt-get install gcc (or set CC)." >&2
    exit 1
fi

mkdir -p "$out_dir"
if [ -f "$library" ] && [ "$library" -nt "$src_dir/${name}_shim.c" ] \
    && [ "$library" -nt "$src_dir/${name}_shim.h" ] && [ "$library" -nt "${BASH_SOURCE[0]}" ]; then
    echo "$tag $library is up to date"
    exit 0
fi

# shellcheck disable=SC2046 # pkg-config output is a list of words
"$cc" -O2 -g -fPIC -shared -std=gnu11 -Wall -Wextra -Werror -Wno-unused-parameter \
    -o "$library.tmp" "$src_dir/${name}_shim.c" \
    $(pkg-config --cflags "$package") \
    -Wl,--no-undefined -Wl,-soname,"lib$name.so" \
    $(pkg-config --libs "$package")
mv -f "$library.tmp" "$library"
echo "$tag built $library against $package $(pkg-config --modversion "$package")"
