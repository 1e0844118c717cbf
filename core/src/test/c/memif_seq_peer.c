/*
 * Traffic generator and sink for the reload-under-load test (core's ReloadUnderLoadTest and
 * benchmarks/reload-under-load.sh): each a DPDK process of its own with one net_memif port, so that frames
 * are counted outside the engine, by code that shares nothing with it.
 *
 *   memif_seq_peer gen  EAL-ARGS -- --count N --rate PPS [--warmup W] [--pause-ms MS] [--flows F] [--burst B]
 *                                  [--timeline FILE --seq-bin K]
 *   memif_seq_peer sink EAL-ARGS -- --count N [--idle-exit-ms MS] [--timeline FILE --bin-us US --seq-bin K]
 *
 * Both use port 0, the one vdev in EAL-ARGS (e.g. --vdev=net_memif0,role=client,id=0,rsize=14,socket=PATH).
 * Each prints "ready" once its port has started and "link up" once its memif peer is connected.
 *
 * gen: after "link up" waits for a line on stdin, then sends W warm-up frames and, MS ms later (500 by
 * default), the N measured frames, both at PPS frames per second: Ethernet, IPv4 10.77.0.1 -> 10.77.1.1,
 * UDP to port 9000 from port 40000 + seq % F (F = 16 flows by default), 60 bytes (64 on a wire). The UDP
 * payload is a 16-bit magic (one for warm-up frames, another for measured ones), the sequence number (0..N-1
 * in its phase, 64 bits) and the send time (CLOCK_MONOTONIC ns, 64 bits), in host byte order. Pacing by
 * CLOCK_MONOTONIC: each pass sends, in bursts of B (32), what is due and sleeps about 20 us. When this process
 * was not scheduled for a while it catches up at most 2 ms of frames and moves its schedule on for the rest
 * (reported as stalled_ns), so its own stalls do not pour into the engine's ring at once. A frame the port
 * does not take (the ring is full: the engine is not reading) is not offered again: it is counted as refused,
 * as a NIC drops what its ring cannot hold, and the sink sees its number missing. At the end it prints one
 * JSON line (offered, sent, refused, rate achieved, its worst lateness, the same for the warm-up) and keeps
 * the port open until stdin closes, so that the engine can still read what is in the ring. With --timeline it
 * writes FILE: a line "sent FIRST_SEQ NS" when it sends measured frame FIRST_SEQ, for every K-th number (the
 * sink's "lost" lines count missing numbers in the same runs of K).
 *
 * sink: receives until SIGTERM or SIGINT, or until --idle-exit-ms pass without a frame after the first. It
 * checks that every measured sequence number below N arrives exactly once (a bitmap), counts frames that
 * arrive after a higher number (reordered), warm-up frames, and frames that are not the generator's
 * (foreign), and records the gaps between consecutive measured frames (the time of the poll that found
 * them; after 64 empty polls the loop sleeps 10 us, so gaps below about 0.1 ms are resolution): the five
 * longest, each with when it ended and how far apart the two frames were sent (a gap the generator made
 * itself), and the longest gap less that send-time gap (added_gap: what the path between the peers added),
 * and the longest one-way delay (send time in the frame to the poll that found it; the same clock in both
 * processes). It prints one JSON line and exits 0. With --timeline it also writes FILE, so that a run can be
 * read per reload: for each bin of US microseconds of arrival time (CLOCK_MONOTONIC, bins counted from 0 ns),
 * a line "t BIN_START_NS RECEIVED LONGEST_GAP_NS" (measured frames that arrived in the bin, and the longest
 * gap between consecutive measured frames that ended in it), for every bin from the first measured frame's
 * to the last one's; then for every run of K sequence numbers with a number missing a line
 * "lost FIRST_SEQ MISSING" (the generator sends K numbers in K / rate seconds, so this says when the lost
 * frames were sent).
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#define MAGIC 0x5351u      /* "SQ" */
#define WARM_MAGIC 0x574du /* "WM" */
#define FRAME_LEN 60      /* 64 on the wire with the FCS */
#define PAYLOAD_OFF 42    /* after Ethernet (14), IPv4 (20), UDP (8) */
#define MAX_BURST 64
#define TOP_GAPS 5
#define MAX_LATE_NS 2000000ull /* the most the generator catches up on after it was not scheduled */
#define MAX_TIMELINE_BINS (1u << 22) /* 11.6 hours of 10 ms bins */

