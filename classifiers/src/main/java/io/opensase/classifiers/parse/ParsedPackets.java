package io.opensase.classifiers.parse;

/**
 * What the parser found in each packet of a burst, held as structure-of-arrays so that no object exists
 * per packet. Owned and written by one worker thread; indexes run from 0 to {@link #capacity()} - 1.
 * <p>
 * Layer offsets are byte offsets from the first byte of the packet. Addresses are stored as two longs
 * each: IPv6 as its high and low 64 bits, IPv4 in the low 32 bits of the low word with the high word zero.
 */
public final class ParsedPackets
{
    /** Headers recorded per packet; a packet with more is counted as {@link Malformed#LAYER_LIMIT}. */
    public static final int MAX_LAYERS = 32;
    /** Stored in VLAN and tunnel id fields when the packet has none. */
    public static final int NO_VLAN = -1;
    public static final long NO_TUNNEL = -1;

    private final int capacity;

    final int[] protocols;
    final byte[] malformed;
    final boolean[] snapTruncated;
    final byte[] layerCount;
    final byte[] layerType;
    final short[] layerOffset;

    final byte[] keyKind;
    final byte[] ipVersion;
    final short[] ipProtocol;
    final long[] srcHi;
    final long[] srcLo;
    final long[] dstHi;
    final long[] dstLo;
    final int[] srcPort;
    final int[] dstPort;
    final short[] vlanOuter;
    final short[] vlanInner;
    final long[] tunnelId;

    public ParsedPackets(final int capacity)
    {
        if (capacity <= 0)
        {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.capacity = capacity;
        protocols = new int[capacity];
        malformed = new byte[capacity];
        snapTruncated = new boolean[capacity];
        layerCount = new byte[capacity];
        layerType = new byte[capacity * MAX_LAYERS];
        layerOffset = new short[capacity * MAX_LAYERS];
        keyKind = new byte[capacity];
        ipVersion = new byte[capacity];
        ipProtocol = new short[capacity];
        srcHi = new long[capacity];
        srcLo = new long[capacity];
        dstHi = new long[capacity];
        dstLo = new long[capacity];
        srcPort = new int[capacity];
        dstPort = new int[capacity];
        vlanOuter = new short[capacity];
        vlanInner = new short[capacity];
        tunnelId = new long[capacity];
    }

    public int capacity()
    {
        return capacity;
    }

    /** Bit set of {@link Protocol#bit()} for the packet's own stack. */
    public int protocols(final int i)
    {
        return protocols[i];
    }

    public Malformed malformed(final int i)
    {
        return Malformed.of(malformed[i]);
    }

    public boolean isMalformed(final int i)
    {
        return malformed[i] != 0;
    }

    /**
     * The packet's headers, or the length its IP header claims, run past the bytes the capture kept (while
     * fitting the frame on the wire); parsed as far as the bytes go, and not malformed.
     */
    public boolean isSnapTruncated(final int i)
    {
        return snapTruncated[i];
    }

    public int layerCount(final int i)
    {
        return layerCount[i];
    }

    /** Stored layer type: a {@link LayerType} ordinal, with {@link LayerType#QUOTED} for quoted headers. */
    public int layerType(final int i, final int layer)
    {
        return layerType[i * MAX_LAYERS + layer] & 0xFF;
    }

    /**
     * Offsets are stored in 16 bits, read unsigned: at most 31 headers of at most 2048 bytes each (an IPv6
     * extension header) come before the last layer, so every offset is below 65536.
     */
    public int layerOffset(final int i, final int layer)
    {
        return layerOffset[i * MAX_LAYERS + layer] & 0xFFFF;
    }

    /** One of {@link FlowKeyKind}. */
    public byte keyKind(final int i)
    {
        return keyKind[i];
    }

    /** 4 or 6 for the innermost IP header of the packet's own stack, 0 without one. */
    public int ipVersion(final int i)
    {
        return ipVersion[i];
    }

    /** Transport protocol of the innermost IP header, after IPv6 extension headers. */
    public int ipProtocol(final int i)
    {
        return ipProtocol[i];
    }

    public long srcHi(final int i)
    {
        return srcHi[i];
    }

    public long srcLo(final int i)
    {
        return srcLo[i];
    }

    public long dstHi(final int i)
    {
        return dstHi[i];
    }

    public long dstLo(final int i)
    {
        return dstLo[i];
    }

    public int srcPort(final int i)
    {
        return srcPort[i];
    }

    public int dstPort(final int i)
    {
        return dstPort[i];
    }

    /** VLAN id of the outermost Ethernet header's first tag, or {@link #NO_VLAN}. */
    public int vlanOuter(final int i)
    {
        return vlanOuter[i];
    }

    /** VLAN id of the outermost Ethernet header's second tag, or {@link #NO_VLAN}. */
    public int vlanInner(final int i)
    {
        return vlanInner[i];
    }

    /** The outermost VXLAN or GENEVE VNI or GRE key, or {@link #NO_TUNNEL}. */
    public long tunnelId(final int i)
    {
        return tunnelId[i];
    }
}
