package io.opensase.ips.match;

import io.opensase.ips.rules.AppLayerProtocol;
import io.opensase.ips.rules.Buffer;

import java.lang.foreign.MemorySegment;

/**
 * What one call of {@link RuleMatcher.Worker#match} inspects: the buffers, by kind, that the packet, the
 * reassembled stream and the application parsers produced, and the packet, flow and application facts the
 * other keywords test. Owned by one thread and reused: {@link #clear()} it, fill it, match it. It keeps the
 * segments it is given (no copy), so they must stay valid until the match returns. A buffer is given as a
 * segment with the offset and length of its bytes in it, so that a caller hands over part of a packet or of a
 * parser's memory without slicing it. Neither buffers nor facts allocate: they are plain fields.
 * <p>
 * A fact that was not set is absent, and every keyword testing it fails (a TCP keyword on a packet without
 * {@link #tcp}, {@code id} without {@link #ipv4}, {@code vlan.id} on an untagged packet, ...), as in
 * Suricata, where those keywords do not match packets of another kind.
 * <p>
 * A buffer that was not set is absent, and every inspection of it fails. Multi-buffers ({@link Buffer#multi()}:
 * {@code dns.query}, {@code tls.alpn}) take up to {@value #MAX_VALUES} values each through {@link #add}.
 */
public final class MatchInput
{
    /**
     * Values kept per multi-buffer (a TLS session's ALPN names: two hellos of 64 a side, both sides); further
     * ones are dropped and counted in {@link #droppedValues()}.
     */
    public static final int MAX_VALUES = 256;

    /** Which way the packet goes in its flow. */
    public enum Direction
    {
        /** The packet belongs to no tracked flow. */
        NONE,
        TO_SERVER,
        TO_CLIENT
    }

    /** VLAN tags kept per packet, outermost first (Suricata's limit); further tags are not kept. */
    public static final int MAX_VLAN_LAYERS = 3;

    /** No flow handle: flowbits tests fail and their updates are skipped. */
    public static final int NO_FLOW = -1;

    private static final Buffer[] BUFFERS = Buffer.values();

    static
    {
        if (BUFFERS.length > Long.SIZE)
        {
            throw new ExceptionInInitializerError("buffer kinds outgrew the 64-bit presence mask");
        }
    }

    /** Per buffer ordinal and value: the segment, and where in it the value's bytes are. */
    final MemorySegment[][] values = new MemorySegment[BUFFERS.length][];
    final long[][] offsets = new long[BUFFERS.length][];
    final int[][] lengths = new int[BUFFERS.length][];
    final int[] counts = new int[BUFFERS.length];
    /** Bit b set when buffer ordinal b has a value: what a match scans, without looking at every buffer. */
    long present;
    Direction direction = Direction.NONE;
    boolean established;
    boolean stream;
    /** {@link #direction}, {@link #established} and {@link #stream} as {@link FlowFacts}. */
    int flowFacts = FlowFacts.of(Direction.NONE, false, false);
    int packetPayloadSize = -1;

    /** 4 or 6 once an IP header is set, else 0. */
    int ipVersion;
    int ipProtocol;
    int ttl;
    int ipId;
    boolean tcp;
    int tcpFlags;
    long tcpSeq;
    long tcpAck;
    int tcpWindow;
    boolean icmp;
    int icmpType;
    int icmpCode;
    final int[] vlanIds = new int[MAX_VLAN_LAYERS];
    int vlanCount;
    /** Stream sizes per sender, -1 when not set. */
    long clientStreamBytes = -1;
    long serverStreamBytes = -1;
    /** Application protocol of the flow, null when not set. */
    AppLayerProtocol.Name appProtocol;
    boolean tls;
    int sslState;
    int sslVersion;
    int tlsVersion;
    long timeNs;
    boolean hasAddresses;
    long srcHi;
    long srcLo;
    long dstHi;
    long dstLo;
    boolean payloadInStream;
    /** Set by {@link #streamWindow}: what the payload prefilter found in the direction's windows before. */
    StreamLiterals streamLiterals;
    int streamDirection;
    long streamNewAt;
    int streamNewFrom;
    boolean hasPorts;
    int srcPort;
    int dstPort;
    int flowHandle = NO_FLOW;
    private int dropped;

