package io.opensase.classifiers.flow;

import io.opensase.classifiers.parse.FlowKeyKind;
import io.opensase.classifiers.parse.ParsedPackets;

/**
 * A reusable, direction-free flow key: both directions of a flow build the same words, and {@link #isReverse()}
 * says which direction the packet went. One instance per thread; {@link #set} overwrites it.
 * <p>
 * The key holds the tenant, the outermost VLAN ids, the outermost tunnel id, and the innermost IP
 * addresses, protocol and ports (the echo identifier for ICMP echo; zero for other ICMP and non-first
 * fragments). The endpoint that sorts lower, by address then port, is stored first.
 */
public final class FlowKey
{
    /** Longs per key. */
    public static final int WORDS = 7;

    final long[] words = new long[WORDS];
    private boolean reverse;
    private int hash;
    private byte kind;
    private int ipProtocol;

    /**
     * Builds the key of packet {@code i}.
     *
     * @return false when the packet is not tracked: no IP header, or malformed.
     */
    public boolean set(final ParsedPackets parsed, final int i, final int tenantId)
    {
        final byte packetKind = parsed.keyKind(i);
        if (FlowKeyKind.NONE == packetKind || parsed.isMalformed(i))
        {
            kind = FlowKeyKind.NONE;
            return false;
        }
        set(tenantId, parsed.vlanOuter(i), parsed.vlanInner(i), parsed.tunnelId(i), parsed.ipVersion(i), packetKind,
            parsed.ipProtocol(i), parsed.srcHi(i), parsed.srcLo(i), parsed.dstHi(i), parsed.dstLo(i),
            parsed.srcPort(i), parsed.dstPort(i));
        return true;
    }

    /**
     * Builds the key from its parts, for a flow named by something other than a parsed packet's own headers:
     * the connection an ICMP error quotes, say.
     */
    public void set(
        final int tenantId,
        final int vlanOuter,
        final int vlanInner,
        final long tunnel,
        final int ipVersion,
        final byte flowKind,
        final int protocol,
        final long srcHi,
        final long srcLo,
        final long dstHi,
        final long dstLo,
        final int srcPort,
        final int dstPort)
    {
        kind = flowKind;
        ipProtocol = protocol;
        reverse = compareEndpoints(srcHi, srcLo, srcPort, dstHi, dstLo, dstPort) > 0;
        words[0] = (long)tenantId << 32
            | (ParsedPackets.NO_TUNNEL == tunnel ? 0L : 1L << 31)
            | (6 == ipVersion ? 1L << 30 : 0L)
            | (long)flowKind << 24
            | (long)protocol << 16;
        words[1] = (tunnel & 0xFFFF_FFFFL) << 32
            | (long)(vlanOuter + 1) << 16
            | (vlanInner + 1);
        if (reverse)
        {
            words[2] = (long)dstPort << 16 | srcPort;
            words[3] = dstHi;
            words[4] = dstLo;
            words[5] = srcHi;
            words[6] = srcLo;
        }
        else
        {
            words[2] = (long)srcPort << 16 | dstPort;
            words[3] = srcHi;
            words[4] = srcLo;
            words[5] = dstHi;
            words[6] = dstLo;
        }
        hash = mix(words);
    }

    /** Reading key words back (for monitoring): the tenant id. */
    public static int tenantOf(final long[] words)
    {
        return (int)(words[0] >>> 32);
    }

    public static boolean isIpv6(final long[] words)
    {
        return (words[0] & 1L << 30) != 0;
    }

    public static int protocolOf(final long[] words)
    {
        return (int)(words[0] >>> 16) & 0xFF;
    }

    /** The port (or echo identifier) of endpoint 0 or 1, in the key's own order. */
    public static int portOf(final long[] words, final int endpoint)
    {
        return 0 == endpoint ? (int)(words[2] >>> 16) & 0xFFFF : (int)words[2] & 0xFFFF;
    }

    /** The high (0) or low (1) half of endpoint 0's or 1's address; an IPv4 address is the low half. */
    public static long addressOf(final long[] words, final int endpoint, final int half)
    {
        return words[3 + 2 * endpoint + half];
    }

    /** The outer VLAN id, or {@link ParsedPackets#NO_VLAN}. */
    public static int vlanOuterOf(final long[] words)
    {
        return (int)(words[1] >>> 16 & 0xFFFF) - 1;
    }

