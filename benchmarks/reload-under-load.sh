#!/usr/bin/env bash
# Hot reload under load, the long form of core's ReloadUnderLoadTest (see BENCHMARKS.md): a generator sends
# sequence-numbered UDP frames at a fixed rate into a running engine (bin/opensase run --config, one worker)
# over DPDK net_memif, a sink counts every number, and meanwhile the engine's configuration is reloaded
# again and again, alternating two valid firewall policies with every fifth file invalid. Prints the rate,
# lost / duplicated / reordered frames, the longest gap at the sink (and whether a reload ran during it), the
# reload times, and the engine's own accounting; exits 0 when nothing was lost or duplicated, every reload
# had the expected outcome, the final policy generation is the applied reloads + 1, the mempool is back to
# its baseline and the engine's counts balance; 1 otherwise; 2 when it cannot run.
#
#   benchmarks/reload-under-load.sh [--rate PPS] [--seconds N] [--reloads N] [--reload-with hup|cli]
#                                   [--warmup SECONDS] [--keep DIR] [--ips RULES] [--firewall-rules CLASSBENCH]
#                                   [--change firewall|ips|all] [--invalid-every N]
#
# Defaults: 1,000,000 frames/s for 30 s, 100 reloads. --reload-with hup (default) sends SIGHUP and waits for
# the outcome the engine writes beside its pid file, as opensase reload does; cli runs bin/opensase reload
# for each (one JVM start per reload, which on 2 cores takes CPU from the traffic). --keep DIR keeps the
# configurations, logs, peer output and report there. Needs root, hugepages (bin/prepare-hugepages), gcc
# and libdpdk-dev, and a build (bin/build). --ips RULES adds an IPS stage with those rule files (a file or a
# folder, such as ../shared/data/ids-rules/et-open). --firewall-rules adds a ClassBench rule set (such as
# ../shared/data/acl/classbench/fw1_10k) to the tenant's rules, after the rule that allows the traffic, each
# converted as opensase bench --rules reads it (allow; flags ignored). --change says what each valid reload
# changes: the firewall (the default: a tenant rule added or removed, so the whole tenant is compiled again),
# the IPS (HOME_NET alternates between two values, so every rule is compiled again) or all of it.
# --invalid-every N makes every N-th reload a file that must be rejected (5; 0 for none).
#
# Besides the totals, each reload gets a line (and $DIR/summary.json one object): its time to apply (from
# SIGHUP to its outcome, on the engine's clock), the frames lost among those sent from its start to the next
# reload's, the longest gap at the sink, the lowest rate at the sink over 100 ms against the rate offered, and
# the engine's peak resident memory (VmHWM, reset through /proc/PID/clear_refs at each reload's start) against
# its settled resident memory with one policy (the median VmRSS over the second before the first reload).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

rate=1000000
seconds=30
reloads=100
reload_with=hup
warmup=2
keep=
ips=
firewall_rules=
change=firewall
invalid_every=5
while (( $# )); do
    case "$1" in
        --rate) rate=$2; shift 2 ;;
        --seconds) seconds=$2; shift 2 ;;
        --reloads) reloads=$2; shift 2 ;;
        --reload-with) reload_with=$2; shift 2 ;;
        --warmup) warmup=$2; shift 2 ;;
        --keep) keep=$2; shift 2 ;;
        --ips) ips=$(cd "$(dirname "$2")" && pwd)/$(basename "$2"); shift 2 ;;
        --firewall-rules) firewall_rules=$(cd "$(dirname "$2")" && pwd)/$(basename "$2"); shift 2 ;;
        --change) change=$2; shift 2 ;;
        --invalid-every) invalid_every=$2; shift 2 ;;
        *) echo "usage: $0 [--rate PPS] [--seconds N] [--reloads N] [--reload-with hup|cli] [--warmup S] [--keep DIR]" \
                "[--ips RULES] [--firewall-rules CLASSBENCH] [--change firewall|ips|all] [--invalid-every N]" >&2
           exit 2 ;;
    esac