    public MatchInput()
    {
        for (final Buffer buffer : BUFFERS)
        {
            final int room = buffer.multi() ? MAX_VALUES : 1;
            values[buffer.ordinal()] = new MemorySegment[room];
            offsets[buffer.ordinal()] = new long[room];
            lengths[buffer.ordinal()] = new int[room];
        }
    }

    /** Forgets every buffer and fact. */
    public MatchInput clear()
    {
        for (long bits = present; bits != 0; bits &= bits - 1)
        {
            counts[Long.numberOfTrailingZeros(bits)] = 0;
        }
        present = 0;
        flow(Direction.NONE, false, false);
        packetPayloadSize = -1;
        ipVersion = 0;
        tcp = false;
        icmp = false;
        vlanCount = 0;
        clientStreamBytes = -1;
        serverStreamBytes = -1;
        appProtocol = null;
        tls = false;
        timeNs = 0;
        hasAddresses = false;
        hasPorts = false;
        payloadInStream = false;
        streamLiterals = null;
        flowHandle = NO_FLOW;
        return this;
    }

    /**
     * Sets the one value of {@code buffer} (for a multi-buffer: replaces all values with this one).
     *
     * @param data the buffer's bytes, native or heap memory, all of it (at most 2^31-1 bytes).
     */
    public MatchInput set(final Buffer buffer, final MemorySegment data)
    {
        return set(buffer, data, 0, wholeLength(data));
    }

    /**
     * Sets the one value of {@code buffer} (for a multi-buffer: replaces all values with this one) to
     * {@code length} bytes of {@code data} from {@code offset}.
     *
     * @param data native or heap memory holding the bytes; kept, not copied.
     */
    public MatchInput set(final Buffer buffer, final MemorySegment data, final long offset, final int length)
    {
        final int b = buffer.ordinal();
        values[b][0] = data;
        offsets[b][0] = offset;
        lengths[b][0] = length;
        counts[b] = 1;
        present |= 1L << b;
        return this;
    }

    /** Adds a value to {@code buffer}; for a buffer that is not a multi-buffer, the same as {@link #set}. */
    public MatchInput add(final Buffer buffer, final MemorySegment data)
    {
        return add(buffer, data, 0, wholeLength(data));
    }

    /**
     * Adds {@code length} bytes of {@code data} from {@code offset} as a value of {@code buffer}; for a buffer
     * that is not a multi-buffer, the same as {@link #set(Buffer, MemorySegment, long, int)}.
     */
    public MatchInput add(final Buffer buffer, final MemorySegment data, final long offset, final int length)
    {
        final int b = buffer.ordinal();
        if (!buffer.multi())
        {
            return set(buffer, data, offset, length);
        }
        if (counts[b] == MAX_VALUES)
        {
            dropped++;
            return this;
        }
        final int v = counts[b]++;
        values[b][v] = data;
        offsets[b][v] = offset;
        lengths[b][v] = length;
        present |= 1L << b;
        return this;
    }

    /**
     * True when buffers {@code a} and {@code b} each have one value, and they hold the same bytes (the same
     * memory, or equal contents: comparing costs less than a second scan).
     */
    boolean sameBytes(final int a, final int b)
    {
        if (1 != counts[a] || 1 != counts[b] || lengths[a][0] != lengths[b][0])
        {
            return false;
        }
        final MemorySegment x = values[a][0];
        final MemorySegment y = values[b][0];
        final long xAt = offsets[a][0];
        final long yAt = offsets[b][0];
        return x == y && xAt == yAt
            || MemorySegment.mismatch(x, xAt, xAt + lengths[a][0], y, yAt, yAt + lengths[b][0]) < 0;
    }

    private static int wholeLength(final MemorySegment data)
    {
        final long size = data.byteSize();
        if (size > Integer.MAX_VALUE)
        {
            throw new IllegalArgumentException("a buffer of " + size + " bytes is longer than 2^31-1");
        }
        return (int)size;
    }

