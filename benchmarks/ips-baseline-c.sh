#!/usr/bin/env bash
# The IPS path benchmark's baseline measured twice in one run: through FFM by JMH (IpsPathBenchmark.baseline
# and baselineEveryMatch, beside fullPath) and through Hyperscan's C API by hs-baseline.c, as the issue
# measured it, on the same literals and the same packets' payloads. BENCHMARKS.md section 25 has the figures.
# Not part of the tests or CI (about 6 minutes); wants a quiet machine.
#
# usage: benchmarks/ips-baseline-c.sh            (from the checkout, after bin/build or mvn package)
# Needs: gcc, pkg-config and libhyperscan-dev, Java 25 (JAVA_HOME), the shared data (OPENSASE_DATA, default
# ../shared/data next to the checkout).
set -euo pipefail
cd "$(dirname "$0")/.."
JAVA="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
DATA="${OPENSASE_DATA:-$(cd .. && pwd)/shared/data}"
JAR=benchmarks/target/benchmarks.jar
OUT="${OUT:-$(mktemp -d /tmp/ips-baseline-c.XXXXXX)}"
mkdir -p "$OUT"
[ -f "$JAR" ] || { echo "no $JAR: run mvn -B -q -o package -DskipTests -pl benchmarks -am first" >&2; exit 2; }

gcc -O2 -Wall -Wextra -o "$OUT/hs-baseline" benchmarks/hs-baseline.c $(pkg-config --cflags --libs libhs)
"$JAVA" --enable-native-access=ALL-UNNAMED -Dopensase.data="$DATA" -cp "$JAR" io.opensase.benchmarks.ips.BaselineInputs "$OUT"
echo "== $(date -u '+%F %T') UTC, load $(cut -d' ' -f1-3 /proc/loadavg)"
for mode in single every; do
  "$OUT/hs-baseline" "$OUT/literals.txt" "$OUT/payloads.bin" "$mode" 3 5
done
"$JAVA" -Dopensase.data="$DATA" -Djmh.ignoreLock=true -jar "$JAR" 'ips.IpsPathBenchmark' -p engine=hyperscan \
  -f 1 -wi 3 -w 3s -i 5 -r 3s 2>&1 | grep -E '^\[ips-path\]|^Benchmark|^IpsPath'
for mode in single every; do
  "$OUT/hs-baseline" "$OUT/literals.txt" "$OUT/payloads.bin" "$mode" 3 5
done
echo "== $(date -u '+%F %T') UTC, load $(cut -d' ' -f1-3 /proc/loadavg); inputs and binary in $OUT"