done
[[ "$reload_with" == hup || "$reload_with" == cli ]] || { echo "--reload-with: hup or cli" >&2; exit 2; }
[[ "$change" == firewall || "$change" == ips || "$change" == all ]] || { echo "--change: firewall, ips or all" >&2; exit 2; }
[[ "$change" == firewall || -n "$ips" ]] || { echo "--change $change needs --ips RULES" >&2; exit 2; }
[[ "$invalid_every" =~ ^[0-9]+$ ]] || { echo "--invalid-every: a number" >&2; exit 2; }
(( EUID == 0 )) || { echo "reload-under-load: run as root (DPDK)" >&2; exit 2; }
[[ -f "$here/core/target/opensase-core.jar" ]] || { echo "reload-under-load: build first: bin/build" >&2; exit 2; }
pkg-config --exists libdpdk || { echo "reload-under-load: pkg-config finds no libdpdk (libdpdk-dev)" >&2; exit 2; }

if [[ -n "$keep" ]]; then
    mkdir -p "$keep"
    work=$(cd "$keep" && pwd)
else
    work=$(mktemp -d /tmp/opensase-reload-XXXXXX)
fi
pids=()
cleanup()
{
    for pid in "${pids[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    [[ -n "$keep" ]] || rm -rf "$work"
}
trap cleanup EXIT

peer="$work/memif_seq_peer"
# shellcheck disable=SC2046
gcc -O2 -Wall -Werror -o "$peer" "$here/core/src/test/c/memif_seq_peer.c" $(pkg-config --cflags --libs libdpdk)

count=$(( rate * seconds ))
# Runs of this many sequence numbers (10 ms of sending) are the unit in which loss is placed in time.
seq_bin=$(( rate / 100 > 64 ? rate / 100 : 64 ))
config="$work/engine.yaml"
pidfile="$work/engine.pid"
report="$work/report.json"
: > "$work/classbench.yaml"
if [[ -n "$firewall_rules" ]]; then
    # ClassBench "@src/len dst/len lo : hi lo : hi proto/mask [flags/mask]" as configuration rules, in order.
    python3 - "$firewall_rules" > "$work/classbench.yaml" <<'EOF'
import re, sys
protocols = {0x06: "tcp", 0x11: "udp", 0x01: "icmp"}
for n, line in enumerate(l for l in open(sys.argv[1]) if l.strip() and not l.startswith("#")):
    f = re.split(r"\s+", line.strip().lstrip("@").strip())
    src, dst, slo, shi, dlo, dhi, proto = f[0], f[1], int(f[2]), int(f[4]), int(f[5]), int(f[7]), f[8]
    value, mask = (int(x, 16) for x in proto.split("/"))
    rule = [f"name: classbench-{n + 1}", "action: allow"]
    if mask:
        rule.append(f"protocol: {protocols.get(value, value)}")
    for field, prefix in (("source", src), ("destination", dst)):
        if not prefix.endswith("/0"):
            rule.append(f"{field}: {prefix}")
    for field, lo, hi in (("source_ports", slo, shi), ("destination_ports", dlo, dhi)):
        if (lo, hi) != (0, 65535) and mask and value in (6, 17):
            rule.append(f"{field}: '{lo}-{hi}'")
    print("        - {" + ", ".join(rule) + "}")
EOF
fi
# KIND: a or b, the two valid configurations (what differs between them depends on --change), or broken or bad,
# two invalid ones.
write_config()
{
    local firewall=a home_net="[10.0.0.0/8]"
    [[ "$change" != ips && "$1" == b ]] && firewall=b
    [[ "$change" != firewall && "$1" == b ]] && home_net="[10.77.0.0/16]"
    {
        cat <<EOF
engine:
  workers: 1
ports:
  - name: in
    type: dpdk
    devargs: net_memif_load_in,role=server,id=0,socket=$work/gen.sock
    out: out
  - name: out
    type: dpdk
    devargs: net_memif_load_out,role=server,id=1,socket=$work/sink.sock
    receive: false
firewall:
  tenants:
    - name: lab
      select: [{prefix: 10.77.0.0/16}]
      default: deny
      rules:
EOF
        case "$1" in
            a|b) if [[ $firewall == b ]]; then
                     echo "        - {name: no-telnet, action: deny, protocol: tcp, destination_ports: 23}"
                     echo "        - {name: no-outside-dns, action: deny, protocol: udp, destination_ports: 53, destination: 10.77.9.0/24}"
                 fi
                 echo "        - {name: sequence-traffic, action: allow, protocol: udp, destination_ports: 9000}" ;;
            broken) echo "        - {name: sequence-traffic, action: allow, protocol: udp, destination_ports: 9000" ;;
            bad) echo "        - {name: sequence-traffic, action: maybe, protocol: udp, destination_ports: 9000}" ;;
        esac
        cat "$work/classbench.yaml"
        if [[ -n "$ips" ]]; then
            printf 'ips:\n  mode: ids\n  rules: [%s]\n  address_vars: {HOME_NET: "%s"}\n' "$ips" "$home_net"
        fi
    } > "$config.tmp"
    mv "$config.tmp" "$config"
}
write_config a

