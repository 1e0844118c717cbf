package io.opensase.classifiers.frag;

import io.opensase.classifiers.flow.ProbedBuckets;
import io.opensase.classifiers.parse.LayerType;
import io.opensase.classifiers.parse.LinkType;
import io.opensase.classifiers.parse.PacketMemory;
import io.opensase.classifiers.parse.ParsedPackets;
import io.opensase.classifiers.parse.Protocol;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.SplittableRandom;

import static io.opensase.classifiers.parse.PacketMemory.u16;
import static io.opensase.classifiers.parse.PacketMemory.u32;
import static io.opensase.classifiers.parse.PacketMemory.u64;
import static io.opensase.classifiers.parse.PacketMemory.u8;

/**
 * The project's one IPv4 and IPv6 fragment reassembler: one per worker, owned by that worker's thread.
 * <p>
 * <b>Use.</b> The worker parses a packet with {@link io.opensase.classifiers.parse.PacketParser} and offers it
 * with {@link #offer}. The reassembler finds the innermost IP header of the packet's own stack (headers
 * quoted in ICMP errors aside) and, when that header carries a fragment (IPv4 MF or a fragment offset; an
 * IPv6 fragment header that is not an atomic fragment), stores the fragment's payload. The status says what
 * happened: {@link #NOT_FRAGMENT}, {@link #HELD}, {@link #COMPLETE} or {@link #DROPPED} with a
 * {@link #dropReason()}. On {@code COMPLETE} the whole datagram, as the original IP datagram would be on the
 * wire, is in {@link #datagram()} until the next call, to be parsed again with {@link #datagramLinkType()}:
 * IPv4 gets the first fragment's header with its total length, MF flag and offset set for the whole datagram
 * and its checksum recomputed; IPv6 gets the first fragment's header and unfragmentable extension headers,
 * the fragment header removed (the header before it names what followed it) and the payload length set.
 * Whatever the status, {@link #isFirstFragment()} and {@link #holdsTransportHeader()} describe the fragment
 * for a caller that classifies first fragments instead of datagrams; {@link #inspect} tells the same without
 * storing anything. The owner calls {@link #expire} regularly (once per burst, say) and {@link #close} when the
 * worker stops. The reassembler trusts the parser's layer list for where the IP header is, and checks every
 * byte it reads against the captured length itself; a packet whose IP header the parser found malformed
 * before its fragment fields (IPv4 options or lengths) never gets the fragment flag and is
 * {@code NOT_FRAGMENT} here: the caller's malformed-packet policy applies to it.
 * <p>
 * <b>Keys.</b> A datagram is identified by tenant, IP version, source and destination address,
 * identification (16 bits for IPv4, 32 for IPv6) and protocol: the IPv4 protocol field (RFC 791), or for
 * IPv6 the next header named by the fragment header. Tunnels are not part of the key: a caller that may see
 * the same inner addresses in two tunnels tells them apart by tenant.
 * <p>
 * <b>Checks.</b> A fragment is refused alone, its datagram kept, when its header is inconsistent or cut
 * short, when it is empty, when it is not the last and its payload is not a multiple of 8 bytes, or when the
 * datagram it belongs to would be longer than its length field can say. A fragment that contradicts what is
 * held (a second last fragment with another end, bytes past that end, a last fragment ending before bytes
 * held), one fragment more than the per-datagram limit, or a conflicting overlap under
 * {@link OverlapPolicy#DROP}, drops the whole datagram: later fragments of it start a new one, which times
 * out. Every outcome is counted, every drop by its {@link FragmentDrop} reason.
 * <p>
 * <b>Overlaps.</b> Each datagram keeps the byte ranges it holds as a sorted list of disjoint pieces, each
 * remembering the start offset of the fragment its bytes came from. A new fragment is compared with the bytes
 * it overlaps first; identical bytes (a duplicate or a retransmission) are accepted under every policy and
 * counted as an overlap; different bytes are counted as a conflict and resolved by the {@link OverlapPolicy}:
 * FIRST keeps the held bytes and fills only the gaps, LAST overwrites them, BSD overwrites them only where the
 * new fragment starts at a lower offset than the fragment that supplied them, and DROP drops the datagram.
 * The IP header is always that of the first received fragment with offset 0. A datagram completes when its
 * last fragment has set its end, its first fragment has been stored, and its pieces cover every byte up to
 * the end.
 * <p>
 * <b>Limits.</b> Datagrams in progress, memory, and fragments per datagram are bounded by the
 * {@link ReassemblyConfig}; each datagram has a timeout, counted in packet time from its first received
 * fragment (later fragments do not extend it). Datagrams sit on one list in the order they started, which with one
 * timeout is also the order they expire in: {@link #expire} only looks at the head, and "the oldest
 * incomplete datagram" is the head. A fragment that needs a slot or memory beyond the limits first drops
 * datagrams that have timed out, then, by the {@link LimitPolicy}, either drops the oldest other datagrams
 * (counted as {@link FragmentDrop#EVICTED}) or is refused. A datagram found timed out by its next fragment is
 * dropped then, and the fragment starts a new one. One tenant can take all the room: there is no per-tenant
 * share.
 * <p>
 * <b>Memory.</b> Fixed at construction, nothing allocated afterwards. Off-heap, in one arena: the chunk
 * pool, {@link ReassemblyConfig#chunks()} chunks of {@value #CHUNK_BYTES} bytes (the memory cap for held
 * fragments), and a scratch buffer of {@value #MAX_DATAGRAM_BYTES} bytes (an IPv6 header and the largest
 * payload) for the completed datagram. A datagram takes one chunk for the first fragment's header and one
 * for each {@value #CHUNK_BYTES}-byte stretch of its payload that a fragment touches, so it holds at most
 * {@value #CHUNKS_PER_DATAGRAM} chunks (67,584 bytes), and a few scattered tiny fragments can take that much:
 * the memory limit counts chunks taken, not bytes received. Bytes are stored at their offset in the datagram,
 * so completion is one copy per chunk. On the heap: per datagram slot its key, times, links, chunk table and
 * two pieces per allowed fragment (12 bytes each), and an index of twice as many buckets as slots (see
 * {@link #heapBytes}). The index hash is seeded per instance, so that identifications chosen by a sender do
 * not pile up in one probe run.
 */