static volatile sig_atomic_t quit;

static void on_signal(int sig)
{
    (void)sig;
    quit = 1;
}

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void sleep_ns(long ns)
{
    struct timespec ts = {0, ns};
    nanosleep(&ts, NULL);
}

static void die(const char *what)
{
    fprintf(stderr, "memif_seq_peer: %s\n", what);
    exit(2);
}

static uint64_t arg_u64(int argc, char **argv, const char *name, uint64_t fallback)
{
    for (int i = 0; i + 1 < argc; i++) {
        if (0 == strcmp(argv[i], name)) {
            char *end;
            errno = 0;
            const unsigned long long v = strtoull(argv[i + 1], &end, 10);
            if (errno || *end || end == argv[i + 1]) {
                fprintf(stderr, "memif_seq_peer: %s: not a number: %s\n", name, argv[i + 1]);
                exit(2);
            }
            return v;
        }
    }
    return fallback;
}

static const char *arg_text(int argc, char **argv, const char *name)
{
    for (int i = 0; i + 1 < argc; i++)
        if (0 == strcmp(argv[i], name))
            return argv[i + 1];
    return NULL;
}

static struct rte_mempool *open_port(const char *pool_name)
{
    if (0 == rte_eth_dev_count_avail())
        die("no port: give one vdev, e.g. --vdev=net_memif0,role=client,socket=PATH");
    struct rte_mempool *pool = rte_pktmbuf_pool_create(pool_name, 16383, 256, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
        (int)rte_socket_id());
    if (NULL == pool)
        die("cannot create the mempool (hugepages reserved?)");
    struct rte_eth_conf conf;
    memset(&conf, 0, sizeof conf);
    if (rte_eth_dev_configure(0, 1, 1, &conf) < 0)
        die("cannot configure port 0");
    if (rte_eth_rx_queue_setup(0, 0, 1024, (unsigned)rte_eth_dev_socket_id(0), NULL, pool) < 0)
        die("cannot set up the RX queue");
    if (rte_eth_tx_queue_setup(0, 0, 1024, (unsigned)rte_eth_dev_socket_id(0), NULL) < 0)
        die("cannot set up the TX queue");
    if (rte_eth_dev_start(0) < 0)
        die("cannot start port 0");
    printf("ready\n");
    fflush(stdout);
    return pool;
}

/* Waits up to 60 s for the peer to connect, then says so on stdout. */
static void await_link(void)
{
    struct rte_eth_link link;
    for (int i = 0; i < 6000 && !quit; i++) {
        memset(&link, 0, sizeof link);
        rte_eth_link_get_nowait(0, &link);
        if (link.link_status) {
            printf("link up\n");
            fflush(stdout);
            return;
        }
        sleep_ns(10000000);
    }
    die("the link did not come up within 60 s");
}

static uint16_t ip_checksum(const uint8_t *header)
{
    uint32_t sum = 0;
    for (int i = 0; i < 20; i += 2)
        sum += (uint32_t)header[i] << 8 | header[i + 1];
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)~sum;
}

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

struct phase {
    uint64_t offered, refused, max_lag_ns, alloc_waits, start_ns, elapsed_ns, stalled_ns;
};

