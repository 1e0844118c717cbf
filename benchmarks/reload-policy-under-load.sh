#!/usr/bin/env bash
# The issue's reload benchmark in one command: a configuration holding a ClassBench firewall (10k rules) and
# every ET Open file, reloaded under traffic offered at 50 % and 80 % of the capacity measured first, by
# reloads that change the firewall only, the IPS only, and both. Each run is benchmarks/reload-under-load.sh
# (see it for what is measured and how); this prints one table of every reload: time to apply, frames lost,
# longest gap at the sink, lowest 100 ms rate against the rate offered, peak resident memory against the
# engine's settled with one policy.
#
#   benchmarks/reload-policy-under-load.sh [--firewall-rules CLASSBENCH] [--ips RULES] [--seconds N]
#                                          [--reloads N] [--capacity PPS] [--loads "50 80"] [--keep DIR]
#                                          [--wait-load LOAD]
#
# Defaults: ../shared/data/acl/classbench/fw1_10k, ../shared/data/ids-rules/et-open (from the repository's
# parent), 24 s and 4 reloads per run. Capacity: the highest of 1.25, 1.0, 0.8, 0.6 and 0.4 Mpps at which an
# 8 s run without reloads loses under 0.1 % (give --capacity PPS to skip those runs). Offering far more than
# the capacity is no measure of it here: on 2 CPUs the generator then takes the CPU the engine's JIT compilers
# share, and the sink received 0.4 Mpps while 1.0 Mpps went through without loss. Needs what reload-under-load.sh needs (root, hugepages, a
# build). --wait-load: on a shared machine, each run first waits (up to 30 min) until the 1-minute load
# average is below LOAD; each run's line says the load before and after it. Exits 0 when every run ran,
# whatever it lost.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
data=${OPENSASE_DATA:-$here/../shared/data}
firewall_rules=$data/acl/classbench/fw1_10k
ips=$data/ids-rules/et-open
seconds=24
reloads=4
capacity=
loads="50 80"
keep=
wait_load=
while (( $# )); do
    case "$1" in
        --firewall-rules) firewall_rules=$2; shift 2 ;;
        --ips) ips=$2; shift 2 ;;
        --seconds) seconds=$2; shift 2 ;;
        --reloads) reloads=$2; shift 2 ;;
        --capacity) capacity=$2; shift 2 ;;
        --loads) loads=$2; shift 2 ;;
        --keep) keep=$2; shift 2 ;;
        --wait-load) wait_load=$2; shift 2 ;;
        *) echo "usage: $0 [--firewall-rules CLASSBENCH] [--ips RULES] [--seconds N] [--reloads N] [--capacity PPS]" \
                "[--loads \"50 80\"] [--keep DIR] [--wait-load LOAD]" >&2
           exit 2 ;;
    esac
done
if [[ -n "$keep" ]]; then
    mkdir -p "$keep"
    work=$(cd "$keep" && pwd)
else
    work=$(mktemp -d /tmp/opensase-reload-policy-XXXXXX)
    trap 'rm -rf "$work"' EXIT
fi
run=("$here/benchmarks/reload-under-load.sh" --firewall-rules "$firewall_rules" --ips "$ips")
load_now() { cut -d' ' -f1 /proc/loadavg; }
# Runs one measurement into DIR (its output in DIR.txt), after waiting for the load to drop when asked to.
measure()
{
    local dir=$1; shift
    if [[ -n "$wait_load" ]]; then
        for _ in $(seq 180); do
            awk -v l="$(load_now)" -v w="$wait_load" 'BEGIN { exit !(l < w) }' && break
            sleep 10
        done
    fi
    local before
    before=$(load_now)
    "${run[@]}" "$@" --keep "$dir" > "$dir.txt" 2>&1 || true
    echo "$before $(load_now) $(date -u +%H:%M:%S)" > "$dir.load"
    [[ -f "$dir/summary.json" ]] || { cat "$dir.txt" >&2; exit 2; }
}

if [[ -z "$capacity" ]]; then
    for rate in 1250000 1000000 800000 600000 400000; do
        # Failing checks are expected above capacity; the summary is what is read.
        measure "$work/capacity-$rate" --rate "$rate" --seconds 8 --reloads 0
        if python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); sys.exit(s["lost"] * 1000 >= s["offered"])' \
            "$work/capacity-$rate/summary.json"; then
            capacity=$rate
            echo "capacity: $capacity frames/s (the highest rate probed that lost under 0.1 % without reloads;" \
                "load average $(cut -d' ' -f1,2 --output-delimiter=' before, ' "$work/capacity-$rate.load") after)"
            break
        fi
    done
    [[ -n "$capacity" ]] || { echo "every rate probed lost frames: see $work/capacity-*.txt" >&2; exit 2; }
fi
for load in $loads; do
    for change in firewall ips all; do
        measure "$work/$load-$change" --rate $(( capacity * load / 100 )) --seconds "$seconds" --reloads "$reloads" \
            --invalid-every 0 --change "$change"
    done
done

python3 - "$work" "$capacity" "$loads" <<'PY'
import json, sys
work, capacity, loads = sys.argv[1], int(sys.argv[2]), sys.argv[3].split()
print(f"{'load':>5} {'change':<8} {'reload':>6} {'apply ms':>9} {'lost':>9} {'gap ms':>7} {'lowest 100 ms':>14} "
      f"{'peak RSS':>9} {'x settled':>9}")
for load in loads:
    for change in ("firewall", "ips", "all"):
        s = json.load(open(f"{work}/{load}-{change}/summary.json"))
        for r in s["reloads"]:
            low = "-" if r["lowest_100ms_pps"] is None else f"{100 * r['lowest_100ms_pps'] / s['offered_pps']:.0f} %"
            ratio = r["peak_rss_kb"] / r["settled_rss_kb"] if r["settled_rss_kb"] else 0
            print(f"{load + ' %':>5} {change:<8} {r['reload']:>6} {r['apply_ms']:>9.0f} {r['lost']:>9,} "
                  f"{r['longest_gap_ms']:>7.1f} {low:>14} {r['peak_rss_kb'] / 1024:>5,.0f} MiB {ratio:>8.2f}x")
        before, after, at = open(f"{work}/{load}-{change}.load").read().split()
        print(f"{'':>5} {change:<8} {'run':>6}: offered {s['offered_pps']:,.0f} fps, lost {s['lost']:,} of "
              f"{s['offered']:,}, settled RSS {s['settled_rss_kb'] / 1024:,.0f} MiB; load average {before} before, "
              f"{after} after (ended {at} UTC)" + ("; " + "; ".join(s["problems"]) if s["problems"] else ""))
print(f"files in {work}")
PY