public final class FragmentReassembler implements AutoCloseable
{
    /** The packet carries no fragment; the IPv6 atomic fragments of RFC 6946 are counted apart and land here. */
    public static final int NOT_FRAGMENT = 0;
    /** The fragment is stored; its datagram is not complete yet. */
    public static final int HELD = 1;
    /** The fragment completed its datagram, which is in {@link #datagram()} until the next call. */
    public static final int COMPLETE = 2;
    /** The fragment, and with some reasons its datagram, was dropped: see {@link #dropReason()}. */
    public static final int DROPPED = 3;
    /** From {@link #inspect} only: the packet carries a fragment, described by the accessors. */
    public static final int FRAGMENT = 4;

    public static final int CHUNK_BYTES = 2048;
    /** Largest reassembled payload: IPv4 header and payload, or IPv6 payload, in 65,535 bytes. */
    public static final int MAX_PAYLOAD = 65_535;
    public static final int PAYLOAD_CHUNKS = (MAX_PAYLOAD + CHUNK_BYTES - 1) / CHUNK_BYTES;
    /** Payload chunks and the header chunk. */
    public static final int CHUNKS_PER_DATAGRAM = PAYLOAD_CHUNKS + 1;
    /** Largest reassembled datagram: a 40-byte IPv6 header and a 65,535-byte payload. */
    public static final int MAX_DATAGRAM_BYTES = 40 + MAX_PAYLOAD;

    private static final int CHUNK_SHIFT = 11;
    private static final int CHUNK_MASK = CHUNK_BYTES - 1;
    private static final int HEADER_CHUNK = PAYLOAD_CHUNKS;
    private static final int NONE = -1;
    private static final int KEY_WORDS = 6;
    /** Timed-out datagrams dropped on the side when a fragment finds no room, before anything is evicted. */
    private static final int EXPIRE_WHEN_FULL = 8;
    /** IPv6 extension headers walked before a fragment header, and after it in a first fragment. */
    private static final int MAX_EXTENSION_HEADERS = 16;
    private static final int IPV4_LIMIT = MAX_PAYLOAD;
    private static final int IPV6_LIMIT = 40 + MAX_PAYLOAD;

    private static final int IPV4_LAYER = LayerType.IPV4.code();
    private static final int IPV6_LAYER = LayerType.IPV6.code();
    private static final int FRAGMENT_BIT = Protocol.FRAGMENT.bit();

    private static final int FOUND = -1;
    private static final int ATOMIC = -2;
    private static final int NO_OVERLAP = 0;
    private static final int SAME_BYTES = 1;
    private static final int CONFLICT = 2;

    private static final long[] MULTIPLIERS = {
        0x9E37_79B9_7F4A_7C15L, 0xBF58_476D_1CE4_E5B9L, 0x94D0_49BB_1331_11EBL, 0xD6E8_FEB8_6659_FD93L,
        0xC2B2_AE3D_27D4_EB4FL, 0x1656_67B1_9E37_79F9L};

    private final ReassemblyConfig config;
    private final int maxDatagrams;
    private final int maxFragments;
    private final int maxPieces;
    private final long timeoutNs;
    private final OverlapPolicy overlap;
    private final LimitPolicy whenFull;
    private final boolean dropTinyFirst;
    private final long[] seeds = new long[KEY_WORDS];

    // Index: hash in the high 32 bits, slot + 1 in the low; 0 is an empty bucket.
    private final long[] buckets;
    private final int bucketMask;

    // Datagram slots, structure of arrays.
    private final long[] keys;
    private final int[] hashes;
    private final long[] createdNs;
    private final int[] older;
    private final int[] newer;
    /** Payload length once the last fragment has arrived, else NONE. */
    private final int[] datagramEnd;
    /** End of the highest byte held. */
    private final int[] highest;
    /** Bytes held: the pieces' total length. */
    private final int[] covered;
    private final int[] fragmentCount;
    /** Bytes of the first fragment's header held in the header chunk; 0 until the first fragment arrives. */
    private final int[] headerLength;
    /** IPv6: offset in the held header of the next-header field that names the fragment header. */
    private final int[] nextHeaderAt;
    private final int[] chunkTable;
    private final int[] chunksHeld;
    private final int[] pieceCount;
    private final int[] pieceStart;
    private final int[] pieceEnd;
    private final int[] pieceSource;
    private final int[] freeSlots;
    private int freeSlotCount;
    private int oldest = NONE;
    private int newest = NONE;

    // Pieces of the datagram being updated, built here and copied back.
    private final int[] mergeStart;
    private final int[] mergeEnd;
    private final int[] mergeSource;

    // Off-heap memory.
    private final Arena arena;
    private final MemorySegment chunks;
    private final int[] freeChunks;
    private int freeChunkCount;
    private final MemorySegment scratch;

    // The fragment being offered.
    private final long[] key = new long[KEY_WORDS];
    private int family;
    private long ipAddress;
    private int fragmentHeaderLength;
    private int fragmentNextHeaderAt;
    private int fragmentOffset;
    private boolean more;
    private long payloadAddress;
    private int payloadLength;
    private boolean first;
    private boolean holdsTransportHeader;
    private int transportProtocol;
    private FragmentDrop reason = FragmentDrop.NONE;

    // The completed datagram.
    private int datagramLength;
    private LinkType datagramLink = LinkType.IPV4;

    // Counters.
    private long fragments;
    private long held;
    private long datagrams;
    private long reassembled;
    private long fragmentsReassembled;
    private long fragmentsInProgress;
    private long overlaps;
    private long conflicts;
    private long atomic;
    private long discarded;
    private final long[] drops = new long[FragmentDrop.count()];