/* Sends count frames numbered 0..count-1 with the given magic at rate frames per second. */
static void send_phase(struct rte_mempool *pool, const uint8_t *frame, uint16_t magic, uint64_t count, uint64_t rate,
    uint64_t flows, uint64_t burst, uint64_t seq_bin, uint64_t *sent_at, struct phase *out)
{
    struct rte_mbuf *mbufs[MAX_BURST];
    uint64_t seq = 0, refused = 0, max_lag_ns = 0, alloc_waits = 0, stalled_ns = 0;
    const uint64_t first = now_ns();
    uint64_t start = first;
    while (seq < count && !quit) {
        const uint64_t now = now_ns();
        uint64_t due = (uint64_t)((unsigned __int128)(now - start) * rate / 1000000000ull);
        if (due > seq) {
            /* how late the oldest frame due is: the generator's own stall, not the engine's */
            const uint64_t late = now - start - (uint64_t)((unsigned __int128)seq * 1000000000ull / rate);
            if (late > max_lag_ns)
                max_lag_ns = late;
            if (late > MAX_LATE_NS) {
                /* This process was not scheduled: the schedule moves on rather than send what it missed
                 * at once, which would overflow the engine's ring for a stall that is not the engine's. */
                const uint64_t shift = late - MAX_LATE_NS;
                start += shift;
                stalled_ns += shift;
                due = (uint64_t)((unsigned __int128)(now - start) * rate / 1000000000ull);
            }
        }
        if (due > count)
            due = count;
        while (seq < due && !quit) {
            const unsigned n = (unsigned)(due - seq < burst ? due - seq : burst);
            if (0 != rte_pktmbuf_alloc_bulk(pool, mbufs, n)) {
                alloc_waits++; /* copy mode: the port keeps no buffers, so this does not happen */
                break;
            }
            const uint64_t stamp = now_ns();
            /* the burst that sends the first number of a run of K (K >= the burst; seq 0 wraps seq - 1) */
            if (NULL != sent_at && (seq + n - 1) / seq_bin != (seq - 1) / seq_bin)
                sent_at[(seq + n - 1) / seq_bin] = stamp;
            for (unsigned i = 0; i < n; i++) {
                uint8_t *data = rte_pktmbuf_mtod(mbufs[i], uint8_t *);
                memcpy(data, frame, FRAME_LEN);
                const uint64_t s = seq + i;
                put16(data + 34, (uint16_t)(40000 + s % flows));
                memcpy(data + PAYLOAD_OFF, &magic, 2);
                memcpy(data + PAYLOAD_OFF + 2, &s, 8);
                memcpy(data + PAYLOAD_OFF + 10, &stamp, 8);
                mbufs[i]->data_len = FRAME_LEN;
                mbufs[i]->pkt_len = FRAME_LEN;
            }
            const uint16_t taken = rte_eth_tx_burst(0, 0, mbufs, (uint16_t)n);
            if (taken < n) {
                refused += n - taken;
                rte_pktmbuf_free_bulk(mbufs + taken, n - taken);
            }
            seq += n;
        }
        if (seq < count)
            sleep_ns(20000);
    }
    out->offered = seq;
    out->refused = refused;
    out->max_lag_ns = max_lag_ns;
    out->alloc_waits = alloc_waits;
    out->start_ns = first;
    out->elapsed_ns = now_ns() - first;
    out->stalled_ns = stalled_ns;
}

