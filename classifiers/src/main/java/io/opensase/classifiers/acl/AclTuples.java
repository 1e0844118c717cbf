package io.opensase.classifiers.acl;

/**
 * A burst of packet header tuples for {@link AclClassifier#classify(AclTuples, int, int[])}, as parallel
 * arrays (structure of arrays) sized once. Addresses follow {@link IpPrefix}: IPv6 as {@code hi}/{@code lo},
 * IPv4 in the low 32 bits of {@code lo} with {@code hi = 0}. Owned by one thread (the worker that fills it);
 * not thread-safe.
 * <p>
 * Field conventions the caller guarantees: ports 0..65535 (0 for packets without ports); protocol 0..255;
 * TCP flags 0..255 (the low eight flag bits, any value for non-TCP packets); ICMP type and code 0..255 for
 * ICMP/ICMPv6 packets (any value otherwise); direction a {@link Direction#code()} 0..2.
 */
public final class AclTuples
{
    /** Packets the classifier takes through each stage together, so that their table reads overlap. */
    static final int BATCH = 64;

    public final boolean[] ipv6;
    public final long[] srcHi;
    public final long[] srcLo;
    public final long[] dstHi;
    public final long[] dstLo;
    public final int[] srcPort;
    public final int[] dstPort;
    public final int[] protocol;
    public final int[] tcpFlags;
    public final int[] icmpType;
    public final int[] icmpCode;
    public final int[] direction;
    /** Classifier scratch: per-field phase-0 results of one batch of {@link #BATCH} packets. */
    final int[] scratch = new int[BATCH * 6];

    public AclTuples(final int capacity)
    {
        if (capacity < 0)
        {
            throw new IllegalArgumentException("capacity " + capacity + " is negative");
        }
        ipv6 = new boolean[capacity];
        srcHi = new long[capacity];
        srcLo = new long[capacity];
        dstHi = new long[capacity];
        dstLo = new long[capacity];
        srcPort = new int[capacity];
        dstPort = new int[capacity];
        protocol = new int[capacity];
        tcpFlags = new int[capacity];
        icmpType = new int[capacity];
        icmpCode = new int[capacity];
        direction = new int[capacity];
    }

    public int capacity()
    {
        return srcLo.length;
    }

    /** Sets entry {@code i} to an IPv4 5-tuple (no TCP flags, ICMP type/code 0, direction unknown). */
    public void setV4(final int i, final int src, final int dst, final int sport, final int dport, final int proto)
    {
        set(i, false, 0, src & 0xFFFF_FFFFL, 0, dst & 0xFFFF_FFFFL, sport, dport, proto, 0, 0, 0, 0);
    }

    /** Sets every field of entry {@code i}. */
    public void set(
        final int i,
        final boolean isIpv6,
        final long sHi,
        final long sLo,
        final long dHi,
        final long dLo,
        final int sport,
        final int dport,
        final int proto,
        final int flags,
        final int type,
        final int code,
        final int dir)
    {
        ipv6[i] = isIpv6;
        srcHi[i] = sHi;
        srcLo[i] = sLo;
        dstHi[i] = dHi;
        dstLo[i] = dLo;
        srcPort[i] = sport;
        dstPort[i] = dport;
        protocol[i] = proto;
        tcpFlags[i] = flags;
        icmpType[i] = type;
        icmpCode[i] = code;
        direction[i] = dir;
    }
}
