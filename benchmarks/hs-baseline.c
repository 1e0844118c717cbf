/*
 * The IPS path benchmark's baseline through Hyperscan's C API, as the issue measured it: one block-mode
 * database of one literal per ET Open fast pattern, scanned over each packet's TCP or UDP payload, a C match
 * callback that counts. Inputs from io.opensase.benchmarks.ips.BaselineInputs. Prints ns per packet over all
 * packets (those without payload too, as IpsPathBenchmark divides), payload Gbps and matches per pass, for
 * each of ROUNDS timed rounds after one warm-up round.
 *
 * usage: hs-baseline LITERALS PAYLOADS single|every [SECONDS_PER_ROUND [ROUNDS]]
 * build: gcc -O2 -o hs-baseline hs-baseline.c $(pkg-config --cflags --libs libhs)
 */
#include <hs/hs.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void die(const char *what)
{
    fprintf(stderr, "hs-baseline: %s\n", what);
    exit(2);
}

static int count_match(unsigned int id, unsigned long long from, unsigned long long to, unsigned int flags,
                       void *context)
{
    (void)id; (void)from; (void)to; (void)flags;
    *(uint64_t *)context += 1;
    return 0;
}

static double now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e9 + t.tv_nsec;
}

int main(int argc, char **argv)
{
    if (argc < 4) die("usage: hs-baseline LITERALS PAYLOADS single|every [SECONDS_PER_ROUND [ROUNDS]]");
    const int single = 0 == strcmp(argv[3], "single");
    const double seconds = argc > 4 ? atof(argv[4]) : 3.0;
    const int rounds = argc > 5 ? atoi(argv[5]) : 5;

    FILE *lf = fopen(argv[1], "r");
    if (!lf) die("cannot open the literals");
    size_t cap = 8192, n = 0;
    char **expressions = malloc(cap * sizeof *expressions);
    unsigned int *flags = malloc(cap * sizeof *flags), *ids = malloc(cap * sizeof *ids);
    char hex[4200];
    unsigned int id, nocase;
    while (3 == fscanf(lf, "%u %u %4199s", &id, &nocase, hex))
    {
        if (n == cap) die("more than 8192 literals");
        const size_t bytes = strlen(hex) / 2;
        char *e = malloc(bytes * 4 + 1);
        for (size_t i = 0; i < bytes; i++) snprintf(e + 4 * i, 5, "\\x%c%c", hex[2 * i], hex[2 * i + 1]);
        expressions[n] = e;
        flags[n] = (nocase ? HS_FLAG_CASELESS : 0) | (single ? HS_FLAG_SINGLEMATCH : 0);
        ids[n] = id;
        n++;
    }
    fclose(lf);

    FILE *pf = fopen(argv[2], "rb");
    if (!pf) die("cannot open the payloads");
    fseek(pf, 0, SEEK_END);
    const long size = ftell(pf);
    fseek(pf, 0, SEEK_SET);
    unsigned char *all = malloc(size);
    if (size != (long)fread(all, 1, size, pf)) die("short read of the payloads");
    fclose(pf);
    size_t packets = 0, payload_bytes = 0;
    for (long at = 0; at + 4 <= size; packets++)
    {
        uint32_t length;
        memcpy(&length, all + at, 4);
        at += 4 + length;
        payload_bytes += length;
    }
    const unsigned char **data = malloc(packets * sizeof *data);
    uint32_t *lengths = malloc(packets * sizeof *lengths);
    for (long at = 0, p = 0; at + 4 <= size; p++)
    {
        memcpy(&lengths[p], all + at, 4);
        data[p] = all + at + 4;
        at += 4 + lengths[p];
    }

    hs_database_t *db;
    hs_compile_error_t *error;
    const double compile_start = now_ns();
    if (HS_SUCCESS != hs_compile_multi((const char *const *)expressions, flags, ids, (unsigned int)n, HS_MODE_BLOCK,
                                       NULL, &db, &error))
    {
        fprintf(stderr, "hs-baseline: hs_compile_multi: %s\n", error->message);
        return 2;
    }
    const double compile_ms = (now_ns() - compile_start) / 1e6;
    hs_scratch_t *scratch = NULL;
    if (HS_SUCCESS != hs_alloc_scratch(db, &scratch)) die("hs_alloc_scratch");
    size_t db_bytes = 0;
    hs_database_size(db, &db_bytes);
    printf("[hs-baseline] %s, %zu literals, %zu packets, %zu payload bytes (%.1f per packet), database %.1f MB, "
           "compiled in %.0f ms, %s match\n", hs_version(), n, packets, payload_bytes,
           (double)payload_bytes / packets, db_bytes / 1e6, compile_ms, single ? "single" : "every");

    for (int round = 0; round <= rounds; round++)
    {
        uint64_t matches = 0;
        size_t passes = 0;
        const double start = now_ns();
        double elapsed;
        do
        {
            for (size_t p = 0; p < packets; p++)
            {
                if (lengths[p] > 0 && HS_SUCCESS != hs_scan(db, (const char *)data[p], lengths[p], 0, scratch,
                                                             count_match, &matches))
                {
                    die("hs_scan");
                }
            }
            passes++;
            elapsed = now_ns() - start;
        } while (elapsed < seconds * 1e9);
        const double ns = elapsed / ((double)passes * packets);
        printf("[hs-baseline] %s %d: %.1f ns per packet, %.2f Gbps of payload, %.0f matches per pass\n",
               0 == round ? "warm-up" : "round", round, ns, payload_bytes * 8.0 / packets / ns,
               (double)matches / passes);
    }
    hs_free_scratch(scratch);
    hs_free_database(db);
    return 0;
}
