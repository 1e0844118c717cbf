package io.opensase.core.firewall;

/**
 * The verdict of each fragmented datagram's first fragment, kept for its later fragments, which carry no
 * ports and are never classified by bytes read as ports. Keyed by tenant, addresses, IP identification and
 * protocol; direct-mapped with a fixed number of entries (a later datagram hashing to a taken entry replaces
 * it), each living for the configured timeout in packet time. Owned by one worker.
 */
final class FragmentVerdicts
{
    static final int NONE = -1;
    private static final int ENTRIES = 1 << 14;
    private static final int WORDS = 6;

    private final long[] keys = new long[ENTRIES * WORDS];
    private final long[] expiresNs = new long[ENTRIES];
    private final byte[] actions = new byte[ENTRIES];
    private final int[] rules = new int[ENTRIES];
    private final long[] generations = new long[ENTRIES];
    private final long timeoutNs;

    FragmentVerdicts(final long timeoutNs)
    {
        this.timeoutNs = timeoutNs;
    }

    /** Keeps a first fragment's verdict for the datagram's other fragments. */
    void record(final int tenant, final FragmentInfo fragment, final RuleAction action, final int rule,
        final long generation, final long nowNs)
    {
        final int entry = entry(tenant, fragment);
        final int at = entry * WORDS;
        keys[at] = word0(tenant, fragment);
        keys[at + 1] = fragment.srcHi();
        keys[at + 2] = fragment.srcLo();
        keys[at + 3] = fragment.dstHi();
        keys[at + 4] = fragment.dstLo();
        keys[at + 5] = fragment.identification();
        expiresNs[entry] = nowNs + timeoutNs;
        actions[entry] = (byte)action.ordinal();
        rules[entry] = rule;
        generations[entry] = generation;
    }

    /**
     * @return the ordinal of the datagram's {@link RuleAction}, or {@link #NONE} when its first fragment was not
     *         seen (or its verdict expired or was replaced).
     */
    int action(final int tenant, final FragmentInfo fragment, final long nowNs)
    {
        final int entry = entry(tenant, fragment);
        final int at = entry * WORDS;
        if (expiresNs[entry] < nowNs || keys[at] != word0(tenant, fragment) || keys[at + 1] != fragment.srcHi()
            || keys[at + 2] != fragment.srcLo() || keys[at + 3] != fragment.dstHi() || keys[at + 4] != fragment.dstLo()
            || keys[at + 5] != fragment.identification())
        {
            return NONE;
        }
        return actions[entry];
    }

    /** The rule that decided the datagram last found by {@link #action}, -1 for the tenant's default. */
    int rule(final int tenant, final FragmentInfo fragment)
    {
        return rules[entry(tenant, fragment)];
    }

    /** The policy generation the datagram last found by {@link #action} was decided under. */
    long generation(final int tenant, final FragmentInfo fragment)
    {
        return generations[entry(tenant, fragment)];
    }

    /** Tenant (16 bits), IP version and protocol, and a bit that no empty entry has. */
    private static long word0(final int tenant, final FragmentInfo fragment)
    {
        return (long)tenant << 32 | (long)fragment.version() << 8 | fragment.protocol() | 1L << 62;
    }

    private static int entry(final int tenant, final FragmentInfo fragment)
    {
        long h = word0(tenant, fragment) * 0x9E37_79B9_7F4A_7C15L;
        h = (h ^ fragment.srcLo() ^ fragment.dstLo() ^ fragment.srcHi() ^ fragment.dstHi()) * 0xBF58_476D_1CE4_E5B9L;
        h = (h ^ fragment.identification()) * 0x94D0_49BB_1331_11EBL;
        return (int)(h >>> 50) & (ENTRIES - 1);
    }
}