static int generate(int argc, char **argv)
{
    const uint64_t count = arg_u64(argc, argv, "--count", 0);
    const uint64_t rate = arg_u64(argc, argv, "--rate", 1000000);
    const uint64_t flows = arg_u64(argc, argv, "--flows", 16);
    const uint64_t burst = arg_u64(argc, argv, "--burst", 32);
    const uint64_t warmup = arg_u64(argc, argv, "--warmup", 0);
    const uint64_t pause_ms = arg_u64(argc, argv, "--pause-ms", 500);
    const char *timeline_path = arg_text(argc, argv, "--timeline");
    const uint64_t seq_bin = arg_u64(argc, argv, "--seq-bin", 10000);
    if (0 == count || 0 == rate || 0 == flows || 0 == burst || burst > MAX_BURST || seq_bin < MAX_BURST)
        die("gen needs --count N > 0, --rate PPS > 0, --flows F > 0, --burst 1..64, --seq-bin K >= 64");
    uint64_t *sent_at = NULL;
    if (NULL != timeline_path && NULL == (sent_at = calloc(count / seq_bin + 1, sizeof(uint64_t))))
        die("no memory for the timeline");
    struct rte_mempool *pool = open_port("seq_gen");
    await_link();

    uint8_t frame[FRAME_LEN];
    memset(frame, 0, sizeof frame);
    const uint8_t dst_mac[6] = {0x02, 0, 0, 0, 0x77, 0x02}, src_mac[6] = {0x02, 0, 0, 0, 0x77, 0x01};
    memcpy(frame, dst_mac, 6);
    memcpy(frame + 6, src_mac, 6);
    put16(frame + 12, 0x0800);
    uint8_t *ip = frame + 14;
    ip[0] = 0x45;
    put16(ip + 2, FRAME_LEN - 14);
    ip[8] = 64;
    ip[9] = 17;
    const uint8_t src_ip[4] = {10, 77, 0, 1}, dst_ip[4] = {10, 77, 1, 1};
    memcpy(ip + 12, src_ip, 4);
    memcpy(ip + 16, dst_ip, 4);
    put16(ip + 10, ip_checksum(ip));
    uint8_t *udp = ip + 20;
    put16(udp + 2, 9000);
    put16(udp + 4, FRAME_LEN - 34); /* checksum 0: none, allowed over IPv4 */

    char line[64];
    if (NULL == fgets(line, sizeof line, stdin))
        die("stdin closed before the go");

    struct phase warm = {0}, run = {0};
    if (warmup) {
        send_phase(pool, frame, WARM_MAGIC, warmup, rate, flows, burst, seq_bin, NULL, &warm);
        const struct timespec pause = {(time_t)(pause_ms / 1000), (long)(pause_ms % 1000) * 1000000L};
        nanosleep(&pause, NULL);
    }
    send_phase(pool, frame, MAGIC, count, rate, flows, burst, seq_bin, sent_at, &run);
    if (NULL != sent_at) {
        FILE *out = fopen(timeline_path, "w");
        if (NULL == out)
            die("cannot write the timeline file");
        for (uint64_t b = 0; b * seq_bin < run.offered; b++)
            fprintf(out, "sent %" PRIu64 " %" PRIu64 "\n", b * seq_bin, sent_at[b]);
        if (fclose(out))
            die("cannot write the timeline file");
        free(sent_at);
    }
    printf("{\"role\":\"gen\",\"count\":%" PRIu64 ",\"offered\":%" PRIu64 ",\"sent\":%" PRIu64
           ",\"refused\":%" PRIu64 ",\"elapsed_ns\":%" PRIu64 ",\"rate_pps\":%.0f,\"target_pps\":%" PRIu64
           ",\"max_lag_ns\":%" PRIu64 ",\"stalled_ns\":%" PRIu64 ",\"alloc_waits\":%" PRIu64
           ",\"start_ns\":%" PRIu64 ",\"warmup\":%" PRIu64 ",\"warmup_refused\":%" PRIu64 ",\"warmup_max_lag_ns\":%" PRIu64 "}\n",
        count, run.offered, run.offered - run.refused, run.refused, run.elapsed_ns,
        run.elapsed_ns ? run.offered * 1e9 / (double)run.elapsed_ns : 0.0, rate, run.max_lag_ns, run.stalled_ns, run.alloc_waits,
        run.start_ns, warm.offered, warm.refused, warm.max_lag_ns);
    fflush(stdout);
    /* keep the port (and the ring the engine reads) until told to go */
    while (NULL != fgets(line, sizeof line, stdin) && !quit)
        ;
    rte_eth_dev_stop(0);
    rte_eth_dev_close(0);
    rte_eal_cleanup();
    return 0;
}

struct gap {
    uint64_t ns;
    uint64_t end_ns;
    uint64_t seq;
    uint64_t sent_ns;
};

static void keep_gap(struct gap *top, uint64_t ns, uint64_t end_ns, uint64_t seq, uint64_t sent_ns)
{
    if (ns <= top[TOP_GAPS - 1].ns)
        return;
    int i = TOP_GAPS - 1;
    while (i > 0 && top[i - 1].ns < ns) {
        top[i] = top[i - 1];
        i--;
    }
    top[i] = (struct gap){ns, end_ns, seq, sent_ns};
}

/* Per arrival-time bin: measured frames received and the longest gap that ended in the bin. */
struct timeline {
    uint64_t bin_ns, origin_bin, bins;
    uint64_t *received, *longest_gap_ns;
};

static void timeline_add(struct timeline *t, uint64_t now, uint64_t gap_ns)
{
    if (NULL == t->received)
        return;
    const uint64_t bin = now / t->bin_ns;
    if (0 == t->bins)
        t->origin_bin = bin;
    if (bin < t->origin_bin || bin - t->origin_bin >= MAX_TIMELINE_BINS)
        return;
    const uint64_t i = bin - t->origin_bin;
    if (i >= t->bins)
        t->bins = i + 1;
    t->received[i]++;
    if (gap_ns > t->longest_gap_ns[i])
        t->longest_gap_ns[i] = gap_ns;
}