    /**
     * The flow facts {@code flow:} tests.
     *
     * @param stream true when {@link Buffer#PAYLOAD} holds reassembled stream data, false when it holds one
     *               packet's payload ({@code only_stream} / {@code no_stream}).
     */
    public MatchInput flow(final Direction direction, final boolean established, final boolean stream)
    {
        this.direction = direction;
        this.established = established;
        this.stream = stream;
        flowFacts = FlowFacts.of(direction, established, stream);
        return this;
    }

    /**
     * The packet's own payload size, for {@code dsize}; leave it unset (-1) when {@link Buffer#PAYLOAD} is not
     * a single packet's payload, and rules with {@code dsize} do not match, as in Suricata.
     */
    public MatchInput packetPayloadSize(final int size)
    {
        packetPayloadSize = size;
        return this;
    }

    /**
     * The IPv4 header facts: {@code id}, {@code ttl} and {@code ip_proto} test them.
     *
     * @param protocol the protocol field (the transport, or what follows).
     */
    public MatchInput ipv4(final int id, final int ttl, final int protocol)
    {
        ipVersion = 4;
        ipId = id & 0xFFFF;
        this.ttl = ttl & 0xFF;
        ipProtocol = protocol & 0xFF;
        return this;
    }

    /**
     * The IPv6 header facts: {@code ttl} tests the hop limit; {@code id} never holds on IPv6.
     *
     * @param protocol the next header after any extension headers, which {@code ip_proto} tests.
     */
    public MatchInput ipv6(final int hopLimit, final int protocol)
    {
        ipVersion = 6;
        ttl = hopLimit & 0xFF;
        ipProtocol = protocol & 0xFF;
        return this;
    }

    /**
     * The TCP header facts {@code flags}, {@code seq}, {@code ack} and {@code window} test.
     *
     * @param flags  the flags byte (FIN 0x01 ... CWR 0x80).
     * @param window the window field as sent, not scaled.
     */
    public MatchInput tcp(final int flags, final long seq, final long ack, final int window)
    {
        tcp = true;
        tcpFlags = flags & 0xFF;
        tcpSeq = seq & 0xFFFF_FFFFL;
        tcpAck = ack & 0xFFFF_FFFFL;
        tcpWindow = window & 0xFFFF;
        return this;
    }

    /** The ICMP or ICMPv6 type and code, for {@code itype} and {@code icode}. */
    public MatchInput icmp(final int type, final int code)
    {
        icmp = true;
        icmpType = type & 0xFF;
        icmpCode = code & 0xFF;
        return this;
    }

    /**
     * Adds the next VLAN tag inwards (call from the outermost); the 12-bit id is kept. Tags beyond
     * {@value #MAX_VLAN_LAYERS} are not kept, as Suricata decodes at most that many.
     */
    public MatchInput vlan(final int id)
    {
        if (vlanCount < MAX_VLAN_LAYERS)
        {
            vlanIds[vlanCount++] = id & 0xFFF;
        }
        return this;
    }

    /**
     * Bytes each side has sent in the TCP stream so far, counted as Suricata counts them for
     * {@code stream_size}: the next expected sequence number minus the initial one (so the SYN counts one).
     */
    public MatchInput streamSize(final long client, final long server)
    {
        clientStreamBytes = client;
        serverStreamBytes = server;
        return this;
    }

    /**
     * The application protocol identified for the flow so far: {@link AppLayerProtocol.Name#UNKNOWN} while
     * identification runs, {@link AppLayerProtocol.Name#FAILED} when it gave up.
     */
    public MatchInput appProtocol(final AppLayerProtocol.Name protocol)
    {
        appProtocol = protocol;
        return this;
    }