    public FragmentReassembler(final ReassemblyConfig config)
    {
        this.config = config;
        maxDatagrams = config.maxDatagrams();
        maxFragments = config.maxFragmentsPerDatagram();
        maxPieces = 2 * maxFragments;
        timeoutNs = config.timeoutNs();
        overlap = config.overlap();
        whenFull = config.whenFull();
        dropTinyFirst = config.dropTinyFirst();
        final SplittableRandom random = new SplittableRandom();
        for (int w = 0; w < KEY_WORDS; w++)
        {
            seeds[w] = random.nextLong();
        }

        final int bucketCount = bucketCount(maxDatagrams);
        buckets = new long[bucketCount];
        bucketMask = bucketCount - 1;

        keys = new long[maxDatagrams * KEY_WORDS];
        hashes = new int[maxDatagrams];
        createdNs = new long[maxDatagrams];
        older = new int[maxDatagrams];
        newer = new int[maxDatagrams];
        datagramEnd = new int[maxDatagrams];
        highest = new int[maxDatagrams];
        covered = new int[maxDatagrams];
        fragmentCount = new int[maxDatagrams];
        headerLength = new int[maxDatagrams];
        nextHeaderAt = new int[maxDatagrams];
        chunkTable = new int[maxDatagrams * CHUNKS_PER_DATAGRAM];
        Arrays.fill(chunkTable, NONE);
        chunksHeld = new int[maxDatagrams];
        pieceCount = new int[maxDatagrams];
        pieceStart = new int[maxDatagrams * maxPieces];
        pieceEnd = new int[maxDatagrams * maxPieces];
        pieceSource = new int[maxDatagrams * maxPieces];
        freeSlots = new int[maxDatagrams];
        for (int s = 0; s < maxDatagrams; s++)
        {
            freeSlots[s] = maxDatagrams - 1 - s;
        }
        freeSlotCount = maxDatagrams;
        mergeStart = new int[maxPieces];
        mergeEnd = new int[maxPieces];
        mergeSource = new int[maxPieces];

        final int chunkCount = config.chunks();
        arena = Arena.ofShared();
        chunks = arena.allocate((long)chunkCount * CHUNK_BYTES, 64);
        scratch = arena.allocate(MAX_DATAGRAM_BYTES, 64);
        freeChunks = new int[chunkCount];
        for (int c = 0; c < chunkCount; c++)
        {
            freeChunks[c] = chunkCount - 1 - c;
        }
        freeChunkCount = chunkCount;
    }

    /** Java heap a reassembler with {@code config} takes for its state (objects and arrays' headers aside). */
    public static long heapBytes(final ReassemblyConfig config)
    {
        final long slots = config.maxDatagrams();
        final long perSlot = KEY_WORDS * Long.BYTES + Long.BYTES + 12L * Integer.BYTES
            + CHUNKS_PER_DATAGRAM * Integer.BYTES + 3L * 2 * config.maxFragmentsPerDatagram() * Integer.BYTES;
        return slots * perSlot + (long)bucketCount(config.maxDatagrams()) * Long.BYTES
            + (long)config.chunks() * Integer.BYTES;
    }

    /** Off-heap bytes: the chunk pool and the scratch buffer. */
    public static long offHeapBytes(final ReassemblyConfig config)
    {
        return (long)config.chunks() * CHUNK_BYTES + MAX_DATAGRAM_BYTES;
    }

    private static int bucketCount(final int slots)
    {
        return Integer.highestOneBit(Math.max(slots, 2) * 2 - 1) << 1;
    }

    // ---------------------------------------------------------------------------------------------------
    // Packet path

    /**
     * Offers packet {@code i} of {@code parsed}, as the parser parsed it.
     *
     * @param mem      segment the address is read through: {@link PacketMemory#ALL} in production.
     * @param address  address of the packet's first byte in {@code mem}, as given to the parser.
     * @param captured bytes present at {@code address}; nothing past them is read.
     * @param tenantId the packet's tenant: datagrams of different tenants never mix.
     * @param nowNs    packet time; never earlier than the time given to the previous call.
     * @return {@link #NOT_FRAGMENT}, {@link #HELD}, {@link #COMPLETE} or {@link #DROPPED}.
     */
    public int offer(
        final ParsedPackets parsed,
        final int i,
        final MemorySegment mem,
        final long address,
        final int captured,
        final int tenantId,
        final long nowNs)
    {
        final int located = locate(parsed, i, mem, address, captured);
        if (FOUND != located)
        {
            if (ATOMIC == located)
            {
                atomic++;
                return NOT_FRAGMENT;
            }
            if (DROPPED == located)
            {
                fragments++;
                return refuse(reason);
            }
            return NOT_FRAGMENT;
        }
        fragments++;
        final int end = fragmentOffset + payloadLength;
        if (0 == payloadLength)
        {
            return refuse(FragmentDrop.EMPTY);
        }
        if (more && (payloadLength & 7) != 0)
        {
            return refuse(FragmentDrop.UNALIGNED);
        }
        if (fragmentHeaderLength + end > lengthLimit())
        {
            return refuse(FragmentDrop.TOO_LONG);
        }
        if (first && fragmentHeaderLength > CHUNK_BYTES)
        {
            return refuse(FragmentDrop.HEADER_TOO_LONG);
        }

        setKey(tenantId);
        final int hash = hashKey();
        int slot = find(hash);
        if (NONE != slot && nowNs - createdNs[slot] > timeoutNs)
        {
            dropDatagram(slot, timeoutReason(slot));
            slot = NONE;
        }
        if (dropTinyFirst && first && !holdsTransportHeader)
        {
            return NONE == slot ? refuse(FragmentDrop.TINY_FIRST) : dropWithFragment(slot, FragmentDrop.TINY_FIRST);
        }
        boolean fresh = false;
        if (NONE == slot)
        {
            slot = create(hash, nowNs);
            if (NONE == slot)
            {
                return refuse(FragmentDrop.REFUSED_DATAGRAMS);
            }
            fresh = true;
        }
        return add(slot, fresh, mem, nowNs);
    }

