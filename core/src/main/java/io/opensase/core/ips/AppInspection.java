package io.opensase.core.ips;

import io.opensase.classifiers.app.AppDetector;
import io.opensase.classifiers.app.AppProto;
import io.opensase.classifiers.app.dns.DnsMessage;
import io.opensase.classifiers.app.dns.DnsListener;
import io.opensase.classifiers.app.dns.DnsParser;
import io.opensase.classifiers.app.dns.DnsTcpFramer;
import io.opensase.classifiers.app.http.BodyCut;
import io.opensase.classifiers.app.http.HttpDetector;
import io.opensase.classifiers.app.http.HttpField;
import io.opensase.classifiers.app.http.HttpLimits;
import io.opensase.classifiers.app.http.HttpListener;
import io.opensase.classifiers.app.http.HttpMessage;
import io.opensase.classifiers.app.http.HttpParser;
import io.opensase.classifiers.app.ssh.SshBanner;
import io.opensase.classifiers.app.ssh.SshListener;
import io.opensase.classifiers.app.ssh.SshParser;
import io.opensase.classifiers.app.tls.TlsField;
import io.opensase.classifiers.app.tls.TlsHandshake;
import io.opensase.classifiers.app.tls.TlsListener;
import io.opensase.classifiers.app.tls.TlsParser;
import io.opensase.classifiers.stream.SegmentResult;
import io.opensase.ips.dlp.DlpAction;
import io.opensase.ips.dlp.DlpEngine;
import io.opensase.ips.dlp.DlpFinding;
import io.opensase.ips.dlp.DlpProfile;
import io.opensase.ips.dlp.DlpScanner;
import io.opensase.ips.dlp.DlpSink;
import io.opensase.classifiers.stream.StreamConfig;
import io.opensase.classifiers.stream.StreamSink;
import io.opensase.classifiers.stream.TcpReassembler;
import io.opensase.ips.match.MatchInput;
import io.opensase.ips.match.StreamLiterals;
import io.opensase.ips.rules.AppLayerProtocol;
import io.opensase.ips.rules.AppProtocol;
import io.opensase.ips.rules.Buffer;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The stream and application layer of the IPS stage: each TCP flow's bytes are reassembled per direction, its
 * application identified from content, and fed to that protocol's parser; UDP payloads go to the DNS parser (TCP
 * streams identified as DNS go to it through {@link DnsTcpFramer}).
 * What comes out is inspected: the reassembled stream (the rule's {@code pkt_data} for stream rules; in IDS mode
 * a direction's bytes once the other side acknowledged them and they are due, on a packet of that direction, and
 * what is left when the flow ends on a pseudo packet, see {@link StreamHold}), each
 * HTTP transaction's buffers when its message ends (request or response, with its de-chunked and decompressed
 * body up to {@link #BODY_BYTES}), TLS hellos and certificates, DNS queries (UDP datagrams, and messages framed
 * from a TCP stream by their length prefix). Application events go out as EVE
 * lines. Owned by the stage's worker thread; per-flow state is indexed by flow slot.
 * <p>
 * The application's roles can differ from the flow's: a flow picked up midstream whose first packet was an
 * HTTP response has its server as the flow's first sender. The first bytes identified decide, and the rest of
 * the flow follows.
 */