    /** The inner VLAN id (the second tag), or {@link ParsedPackets#NO_VLAN}. */
    public static int vlanInnerOf(final long[] words)
    {
        return (int)(words[1] & 0xFFFF) - 1;
    }

    /** The tunnel id, or {@link ParsedPackets#NO_TUNNEL}. */
    public static long tunnelOf(final long[] words)
    {
        return (words[0] & 1L << 31) == 0 ? ParsedPackets.NO_TUNNEL : words[1] >>> 32;
    }

    /** Same for both directions of a flow; spread well in both its low and its high bits. */
    public int hash()
    {
        return hash;
    }

    /** True when the packet went from the endpoint stored second to the one stored first. */
    public boolean isReverse()
    {
        return reverse;
    }

    /** One of {@link FlowKeyKind}. */
    public byte kind()
    {
        return kind;
    }

    public int ipProtocol()
    {
        return ipProtocol;
    }

    /**
     * A hash of the packet's innermost IP address pair, with its tenant, VLAN ids and tunnel id, that is the
     * same in both directions. Ports and protocol are left out on purpose: every fragment of a datagram,
     * and packets malformed past the IP header, hash like the rest of their flow. Used to steer packets to
     * workers; a packet without an IP header hashes to 0.
     */
    public static int hostPairHash(final ParsedPackets parsed, final int i, final int tenantId)
    {
        if (0 == parsed.ipVersion(i))
        {
            return 0;
        }
        return hostPairHash(tenantId, parsed.tunnelId(i), parsed.vlanOuter(i), parsed.vlanInner(i), parsed.srcHi(i),
            parsed.srcLo(i), parsed.dstHi(i), parsed.dstLo(i));
    }

    /** The same hash from its parts, for a host pair named by other than a packet's own addresses. */
    public static int hostPairHash(final int tenantId, final long tunnelId, final int vlanOuter, final int vlanInner,
        final long srcHi, final long srcLo, final long dstHi, final long dstLo)
    {
        final boolean swap = compareEndpoints(srcHi, srcLo, 0, dstHi, dstLo, 0) > 0;
        return finish(lane((long)tenantId << 32 | (tunnelId & 0xFFFF_FFFFL), 0)
            + lane((long)(vlanOuter + 1) << 16 | (vlanInner + 1), 1)
            + lane(swap ? dstHi : srcHi, 2) + lane(swap ? dstLo : srcLo, 3)
            + lane(swap ? srcHi : dstHi, 4) + lane(swap ? srcLo : dstLo, 5));
    }

    private static int compareEndpoints(
        final long aHi, final long aLo, final int aPort, final long bHi, final long bLo, final int bPort)
    {
        int order = Long.compareUnsigned(aHi, bHi);
        if (0 == order)
        {
            order = Long.compareUnsigned(aLo, bLo);
        }
        return 0 == order ? Integer.compare(aPort, bPort) : order;
    }

    /**
     * Each word is multiplied by its own odd constant and rotated, independently of the others, so the
     * multiplications run side by side rather than as one chain; the sum is then finished with MurmurHash3's
     * 64-bit avalanche.
     */
    static int mix(final long[] words)
    {
        return finish(lane(words[0], 0) + lane(words[1], 1) + lane(words[2], 2) + lane(words[3], 3)
            + lane(words[4], 4) + lane(words[5], 5) + lane(words[6], 6));
    }

    private static final long[] MULTIPLIERS = {
        0x9E37_79B9_7F4A_7C15L, 0xBF58_476D_1CE4_E5B9L, 0x94D0_49BB_1331_11EBL, 0xD6E8_FEB8_6659_FD93L,
        0xC2B2_AE3D_27D4_EB4FL, 0x1656_67B1_9E37_79F9L, 0xFF51_AFD7_ED55_8CCDL};

    private static long lane(final long word, final int lane)
    {
        return Long.rotateLeft(word * MULTIPLIERS[lane], 23 + 5 * lane);
    }

    private static int finish(final long sum)
    {
        long h = sum;
        h ^= h >>> 33;
        h *= 0xFF51_AFD7_ED55_8CCDL;
        h ^= h >>> 33;
        h *= 0xC4CE_B9FE_1A85_EC53L;
        h ^= h >>> 33;
        return (int)(h ^ (h >>> 32));
    }
}