    /**
     * Finds the fragment packet {@code i} carries, as {@link #offer} does, without storing or counting
     * anything: for a caller that only needs {@link #isFirstFragment()} and {@link #holdsTransportHeader()}.
     *
     * @return {@link #NOT_FRAGMENT}, {@link #FRAGMENT}, or {@link #DROPPED} when the header that carries the
     *         fragment is inconsistent or cut short ({@link FragmentDrop#MALFORMED}, {@link FragmentDrop#TRUNCATED}).
     */
    public int inspect(
        final ParsedPackets parsed, final int i, final MemorySegment mem, final long address, final int captured)
    {
        final int located = locate(parsed, i, mem, address, captured);
        return FOUND == located ? FRAGMENT : ATOMIC == located ? NOT_FRAGMENT : located;
    }

    /**
     * Drops up to {@code budget} datagrams whose timeout has passed at {@code nowNs}, oldest first: counted as
     * {@link FragmentDrop#TIMEOUT_NO_FIRST} when their first fragment never arrived, else as
     * {@link FragmentDrop#TIMEOUT_INCOMPLETE}.
     *
     * @return how many were dropped.
     */
    public int expire(final long nowNs, final int budget)
    {
        int removed = 0;
        while (removed < budget && NONE != oldest && nowNs - createdNs[oldest] > timeoutNs)
        {
            dropDatagram(oldest, timeoutReason(oldest));
            removed++;
        }
        return removed;
    }

    // ---------------------------------------------------------------------------------------------------
    // Results of the last call

    /** Why the last offer returned {@link #DROPPED}; {@link FragmentDrop#NONE} after any other outcome. */
    public FragmentDrop dropReason()
    {
        return reason;
    }

    /** The last packet offered or inspected carries the first fragment of its datagram (offset 0). */
    public boolean isFirstFragment()
    {
        return first;
    }

    /**
     * The last packet offered or inspected is a first fragment that holds its whole transport header (and, for
     * IPv6, the extension headers after the fragment header before it, as RFC 7112 asks): TCP 20 bytes or its
     * data offset, UDP 8, ICMP and ICMPv6 8, SCTP 12, other protocols nothing.
     */
    public boolean holdsTransportHeader()
    {
        return holdsTransportHeader;
    }

    /**
     * Transport protocol of the last first fragment offered or inspected (for IPv6 after any extension headers
     * that follow the fragment header), or -1 when not known: not a first fragment, or the headers run past it.
     */
    public int transportProtocol()
    {
        return transportProtocol;
    }

    /** Offset in bytes of the last fragment offered or inspected in its datagram's payload. */
    public int fragmentOffset()
    {
        return fragmentOffset;
    }

    /** Whether the last fragment offered or inspected has more fragments after it (IPv4 MF, IPv6 M). */
    public boolean moreFragments()
    {
        return more;
    }

    /**
     * The buffer the last {@link #COMPLETE} datagram was written to, from its offset 0; valid until the next
     * call. Read {@link #datagramLength()} bytes from it.
     */
    public MemorySegment datagram()
    {
        return scratch;
    }

    /** Native address of the completed datagram's first byte, for reading through {@link PacketMemory#ALL}. */
    public long datagramAddress()
    {
        return scratch.address();
    }

    public int datagramLength()
    {
        return datagramLength;
    }

    /** {@link LinkType#IPV4} or {@link LinkType#IPV6}: how to parse the completed datagram. */
    public LinkType datagramLinkType()
    {
        return datagramLink;
    }

    // ---------------------------------------------------------------------------------------------------
    // Counters and state, for the owner

    public ReassemblyConfig config()
    {
        return config;
    }

    /** Packets offered that carry a fragment (not atomic fragments), whatever became of them. */
    public long fragments()
    {
        return fragments;
    }

    /** Fragments stored for a datagram, duplicates included. */
    public long held()
    {
        return held;
    }

    /** Datagrams whose reassembly started. */
    public long datagrams()
    {
        return datagrams;
    }

    /** Datagrams completed. */
    public long reassembled()
    {
        return reassembled;
    }

    /** Fragments that went into completed datagrams. */
    public long fragmentsReassembled()
    {
        return fragmentsReassembled;
    }

    /**
     * Fragments dropped: refused ones, and those held for datagrams that were dropped. Always
     * {@code fragments() == fragmentsReassembled() + discarded() + fragmentsInProgress()}.
     */
    public long discarded()
    {
        return discarded;
    }

    /** Fragments held now, for datagrams not complete yet. */
    public long fragmentsInProgress()
    {
        return fragmentsInProgress;
    }

    /** Fragments stored, or dropped under {@link OverlapPolicy#DROP}, that overlapped bytes already held. */
    public long overlaps()
    {
        return overlaps;
    }

    /** Of {@link #overlaps()}, those whose bytes differed from the held ones: resolved by the policy, or dropped. */
    public long conflicts()
    {
        return conflicts;
    }

    /** IPv6 atomic fragments (offset 0, no more fragments): returned as {@link #NOT_FRAGMENT}. */
    public long atomicFragments()
    {
        return atomic;
    }

    /** Drops for {@code why}: fragments or datagrams, as {@link FragmentDrop#dropsDatagram()} says. */
    public long dropped(final FragmentDrop why)
    {
        return drops[why.ordinal()];
    }

    /** Datagrams in progress. */
    public int datagramsInProgress()
    {
        return maxDatagrams - freeSlotCount;
    }

    /** Memory held for datagrams in progress, in whole chunks. */
    public long heldBytes()
    {
        return (long)(freeChunks.length - freeChunkCount) * CHUNK_BYTES;
    }

    /** The memory cap for held fragments: every chunk of the pool. */
    public long capacityBytes()
    {
        return (long)freeChunks.length * CHUNK_BYTES;
    }

