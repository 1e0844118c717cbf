#!/usr/bin/env bash
# The ACL classifier against DPDK's rte_acl (dpdk-test-acl) on every shared ClassBench set, in one run:
# classify speed on the same rules and the same trace, build time, peak resident memory, and whether the two
# agree on every header. Prints one table; BENCHMARKS.md section 10 has the figures and how to read them.
# Not part of the tests or CI: it takes about 25 minutes (3 rounds) and wants a quiet machine.
#
# usage: benchmarks/acl-vs-rte-acl.sh [SET...]          (default: all 16 sets)
#
# Needs: a built tree (bin/build, or mvn -B -q -o package -DskipTests), dpdk-test-acl (Debian package dpdk),
# gcc (for the build-time hook below), GNU time (/usr/bin/time), python3 (the noise monitor), and for
# rte_acl's classify runs free 2 MB hugepages (bin/prepare-hugepages; without them those runs fall back to
# --no-huge and say so).
#
# Environment (all optional):
#   OPENSASE_DATA  shared data folder (default ../shared/data next to the checkout)
#   OUT            where traces, logs and results go (default a new folder under /tmp)
#   JMH_OPTS       JMH run options (default "-f 1 -wi 3 -w 1s -i 5 -r 1s")
#   JMH_JVM        the forked JVM's flags (default: the benchmark's own plus -XX:+UseTransparentHugePages, as
#                  bin/opensase runs the engine; rte_acl's tables are in 2 MB hugepages too)
#   RTE_ALGS       rte_acl algorithms to try (default: scalar sse, avx2 / avx512x16 / avx512x32 where the CPU has them)
#   RTE_PACKETS    headers classified per dpdk-test-acl run, through --iter (default 4000000)
#   RTE_LCORE      CPU dpdk-test-acl runs on (default 1)
#   ROUNDS         speed rounds over all sets; each side's best round is reported (default 3)
#   REPEAT         build/memory runs per set and side; the median is reported (default 3)
#   CPU_GHZ        nominal clock for ns -> cycles (default: from /proc/cpuinfo)
#
# How each figure is taken:
#   ours ns/pkt    JMH AclClassifyBenchmark.classify (pre-parsed tuples in bursts of 256, -prof gc), on the
#                  headers WriteAclTraces writes, heap on transparent huge pages; cycles/pkt = ns x nominal GHz.
#   rte cycles/pkt dpdk-test-acl --tracenum=N --iter=K --verbose=1 --alg=A on those same headers (its cycles are
#                  TSC cycles, i.e. at the nominal clock); the best algorithm is taken, once among scalar/sse/avx2
#                  and once among all (avx512 runs with --force-max-simd-bitwidth=512, DPDK's default is 256).
#   ratio          rte_acl cycles / ours cycles: above 1 we are faster.
#   build          ours: "build ... ms" that bin/opensase acl prints (AclClassifier.build in a fresh JVM).
#                  rte_acl: dpdk-test-acl does not print one, so a preloaded hook (compiled below) times
#                  rte_acl_add_rules + rte_acl_build inside dpdk-test-acl.
#   memory         peak resident set (GNU time "%M") of a process that builds the set and classifies a one-line
#                  trace, minus that of the same command on a one-rule wildcard set (rte_acl refuses to build
#                  an empty set). dpdk-test-acl runs with --no-huge here so its tables count as resident too.
#   agree          headers on which bin/opensase acl and dpdk-test-acl --verbose=2 name a different rule.
#   disturbed      samples (every 2 s) during the set's speed runs in which another process (not started by
#                  this script) used more than 5 % of a CPU, of all samples then; others.log names them.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$here/bin/lib/java-home.sh"
java="$JAVA_HOME/bin/java"
data=${OPENSASE_DATA:-$here/../shared/data}
out=${OUT:-$(mktemp -d /tmp/acl-vs-rte-acl.XXXXXX)}
jmh_opts=${JMH_OPTS:--f 1 -wi 3 -w 1s -i 5 -r 1s}
jmh_jvm=${JMH_JVM:---enable-native-access=ALL-UNNAMED -Dchronicle.analytics.disable=true -Xms4g -Xmx4g -XX:+UseTransparentHugePages}
rte_packets=${RTE_PACKETS:-4000000}
lcore=${RTE_LCORE:-1}
repeat=${REPEAT:-3}
rounds=${ROUNDS:-3}
jar="$here/benchmarks/target/benchmarks.jar"
sets=("$@")
if (( ${#sets[@]} == 0 )); then
    sets=(acl1_1k acl2_1k acl3_1k fw1_1k fw2_1k fw3_1k ipc1_1k fw_1k ipc_1k
          acl1_10k acl2_10k acl3_10k fw1_10k fw2_10k fw3_10k ipc1_10k)
fi

die() { echo "acl-vs-rte-acl: $*" >&2; exit 2; }
[[ -f "$jar" && -f "$here/core/target/opensase-core.jar" ]] \
    || die "build first: $here/bin/build"
command -v dpdk-test-acl >/dev/null || die "dpdk-test-acl is missing (apt-get install dpdk)"
command -v gcc >/dev/null || die "gcc is missing"
[[ -x /usr/bin/time ]] || die "GNU time (/usr/bin/time) is missing (apt-get install time)"
[[ -d "$data/acl" ]] || die "no shared data at $data (set OPENSASE_DATA)"
mkdir -p "$out"

# nominal clock: "@ 2.60GHz" in the model name, else the kernel's "cpu MHz" (the TSC rate on a KVM guest)
ghz=${CPU_GHZ:-$(grep -m1 '^model name' /proc/cpuinfo | grep -oE '[0-9.]+GHz' | tr -d 'GHz' || true)}
if [[ -z "$ghz" ]]; then
    ghz=$(awk -F: '/^cpu MHz/ { printf "%.2f", $2 / 1000; exit }' /proc/cpuinfo)
fi
flags=$(grep -m1 '^flags' /proc/cpuinfo)
algs=${RTE_ALGS:-scalar sse $([[ $flags == *" avx2 "* ]] && echo avx2) $([[ $flags == *" avx512bw "* ]] && echo avx512x16 avx512x32)}
huge=(--in-memory)
if (( $(awk '/^HugePages_Free/ { print $2 }' /proc/meminfo) < 600 )); then
    echo "acl-vs-rte-acl: fewer than 600 free 2 MB hugepages; rte_acl classify runs use --no-huge" >&2
    huge=(--no-huge -m 4096)
fi
eal=(--no-pci --no-telemetry -l "$lcore" --force-max-simd-bitwidth=512)

# the build-time hook: wraps rte_acl_add_rules and rte_acl_build, prints their time on stderr
cat > "$out/rte-acl-build-timer.c" <<'EOF'
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <time.h>
static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec * 1e3 + t.tv_nsec / 1e6; }
static double spent;
int rte_acl_add_rules(void *ctx, const void *rules, unsigned num)
{
    static int (*next)(void *, const void *, unsigned);
    if (!next) next = (int (*)(void *, const void *, unsigned)) dlsym(RTLD_NEXT, "rte_acl_add_rules");
    double t0 = now(); int rc = next(ctx, rules, num); spent += now() - t0; return rc;
}
int rte_acl_build(void *ctx, const void *cfg)
{
    static int (*next)(void *, const void *);
    if (!next) next = (int (*)(void *, const void *)) dlsym(RTLD_NEXT, "rte_acl_build");
    double t0 = now(); int rc = next(ctx, cfg); spent += now() - t0;
    fprintf(stderr, "rte-acl-build-timer: add_rules+build %.1f ms\n", spent); return rc;
}
EOF
gcc -O2 -shared -fPIC -o "$out/rte-acl-build-timer.so" "$out/rte-acl-build-timer.c" -ldl
timer="$out/rte-acl-build-timer.so"

# noise: every 2 s, log other processes (not this script's descendants) above 5 % of a CPU
python3 - "$$" > "$out/others.log" <<'PY' &
import os, sys, time
me, hz, last = sys.argv[1], os.sysconf("SC_CLK_TCK"), {}
def stat(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return fields[1], int(fields[11]) + int(fields[12])   # ppid, utime + stime
while os.path.exists(f"/proc/{me}"):
    now, seen = {}, {}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            seen[pid] = stat(pid)
        except OSError:
            pass
    others = []
    for pid, (ppid, ticks) in seen.items():
        chain, p = 0, pid
        while p in seen and p not in ("0", "1", me) and chain < 64:
            p, chain = seen[p][0], chain + 1
        if p == me or pid == str(os.getpid()):
            continue
        if pid in last and (ticks - last[pid]) / hz / 2 > 0.05:
            try:
                cmd = open(f"/proc/{pid}/cmdline").read().replace("\0", " ")[:100]
            except OSError:
                cmd = "?"
            others.append(f"{(ticks - last[pid]) / hz / 2 * 100:.0f}% {pid} {cmd}")
        now[pid] = ticks
    last = now
    print(time.strftime("%H:%M:%S"), "; ".join(others) if others else "-", flush=True)
    time.sleep(2)
PY
monitor=$!

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) print "nan"; else print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

echo "acl-vs-rte-acl: results in $out; nominal clock $ghz GHz; rte_acl algorithms: $algs" >&2
"$java" -Dopensase.data="$data" -cp "$jar" io.opensase.benchmarks.acl.WriteAclTraces "$out/traces" > "$out/sets.txt"
printf '@0.0.0.0/0\t0.0.0.0/0\t0 : 65535\t0 : 65535\t0x00/0x00\n' > "$out/one.rules"

# 1. speed, set by set so that both sides of a ratio run a minute apart at most: rte_acl with every algorithm,
#    then ours (JMH with the allocation profiler), on the same headers; ROUNDS times over all sets, and each
#    side's best round is kept (another process can only make a run slower)
: > "$out/rte.txt"
: > "$out/windows.txt"
# whether no JMH run holds its lock (JMH takes /tmp/jmh.lock with fcntl, as lockf does)
jmh_idle() { python3 -c 'import fcntl; fcntl.lockf(open("/tmp/jmh.lock", "a"), fcntl.LOCK_EX | fcntl.LOCK_NB)' 2> /dev/null; }
for ((round = 1; round <= rounds; round++)); do
    for s in "${sets[@]}"; do
        read -r _ rules trace headers < <(grep "^$s " "$out/sets.txt")
        # another session's JMH run: wait for it to end rather than run beside it (up to an hour)
        for ((wait = 0; wait < 360; wait++)); do
            jmh_idle && break
            (( wait % 6 == 0 )) && echo "  another JMH run holds /tmp/jmh.lock; waiting" >&2
            sleep 10
        done
        iter=$(( (rte_packets + headers - 1) / headers ))
        started=$(date +%H:%M:%S)
        for alg in $algs; do
            log="$out/rte-$s-$alg-r$round.log"
            LD_PRELOAD="$timer" dpdk-test-acl "${huge[@]}" "${eal[@]}" -- --rulesf="$rules" --tracef="$trace" \
                --tracenum="$headers" --iter="$iter" --verbose=1 --alg="$alg" > "$log" 2>&1 \
                || { echo "$s $alg failed, see $log" >&2; continue; }
            cycles=$(awk '/search_ip5tuples  @lcore/ { for (i = 1; i <= NF; i++) if ($i == "cycles/pkt,") print $(i - 1) }' "$log")
            pps=$(awk '/search_ip5tuples  @lcore/ { for (i = 1; i <= NF; i++) if ($i == "pkt/sec") print $(i - 1) }' "$log")
            build=$(awk '/rte-acl-build-timer/ { print $(NF - 1) }' "$log")
            echo "$s $alg $cycles $pps $build $round" >> "$out/rte.txt"
            echo "  round $round rte_acl $s $alg: $cycles cycles/pkt, build $build ms" >&2
        done
        # another JMH run on the machine holds /tmp/jmh.lock: wait for it rather than run beside it
        for ((wait = 0; ; wait++)); do
            # shellcheck disable=SC2086
            "$java" -Dopensase.data="$data" -jar "$jar" 'acl.AclClassifyBenchmark.classify' -p set="$s" \
                $jmh_opts -jvmArgsAppend "$jmh_jvm" -prof gc -rf csv -rff "$out/jmh-$s-r$round.csv" \
                > "$out/jmh-$s-r$round.log" 2>&1 && break
            grep -q 'Unable to acquire the JMH lock' "$out/jmh-$s-r$round.log" && (( wait < 360 )) \
                || die "JMH failed, see $out/jmh-$s-r$round.log"
            (( wait % 6 == 0 )) && echo "  another JMH run holds /tmp/jmh.lock; waiting" >&2
            sleep 10
        done
        echo "  round $round ours $s: $(awk '/^AclClassifyBenchmark.classify /' "$out/jmh-$s-r$round.log" | tail -1)" >&2
        echo "$s $round $started $(date +%H:%M:%S)" >> "$out/windows.txt"
    done
done
cat "$out"/jmh-*.csv > "$out/jmh.csv"

# 3. build time, memory, agreement
: > "$out/mem.txt"
: > "$out/agree.txt"
for s in "${sets[@]}"; do
    read -r _ rules trace headers < <(grep "^$s " "$out/sets.txt")
    head -1 "$trace" > "$out/one.trace"
    for side in ours rte; do
        for ((r = 0; r < repeat; r++)); do
            for what in set base; do
                file=$rules; [[ $what == base ]] && file=$out/one.rules
                log="$out/mem-$s-$side-$what-$r.log"; : > "$log"
                if [[ $side == ours ]]; then
                    /usr/bin/time -f 'maxrss %M' -a -o "$log" \
                        "$here/bin/opensase" acl --rules "$file" --trace "$out/one.trace" > /dev/null 2>> "$log" || true
                else
                    LD_PRELOAD="$timer" /usr/bin/time -f 'maxrss %M' -a -o "$log" \
                        dpdk-test-acl --no-huge -m 4096 "${eal[@]}" -- --rulesf="$file" --tracef="$out/one.trace" \
                        --tracenum=1 --verbose=1 > /dev/null 2>> "$log" || true
                fi
            done
            set_kb=$(awk '/^maxrss/ { print $2 }' "$out/mem-$s-$side-set-$r.log")
            base_kb=$(awk '/^maxrss/ { print $2 }' "$out/mem-$s-$side-base-$r.log")
            if [[ $side == ours ]]; then
                build=$(grep -oE 'build [0-9.]+ ms' "$out/mem-$s-$side-set-$r.log" | awk '{ print $2 }')
            else
                build=$(awk '/rte-acl-build-timer/ { print $(NF - 1) }' "$out/mem-$s-$side-set-$r.log")
            fi
            echo "$s $side $r $set_kb $base_kb $build" >> "$out/mem.txt"
        done
    done
    # agreement on the whole trace (rte_acl prints the matched rule's 0-based line)
    "$here/bin/opensase" acl --rules "$rules" --trace "$trace" 2> /dev/null > "$out/agree-$s-ours.txt"
    dpdk-test-acl "${huge[@]}" "${eal[@]}" -- --rulesf="$rules" --tracef="$trace" --tracenum="$headers" --verbose=2 \
        --alg=scalar 2> /dev/null | awk '/^ipv4_5tuple:/ { print $NF }' > "$out/agree-$s-rte.txt"
    paste "$out/agree-$s-ours.txt" "$out/agree-$s-rte.txt" \
        | awk -v set="$s" '$1 != $2 && !($1 == -1 && ($2 == 4294967295 || $2 == -1)) { d++ } END { print set, NR, d + 0 }' \
        >> "$out/agree.txt"
    echo "  build/memory/agreement $s done" >&2
done

# 4. the table
kill "$monitor" 2> /dev/null || true
disturbed=$(grep -vc ' -$' "$out/others.log" || true)
echo "other processes above 5 % of a CPU in $disturbed of $(wc -l < "$out/others.log") samples (2 s apart; $out/others.log)" \
    | tee "$out/table.md"
# per set: samples with other processes during its speed runs
awk 'FILENAME ~ /windows/ { w++; set[w] = $1; from[w] = $3; to[w] = $4; next }
     { for (i = 1; i <= w; i++) if ($1 >= from[i] && $1 <= to[i]) { n[set[i]]++; if ($2 != "-") d[set[i]]++ } }
     END { for (s in n) print s, d[s] + 0, n[s] + 0 }' "$out/windows.txt" "$out/others.log" > "$out/noise.txt"
awk -v ghz="$ghz" -v rounds="$rounds" -v order="${sets[*]}" '
    FILENAME ~ /jmh.csv$/ {
        gsub(/["\r]/, ""); n = split($0, f, ",")
        if (f[1] ~ /classify$/ && (!(f[n] in ns) || f[5] + 0 < ns[f[n]])) { ns[f[n]] = f[5] + 0; err[f[n]] = f[6] }
        if (f[1] ~ /gc.alloc.rate.norm$/ && f[5] + 0 >= alloc[f[n]]) alloc[f[n]] = f[5] + 0
        next
    }
    FILENAME ~ /rte.txt$/ {
        set = $1; alg = $2; c = $3 + 0; rb[set] = rb[set] " " $5
        if (alg !~ /avx512/ && (!(set in best) || c < best[set])) { best[set] = c; bestAlg[set] = alg }
        if (!(set in top) || c < top[set]) { top[set] = c; topAlg[set] = alg }
        next
    }
    FILENAME ~ /mem.txt$/ {
        key = $1 " " $2; k = ++cnt[key]
        mem[key, k] = ($4 - $5) / 1024; bld[key, k] = $6
        next
    }
    FILENAME ~ /agree.txt$/ { agree[$1] = $3 " of " $2; next }
    FILENAME ~ /noise.txt$/ { noise[$1] = $2 "/" $3; next }
    function med(a, key, m,   i, j, t, v) {
        for (i = 1; i <= m; i++) v[i] = a[key, i] + 0
        for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
        return m % 2 ? v[(m + 1) / 2] : (v[m / 2] + v[m / 2 + 1]) / 2
    }
    function medlist(s,   n, v, i, j, t) {
        n = split(s, v, " ")
        for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (v[j] + 0 < v[i] + 0) { t = v[i]; v[i] = v[j]; v[j] = t }
        return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
    }
    END {
        printf "nominal clock %.2f GHz; ratio = rte_acl cycles / ours (above 1: we are faster); speed: best of %d rounds per side\n", ghz, rounds
        printf "| set | ours ns/pkt | ours cycles/pkt | rte_acl best of scalar/sse/avx2 | ratio | rte_acl best incl. avx512 | ratio | B/op | build ours ms | build rte_acl ms | memory ours MiB | memory rte_acl MiB | memory ours/rte | disagreements | disturbed |\n"
        printf "|---|---:|---:|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---|---|\n"
        n = split(order, sets, " ")
        for (i = 1; i <= n; i++) {
            s = sets[i]; c = ns[s] * ghz
            mo = med(mem, s " ours", cnt[s " ours"]); mr = med(mem, s " rte", cnt[s " rte"])
            printf "| %s | %.1f ± %.1f | %.0f | %s %.0f | %.2f | %s %.0f | %.2f | %.3f | %.0f | %.0f | %.0f | %.0f | %.2f | %s | %s |\n",
                s, ns[s], err[s], c, bestAlg[s], best[s], best[s] / c, topAlg[s], top[s], top[s] / c, alloc[s],
                med(bld, s " ours", cnt[s " ours"]), medlist(rb[s]), mo, mr, (mr > 0 ? mo / mr : 0), agree[s], noise[s]
        }
    }' "$out/jmh.csv" "$out/rte.txt" "$out/mem.txt" "$out/agree.txt" "$out/noise.txt" | tee -a "$out/table.md"
