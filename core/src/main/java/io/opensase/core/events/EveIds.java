package io.opensase.core.events;

/**
 * The {@code flow_id} every event of one flow carries, so that a flow record and the alerts raised on the flow
 * can be joined. Computed, not stored: any stage of the worker that owns the flow derives it from the worker,
 * the flow's slot and its creation time, which together name one flow for the life of the run.
 */
public final class EveIds
{
    /** 51 bits, as Suricata keeps them: exact in a JSON reader that holds numbers as doubles. */
    public static final long FLOW_ID_MASK = (1L << 51) - 1;

    private EveIds()
    {
    }

    /** Never 0; the same for the same three values. */
    public static long flowId(final int worker, final int slot, final long createdNs)
    {
        long h = createdNs * 0x9E37_79B9_7F4A_7C15L ^ ((long)worker << 32 | (slot & 0xFFFF_FFFFL));
        h ^= h >>> 33;
        h *= 0xFF51_AFD7_ED55_8CCDL;
        h ^= h >>> 33;
        h *= 0xC4CE_B9FE_1A85_EC53L;
        h ^= h >>> 33;
        final long id = h & FLOW_ID_MASK;
        return 0 == id ? 1 : id;
    }
}