    /** Frees the off-heap memory; the reassembler must not be used afterwards. */
    @Override
    public void close()
    {
        arena.close();
    }

    // ---------------------------------------------------------------------------------------------------
    // Finding the fragment

    private int locate(
        final ParsedPackets parsed, final int i, final MemorySegment mem, final long address, final int captured)
    {
        reason = FragmentDrop.NONE;
        first = false;
        holdsTransportHeader = false;
        transportProtocol = NONE;
        fragmentOffset = 0;
        more = false;
        if ((parsed.protocols(i) & FRAGMENT_BIT) == 0)
        {
            return NOT_FRAGMENT;
        }
        int layer = parsed.layerCount(i) - 1;
        while (layer >= 0 && parsed.layerType(i, layer) != IPV4_LAYER && parsed.layerType(i, layer) != IPV6_LAYER)
        {
            layer--;
        }
        if (layer < 0)
        {
            return NOT_FRAGMENT;
        }
        final int at = parsed.layerOffset(i, layer);
        final int located = IPV4_LAYER == parsed.layerType(i, layer)
            ? locateIpv4(mem, address, at, captured)
            : locateIpv6(mem, address, at, captured);
        if (FOUND == located && 0 == fragmentOffset)
        {
            first = true;
            checkTransportHeader(mem);
        }
        return located;
    }

    private int locateIpv4(final MemorySegment mem, final long address, final int at, final int captured)
    {
        if (at + 20 > captured)
        {
            return malformed(FragmentDrop.TRUNCATED);
        }
        final long ip = address + at;
        final int versionIhl = u8(mem, ip);
        final int ihl = (versionIhl & 0x0F) * 4;
        final int totalLength = u16(mem, ip + 2);
        if (versionIhl >>> 4 != 4 || ihl < 20 || totalLength < ihl)
        {
            return malformed(FragmentDrop.MALFORMED);
        }
        if (at + totalLength > captured)
        {
            return malformed(FragmentDrop.TRUNCATED);
        }
        final int flagsOffset = u16(mem, ip + 6);
        more = (flagsOffset & 0x2000) != 0;
        fragmentOffset = (flagsOffset & 0x1FFF) << 3;
        if (!more && 0 == fragmentOffset)
        {
            return NOT_FRAGMENT;
        }
        family = 4;
        ipAddress = ip;
        fragmentHeaderLength = ihl;
        fragmentNextHeaderAt = 0;
        payloadAddress = ip + ihl;
        payloadLength = totalLength - ihl;
        key[0] = 0;
        key[1] = u32(mem, ip + 12);
        key[2] = 0;
        key[3] = u32(mem, ip + 16);
        key[4] = u16(mem, ip + 4);
        key[5] = 4L << 8 | u8(mem, ip + 9);
        return FOUND;
    }

    private int locateIpv6(final MemorySegment mem, final long address, final int at, final int captured)
    {
        if (at + 40 > captured)
        {
            return malformed(FragmentDrop.TRUNCATED);
        }
        final long ip = address + at;
        if (u8(mem, ip) >>> 4 != 6)
        {
            return malformed(FragmentDrop.MALFORMED);
        }
        final int payloadEnd = 40 + u16(mem, ip + 4);
        if (at + payloadEnd > captured)
        {
            return malformed(FragmentDrop.TRUNCATED);
        }
        int nextHeader = u8(mem, ip + 6);
        int nextAt = 6;
        int cursor = 40;
        for (int n = 0; 44 != nextHeader; n++)
        {
            if (!isIpv6Extension(nextHeader))
            {
                return NOT_FRAGMENT;
            }
            if (MAX_EXTENSION_HEADERS == n || cursor + 8 > payloadEnd)
            {
                return malformed(FragmentDrop.MALFORMED);
            }
            final int length = extensionLength(mem, ip + cursor, nextHeader);
            if (cursor + length > payloadEnd)
            {
                return malformed(FragmentDrop.MALFORMED);
            }
            nextAt = cursor;
            nextHeader = u8(mem, ip + cursor);
            cursor += length;
        }
        if (cursor + 8 > payloadEnd)
        {
            return malformed(FragmentDrop.MALFORMED);
        }
        final long fragmentHeader = ip + cursor;
        final int offsetFlags = u16(mem, fragmentHeader + 2);
        more = (offsetFlags & 1) != 0;
        fragmentOffset = offsetFlags & 0xFFF8;
        if (!more && 0 == fragmentOffset)
        {
            return ATOMIC;
        }
        family = 6;
        ipAddress = ip;
        fragmentHeaderLength = cursor;
        fragmentNextHeaderAt = nextAt;
        payloadAddress = fragmentHeader + 8;
        payloadLength = payloadEnd - cursor - 8;
        key[0] = u64(mem, ip + 8);
        key[1] = u64(mem, ip + 16);
        key[2] = u64(mem, ip + 24);
        key[3] = u64(mem, ip + 32);
        key[4] = u32(mem, fragmentHeader + 4);
        key[5] = 6L << 8 | u8(mem, fragmentHeader);
        return FOUND;
    }

    private int malformed(final FragmentDrop why)
    {
        reason = why;
        return DROPPED;
    }

    private static boolean isIpv6Extension(final int nextHeader)
    {
        return switch (nextHeader)
        {
            case 0, 43, 44, 51, 60, 135, 139, 140, 253, 254 -> true;
            default -> false;
        };
    }

    /** Length of the IPv6 extension header at {@code header}: AH counts 4-byte words, the others 8-byte ones. */
    private static int extensionLength(final MemorySegment mem, final long header, final int type)
    {
        return 51 == type ? (u8(mem, header + 1) + 2) * 4 : (u8(mem, header + 1) + 1) * 8;
    }