final class AppInspection
    implements StreamSink, HttpListener, TlsListener, SshListener, DnsListener, DlpSink, AutoCloseable
{
    /**
     * Body bytes of one HTTP message kept for inspection ({@code file.data}, {@code http.request_body}): 16 KiB,
     * Suricata's default body inspection window. Inspection cost grows with it (BENCHMARKS §19).
     */
    static final int BODY_BYTES = 16 * 1024;
    /** Bodies being collected at once, over all flows. */
    private static final int BODY_BUFFERS = 64;
    private static final int NONE = -1;
    private static final byte OPEN = 0;
    private static final byte CLOSED_BY_FINS = 1;
    private static final byte CLOSED_BY_RST = 2;
    private static final byte DROPPED = 3;
    /** Scanned between a request's URI, its headers and its body. */
    private static final byte[] LINE_END = {'\n'};
    /**
     * Stream directions holding bytes that wait for an acknowledgement at once, and the bytes each may hold:
     * 8 MiB off-heap per worker. A direction that finds no room has its bytes inspected at once.
     */
    private static final int HOLD_BUFFERS = 256;
    private static final int HOLD_BYTES = 32 * 1024;
    /**
     * Most bytes inspected before kept in front of new ones: what a hold buffer has room for beside the longest
     * chunk the reassembler delivers. The reassembler keeps twice this per stream (128 MiB for 4,096 streams).
     */
    static final int MAX_INSPECT_OVERLAP = HOLD_BYTES - TcpReassembler.CHUNK_NEW_BYTES;
    /** Acknowledged bytes that make a direction due for inspection: Suricata's default chunk size, not randomised. */
    private static final int RAW_CHUNK = 2_560;
    private static final byte[] FORM =
        "application/x-www-form-urlencoded".getBytes(StandardCharsets.US_ASCII);
    private static final StreamSink DISCARD = new StreamSink()
    {
        @Override
        public void onData(final int stream, final int direction, final MemorySegment chunk, final int newFrom,
            final long chunkOffset)
        {
        }

        @Override
        public void onGap(final int stream, final int direction, final long offset, final long length)
        {
        }
    };

    /** At a flow's end: gaps given up go to its HTTP parser, bytes past them nowhere. */
    private final StreamSink holesToHttp = new StreamSink()
    {
        @Override
        public void onData(final int stream, final int direction, final MemorySegment chunk, final int newFrom,
            final long chunkOffset)
        {
        }

        @Override
        public void onGap(final int stream, final int direction, final long offset, final long length)
        {
            http.gap(parserOf[endingSlot], (0 == direction) != rolesSwapped[endingSlot] ? 0 : 1, length);
        }
    };
    /** The flow {@link #end} is ending, for {@link #holesToHttp}. */
    private int endingSlot = NONE;
    /** Per stream direction of the flow {@link #end} is ending: its next sequence number and last ack sent. */
    private final long[] endPoints = new long[4];

    private final IpsStage stage;
    private final AppEvents events;
    private final TcpReassembler streams;
    private final StreamHold held;
    /** What the payload prefilter found in each stream direction's last windows (see {@link StreamLiterals}). */
    private final StreamLiterals windowLiterals;
    private final AppDetector detector = new AppDetector();
    private final HttpParser http;
    private final TlsParser tls;
    private final SshParser ssh;
    private final DnsParser dns = new DnsParser();
    private final DnsMessage dnsMessage = new DnsMessage();
    /** DNS over TCP: each direction's stream split into messages by their length prefix. */
    private final DnsTcpFramer dnsTcp;

    private final int[] streamOf;
    private final int[] slotOfStream;
    private final int[] parserOf;
    private final AppProto[] protoOf;
    /** True when the flow's application server is the flow's first sender. */
    private final boolean[] rolesSwapped;
    /** The application values of the flow in each slot, null for a flow without application messages. */
    private final AppRecords[] records;
    /**
     * Records given back by flows that ended, for the next flows: as many records exist as flows ever had
     * application messages at once, not one per slot, so what their buffers hold stays bounded by the flows
     * inspected together. Grows (doubling) only when more such flows are open than ever before.
     */
    private AppRecords[] spareRecords = new AppRecords[64];
    private int spareCount;

    private final MemorySegment bodies;
    private final int[] bodyOwner = new int[BODY_BUFFERS];
    private final int[] bodyLength = new int[BODY_BUFFERS];
    private final long[] bodyTotal = new long[BODY_BUFFERS];

    /** Where kept TLS values are put back into bytes for inspection. */
    private final MemorySegment randomBytes = Arena.ofAuto().allocate(32);
    private final MemorySegment ja3sBytes = Arena.ofAuto().allocate(32);
    private final MemorySegment sniBytes = Arena.ofAuto().allocate(256);
    private final MemorySegment[] alpnBytes = new MemorySegment[MatchInput.MAX_VALUES];

    /** Scans HTTP request bodies with the policy's DLP profiles; null without DLP. */
    private DlpScanner dlp;
    /** The profiles {@link #dlp} scans for, each with its policy for a body not scanned whole. */
    private List<DlpProfile> dlpProfiles = List.of();
    /** Per flow slot: the DLP scanner's flow handle, valid while {@link #dlpEpochOf} equals {@link #dlpEpoch}. */
    private final int[] dlpFlowOf;
    /** Per flow slot: a stream was refused to the flow (counted once per flow). */
    private final boolean[] streamRefused;
    /**
     * Per flow slot: why its stream was let go before the flow ended ({@link #afterPacket}): {@link #OPEN} while
     * it was not, {@link #CLOSED_BY_FINS}, {@link #CLOSED_BY_RST}, or {@link #DROPPED} (whose later packets do
     * not reach the stream).
     */
    private final byte[] closedBy;
    /**
     * Per flow, a bit per HTTP direction (1: requests, 2: responses) whose FIN came while it held bytes past a
     * hole: its message ends when the flow does, after the hole is given up and reported.
     */
    private final byte[] httpEndOwed;
    private final int[] dlpEpochOf;
    private int dlpEpoch = 1;

    /** The packet the stream bytes or messages came with: its direction in the flow. */
    private boolean packetToServer;
    /** Set when the HTTP parser completed a message during the current feed. */
    private boolean messageEnded;
    /** Set while {@link #flowDropped} ends the messages in progress: a file logged then is cut short. */
    private boolean endingDropped;

    /**
     * Bytes inspected before kept in front of new stream bytes, for rules whose longest stream content is
     * {@code longestContent} bytes: 2,048 (Suricata's stream inspection overlap), or that content's length when
     * it is longer, so that it is found across an inspection boundary; at most {@link #MAX_INSPECT_OVERLAP}.
     */
    static int inspectOverlap(final int longestContent)
    {
        return Math.min(MAX_INSPECT_OVERLAP, Math.max(StreamConfig.DEFAULT_INSPECT_OVERLAP, longestContent));
    }

    AppInspection(final IpsStage stage, final AppEvents events, final int slots, final int maxStreams,
        final int httpHeaderBlocks, final boolean midstream, final int inspectOverlap)
    {
        this.stage = stage;
        this.events = events;
        // Streams and parser state for at most this many flows at once; later flows are inspected packet by
        // packet until one ends.
        final int flows = Math.min(slots, maxStreams);
        final StreamConfig config = StreamConfig.defaults().withMaxStreams(flows).withMidstream(midstream)
            .withInspectOverlap(inspectOverlap);
        this.streams = new TcpReassembler(config);
        this.held = new StreamHold(flows, HOLD_BUFFERS, HOLD_BYTES, config.inspectOverlap(),
            TcpReassembler.CHUNK_NEW_BYTES, RAW_CHUNK);
        this.windowLiterals = new StreamLiterals(2 * flows);
        this.http = new HttpParser(HttpLimits.defaults(), flows, httpHeaderBlocks);
        this.tls = new TlsParser(flows);
        this.ssh = new SshParser(flows);
        this.dnsTcp = new DnsTcpFramer(flows);
        this.streamOf = new int[slots];
        this.slotOfStream = new int[flows];
        this.parserOf = new int[slots];
        this.protoOf = new AppProto[slots];
        this.rolesSwapped = new boolean[slots];
        this.streamRefused = new boolean[slots];
        this.closedBy = new byte[slots];
        this.httpEndOwed = new byte[slots];
        this.records = new AppRecords[slots];
        this.dlpFlowOf = new int[slots];
        this.dlpEpochOf = new int[slots];
        Arrays.fill(streamOf, NONE);
        Arrays.fill(parserOf, NONE);
        Arrays.fill(protoOf, AppProto.UNKNOWN);
        Arrays.fill(bodyOwner, NONE);
        this.bodies = Arena.ofAuto().allocate((long)BODY_BUFFERS * BODY_BYTES, 64);
        for (int a = 0; a < alpnBytes.length; a++)
        {
            alpnBytes[a] = Arena.ofAuto().allocate(256);
        }
    }

    /**
     * The DLP profiles of the policy now in force (null: none). Flows scanned with the previous profiles start
     * afresh: their per-flow counts are not carried over.
     */
    void useDlp(final DlpEngine engine)
    {
        dlp = null == engine ? null : engine.newScanner();
        dlpProfiles = null == engine ? List.of() : engine.policy().profiles();
        dlpEpoch++;
    }

    /** The application identified for the flow in {@code slot} so far. */
    AppProto protocol(final int slot)
    {
        return protoOf[slot];
    }

    /** Client and server stream bytes so far, for {@code stream_size}. */
    long streamBytes(final int slot, final boolean client)
    {
        final int stream = streamOf[slot];
        return NONE == stream ? 0 : streams.bytesDelivered(stream, client ? 0 : 1);
    }

    /** What the payload prefilter found in the stream directions' last windows, for {@link IpsStage#matchStream}. */
    StreamLiterals windowLiterals()
    {
        return windowLiterals;
    }

    /**
     * A TCP packet of a tracked flow, at {@code packetAt} of {@code packet}: its payload goes through the flow's
     * stream.
     *
     * @return true when the stream took the payload (in order, buffered or a duplicate of bytes it has); false
     *         when no stream could be opened or the stream does not reassemble this flow (not started without
     *         a handshake and midstream pickup off, bypassed, closed), so packet rules must look at it.
     */
    boolean tcp(final int slot, final boolean toServer, final PacketFacts facts, final MemorySegment packet,
        final long packetAt)
    {
        int stream = streamOf[slot];
        if (NONE == stream && OPEN != closedBy[slot])
        {
            // As the closed stream would take it: after both FINs a retransmission, for packet rules only; after
            // a RST nothing more is reassembled, so all payload rules look at the packet. (A dropped flow's
            // packets do not come here.)
            return CLOSED_BY_FINS == closedBy[slot];
        }
        if (NONE == stream)
        {
            stream = streams.open();
            if (NONE == stream)
            {
                // Every stream of this worker is taken: the flow's payload is inspected packet by packet only.
                if (!streamRefused[slot])
                {
                    streamRefused[slot] = true;
                    stage.counters().appFlowsUninspected++;
                }
                return false;
            }
            streamOf[slot] = stream;
            slotOfStream[stream] = slot;
            held.reset(stream);
            windowLiterals.forget(2 * stream);
            windowLiterals.forget(2 * stream + 1);
        }
        packetToServer = toServer;
        final int direction = toServer ? 0 : 1;
        final int result = streams.segment(stream, direction, facts.tcpFlags, facts.seq, facts.ack, packet,
            packetAt + facts.payloadOffset, facts.payloadLength, this);
        if (SegmentResult.IGNORED == result)
        {
            // A RST its receiver drops, SYN data mid-stream, or data whose SYN data waits unsettled: the
            // connection goes on as if it had not come, and packet rules look at its payload.
            return false;
        }
        final boolean reset = (facts.tcpFlags & TcpReassembler.RST) != 0;
        if ((reset || (facts.tcpFlags & TcpReassembler.FIN) != 0) && protoOf[slot] == AppProto.HTTP
            && NONE != parserOf[slot])
        {
            // A body that runs to the end of the connection ends with it; past a hole, at the flow's end (a FIN
            // gives no hole up: retransmissions may still fill it).
            final int sender = toServer != rolesSwapped[slot] ? 0 : 1;
            if (reset)
            {
                http.end(parserOf[slot], sender, this);
                http.end(parserOf[slot], 1 - sender, this);
                httpEndOwed[slot] = 0;
            }
            else if (streams.buffered(stream, direction) > 0)
            {
                httpEndOwed[slot] |= (byte)(1 << sender);
            }
            else
            {
                http.end(parserOf[slot], sender, this);
            }
            if (messageEnded)
            {
                messageEnded = false;
                held.messageEnded(2 * stream, streams.position(stream, 0));
                held.messageEnded(2 * stream + 1, streams.position(stream, 1));
            }
        }
        closing(stream, direction, facts);
        acknowledge(stream, direction, facts);
        if ((facts.tcpFlags & TcpReassembler.SYN) != 0)
        {
            // SYN data waits in the stream for the other side's acknowledgement; meanwhile its packet is
            // inspected as a packet, so that in IPS mode it can be dropped before a Fast Open server takes it.
            return false;
        }
        return SegmentResult.IN_ORDER == result || SegmentResult.BUFFERED == result
            || SegmentResult.DUPLICATE == result || SegmentResult.NO_PAYLOAD == result;
    }

    /** A UDP packet of a tracked flow, at {@code packetAt} of {@code packet}: DNS when its content says so. */
    void udp(final int slot, final boolean toServer, final PacketFacts facts, final MemorySegment packet,
        final long packetAt)
    {
        if (0 == facts.payloadLength)
        {
            return;
        }
        final long payloadAt = packetAt + facts.payloadOffset;
        if (protoOf[slot] == AppProto.UNKNOWN)
        {
            protoOf[slot] = detector.detect(false, toServer ? 0 : 1, packet, payloadAt, facts.payloadLength);
            if (protoOf[slot] == AppProto.DNS)
            {
                stage.setApp(slot, AppProtocol.DNS);
            }
        }
        if (protoOf[slot] == AppProto.DNS && dns.parse(packet, payloadAt, facts.payloadLength, dnsMessage))
        {
            dnsMessage(dnsMessage);
        }
    }

    /** A DNS message over TCP, framed from the stream: inspected as a datagram's is. */
    @Override
    public void onMessage(final int flow, final int direction, final DnsMessage message)
    {
        dnsMessage(message);
    }

    /** A DNS message of the current packet: a {@code dns} line, and a query's names inspected. */
    private void dnsMessage(final DnsMessage message)
    {
        events.dns(stage.current(), stage.facts(), message);
        if (!message.isResponse())
        {
            final MatchInput input = stage.appInput(true, false);
            for (int q = 0; q < message.questionCount(); q++)
            {
                input.add(Buffer.DNS_QUERY, message.names(), message.queryNameOffset(q), message.queryNameLength(q));
            }
            stage.matchApp(null);
        }
    }

    /**
     * After the current packet of the flow in {@code slot}: once its connection is closed (a RST, or both FINs
     * acknowledged), or the flow was dropped (none of it is inspected any more), and nothing of it is left to
     * inspect or log, its stream, parser and records are let go now, not when the flow times out (TCP's idle
     * timeout is an hour by default), so that such connections do not hold the worker's streams and leave new
     * flows without reassembly. Later packets of a closed connection are inspected as its stream would have
     * them ({@link #tcp}). A stream with bytes waiting or held past a hole, an HTTP end owed, or a TLS handshake
     * not logged yet keeps everything until the flow ends, where {@link #end} inspects and logs them.
     */
    void afterPacket(final int slot, final boolean dropped)
    {
        final int stream = streamOf[slot];
        if (NONE == stream || !dropped && !held.closed(stream)
            || held.waiting(2 * stream) || held.waiting(2 * stream + 1)
            || streams.buffered(stream, 0) > 0 || streams.buffered(stream, 1) > 0
            || 0 != httpEndOwed[slot] || tlsLineOwed(slot))
        {
            return;
        }
        final byte why = dropped ? DROPPED : held.closedByRst(stream) ? CLOSED_BY_RST : CLOSED_BY_FINS;
        end(slot);
        closedBy[slot] = why;
    }

    /**
     * The flow in {@code slot} ends: in-order bytes that wait for inspection are inspected on pseudo packets,
     * the client's direction first, as Suricata does when a flow times out or the engine shuts down; then its
     * stream and parsers are let go.
     */
    void end(final int slot)
    {
        streamRefused[slot] = false;
        closedBy[slot] = OPEN;
        final int stream = streamOf[slot];
        if (NONE != stream)
        {
            for (int direction = 0; direction < 2; direction++)
            {
                final int half = 2 * stream + direction;
                if (held.waiting(half) && stage.pseudoPacket(slot, direction, streams.nextSequence(stream, direction),
                    held.ackSent(half)))
                {
                    inspectHeld(stream, direction, Long.MAX_VALUE);
                }
            }
            endTls(slot, stream);
            for (int direction = 0; direction < 2; direction++)
            {
                endPoints[2 * direction] = streams.nextSequence(stream, direction);
                endPoints[2 * direction + 1] = held.ackSent(2 * stream + direction);
            }
            held.reset(stream);
            // Removal comes in the middle of another packet's lookup: bytes held past a hole are let go
            // uninspected, since the application parsers they would reach report on the current packet. The
            // holes still reach the HTTP parser, so that a request body they cut is reported to DLP below.
            endingSlot = slot;
            streams.close(stream, NONE != parserOf[slot] && protoOf[slot] == AppProto.HTTP ? holesToHttp : DISCARD);
            endingSlot = NONE;
            streamOf[slot] = NONE;
            endHttpAfterHoles(slot);
        }
        final int parser = parserOf[slot];
        if (NONE != parser)
        {
            switch (protoOf[slot])
            {
                case HTTP -> http.close(parser);
                case TLS -> tls.close(parser);
                case SSH -> ssh.close(parser);
                case DNS -> dnsTcp.close(parser);
                default ->
                {
                }
            }
            parserOf[slot] = NONE;
        }
        for (int b = 0; b < BODY_BUFFERS; b++)
        {
            if (bodyOwner[b] / 2 == slot && NONE != bodyOwner[b])
            {
                bodyOwner[b] = NONE;
            }
        }
        if (null != dlp && dlpEpochOf[slot] == dlpEpoch && NONE != dlpFlowOf[slot])
        {
            dlp.closeFlow(dlpFlowOf[slot]);
        }
        dlpEpochOf[slot] = 0;
        protoOf[slot] = AppProto.UNKNOWN;
        rolesSwapped[slot] = false;
        final AppRecords ended = records[slot];
        if (null != ended)
        {
            ended.reset();
            records[slot] = null;
            if (spareCount == spareRecords.length)
            {
                spareRecords = Arrays.copyOf(spareRecords, 2 * spareCount);
            }
            spareRecords[spareCount++] = ended;
        }
    }

    /**
     * The HTTP side of a flow's end (FIN, timeout, eviction, shutdown; a RST reports on its own packet), after
     * its streams gave their holes up: a body a hole cut is reported (to DLP, {@link #onBodyCut}), and a message
     * whose FIN waited for the hole ends, each on the pseudo packet of its sender. Nothing is left to drop then.
     */
    private void endHttpAfterHoles(final int slot)
    {
        if (NONE == parserOf[slot] || protoOf[slot] != AppProto.HTTP)
        {
            httpEndOwed[slot] = 0;
            return;
        }
        for (int appDirection = 0; appDirection < 2; appDirection++)
        {
            final boolean endOwed = 0 != (httpEndOwed[slot] & 1 << appDirection);
            if (!endOwed && !http.cutOwed(parserOf[slot], appDirection))
            {
                continue;
            }
            final int direction = (0 == appDirection) != rolesSwapped[slot] ? 0 : 1;
            if (stage.pseudoPacket(slot, direction, endPoints[2 * direction], endPoints[2 * direction + 1]))
            {
                packetToServer = 0 == direction;
                if (endOwed)
                {
                    http.end(parserOf[slot], appDirection, this);
                }
                else
                {
                    http.reportOwedCut(parserOf[slot], appDirection, this);
                }
            }
        }
        messageEnded = false;
        httpEndOwed[slot] = 0;
    }

    /**
     * The flow in {@code slot} was dropped on the current packet, after the packet went through its stream:
     * none of it is inspected any more, so its HTTP messages in progress end now, on this packet, and their
     * body rules run once on the body collected so far (found by a tester: a blocking DLP finding in a chunked
     * upload that only the flow's end would close left its {@code http.request_body} rules unrun; Suricata
     * inspects request bodies as they grow and would have alerted). A response's file is logged truncated.
     */
    void flowDropped(final int slot)
    {
        if (NONE == parserOf[slot] || protoOf[slot] != AppProto.HTTP)
        {
            return;
        }
        packetToServer = stage.current().toServer;
        endingDropped = true;
        http.end(parserOf[slot], 0, this);
        http.end(parserOf[slot], 1, this);
        endingDropped = false;
        messageEnded = false;
        httpEndOwed[slot] = 0;
    }

    // ------------------------------------------------------------------------------------------------------
    // Stream bytes

    @Override
    public void onData(final int stream, final int direction, final MemorySegment chunk, final int newFrom,
        final long chunkOffset)
    {
        final int slot = slotOfStream[stream];
        final int fresh = (int)chunk.byteSize() - newFrom;
        int parseFrom = newFrom;
        if (protoOf[slot] == AppProto.UNKNOWN && fresh > 0)
        {
            // Bytes too few to identify (a DNS length prefix alone in its segment, a split request line) were fed
            // to no parser: while the chunk still starts at the stream's start they are probed again with the
            // new ones, and parsed from there once identified.
            final int probeFrom = 0 == chunkOffset ? 0 : newFrom;
            identify(slot, direction, chunk, probeFrom, (int)chunk.byteSize() - probeFrom);
            parseFrom = protoOf[slot] == AppProto.UNKNOWN ? newFrom : probeFrom;
        }
        final int parse = (int)chunk.byteSize() - parseFrom;
        final boolean toServer = (0 == direction) != rolesSwapped[slot];
        if (NONE != parserOf[slot] && fresh > 0)
        {
            final int appDirection = toServer ? 0 : 1;
            switch (protoOf[slot])
            {
                case HTTP -> http.feed(parserOf[slot], appDirection, chunk, parseFrom, parse, this);
                case TLS -> tls.feed(parserOf[slot], appDirection, chunk, parseFrom, parse, this);
                case SSH -> ssh.feed(parserOf[slot], appDirection, chunk, parseFrom, parse, this);
                case DNS -> dnsTcp.feed(parserOf[slot], appDirection, chunk, parseFrom, parse, this);
                default ->
                {
                }
            }
        }
        holdOrInspect(stream, direction, chunk, newFrom, chunkOffset);
        // Suricata's HTTP parser asks for raw inspection when a message completes, its TLS parser when a record
        // does; records are taken to end with the bytes that carry them.
        if (messageEnded || protoOf[slot] == AppProto.TLS && fresh > 0)
        {
            messageEnded = false;
            held.messageEnded(2 * stream + direction, chunkOffset + chunk.byteSize());
        }
    }

    /**
     * New stream bytes: held until the other side acknowledges them (IDS mode), else inspected now. Bytes that
     * find no room to wait in are inspected now, after what the direction held before them.
     */
    private void holdOrInspect(final int stream, final int direction, final MemorySegment chunk, final int newFrom,
        final long chunkOffset)
    {
        final int half = 2 * stream + direction;
        if (!stage.holdsStream())
        {
            inspectHeld(stream, direction, Long.MAX_VALUE);
            stage.matchStream(chunk, newFrom, 0 == direction, half, chunkOffset + newFrom);
            return;
        }
        if (held.hold(half, chunk, newFrom, chunkOffset))
        {
            return;
        }
        stage.countEarlyStream();
        inspectHeld(stream, direction, Long.MAX_VALUE);
        if (!held.hold(half, chunk, newFrom, chunkOffset))
        {
            stage.matchStream(chunk, newFrom, 0 == direction, half, chunkOffset + newFrom);
        }
    }

    /**
     * A RST the stream took closes it ({@link #tcp} does not come here with one the stream ignored); a FIN is
     * noted with the offset that acknowledges it.
     */
    private void closing(final int stream, final int direction, final PacketFacts facts)
    {
        if ((facts.tcpFlags & TcpReassembler.RST) != 0)
        {
            held.rst(stream);
        }
        else if ((facts.tcpFlags & TcpReassembler.FIN) != 0)
        {
            final long fin = streams.offsetOf(stream, direction, facts.seq + facts.payloadLength);
            if (fin >= 0)
            {
                held.fin(2 * stream + direction, fin + 1);
            }
        }
    }

    /**
     * A packet of {@code direction} went through its stream: its acknowledgement number tells how far the other
     * direction was received, and this direction's acknowledged bytes are inspected now, on this packet, when
     * they are due (Suricata inspects a direction's stream on packets going that way, up to the last
     * acknowledgement; see {@link StreamHold}).
     */
    private void acknowledge(final int stream, final int direction, final PacketFacts facts)
    {
        if ((facts.tcpFlags & TcpReassembler.ACK) != 0)
        {
            held.ackSent(2 * stream + direction, facts.ack);
            final long offset = streams.offsetOf(stream, 1 - direction, facts.ack);
            if (offset > 0)
            {
                held.acknowledged(2 * stream + 1 - direction, offset);
            }
        }
        inspectHeld(stream, direction, stage.holdsStream() ? held.due(2 * stream + direction) : Long.MAX_VALUE);
    }

    /** Inspects the bytes {@code direction} holds before stream offset {@code upTo}, in pieces, on the packet now. */
    private void inspectHeld(final int stream, final int direction, final long upTo)
    {
        final int half = 2 * stream + direction;
        MemorySegment piece;
        while (null != (piece = held.piece(half, upTo)))
        {
            stage.matchStream(piece, held.pieceContext(), 0 == direction, half, held.pieceNewAt());
            held.inspected(half);
        }
    }

    @Override
    public void onGap(final int stream, final int direction, final long offset, final long length)
    {
        // Bytes held before a hole are inspected now: no inspection reaches across it.
        inspectHeld(stream, direction, Long.MAX_VALUE);
        final int slot = slotOfStream[stream];
        final boolean toServer = (0 == direction) != rolesSwapped[slot];
        if (NONE != parserOf[slot])
        {
            switch (protoOf[slot])
            {
                case HTTP -> http.gap(parserOf[slot], toServer ? 0 : 1, length);
                case TLS -> tls.gap(parserOf[slot], toServer ? 0 : 1);
                case SSH -> ssh.gap(parserOf[slot], toServer ? 0 : 1);
                case DNS -> dnsTcp.gap(parserOf[slot], toServer ? 0 : 1);
                default ->
                {
                }
            }
        }
    }

    private void identify(final int slot, final int direction, final MemorySegment chunk, final int from,
        final int length)
    {
        final AppProto proto = detector.detect(true, direction, chunk, from, length);
        if (proto == AppProto.UNKNOWN)
        {
            return;
        }
        protoOf[slot] = proto;
        if (proto == AppProto.HTTP)
        {
            // The side that answers is the server, whoever sent the flow's first packet.
            final int emptyLines = HttpDetector.leadingLineEnds(chunk, from, length, AppDetector.MAX_PROBE_BYTES);
            rolesSwapped[slot] =
                (0 == direction) == HttpDetector.looksLikeResponse(chunk, from + emptyLines, length - emptyLines);
            parserOf[slot] = http.open();
            stage.setApp(slot, AppProtocol.HTTP);
        }
        else if (proto == AppProto.TLS)
        {
            // A ClientHello comes from the client: record type 22, handshake type 1 at byte 5.
            final boolean clientHello = length > 5 && 1 == chunk.get(ValueLayout.JAVA_BYTE, from + 5);
            rolesSwapped[slot] = (0 == direction) != clientHello;
            parserOf[slot] = tls.open();
            stage.setApp(slot, AppProtocol.TLS);
        }
        else if (proto == AppProto.SSH)
        {
            parserOf[slot] = ssh.open();
        }
        else if (proto == AppProto.DNS)
        {
            // The client sends the first query: the flow's roles are the application's.
            parserOf[slot] = dnsTcp.open();
            stage.setApp(slot, AppProtocol.DNS);
        }
        if (NONE == parserOf[slot] && proto != AppProto.FAILED)
        {
            protoOf[slot] = AppProto.FAILED;
        }
    }

    /** The name the {@code app-layer-protocol} keyword knows the flow's application by. */
    static AppLayerProtocol.Name layerName(final AppProto proto)
    {
        return switch (proto)
        {
            case HTTP -> AppLayerProtocol.Name.HTTP;
            case TLS -> AppLayerProtocol.Name.TLS;
            case DNS -> AppLayerProtocol.Name.DNS;
            case UNKNOWN -> AppLayerProtocol.Name.UNKNOWN;
            case SSH, FAILED -> AppLayerProtocol.Name.FAILED;
        };
    }

    private AppRecords records(final int slot)
    {
        AppRecords kept = records[slot];
        if (null == kept)
        {
            kept = spareCount > 0 ? spareRecords[--spareCount] : new AppRecords();
            records[slot] = kept;
        }
        return kept;
    }

    // ------------------------------------------------------------------------------------------------------
    // HTTP

    @Override
    public void onRequest(final int flow, final HttpMessage request)
    {
        final AppRecords.Http tx = records(stage.current().slot).request(request);
        if (null != dlp)
        {
            // Before any line echoes them: request values holding what a DLP detector matches are masked.
            tx.maskRequest(dlp);
        }
        httpBuffers(request, NONE);
        stage.matchHttp(false, tx.alertObject);
        if (null != dlp)
        {
            scanRequestHead(request);
        }
    }

    /**
     * DLP over the request's URI (URL-decoded) and header lines as sent (Cookie included), in the same message
     * as its body; a line end between them keeps a value from running from one into the next.
     */
    private void scanRequestHead(final HttpMessage request)
    {
        final int handle = dlpFlow(stage.current().slot);
        if (NONE == handle)
        {
            return;
        }
        final MemorySegment buffer = request.buffer();
        dlp.scanFormUrlEncoded(handle, buffer, request.offset(HttpField.URI_RAW), request.length(HttpField.URI_RAW),
            this);
        dlp.scan(handle, LINE_END, 0, 1, this);
        dlp.scan(handle, buffer, request.offset(HttpField.HEADER_RAW), request.length(HttpField.HEADER_RAW), this);
        dlp.scan(handle, LINE_END, 0, 1, this);
    }

    @Override
    public void onResponse(final int flow, final HttpMessage response)
    {
        final AppRecords.Http tx = records(stage.current().slot).response(response);
        if (null != dlp)
        {
            tx.maskFileName(dlp);
        }
        httpBuffers(response, NONE);
        stage.matchHttp(false, tx.alertObject);
    }

    @Override
    public void onBody(final int flow, final HttpMessage message, final MemorySegment data, final long offset,
        final int length, final long bodyOffset)
    {
        if (null != dlp && message.isRequest())
        {
            final int handle = dlpFlow(stage.current().slot);
            if (NONE != handle)
            {
                if (formEncoded(message))
                {
                    dlp.scanFormUrlEncoded(handle, data, offset, length, this);
                }
                else
                {
                    dlp.scan(handle, data, offset, length, this);
                }
            }
        }
        final int owner = stage.current().slot * 2 + (message.isRequest() ? 0 : 1);
        int b = bodyBuffer(owner);
        if (NONE == b)
        {
            b = claimBody(owner);
            if (NONE == b)
            {
                declineUnlessNeeded(message);
                return;
            }
        }
        bodyTotal[b] += length;
        final int take = Math.min(BODY_BYTES - bodyLength[b], length);
        if (take > 0)
        {
            MemorySegment.copy(data, offset, bodies, (long)b * BODY_BYTES + bodyLength[b], take);
            bodyLength[b] += take;
        }
        if (BODY_BYTES == bodyLength[b])
        {
            declineUnlessNeeded(message);
        }
    }

    /**
     * Past the bytes kept for inspection, a body is decoded on only for DLP, which scans a request whole, and
     * for a response's fileinfo line, whose size is the body decoded; otherwise the parser stops inflating it.
     * On the shared captures that left about 110 of 150 KB per pass uninflated (a 113 KB page without a file
     * name), zlib having taken about 15 % of the IPS path (BENCHMARKS §25-26).
     */
    private void declineUnlessNeeded(final HttpMessage message)
    {
        final boolean needed = message.isRequest() ? null != dlp
            : records(stage.current().slot).of(message).fileName.present();
        if (!needed)
        {
            message.declineRestOfBody();
        }
    }

    @Override
    public void onMessageEnd(final int flow, final HttpMessage message)
    {
        messageEnded = true;
        final CurrentPacket cur = stage.current();
        final AppRecords.Http tx = records(cur.slot).of(message);
        final boolean request = message.isRequest();
        final int b = bodyBuffer(cur.slot * 2 + (request ? 0 : 1));
        httpBuffers(message, b);
        stage.matchHttp(true, tx.alertObject);
        if (null != dlp && request)
        {
            final int handle = dlpFlow(cur.slot);
            if (NONE != handle)
            {
                dlp.endMessage(handle, this);
            }
        }
        if (!request)
        {
            // As Suricata: the body as sent (libhtp's message length), not as decoded; fileinfo's size is decoded.
            tx.length = message.bodyLength();
            events.http(cur, stage.facts(), packetToServerApp(cur.slot), tx);
            if (tx.fileName.present() && NONE != b)
            {
                events.fileinfo(cur, stage.facts(), packetToServerApp(cur.slot), tx, bodyTotal[b], !endingDropped);
            }
        }
        if (NONE != b)
        {
            bodyOwner[b] = NONE;
        }
    }

    /**
     * Prepares the input with a message's buffers: its line and headers, and the body collected in body buffer
     * {@code body} (NONE for none) as {@code file.data} and, for a request, {@code http.request_body}.
     */
    private void httpBuffers(final HttpMessage message, final int body)
    {
        final boolean request = message.isRequest();
        final MatchInput input = stage.appInput(request, false);
        if (request)
        {
            field(input, Buffer.HTTP_URI, message, HttpField.URI_NORMALIZED);
            field(input, Buffer.HTTP_URI_RAW, message, HttpField.URI_RAW);
            field(input, Buffer.HTTP_METHOD, message, HttpField.METHOD);
            field(input, Buffer.HTTP_REQUEST_LINE, message, HttpField.REQUEST_LINE);
            field(input, Buffer.HTTP_USER_AGENT, message, HttpField.USER_AGENT);
            field(input, Buffer.HTTP_REFERER, message, HttpField.REFERER);
            field(input, Buffer.HTTP_ACCEPT, message, HttpField.ACCEPT);
            field(input, Buffer.HTTP_ACCEPT_ENC, message, HttpField.ACCEPT_ENCODING);
            field(input, Buffer.HTTP_ACCEPT_LANG, message, HttpField.ACCEPT_LANGUAGE);
            if (message.length(HttpField.HOST) > 0)
            {
                field(input, Buffer.HTTP_HOST, message, HttpField.HOST);
                field(input, Buffer.HTTP_HOST_RAW, message, HttpField.HOST_RAW);
            }
            if (NONE != body)
            {
                input.set(Buffer.HTTP_REQUEST_BODY, bodies, (long)body * BODY_BYTES, bodyLength[body])
                    .set(Buffer.FILE_DATA, bodies, (long)body * BODY_BYTES, bodyLength[body]);
            }
        }
        else
        {
            field(input, Buffer.HTTP_STAT_CODE, message, HttpField.STATUS_CODE);
            field(input, Buffer.HTTP_STAT_MSG, message, HttpField.STATUS_MESSAGE);
            field(input, Buffer.HTTP_RESPONSE_LINE, message, HttpField.RESPONSE_LINE);
            field(input, Buffer.HTTP_SERVER, message, HttpField.SERVER);
            field(input, Buffer.HTTP_LOCATION, message, HttpField.LOCATION);
            if (NONE != body)
            {
                input.set(Buffer.FILE_DATA, bodies, (long)body * BODY_BYTES, bodyLength[body])
                    .set(Buffer.HTTP_RESPONSE_BODY, bodies, (long)body * BODY_BYTES, bodyLength[body]);
            }
        }
        field(input, Buffer.HTTP_HEADER, message, HttpField.HEADER);
        field(input, Buffer.HTTP_HEADER_RAW, message, HttpField.HEADER_RAW);
        field(input, Buffer.HTTP_HEADER_NAMES, message, HttpField.HEADER_NAMES);
        field(input, Buffer.HTTP_CONTENT_TYPE, message, HttpField.CONTENT_TYPE);
        field(input, Buffer.HTTP_CONTENT_LEN, message, HttpField.CONTENT_LENGTH);
        if (message.length(HttpField.COOKIE) > 0)
        {
            field(input, Buffer.HTTP_COOKIE, message, HttpField.COOKIE);
        }
        final Buffer lines = request ? Buffer.HTTP_REQUEST_HEADER : Buffer.HTTP_RESPONSE_HEADER;
        // No ET Open rule reads the header lines one by one; splitting them was about 3 % of the IPS path.
        if (stage.inspects(lines))
        {
            headerLines(input, lines, message.buffer(), message.offset(HttpField.HEADER_RAW),
                message.length(HttpField.HEADER_RAW));
        }
    }

    /** Sets {@code buffer} to the message's {@code field}, read in place (an absent field is empty). */
    private static void field(final MatchInput input, final Buffer buffer, final HttpMessage message,
        final HttpField field)
    {
        input.set(buffer, message.buffer(), message.offset(field), message.length(field));
    }

    /** Each line of a raw header block, without its line end, as one value of a multi-buffer. */
    private static void headerLines(final MatchInput input, final Buffer buffer, final MemorySegment memory,
        final long blockAt, final int blockLength)
    {
        final long end = blockAt + blockLength;
        long start = blockAt;
        for (long i = blockAt; i < end; i++)
        {
            if ('\n' != memory.get(ValueLayout.JAVA_BYTE, i))
            {
                continue;
            }
            long lineEnd = i;
            if (lineEnd > start && '\r' == memory.get(ValueLayout.JAVA_BYTE, lineEnd - 1))
            {
                lineEnd--;
            }
            if (lineEnd > start)
            {
                input.add(buffer, memory, start, (int)(lineEnd - start));
            }
            start = i + 1;
        }
        if (start < end)
        {
            input.add(buffer, memory, start, (int)(end - start));
        }
    }

    /** The DLP scanner's handle for the flow in {@code slot}, opened on its first body; NONE when full. */
    private int dlpFlow(final int slot)
    {
        if (dlpEpochOf[slot] != dlpEpoch)
        {
            dlpEpochOf[slot] = dlpEpoch;
            dlpFlowOf[slot] = dlp.openFlow();
        }
        return dlpFlowOf[slot];
    }

    private static boolean formEncoded(final HttpMessage message)
    {
        final MemorySegment memory = message.buffer();
        final long type = message.offset(HttpField.CONTENT_TYPE);
        final byte[] form = FORM;
        if (message.length(HttpField.CONTENT_TYPE) < form.length)
        {
            return false;
        }
        for (int i = 0; i < form.length; i++)
        {
            if (Character.toLowerCase(memory.get(ValueLayout.JAVA_BYTE, type + i)) != form[i])
            {
                return false;
            }
        }
        return true;
    }

    /**
     * Part of the current request's body will not reach the DLP scanner (found by a tester: a {@code block}
     * profile let an upload padded past the parser's 1 MiB body limit through): counted, a {@code dlp} line per
     * profile saying the body was not scanned whole, and in IPS mode a profile whose {@code unscanned_body} is
     * {@code block} drops the packet and the rest of the flow (fails closed).
     */
    @Override
    public void onBodyCut(final int flow, final HttpMessage message, final BodyCut why)
    {
        if (null != dlp && message.isRequest())
        {
            dlpUnscanned(records(stage.current().slot).http, why.reportName());
        }
    }

    /**
     * A message whose start line and headers passed the parser's limit is not parsed (found by a tester: such a
     * request went through with its URI and headers never scanned): counted, and for a request DLP fails closed
     * as on a cut body, {@code unscanned: "header_limit"}, with no {@code http} object (nothing was parsed).
     */
    @Override
    public void onHeadersTooLong(final int flow, final boolean request)
    {
        stage.counters().httpHeadersTooLong++;
        if (null != dlp && request)
        {
            dlpUnscanned(null, "header_limit");
        }
    }

    /**
     * A message that found every HTTP header block of the worker held ({@code ips.http_header_blocks}) is not
     * parsed either, only framed (the parser keeps its pairing, so the messages after it are inspected): for DLP
     * it is handled as one past the header limit, counted apart. The only call for the message.
     */
    @Override
    public void onNoHeaderBlock(final int flow, final boolean request)
    {
        stage.counters().httpNoHeaderBlock++;
        if (null != dlp && request)
        {
            dlpUnscanned(null, "header_limit");
        }
    }

    /**
     * A client line that is no request line is passed over with what follows it up to the next request (found by
     * a tester: {@code card=4111...} sent after a complete request reached the server unscanned, and a block
     * profile let it through): for DLP that is a request not scanned, {@code unscanned: "unparsed"}, failing
     * closed as on a cut body, with no {@code http} object (nothing was parsed).
     */
    @Override
    public void onStartLineMalformed(final int flow, final boolean request)
    {
        if (null != dlp && request)
        {
            dlpUnscanned(null, "unparsed");
        }
    }

    /**
     * Counts a request DLP did not scan whole and writes a {@code dlp} line per profile saying {@code why}; a
     * profile whose {@code unscanned_body} is {@code block} drops the packet and the rest of the flow in IPS mode.
     * {@code tx} is the request's transaction, or null when it was never parsed.
     */
    private void dlpUnscanned(final AppRecords.Http tx, final String why)
    {
        final CurrentPacket cur = stage.current();
        stage.counters().dlpUnscanned++;
        boolean block = false;
        for (final DlpProfile profile : dlpProfiles)
        {
            // At a flow's end (a pseudo packet) there is no packet left to drop.
            final boolean blocks = profile.unscanned() == DlpAction.BLOCK && stage.blocks() && !cur.pseudo;
            events.dlpUnscanned(cur, stage.facts(), packetToServerApp(cur.slot), tx, profile.name(), why, blocks);
            block |= blocks;
        }
        if (block)
        {
            stage.dropFlow();
        }
    }

    /** A DLP finding in the current request: an EVE line, and in IPS mode a blocking profile drops the flow. */
    @Override
    public void onFinding(final int flow, final DlpFinding finding)
    {
        final CurrentPacket cur = stage.current();
        final boolean block = finding.action() == DlpAction.BLOCK && stage.blocks();
        events.dlp(cur, stage.facts(), packetToServerApp(cur.slot), records(cur.slot).http, finding, block);
        if (block)
        {
            stage.dropFlow();
        }
    }

    /** True when the current packet goes to the application's server. */
    private boolean packetToServerApp(final int slot)
    {
        return packetToServer != rolesSwapped[slot];
    }

    private int bodyBuffer(final int owner)
    {
        for (int b = 0; b < BODY_BUFFERS; b++)
        {
            if (bodyOwner[b] == owner)
            {
                return b;
            }
        }
        return NONE;
    }

    private int claimBody(final int owner)
    {
        for (int b = 0; b < BODY_BUFFERS; b++)
        {
            if (NONE == bodyOwner[b])
            {
                bodyOwner[b] = owner;
                bodyLength[b] = 0;
                bodyTotal[b] = 0;
                return b;
            }
        }
        return NONE;
    }

    // ------------------------------------------------------------------------------------------------------
    // TLS

    /**
     * The client's hello is inspected going to the server (its random, server name, JA3). Rules on ALPN and
     * on the server's side wait for the server's flight: see {@link #inspectServerSide}.
     */
    @Override
    public void onClientHello(final int flow, final TlsHandshake h)
    {
        final AppRecords.Tls record = records(stage.current().slot).tls;
        record.clientHello(h);
        final MatchInput input = stage.appInput(true, false);
        tlsFacts(input);
        random(input, h.segment(TlsField.RANDOM), h.offset(TlsField.RANDOM), h.length(TlsField.RANDOM));
        field(input, Buffer.JA3_HASH, h, TlsField.JA3_HASH);
        if (h.hasSni())
        {
            field(input, Buffer.TLS_SNI, h, TlsField.SNI);
        }
        stage.matchApp(record.alertObject);
    }

    @Override
    public void onServerHello(final int flow, final TlsHandshake h)
    {
        final AppRecords.Tls record = records(stage.current().slot).tls;
        record.serverHello(h);
        if (0x0304 == h.selectedVersion())
        {
            // TLS 1.3 sends its certificate encrypted: the server's side is all there is.
            inspectServerSide(null, record);
        }
    }

    @Override
    public void onCertificate(final int flow, final TlsHandshake h)
    {
        final AppRecords.Tls record = records(stage.current().slot).tls;
        record.certificate(h);
        inspectServerSide(h, record);
    }

    /**
     * A TLS handshake whose server side never completed, when its flow ends, on the server's pseudo packet, as
     * Suricata logs an unfinished handshake: a resumed session's (ServerHello, then encrypted records without a
     * Certificate) has its server-side keywords inspected and its line written; a hello never answered, inspected
     * when it came, has its line written.
     */
    private void endTls(final int slot, final int stream)
    {
        if (!tlsLineOwed(slot))
        {
            return;
        }
        final AppRecords kept = records[slot];
        final int serverSide = rolesSwapped[slot] ? 0 : 1;
        if (!stage.pseudoPacket(slot, serverSide, streams.nextSequence(stream, serverSide),
            held.ackSent(2 * stream + serverSide)))
        {
            return;
        }
        if (kept.tls.serverHelloSeen)
        {
            inspectServerSide(null, kept.tls);
        }
        else
        {
            kept.tls.logged = true;
            events.tls(stage.current(), stage.facts(), packetToServerApp(slot), kept.tls);
        }
    }

    /** True when the flow's TLS handshake began but its line is not written yet: its flow's end writes it. */
    private boolean tlsLineOwed(final int slot)
    {
        final AppRecords kept = records[slot];
        return null != kept && AppProto.TLS == protoOf[slot] && !kept.tls.logged
            && (kept.tls.clientHelloSeen || kept.tls.serverHelloSeen);
    }

    /**
     * Inspects the handshake as the server's flight completes it, going to the client: the server's random
     * and JA3S, both sides' ALPN names, the client's server name, and the certificate when one was seen;
     * then writes the flow's {@code tls} line.
     */
    private void inspectServerSide(final TlsHandshake certificate, final AppRecords.Tls record)
    {
        if (record.logged)
        {
            return;
        }
        record.logged = true;
        final CurrentPacket cur = stage.current();
        final MatchInput input = stage.appInput(false, false);
        tlsFacts(input);
        MemorySegment.copy(record.serverRandom, 0, randomBytes, ValueLayout.JAVA_BYTE, 0,
            record.serverRandomLength);
        random(input, randomBytes, 0, record.serverRandomLength);
        if (record.ja3s.present())
        {
            input.set(Buffer.JA3S_HASH, ja3sBytes, 0, record.ja3s.copyTo(ja3sBytes));
        }
        if (record.sni.present())
        {
            input.set(Buffer.TLS_SNI, sniBytes, 0, record.sni.copyTo(sniBytes));
        }
        int next = 0;
        // Each name its own buffer: the input keeps the memory it is given until the match returns.
        for (int a = 0; a < record.clientAlpns.count() && next < alpnBytes.length; a++)
        {
            final MemorySegment into = alpnBytes[next++];
            input.add(Buffer.TLS_ALPN, into, 0, record.clientAlpns.name(a).copyTo(into));
        }
        for (int a = 0; a < record.serverAlpns.count() && next < alpnBytes.length; a++)
        {
            final MemorySegment into = alpnBytes[next++];
            input.add(Buffer.TLS_ALPN, into, 0, record.serverAlpns.name(a).copyTo(into));
        }
        if (null != certificate)
        {
            field(input, Buffer.TLS_CERT_SUBJECT, certificate, TlsField.CERT_SUBJECT);
            field(input, Buffer.TLS_CERT_ISSUER, certificate, TlsField.CERT_ISSUER);
            field(input, Buffer.TLS_CERT_SERIAL, certificate, TlsField.CERT_SERIAL);
            field(input, Buffer.TLS_CERT_FINGERPRINT, certificate, TlsField.CERT_FINGERPRINT);
            for (int s = 0; s < certificate.sanCount(); s++)
            {
                input.add(Buffer.TLS_CERT_SAN, certificate.source(), certificate.sanOffset(s),
                    certificate.sanLength(s));
            }
        }
        stage.matchApp(record.alertObject);
        events.tls(cur, stage.facts(), packetToServerApp(cur.slot), record);
    }

    /** Sets {@code buffer} to the handshake's {@code field}, read in place. */
    private static void field(final MatchInput input, final Buffer buffer, final TlsHandshake h, final TlsField field)
    {
        input.set(buffer, h.segment(field), h.offset(field), h.length(field));
    }

    /** The hello random at {@code at} of {@code memory}, and its time and random bytes when it has all 32. */
    private static void random(final MatchInput input, final MemorySegment memory, final long at, final int length)
    {
        input.set(Buffer.TLS_RANDOM, memory, at, length);
        if (32 == length)
        {
            input.set(Buffer.TLS_RANDOM_TIME, memory, at, 4).set(Buffer.TLS_RANDOM_BYTES, memory, at + 4, 28);
        }
    }

    private void tlsFacts(final MatchInput input)
    {
        final int slot = stage.current().slot;
        final int parser = parserOf[slot];
        input.tls(tls.sslStateOfLastFeed(parser), tls.recordVersion(parser, packetToServerApp(slot) ? 0 : 1),
            tls.negotiatedVersion(parser));
    }

    // ------------------------------------------------------------------------------------------------------
    // SSH

    @Override
    public void onBanner(final int flow, final int direction, final SshBanner banner)
    {
        final CurrentPacket cur = stage.current();
        final AppRecords.Ssh record = records(cur.slot).ssh;
        record.banner(0 == direction, banner);
        if (record.complete() && !record.logged)
        {
            record.logged = true;
            events.ssh(cur, stage.facts(), packetToServerApp(cur.slot), record);
        }
    }

    @Override
    public void close()
    {
        streams.close();
        http.close();
        tls.close();
        dnsTcp.close();
    }
}