static void timeline_write(const struct timeline *t, const char *path, const uint64_t *seen, uint64_t count,
    uint64_t seq_bin)
{
    FILE *out = fopen(path, "w");
    if (NULL == out)
        die("cannot write the timeline file");
    for (uint64_t i = 0; i < t->bins; i++)
        fprintf(out, "t %" PRIu64 " %" PRIu64 " %" PRIu64 "\n", (t->origin_bin + i) * t->bin_ns, t->received[i],
            t->longest_gap_ns[i]);
    for (uint64_t first = 0; first < count; first += seq_bin) {
        uint64_t missing = 0;
        for (uint64_t s = first; s < count && s < first + seq_bin; s++)
            missing += !(seen[s >> 6] & (1ull << (s & 63)));
        if (missing)
            fprintf(out, "lost %" PRIu64 " %" PRIu64 "\n", first, missing);
    }
    if (fclose(out))
        die("cannot write the timeline file");
}

static int sink(int argc, char **argv)
{
    const uint64_t count = arg_u64(argc, argv, "--count", 0);
    const uint64_t idle_exit_ms = arg_u64(argc, argv, "--idle-exit-ms", 0);
    const char *timeline_path = arg_text(argc, argv, "--timeline");
    const uint64_t bin_us = arg_u64(argc, argv, "--bin-us", 10000);
    const uint64_t seq_bin = arg_u64(argc, argv, "--seq-bin", 10000);
    if (0 == count)
        die("sink needs --count N > 0");
    if (0 == bin_us || 0 == seq_bin)
        die("sink needs --bin-us and --seq-bin > 0");
    struct timeline timeline = {bin_us * 1000, 0, 0, NULL, NULL};
    if (NULL != timeline_path) {
        timeline.received = calloc(MAX_TIMELINE_BINS, sizeof(uint64_t));
        timeline.longest_gap_ns = calloc(MAX_TIMELINE_BINS, sizeof(uint64_t));
        if (NULL == timeline.received || NULL == timeline.longest_gap_ns)
            die("no memory for the timeline");
    }
    uint64_t *seen = calloc((count + 63) / 64, sizeof(uint64_t));
    if (NULL == seen)
        die("no memory for the bitmap");
    open_port("seq_sink");
    await_link();

    struct rte_mbuf *mbufs[MAX_BURST];
    struct gap top[TOP_GAPS];
    memset(top, 0, sizeof top);
    uint64_t received = 0, warmup = 0, unique = 0, duplicates = 0, reordered = 0, foreign = 0, out_of_range = 0;
    uint64_t first_ns = 0, last_ns = 0, last_any_ns = 0, max_delay_ns = 0, delay_sum = 0, highest = 0;
    uint64_t last_stamp = 0;
    struct gap added = {0, 0, 0, 0}; /* the longest gap less the gap between the two frames' send times */
    int any = 0;
    unsigned empty = 0;
    while (!quit) {
        const uint16_t n = rte_eth_rx_burst(0, 0, mbufs, MAX_BURST);
        if (0 == n) {
            if (++empty >= 64) {
                empty = 0;
                sleep_ns(10000);
                if (idle_exit_ms && received && now_ns() - last_any_ns > idle_exit_ms * 1000000ull)
                    break;
            }
            continue;
        }
        empty = 0;
        const uint64_t now = now_ns();
        last_any_ns = now;
        for (uint16_t i = 0; i < n; i++) {
            const uint8_t *data = rte_pktmbuf_mtod(mbufs[i], const uint8_t *);
            uint16_t magic = 0;
            uint64_t s = 0, stamp = 0;
            if (mbufs[i]->data_len >= PAYLOAD_OFF + 18) {
                memcpy(&magic, data + PAYLOAD_OFF, 2);
                memcpy(&s, data + PAYLOAD_OFF + 2, 8);
                memcpy(&stamp, data + PAYLOAD_OFF + 10, 8);
            }
            received++;
            if (WARM_MAGIC == magic) {
                warmup++;
                continue;
            }
            if (MAGIC != magic) {
                foreign++;
                continue;
            }
            if (s >= count) {
                out_of_range++;
                continue;
            }
            if (seen[s >> 6] & (1ull << (s & 63))) {
                duplicates++;
            } else {
                seen[s >> 6] |= 1ull << (s & 63);
                unique++;
            }
            if (any && s < highest)
                reordered++;
            if (!any || s > highest)
                highest = s;
            timeline_add(&timeline, now, any ? now - last_ns : 0);
            if (!any) {
                first_ns = now;
            } else {
                const uint64_t sent = stamp > last_stamp ? stamp - last_stamp : 0;
                if (now - last_ns > top[TOP_GAPS - 1].ns)
                    keep_gap(top, now - last_ns, now, s, sent);
                if (now - last_ns > sent && now - last_ns - sent > added.ns)
                    added = (struct gap){now - last_ns - sent, now, s, sent};
            }
            any = 1;
            last_ns = now;
            last_stamp = stamp;
            const uint64_t delay = now > stamp ? now - stamp : 0;
            delay_sum += delay;
            if (delay > max_delay_ns)
                max_delay_ns = delay;
        }
        rte_pktmbuf_free_bulk(mbufs, n);
    }
    /* the first missing numbers, to say which part of the run lost them */
    uint64_t first_missing = count, last_missing = count;
    for (uint64_t s = 0; s < count; s++) {
        if (!(seen[s >> 6] & (1ull << (s & 63)))) {
            if (first_missing == count)
                first_missing = s;
            last_missing = s;
        }
    }
    printf("{\"role\":\"sink\",\"count\":%" PRIu64 ",\"received\":%" PRIu64 ",\"warmup\":%" PRIu64 ",\"unique\":%" PRIu64
           ",\"lost\":%" PRIu64 ",\"duplicates\":%" PRIu64 ",\"reordered\":%" PRIu64 ",\"foreign\":%" PRIu64
           ",\"out_of_range\":%" PRIu64 ",\"first_missing\":%" PRId64 ",\"last_missing\":%" PRId64
           ",\"first_ns\":%" PRIu64 ",\"last_ns\":%" PRIu64 ",\"max_delay_ns\":%" PRIu64
           ",\"mean_delay_ns\":%" PRIu64 ",\"added_gap\":{\"ns\":%" PRIu64 ",\"end_ns\":%" PRIu64
           ",\"seq\":%" PRIu64 "},\"gaps\":[",
        count, received, warmup, unique, count - unique, duplicates, reordered, foreign, out_of_range,
        first_missing == count ? (int64_t)-1 : (int64_t)first_missing,
        last_missing == count ? (int64_t)-1 : (int64_t)last_missing, first_ns, last_ns, max_delay_ns,
        unique ? delay_sum / (received - warmup - foreign - out_of_range) : 0, added.ns, added.end_ns, added.seq);
    for (int i = 0; i < TOP_GAPS && top[i].ns; i++)
        printf("%s{\"ns\":%" PRIu64 ",\"end_ns\":%" PRIu64 ",\"seq\":%" PRIu64 ",\"sent_ns\":%" PRIu64 "}",
            i ? "," : "", top[i].ns, top[i].end_ns, top[i].seq, top[i].sent_ns);
    printf("]}\n");
    fflush(stdout);
    if (NULL != timeline_path)
        timeline_write(&timeline, timeline_path, seen, count, seq_bin);
    rte_eth_dev_stop(0);
    rte_eth_dev_close(0);
    rte_eal_cleanup();
    free(timeline.received);
    free(timeline.longest_gap_ns);
    free(seen);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2 || (strcmp(argv[1], "gen") && strcmp(argv[1], "sink")))
        die("usage: memif_seq_peer gen|sink EAL-ARGS -- OPTIONS");
    const int gen = 0 == strcmp(argv[1], "gen");
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_signal;
    sigaction(SIGTERM, &action, NULL);
    sigaction(SIGINT, &action, NULL);
    argv[1] = argv[0];
    const int used = rte_eal_init(argc - 1, argv + 1);
    if (used < 0)
        die("rte_eal_init failed (root? hugepages? the vdev's devargs?)");
    const int rest = argc - 1 - used;
    char **options = argv + 1 + used;
    return gen ? generate(rest, options) : sink(rest, options);
}