    /** For a first fragment: the transport protocol, and whether its whole header is in this fragment. */
    private void checkTransportHeader(final MemorySegment mem)
    {
        int nextHeader = (int)key[5] & 0xFF;
        int at = 0;
        if (6 == family)
        {
            for (int n = 0; isIpv6Extension(nextHeader); n++)
            {
                if (MAX_EXTENSION_HEADERS == n || at + 8 > payloadLength)
                {
                    return;
                }
                final int length = extensionLength(mem, payloadAddress + at, nextHeader);
                if (at + length > payloadLength)
                {
                    return;
                }
                nextHeader = u8(mem, payloadAddress + at);
                at += length;
            }
        }
        transportProtocol = nextHeader;
        final int needed;
        if (6 == nextHeader)
        {
            needed = at + 13 <= payloadLength ? Math.max(20, (u8(mem, payloadAddress + at + 12) >>> 4) * 4) : 20;
        }
        else
        {
            needed = switch (nextHeader)
            {
                case 1, 17, 58 -> 8;
                case 132 -> 12;
                default -> 0;
            };
        }
        holdsTransportHeader = at + needed <= payloadLength;
    }

    private int lengthLimit()
    {
        return 4 == family ? IPV4_LIMIT : IPV6_LIMIT;
    }

    // ---------------------------------------------------------------------------------------------------
    // Storing the fragment

    private int add(final int slot, final boolean fresh, final MemorySegment mem, final long nowNs)
    {
        final int start = fragmentOffset;
        final int end = start + payloadLength;
        if (fragmentCount[slot] == maxFragments)
        {
            return dropWithFragment(slot, FragmentDrop.FRAGMENT_LIMIT);
        }
        final int knownEnd = datagramEnd[slot];
        final boolean endConflicts = more
            ? NONE != knownEnd && end > knownEnd
            : (NONE != knownEnd && end != knownEnd) || highest[slot] > end;
        if (endConflicts)
        {
            return dropWithFragment(slot, FragmentDrop.INCONSISTENT_END);
        }
        final int heldHeader = headerLength[slot];
        final boolean storesHeader = first && 0 == heldHeader;
        if (heldHeader > 0 ? heldHeader + end > lengthLimit()
            : storesHeader && fragmentHeaderLength + Math.max(highest[slot], knownEnd) > lengthLimit())
        {
            return refuseFor(slot, fresh, FragmentDrop.TOO_LONG);
        }

        final int overlapFound = fresh ? NO_OVERLAP : compareOverlaps(slot, start, end, mem);
        if (CONFLICT == overlapFound && OverlapPolicy.DROP == overlap)
        {
            overlaps++;
            conflicts++;
            return dropWithFragment(slot, FragmentDrop.OVERLAP);
        }
        final int needed = (storesHeader ? 1 : 0) + chunksMissing(slot, start, end);
        if (needed > freeChunkCount && !makeRoomForChunks(slot, needed, nowNs))
        {
            return refuseFor(slot, fresh, FragmentDrop.REFUSED_BYTES);
        }
        if (NO_OVERLAP != overlapFound)
        {
            overlaps++;
            conflicts += CONFLICT == overlapFound ? 1 : 0;
        }

        if (storesHeader)
        {
            storeHeader(slot, mem);
        }
        merge(slot, start, end, mem);
        if (fresh)
        {
            datagrams++;
        }
        held++;
        fragmentsInProgress++;
        fragmentCount[slot]++;
        highest[slot] = Math.max(highest[slot], end);
        if (!more)
        {
            datagramEnd[slot] = end;
        }
        if (NONE != datagramEnd[slot] && headerLength[slot] > 0 && covered[slot] == datagramEnd[slot])
        {
            assemble(slot);
            reassembled++;
            fragmentsReassembled += fragmentCount[slot];
            fragmentsInProgress -= fragmentCount[slot];
            release(slot);
            return COMPLETE;
        }
        return HELD;
    }

    /** Whether the held bytes that {@code [start, end)} overlaps are the fragment's own, and if any are held. */
    private int compareOverlaps(final int slot, final int start, final int end, final MemorySegment mem)
    {
        final int base = slot * maxPieces;
        final int count = pieceCount[slot];
        int found = NO_OVERLAP;
        for (int p = 0; p < count && pieceStart[base + p] < end; p++)
        {
            final int from = Math.max(pieceStart[base + p], start);
            final int to = Math.min(pieceEnd[base + p], end);
            if (from < to)
            {
                found = SAME_BYTES;
                if (!sameBytes(slot, from, to, start, mem))
                {
                    return CONFLICT;
                }
            }
        }
        return found;
    }

    private boolean sameBytes(final int slot, final int from, final int to, final int start, final MemorySegment mem)
    {
        int at = from;
        while (at < to)
        {
            final int within = at & CHUNK_MASK;
            final int length = Math.min(to - at, CHUNK_BYTES - within);
            final long stored = (long)chunkTable[slot * CHUNKS_PER_DATAGRAM + (at >>> CHUNK_SHIFT)] * CHUNK_BYTES
                + within;
            final long offered = payloadAddress + (at - start);
            if (MemorySegment.mismatch(chunks, stored, stored + length, mem, offered, offered + length) != -1)
            {
                return false;
            }
            at += length;
        }
        return true;
    }

    private int chunksMissing(final int slot, final int start, final int end)
    {
        final int table = slot * CHUNKS_PER_DATAGRAM;
        int missing = 0;
        for (int c = start >>> CHUNK_SHIFT; c <= (end - 1) >>> CHUNK_SHIFT; c++)
        {
            if (NONE == chunkTable[table + c])
            {
                missing++;
            }
        }
        return missing;
    }

    private void storeHeader(final int slot, final MemorySegment mem)
    {
        final int chunk = freeChunks[--freeChunkCount];
        chunkTable[slot * CHUNKS_PER_DATAGRAM + HEADER_CHUNK] = chunk;
        chunksHeld[slot]++;
        MemorySegment.copy(mem, ipAddress, chunks, (long)chunk * CHUNK_BYTES, fragmentHeaderLength);
        headerLength[slot] = fragmentHeaderLength;
        nextHeaderAt[slot] = fragmentNextHeaderAt;
    }

