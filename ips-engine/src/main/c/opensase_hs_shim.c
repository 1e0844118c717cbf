/*
 * Hyperscan block scans whose matches are written to a buffer in C: the JVM makes one critical downcall per scan
 * (no thread-state transition, heap arrays passed in place) instead of a downcall plus an FFM upcall per match.
 */
#include <hs/hs.h>
#include <stdint.h>

#include "opensase_hs_shim.h"

/* Layout of the match buffer: [0] capacity in matches, [1] matches written, then (id, end) pairs. */
static int record_match(unsigned int id, unsigned long long from, unsigned long long to, unsigned int flags,
    void *context)
{
    uint32_t *buffer = context;
    const uint32_t count = buffer[1];
    if (count == buffer[0])
    {
        return 1; /* full: the scan ends with HS_SCAN_TERMINATED and the caller scans again with more room */
    }
    buffer[2 + 2 * count] = id;
    buffer[3 + 2 * count] = (uint32_t)to;
    buffer[1] = count + 1;
    return 0;
}

int opensase_hs_scan(const hs_database_t *database, const char *base, uint64_t offset, uint32_t length,
    hs_scratch_t *scratch, uint32_t *matches)
{
    matches[1] = 0;
    return hs_scan(database, base + offset, length, 0, scratch, record_match, matches);
}
