#ifndef OPENSASE_HS_SHIM_H
#define OPENSASE_HS_SHIM_H

#include <hs/hs.h>
#include <stdint.h>

/*
 * Scans length bytes at base + offset with database, writing each match as an (id, end) pair of uint32 into
 * matches (see opensase_hs_shim.c for its layout). Returns hs_scan's result: HS_SCAN_TERMINATED when the buffer
 * filled up (the matches written are then not all of them).
 */
int opensase_hs_scan(const hs_database_t *database, const char *base, uint64_t offset, uint32_t length,
    hs_scratch_t *scratch, uint32_t *matches);

#endif