    /**
     * Lays {@code [start, end)} over the datagram's pieces: held bytes it overlaps stay or are overwritten as
     * the policy says, gaps are filled; the new piece list, with neighbours from the same source joined, is
     * built in the merge arrays and copied back. Every boundary in the list is a fragment's start or end, so
     * the list holds at most two pieces per fragment.
     */
    private void merge(final int slot, final int start, final int end, final MemorySegment mem)
    {
        final int base = slot * maxPieces;
        final int count = pieceCount[slot];
        final int source = OverlapPolicy.BSD == overlap ? start : 0;
        int out = 0;
        int cursor = start;
        for (int p = 0; p < count; p++)
        {
            final int from = pieceStart[base + p];
            final int to = pieceEnd[base + p];
            final int heldSource = pieceSource[base + p];
            if (to <= start)
            {
                out = emit(out, from, to, heldSource);
                continue;
            }
            if (from >= end)
            {
                if (cursor < end)
                {
                    write(slot, cursor, end, start, mem);
                    out = emit(out, cursor, end, source);
                    cursor = end;
                }
                out = emit(out, from, to, heldSource);
                continue;
            }
            if (from < start)
            {
                out = emit(out, from, start, heldSource);
            }
            final int overlapFrom = Math.max(from, start);
            final int overlapTo = Math.min(to, end);
            if (cursor < overlapFrom)
            {
                write(slot, cursor, overlapFrom, start, mem);
                out = emit(out, cursor, overlapFrom, source);
            }
            if (newBytesWin(start, heldSource))
            {
                write(slot, overlapFrom, overlapTo, start, mem);
                out = emit(out, overlapFrom, overlapTo, source);
            }
            else
            {
                out = emit(out, overlapFrom, overlapTo, heldSource);
            }
            cursor = overlapTo;
            if (to > end)
            {
                out = emit(out, end, to, heldSource);
            }
        }
        if (cursor < end)
        {
            write(slot, cursor, end, start, mem);
            out = emit(out, cursor, end, source);
        }
        int bytes = 0;
        for (int p = 0; p < out; p++)
        {
            pieceStart[base + p] = mergeStart[p];
            pieceEnd[base + p] = mergeEnd[p];
            pieceSource[base + p] = mergeSource[p];
            bytes += mergeEnd[p] - mergeStart[p];
        }
        pieceCount[slot] = out;
        covered[slot] = bytes;
    }

    private boolean newBytesWin(final int start, final int heldSource)
    {
        return switch (overlap)
        {
            case LAST -> true;
            case BSD -> start < heldSource;
            case FIRST, DROP -> false;
        };
    }

    private int emit(final int out, final int from, final int to, final int source)
    {
        if (out > 0 && mergeEnd[out - 1] == from && mergeSource[out - 1] == source)
        {
            mergeEnd[out - 1] = to;
            return out;
        }
        mergeStart[out] = from;
        mergeEnd[out] = to;
        mergeSource[out] = source;
        return out + 1;
    }

    /** Copies the fragment's bytes for datagram offsets {@code [from, to)}, taking chunks as they are needed. */
    private void write(final int slot, final int from, final int to, final int start, final MemorySegment mem)
    {
        final int table = slot * CHUNKS_PER_DATAGRAM;
        int at = from;
        while (at < to)
        {
            final int index = table + (at >>> CHUNK_SHIFT);
            if (NONE == chunkTable[index])
            {
                chunkTable[index] = freeChunks[--freeChunkCount];
                chunksHeld[slot]++;
            }
            final int within = at & CHUNK_MASK;
            final int length = Math.min(to - at, CHUNK_BYTES - within);
            MemorySegment.copy(mem, payloadAddress + (at - start), chunks,
                (long)chunkTable[index] * CHUNK_BYTES + within, length);
            at += length;
        }
    }

    /** Writes the completed datagram to the scratch buffer. */
    private void assemble(final int slot)
    {
        final int header = headerLength[slot];
        final int payload = datagramEnd[slot];
        final int table = slot * CHUNKS_PER_DATAGRAM;
        MemorySegment.copy(chunks, (long)chunkTable[table + HEADER_CHUNK] * CHUNK_BYTES, scratch, 0, header);
        if (4L << 8 == (keys[slot * KEY_WORDS + 5] & 0xFF00))
        {
            scratch.set(PacketMemory.U16, 2, (short)(header + payload));
            // Reserved and DF flags kept; MF and the offset cleared.
            scratch.set(PacketMemory.U16, 6, (short)(u16(scratch, 6) & 0xC000));
            scratch.set(PacketMemory.U16, 10, (short)0);
            scratch.set(PacketMemory.U16, 10, (short)checksum(header));
            datagramLink = LinkType.IPV4;
        }
        else
        {
            scratch.set(PacketMemory.U16, 4, (short)(header - 40 + payload));
            scratch.set(ValueLayout.JAVA_BYTE, nextHeaderAt[slot], (byte)keys[slot * KEY_WORDS + 5]);
            datagramLink = LinkType.IPV6;
        }
        for (int at = 0; at < payload; at += CHUNK_BYTES)
        {
            MemorySegment.copy(chunks, (long)chunkTable[table + (at >>> CHUNK_SHIFT)] * CHUNK_BYTES, scratch,
                header + at, Math.min(CHUNK_BYTES, payload - at));
        }
        datagramLength = header + payload;
    }