    /**
     * The TLS facts of the flow.
     *
     * @param sslState          the handshake messages of the records just parsed, as
     *                          {@link io.opensase.ips.rules.SslState} bits ({@code ssl_state}).
     * @param recordVersion     the record-layer version of the packet's direction, as on the wire
     *                          (0x0002 SSLv2, 0x0300 SSLv3, 0x0301 ... 0x0304), for {@code ssl_version}; 0 unknown.
     * @param negotiatedVersion the version the server chose, as on the wire, for {@code tls.version}; 0
     *                          when no ServerHello was seen.
     */
    public MatchInput tls(final int sslState, final int recordVersion, final int negotiatedVersion)
    {
        tls = true;
        this.sslState = sslState;
        sslVersion = recordVersion & 0xFFFF;
        tlsVersion = negotiatedVersion & 0xFFFF;
        return this;
    }

    /**
     * The packet's capture time in nanoseconds since the epoch: {@code threshold}, {@code detection_filter}
     * and {@code xbits} expiry count time by packets, never by the wall clock. Unset (0), the packet counts as
     * at the earliest time the matcher can hold (an hour before the first timed packet).
     */
    public MatchInput time(final long epochNs)
    {
        timeNs = epochNs;
        return this;
    }

    /**
     * The packet's addresses as 128-bit values (high and low halves), for host-scoped state
     * ({@code xbits}, {@code threshold}/{@code detection_filter} by source, destination or pair). IPv4
     * addresses go in as IPv4-mapped IPv6 ({@link #ipv4Addresses}).
     */
    public MatchInput addresses(final long srcHi, final long srcLo, final long dstHi, final long dstLo)
    {
        hasAddresses = true;
        this.srcHi = srcHi;
        this.srcLo = srcLo;
        this.dstHi = dstHi;
        this.dstLo = dstLo;
        return this;
    }

    /**
     * Says that the {@link Buffer#PAYLOAD} set is a TCP packet's payload that went into its flow's stream: the
     * rules that inspect streams ({@link PayloadScope}) see those bytes there, so this match looks for only
     * the other rules' literals in it. The caller must then not verify stream rules on it either.
     */
    public MatchInput payloadInStream()
    {
        payloadInStream = true;
        return this;
    }

    /**
     * Says that the {@link Buffer#PAYLOAD} set is a window of stream direction {@code direction}: its first
     * {@code newFrom} bytes were in the direction's windows before, and its byte {@code newFrom} has stream
     * offset {@code newAt}. The prefilter then scans again only what {@code literals} does not already hold from
     * those windows; the rules that hold are the same.
     */
    public MatchInput streamWindow(final StreamLiterals literals, final int direction, final long newAt,
        final int newFrom)
    {
        streamLiterals = literals;
        streamDirection = direction;
        streamNewAt = newAt;
        streamNewFrom = newFrom;
        return this;
    }

    /**
     * The packet's source and destination ports, for a TCP, UDP or SCTP packet: the matcher then leaves out
     * the rules without a prefilter literal whose header names other ports (see {@link PortIndexedRules}).
     * Without them it considers all of those rules.
     */
    public MatchInput ports(final int src, final int dst)
    {
        hasPorts = true;
        srcPort = src & 0xFFFF;
        dstPort = dst & 0xFFFF;
        return this;
    }

    /** {@link #addresses} for IPv4 source and destination (as ::ffff:a.b.c.d). */
    public MatchInput ipv4Addresses(final int src, final int dst)
    {
        return addresses(0, 0xFFFF_0000_0000L | (src & 0xFFFF_FFFFL), 0, 0xFFFF_0000_0000L | (dst & 0xFFFF_FFFFL));
    }

    /**
     * The flow's slot in the worker's flowbits pool, 0 up to the worker's flow capacity; the same flow must
     * keep its handle, and a new flow in a reused slot must be announced with
     * {@link RuleMatcher.Worker#newFlow(int)}. {@link #NO_FLOW} (the default): no flowbits.
     */
    public MatchInput flowHandle(final int handle)
    {
        flowHandle = handle;
        return this;
    }

    /** Values of {@code buffer} set so far. */
    public int count(final Buffer buffer)
    {
        return counts[buffer.ordinal()];
    }

    /** Multi-buffer values dropped because a buffer already held {@value #MAX_VALUES}, since construction. */
    public int droppedValues()
    {
        return dropped;
    }
}