online=$(cat /sys/devices/system/cpu/online)
# SIGHUP, SIGINT and SIGTERM back to their defaults: a shell's background job inherits SIGINT ignored,
# nohup SIGHUP, and the engine cannot handle a signal it inherits ignored.
# The engine's JVM safepoints (a GC pause stops the worker too) are logged on the clock the peers stamp
# frames with, so that each long gap at the sink can be matched with what the engine was doing.
export OPENSASE_JAVA_OPTS="${OPENSASE_JAVA_OPTS:-} -Xlog:safepoint:file=$work/engine-safepoints.log:timenanos"
env --default-signal=HUP,INT,TERM taskset -c "$online" "$here/bin/opensase" run --config "$config" \
    --pid-file "$pidfile" --report "$report" --seconds $(( seconds + warmup + 60 )) \
    > "$work/engine.out" 2> "$work/engine.err" &
engine=$!
pids+=("$engine")

# The peers go on a CPU the engine's worker is not pinned to.
worker_cpus=
for _ in $(seq 600); do
    if [[ -f "$pidfile" ]]; then
        for task in /proc/"$(cat "$pidfile")"/task/*; do
            if [[ "$(cat "$task/comm" 2>/dev/null)" == opensase-worker ]]; then
                worker_cpus=$(awk '/Cpus_allowed_list/ {print $2}' "$task/status")
            fi
        done
    fi
    [[ -n "$worker_cpus" ]] && break
    kill -0 "$engine" 2>/dev/null || { cat "$work/engine.err" >&2; exit 2; }
    sleep 0.1
done
[[ -n "$worker_cpus" ]] || { echo "reload-under-load: the engine's worker did not start" >&2; exit 2; }
peer_cpu=$(python3 - "$worker_cpus" "$online" <<'EOF'
import sys
def cpus(text):
    out = set()
    for part in text.split(","):
        low, _, high = part.partition("-")
        out.update(range(int(low), int(high or low) + 1))
    return out
free = sorted(cpus(sys.argv[2]) - cpus(sys.argv[1]))
print(free[0] if free else max(cpus(sys.argv[2])))
EOF
)

eal=(-l "$peer_cpu" --in-memory --no-pci --no-telemetry)
taskset -c "$online" "$peer" sink "${eal[@]}" --file-prefix=opensase_load_sink_$$ \
    "--vdev=net_memif0,role=client,id=1,rsize=14,socket=$work/sink.sock" -- --count "$count" \
    --idle-exit-ms 30000 --timeline "$work/sink-timeline.txt" --bin-us 10000 --seq-bin "$seq_bin" \
    > "$work/sink.out" 2> "$work/sink.err" &
sink=$!
pids+=("$sink")
mkfifo "$work/gen.in"
taskset -c "$online" "$peer" gen "${eal[@]}" --file-prefix=opensase_load_gen_$$ \
    "--vdev=net_memif0,role=client,id=0,rsize=14,socket=$work/gen.sock" -- --count "$count" --rate "$rate" \
    --warmup $(( rate * warmup )) --pause-ms 500 --timeline "$work/gen-timeline.txt" --seq-bin "$seq_bin" \
    < "$work/gen.in" > "$work/gen.out" 2> "$work/gen.err" &
gen=$!
pids+=("$gen")
exec 3> "$work/gen.in"

await_line()
{
    local file=$1 text=$2 tenths=$3
    for _ in $(seq "$tenths"); do
        grep -q "$text" "$file" 2>/dev/null && return 0
        sleep 0.1
    done
    echo "reload-under-load: $file did not say '$text'; $(cat "${file%.out}.err" 2>/dev/null)" >&2
    exit 2
}
await_line "$work/gen.out" "link up" 300
await_line "$work/sink.out" "link up" 300
# CLOCK_MONOTONIC, as the peers stamp it: bash's wall clock plus the offset between the two, taken once.
offset_us=$(python3 -c 'import time; print(time.monotonic_ns() // 1000 - time.time_ns() // 1000)')
now_ns() { echo $(( (${EPOCHREALTIME/./} + offset_us) * 1000 )); }
echo go >&3
measured_from=$(( $(now_ns) + (warmup * 1000 + 500) * 1000000 ))

engine_pid=$(cat "$pidfile")
# The engine's resident memory every 20 ms: monotonic ns, VmRSS and VmHWM in kB.
python3 - "$engine_pid" > "$work/rss.txt" <<'EOF' &
import sys, time
status = f"/proc/{sys.argv[1]}/status"
while True:
    try:
        fields = dict(line.split(":", 1) for line in open(status))
    except (FileNotFoundError, ProcessLookupError):
        break
    if "VmRSS" not in fields:  # the engine has exited
        break
    print(time.monotonic_ns(), fields["VmRSS"].split()[0], fields["VmHWM"].split()[0], flush=True)
    time.sleep(0.02)
EOF
pids+=("$!")
# The outcome the engine writes beside its pid file after each reload (what opensase reload reads).
read_outcome()
{
    seq_now= outcome= generation= requested_ns= finished_ns=
    [[ -f "$pidfile.reload" ]] || return 0
    local key value
    while IFS='=' read -r key value; do
        case "$key" in
            seq) seq_now=$value ;;
            status) outcome=$value ;;
            generation) generation=$value ;;
            requested_ns) requested_ns=$value ;;
            finished_ns) finished_ns=$value ;;
        esac
    done < "$pidfile.reload"
}
: > "$work/reloads.txt"
spacing=$(( (seconds * 1000 - 1500) * 1000000 / (reloads > 0 ? reloads : 1) ))
running=a
for i in $(seq "$reloads"); do
    due=$(( measured_from + 500000000 + (i - 1) * spacing ))
    left=$(( due - $(now_ns) ))
    (( left > 0 )) && sleep "$(printf '%d.%09d' $(( left / 1000000000 )) $(( left % 1000000000 )))"
    if (( invalid_every > 0 && i % invalid_every == 0 )); then
        kind=$([[ $(( (i / invalid_every) % 2 )) == 0 ]] && echo bad || echo broken)
    else
        kind=$([[ $running == a ]] && echo b || echo a)
    fi
    write_config "$kind"
    # The peak resident memory from here on is this reload's (Linux: 5 resets VmHWM to VmRSS).
    echo 5 > "/proc/$engine_pid/clear_refs"
    from=$(now_ns)
    if [[ "$reload_with" == cli ]]; then
        set +e
        text=$("$here/bin/opensase" reload --pid-file "$pidfile" 2>&1)
        status=$?
        set -e
    else
        read_outcome
        before=$seq_now
        kill -HUP "$engine_pid"
        text="no answer"
        status=2
        for _ in $(seq 6000); do
            read_outcome
            if [[ -n "$seq_now" && "$seq_now" != "$before" ]]; then
                text="$outcome $generation"
                status=$([[ $outcome == applied || $outcome == unchanged ]] && echo 0 || echo 1)
                break
            fi
            sleep 0.005
        done
    fi
    to=$(now_ns)
    [[ $kind == a || $kind == b ]] && (( status == 0 )) && running=$kind
    read_outcome
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$i" "$kind" "$status" "$from" "$to" "${text//$'\n'/ }" \
        "${requested_ns:-0}" "${finished_ns:-0}" >> "$work/reloads.txt"
done

await_line "$work/gen.out" '"role":"gen"' $(( (seconds + 60) * 10 ))
sleep 0.3
kill -TERM "$engine"
wait "$engine" || { echo "reload-under-load: the engine failed: $(tail -5 "$work/engine.err")" >&2; exit 1; }
kill -TERM "$sink"
wait "$sink" || true
exec 3>&-
wait "$gen" || true

python3 - "$work" "$rate" "$seconds" "$peer_cpu" "$worker_cpus" "$reload_with" "$change" <<'EOF'
import json, re, sys
work, rate, seconds, peer_cpu, worker_cpus, reload_with, change = sys.argv[1:]
gen = next(json.loads(l) for l in open(f"{work}/gen.out") if '"role":"gen"' in l)
sink = next(json.loads(l) for l in open(f"{work}/sink.out") if '"role":"sink"' in l)
run = json.load(open(f"{work}/report.json"))
rows = [l.rstrip("\n").split("\t") for l in open(f"{work}/reloads.txt")]
safepoints = []
try:
    for line in open(f"{work}/engine-safepoints.log"):
        m = re.match(r'\[(\d+)ns\] Safepoint "([^"]+)".* Total: (\d+) ns', line)
        if m:
            safepoints.append((m.group(2), int(m.group(1)), int(m.group(3))))
except FileNotFoundError:
    pass
problems = []
applied = 0
generation = 1
for index, kind, status, start, end, text, _, _ in rows:
    if kind in ("a", "b"):
        applied += 1
        # An IPS-only change leaves the firewall's policy generation as it was.
        generation += change != "ips"
        if status != "0" or "applied" not in text or text.split()[-1] != str(generation):
            problems.append(f"reload {index} ({kind}): expected applied, generation {generation}: {text}")
    elif status != "1" or "rejected" not in text and "invalid" not in text:
        problems.append(f"reload {index} ({kind}): expected rejected: {text}")
times = [(int(r[4]) - int(r[3])) / 1e6 for r in rows]
drops = sum(run["drops"].values())
checks = [
    ("frames the engine's input ring refused", gen["refused"], 0),
    ("lost", sink["lost"], 0),
    ("duplicated", sink["duplicates"], 0),
    ("not the generator's", sink["foreign"] + sink["out_of_range"], 0),
    ("final policy generation", run["firewall"]["generation"], generation),
    ("buffers in use", run["buffers_in_use"], 0),
    ("received + generated - transmitted - dropped", run["packets_in"] + run["generated"] - run["packets_out"] - drops, 0),
    ("transmitted - received by the sink", run["packets_out"] - sink["received"], 0),
]
start, end = gen["start_ns"], gen["start_ns"] + gen["elapsed_ns"]
if rows and not (int(rows[0][3]) > start and int(rows[-1][4]) < end):
    problems.append("the reloads did not all run during the measured traffic (too slow for --seconds?)")
for what, got, want in checks:
    if got != want:
        problems.append(f"{what}: {got}, expected {want}")
print(f"reload under load: {gen['offered']:,} frames at {gen['rate_pps']:,.0f} fps (target {int(rate):,}, {seconds} s), "
      f"{len(rows)} reloads by {reload_with} ({applied} applied, {len(rows) - applied} rejected), "
      f"final generation {run['firewall']['generation']}")
print(f"  sink: lost {sink['lost']}, duplicated {sink['duplicates']}, reordered {sink['reordered']}; "
      f"refused at the engine's input {gen['refused']}; warm-up refused {gen['warmup_refused']} of {gen['warmup']}")
print(f"  longest gap at the sink {sink['gaps'][0]['ns'] / 1e6 if sink['gaps'] else 0:.3f} ms, longest one-way delay "
      f"{sink['max_delay_ns'] / 1e6:.3f} ms (mean {sink['mean_delay_ns'] / 1e6:.3f} ms); generator's worst lateness "
      f"{gen['max_lag_ns'] / 1e6:.3f} ms, schedule skipped {gen['stalled_ns'] / 1e6:.1f} ms")
def cause(gap):
    gap_end, gap_start = gap["end_ns"], gap["end_ns"] - gap["ns"]
    during = [r[0] for r in rows if int(r[3]) < gap_end and int(r[4]) > gap_start]
    stopped = [f"{name} {total / 1e6:.1f} ms" for name, end, total in safepoints
               if end - total < gap_end and end > gap_start - 1000000 and total > 1000000]
    return ((f"during reload {', '.join(during)}" if during else "no reload running") + "; "
            + (f"the engine's JVM stopped: {', '.join(stopped)}" if stopped else "no JVM safepoint over 1 ms"))
for gap in sink["gaps"]:
    print(f"    gap {gap['ns'] / 1e6:.3f} ms before frame {gap['seq']} (sent {gap['sent_ns'] / 1e6:.3f} ms apart): "
          + cause(gap))
added = sink["added_gap"]
print(f"  longest gap the engine's side added (a gap less the time between the two frames' sending) "
      f"{added['ns'] / 1e6:.3f} ms before frame {added['seq']}: {cause(added)}")
if times:
    times.sort()
    print(f"  reload round trip: median {times[len(times) // 2]:.1f} ms, slowest {times[-1]:.1f} ms")
print(f"  engine: in {run['packets_in']}, out {run['packets_out']}, generated {run['generated']}, dropped {drops} "
      f"{ {k: v for k, v in run['drops'].items() if v} }, buffers in use {run['buffers_in_use']}")
if safepoints:
    name, _, total = max(safepoints, key=lambda p: p[2])
    print(f"  engine JVM safepoints: {len(safepoints)}, {sum(1 for p in safepoints if p[2] > 10000000)} over 10 ms, "
          f"longest {total / 1e6:.1f} ms ({name})")
print(f"  engine worker on CPU {worker_cpus}, generator and sink on CPU {peer_cpu}; files in {work}")

# Per reload, over its window: from its start to the next one's (the last: to the end of the traffic).
bins = []       # (start ns, frames received, longest gap ns) per 10 ms at the sink
lost_runs = {}  # first sequence number of a run -> frames of the run missing at the sink
for line in open(f"{work}/sink-timeline.txt"):
    kind, *values = line.split()
    if kind == "t":
        bins.append(tuple(int(v) for v in values))
    else:
        lost_runs[int(values[0])] = int(values[1])
sent_at = {}
for line in open(f"{work}/gen-timeline.txt"):
    _, first, ns = line.split()
    sent_at[int(first)] = int(ns)
samples = [tuple(int(v) for v in line.split()) for line in open(f"{work}/rss.txt") if len(line.split()) == 3]
offered_pps = gen["rate_pps"]
first_reload = int(rows[0][3]) if rows else end
settled = sorted(rss for t, rss, _ in samples if first_reload - 1_000_000_000 <= t < first_reload)
settled_kb = settled[len(settled) // 2] if settled else 0
window_bins = 10  # 100 ms
per_reload = []
for i, (index, kind, status, start, finish, text, requested, finished) in enumerate(rows):
    lo = int(start)
    hi = int(rows[i + 1][3]) if i + 1 < len(rows) else end
    lost = sum(n for first, n in lost_runs.items() if lo <= sent_at.get(first, 0) < hi)
    inside = [b for b in bins if lo <= b[0] < hi]
    gap_ms = max((b[2] for b in inside), default=0) / 1e6
    lowest = min((sum(b[1] for b in inside[j:j + window_bins]) for j in range(len(inside) - window_bins + 1)),
                 default=None)
    lowest_pps = None if lowest is None else lowest * 1e9 / (window_bins * 10_000_000)
    peak_kb = max((hwm for t, _, hwm in samples if lo <= t < hi), default=0)
    apply_ms = (int(finished) - int(requested)) / 1e6 if int(finished) else (int(finish) - int(start)) / 1e6
    per_reload.append({"reload": int(index), "kind": kind, "outcome": text, "apply_ms": round(apply_ms, 1),
                       "lost": lost, "longest_gap_ms": round(gap_ms, 3),
                       "lowest_100ms_pps": None if lowest_pps is None else round(lowest_pps),
                       "peak_rss_kb": peak_kb, "settled_rss_kb": settled_kb})
if per_reload:
    print(f"  per reload (change: {change}; offered {offered_pps:,.0f} fps; settled resident memory "
          f"{settled_kb / 1024:,.0f} MiB with one policy):")
    for r in per_reload:
        dip = "-" if r["lowest_100ms_pps"] is None else \
            f"{r['lowest_100ms_pps']:,} fps ({100 * r['lowest_100ms_pps'] / offered_pps:.0f} %)"
        ratio = f"{r['peak_rss_kb'] / settled_kb:.2f}x" if settled_kb else "-"
        print(f"    {r['reload']:>3} {r['kind']:<6} {r['outcome'][:24]:<24} apply {r['apply_ms']:8.1f} ms, "
              f"lost {r['lost']:>9,}, longest gap {r['longest_gap_ms']:7.1f} ms, lowest 100 ms {dip}, "
              f"peak RSS {r['peak_rss_kb'] / 1024:,.0f} MiB ({ratio})")
json.dump({"rate": int(rate), "offered_pps": offered_pps, "seconds": int(seconds), "change": change,
           "offered": gen["offered"], "received": sink["unique"], "elapsed_ns": gen["elapsed_ns"],
           "lost": sink["lost"], "refused": gen["refused"], "settled_rss_kb": settled_kb,
           "reloads": per_reload, "problems": problems}, open(f"{work}/summary.json", "w"), indent=1)
for problem in problems:
    print(f"FAIL: {problem}")
sys.exit(1 if problems else 0)
EOF