    /** The Internet checksum (RFC 1071) of the first {@code length} bytes of the scratch buffer. */
    private int checksum(final int length)
    {
        int sum = 0;
        for (int at = 0; at < length; at += 2)
        {
            sum += u16(scratch, at);
        }
        while ((sum >>> 16) != 0)
        {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return ~sum & 0xFFFF;
    }

    // ---------------------------------------------------------------------------------------------------
    // Drops and room

    /** Drops the offered fragment alone. */
    private int refuse(final FragmentDrop why)
    {
        drops[why.ordinal()]++;
        discarded++;
        reason = why;
        return DROPPED;
    }

    /** Drops the offered fragment alone; a datagram created for it, still empty, goes uncounted. */
    private int refuseFor(final int slot, final boolean fresh, final FragmentDrop why)
    {
        if (fresh)
        {
            release(slot);
        }
        return refuse(why);
    }

    /** Drops the datagram and the offered fragment with it. */
    private int dropWithFragment(final int slot, final FragmentDrop why)
    {
        dropDatagram(slot, why);
        discarded++;
        reason = why;
        return DROPPED;
    }

    private void dropDatagram(final int slot, final FragmentDrop why)
    {
        drops[why.ordinal()]++;
        discarded += fragmentCount[slot];
        fragmentsInProgress -= fragmentCount[slot];
        release(slot);
    }

    private FragmentDrop timeoutReason(final int slot)
    {
        return 0 == headerLength[slot] ? FragmentDrop.TIMEOUT_NO_FIRST : FragmentDrop.TIMEOUT_INCOMPLETE;
    }

    /**
     * Frees chunks for {@code slot}: timed-out datagrams first, then, if the policy allows, the oldest others.
     * A datagram never needs more chunks than the pool holds ({@link ReassemblyConfig} checks it), so
     * evicting every other datagram always makes room.
     */
    private boolean makeRoomForChunks(final int slot, final int needed, final long nowNs)
    {
        expire(nowNs, EXPIRE_WHEN_FULL);
        while (freeChunkCount < needed)
        {
            final int victim = oldest == slot ? newer[slot] : oldest;
            if (LimitPolicy.REFUSE_NEW == whenFull || NONE == victim)
            {
                return false;
            }
            dropDatagram(victim, FragmentDrop.EVICTED);
        }
        return true;
    }

    private int create(final int hash, final long nowNs)
    {
        if (0 == freeSlotCount)
        {
            expire(nowNs, EXPIRE_WHEN_FULL);
        }
        if (0 == freeSlotCount)
        {
            if (LimitPolicy.REFUSE_NEW == whenFull)
            {
                return NONE;
            }
            dropDatagram(oldest, FragmentDrop.EVICTED);
        }
        final int slot = freeSlots[--freeSlotCount];
        System.arraycopy(key, 0, keys, slot * KEY_WORDS, KEY_WORDS);
        hashes[slot] = hash;
        createdNs[slot] = nowNs;
        datagramEnd[slot] = NONE;
        highest[slot] = 0;
        covered[slot] = 0;
        fragmentCount[slot] = 0;
        headerLength[slot] = 0;
        nextHeaderAt[slot] = 0;
        chunksHeld[slot] = 0;
        pieceCount[slot] = 0;

        older[slot] = newest;
        newer[slot] = NONE;
        if (NONE == newest)
        {
            oldest = slot;
        }
        else
        {
            newer[newest] = slot;
        }
        newest = slot;

        int b = hash & bucketMask;
        while (0 != buckets[b])
        {
            b = (b + 1) & bucketMask;
        }
        buckets[b] = (long)hash << 32 | (slot + 1L);
        return slot;
    }

    /** Returns the slot's chunks to the pool and the slot to the free list. */
    private void release(final int slot)
    {
        final int table = slot * CHUNKS_PER_DATAGRAM;
        for (int c = 0; c < CHUNKS_PER_DATAGRAM && chunksHeld[slot] > 0; c++)
        {
            if (NONE != chunkTable[table + c])
            {
                freeChunks[freeChunkCount++] = chunkTable[table + c];
                chunkTable[table + c] = NONE;
                chunksHeld[slot]--;
            }
        }
        final int before = older[slot];
        final int after = newer[slot];
        if (NONE == before)
        {
            oldest = after;
        }
        else
        {
            newer[before] = after;
        }
        if (NONE == after)
        {
            newest = before;
        }
        else
        {
            older[after] = before;
        }
        removeFromIndex(slot);
        freeSlots[freeSlotCount++] = slot;
    }

    // ---------------------------------------------------------------------------------------------------
    // Index

    private void setKey(final int tenantId)
    {
        key[4] |= (long)tenantId << 32;
    }

    /**
     * Each key word, mixed with a seed drawn for this instance, is multiplied by its own odd constant and
     * rotated; the sum is finished with MurmurHash3's 64-bit avalanche.
     */
    private int hashKey()
    {
        long sum = 0;
        for (int w = 0; w < KEY_WORDS; w++)
        {
            sum += Long.rotateLeft((key[w] ^ seeds[w]) * MULTIPLIERS[w], 23 + 5 * w);
        }
        sum ^= sum >>> 33;
        sum *= 0xFF51_AFD7_ED55_8CCDL;
        sum ^= sum >>> 33;
        sum *= 0xC4CE_B9FE_1A85_EC53L;
        sum ^= sum >>> 33;
        return (int)(sum ^ (sum >>> 32));
    }

    private int find(final int hash)
    {
        int b = hash & bucketMask;
        while (true)
        {
            final long bucket = buckets[b];
            if (0 == bucket)
            {
                return NONE;
            }
            if ((int)(bucket >>> 32) == hash)
            {
                final int slot = (int)bucket - 1;
                final int at = slot * KEY_WORDS;
                if (keys[at] == key[0] && keys[at + 1] == key[1] && keys[at + 2] == key[2] && keys[at + 3] == key[3]
                    && keys[at + 4] == key[4] && keys[at + 5] == key[5])
                {
                    return slot;
                }
            }
            b = (b + 1) & bucketMask;
        }
    }

    /** Backward-shift deletion: later entries of the probe run move up so that lookups never stop early. */
    private void removeFromIndex(final int slot)
    {
        final long wanted = slot + 1L;
        int hole = hashes[slot] & bucketMask;
        while ((buckets[hole] & 0xFFFF_FFFFL) != wanted)
        {
            hole = (hole + 1) & bucketMask;
        }
        ProbedBuckets.deleteAt(buckets, bucketMask, hole);
    }
}
