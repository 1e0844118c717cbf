package io.opensase.benchmarks.ips;

import io.opensase.benchmarks.support.BenchmarkJvm;
import io.opensase.benchmarks.support.PacketSet;
import io.opensase.benchmarks.support.SharedData;
import io.opensase.classifiers.flow.FlowTable;
import io.opensase.classifiers.flow.FlowTimeouts;
import io.opensase.classifiers.flow.FullTablePolicy;
import io.opensase.classifiers.parse.LayerType;
import io.opensase.classifiers.parse.LinkType;
import io.opensase.classifiers.parse.PacketMemory;
import io.opensase.classifiers.parse.PacketParser;
import io.opensase.classifiers.parse.ParsedPackets;
import io.opensase.core.ips.IpsMode;
import io.opensase.core.ips.IpsPolicy;
import io.opensase.core.ips.IpsPolicyRef;
import io.opensase.core.ips.IpsSettings;
import io.opensase.core.ips.IpsStage;
import io.opensase.core.packet.JavaPacketPool;
import io.opensase.core.packet.MbufArray;
import io.opensase.core.packet.PacketBurst;
import io.opensase.core.pipeline.FlowStage;
import io.opensase.core.pipeline.ParseStage;
import io.opensase.core.pipeline.WorkerCounters;
import io.opensase.dpdk.Mbuf;
import io.opensase.ips.match.MatchSink;
import io.opensase.ips.match.Prefilter;
import io.opensase.ips.match.PrefilterEngine;
import io.opensase.ips.match.PrefilterScanner;
import io.opensase.ips.match.Prefilters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The whole IPS path against the baseline, per packet, over the same packets in one run: every
 * Ethernet packet of the shared captures, in mbufs, 32 to a burst.
 * <ul>
 * <li>{@code baseline}: Hyperscan block mode over each packet's TCP or UDP payload, with one literal per
 *     loaded ET Open rule's fast pattern in one database (as the issue measures it with the C API), each
 *     literal reported once per payload ({@code HS_FLAG_SINGLEMATCH}, the faster mode, what the matcher
 *     uses); the ratios in BENCHMARKS.md divide by this one.</li>
 * <li>{@code baselineEveryMatch}: the same with every match reported, Hyperscan's default, which the issue's
 *     C API measurement may have used (it does not say); slower, so ratios against it are larger.</li>
 * <li>{@code fullPath}: the worker stages an IPS runs (parse, flow, IPS: defragmentation, stream
 *     reassembly and application parsers as far as they are in the stage, prefilter, verification) with
 *     every shared ET Open file loaded (or one rule, see {@link #ruleSet}), prefilter {@code engine} as the
 *     parameter says.</li>
 * </ul>
 * Each pass over the packets adds one to every IPv4 address (and to the low word of IPv6 ones), and an hour
 * to the timestamps, so that each pass is new flows, not retransmissions of old ones. Gbps of payload is
 * (payload bytes per packet x 8) / (ns per packet), with the payload bytes per packet the setup prints.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {
    BenchmarkJvm.NATIVE_ACCESS, BenchmarkJvm.NO_CHRONICLE_ANALYTICS, BenchmarkJvm.HEAP_MIN, BenchmarkJvm.HEAP_MAX})
public class IpsPathBenchmark
{
    public static final int BURST = 32;
    private static final long HOUR_NS = 3_600_000_000_000L;

    /** Prefilter of the full path: {@code hyperscan} or {@code java} (the pure-Java DFA). */
    @Param({"hyperscan", "java"})
    public String engine;

    /**
     * Rules of the full path: {@code et-open} (every shared ET Open file), or {@code single}, one rule whose
     * literal is in no packet, for what the rest of the path (parse, flow, reassembly, application parsers and
     * their EVE records) costs without rule matching: {@code -p ruleSet=et-open,single}.
     */
    @Param({"et-open"})
    public String ruleSet;

    private final PacketBurst burst = new PacketBurst(BURST);
    private final WorkerCounters counters = new WorkerCounters();
    private JavaPacketPool pool;
    private long[] mbufs;
    private long[] timestamps;
    /** Per packet: offsets of its innermost IP source and destination address words to rewrite, or -1. */
    private int[] addressAt;
    private int[] addressLength;
    private int[] payloadAt;
    private int[] payloadLength;
    private int pass;
    private int next;

    private ParseStage parseStage;
    private FlowStage flowStage;
    private IpsStage ipsStage;
    private IpsPolicy policy;
    private Prefilter baselinePrefilter;
    private PrefilterScanner baselineScanner;
    private Prefilter everyMatchPrefilter;
    private PrefilterScanner everyMatchScanner;
    private final Count matches = new Count();

    /** Counts the baseline's matches so that they are not dead code. */
    static final class Count implements MatchSink
    {
        long n;

        @Override
        public void onMatch(final int literalId, final int end)
        {
            n += 1 + (literalId & 1);
        }
    }

    @Setup(Level.Trial)
    public void load() throws IOException
    {
        try (PacketSet packets = PacketSet.load(SharedData.captures(SharedData.ALL), LinkType.ETHERNET::equals))
        {
            pool = new JavaPacketPool(packets.count());
            final MbufArray allocated = new MbufArray(packets.count());
            if (pool.allocate(allocated, allocated.capacity()) != allocated.capacity())
            {
                throw new IllegalStateException("pool gave fewer buffers than it holds");
            }
            mbufs = allocated.addresses();
            timestamps = new long[mbufs.length];
            addressAt = new int[mbufs.length];
            addressLength = new int[mbufs.length];
            payloadAt = new int[mbufs.length];
            payloadLength = new int[mbufs.length];
            final PacketParser parser = new PacketParser();
            final ParsedPackets parsed = new ParsedPackets(1);
            long payloadBytes = 0;
            for (int i = 0; i < mbufs.length; i++)
            {
                final int length = Math.min(packets.captured(i), pool.dataRoom());
                final long data = Mbuf.dataAddress(mbufs[i]);
                MemorySegment.copy(PacketMemory.ALL, packets.address(i), PacketMemory.ALL, data, length);
                Mbuf.setLength(mbufs[i], length);
                Mbuf.setWireLength(mbufs[i], packets.wire(i));
                timestamps[i] = packets.timestampNs(i);
                parser.parse(PacketMemory.ALL, data, length, packets.wire(i), LinkType.ETHERNET, parsed, 0);
                locateAddresses(parsed, i);
                final int start = IpsData.payloadStart(parsed, data);
                payloadAt[i] = start > 0 && start < length ? start : 0;
                payloadLength[i] = start > 0 && start < length ? length - start : 0;
                payloadBytes += payloadLength[i];
            }
            System.out.printf(Locale.ROOT, "%n[ips-path] %s; %d payload bytes, %.1f per packet%n",
                packets.describe(), payloadBytes, (double)payloadBytes / mbufs.length);
        }
        final long start = System.nanoTime();
        System.setProperty(PrefilterEngine.PROP_NAME, engine);
        policy = IpsPolicy.load(new IpsSettings(List.of(rules()), Map.of(), Map.of(), IpsMode.IDS, true, null, null,
            null));
        System.out.printf(Locale.ROOT, "[ips-path] loaded and compiled in %.0f ms: %s%n",
            (System.nanoTime() - start) / 1e6, policy.matcher().startLine());
        parseStage = new ParseStage(new PacketParser(), LinkType.ETHERNET, counters);
        flowStage = new FlowStage(new FlowTable(1 << 18, FlowTimeouts.DEFAULT, FullTablePolicy.EVICT_OLDEST));
        ipsStage = new IpsStage(new IpsPolicyRef(policy), flowStage.table(), 0, LinkType.ETHERNET.number(),
            line -> { }, false);
        baselinePrefilter = Prefilters.compile(List.of(IpsData.literals(IpsData.etOpen().rules(), IpsData.ALL)),
            PrefilterEngine.HYPERSCAN, true);
        baselineScanner = baselinePrefilter.newScanner();
        everyMatchPrefilter = Prefilters.compile(
            List.of(IpsData.literals(IpsData.etOpen().rules(), IpsData.ALL)), PrefilterEngine.HYPERSCAN, false);
        everyMatchScanner = everyMatchPrefilter.newScanner();
        rewrite();
    }

    private Path rules() throws IOException
    {
        return switch (ruleSet)
        {
            case "et-open" -> SharedData.root().resolve("ids-rules/et-open");
            case "single" ->
            {
                final Path file = Files.createTempFile("ips-path-single", ".rules");
                file.toFile().deleteOnExit();
                Files.writeString(file, "alert tcp any any -> any any (msg:\"in no packet\"; "
                    + "content:\"opensase-ips-path-never-seen\"; sid:1;)\n");
                yield file;
            }
            default -> throw new IllegalArgumentException("ruleSet is et-open or single, not " + ruleSet);
        };
    }

    /** Where the innermost IP header's addresses are, for the per-pass rewrite. */
    private void locateAddresses(final ParsedPackets parsed, final int i)
    {
        addressAt[i] = -1;
        for (int l = parsed.layerCount(0) - 1; l >= 0; l--)
        {
            final int stored = parsed.layerType(0, l);
            if (LayerType.isQuoted(stored))
            {
                continue;
            }
            if (LayerType.of(stored) == LayerType.IPV4)
            {
                addressAt[i] = parsed.layerOffset(0, l) + 12;
                addressLength[i] = 4;
                return;
            }
            if (LayerType.of(stored) == LayerType.IPV6)
            {
                addressAt[i] = parsed.layerOffset(0, l) + 8;
                addressLength[i] = 16;
                return;
            }
        }
    }

    @TearDown(Level.Trial)
    public void close()
    {
        System.out.printf(Locale.ROOT, "%n[ips-path] passes %d, IPS alerts %d, packets inspected %d, baseline "
            + "matches %d, stream bytes not scanned again %.1f per packet inspected%n", pass,
            ipsStage.counters().alerts(), ipsStage.counters().packets(), matches.n,
            (double)ipsStage.prefilterBytesReused() / Math.max(1, ipsStage.counters().packets()));
        baselineScanner.close();
        baselinePrefilter.close();
        everyMatchScanner.close();
        everyMatchPrefilter.close();
        policy.close();
        pool.close();
    }

    @Benchmark
    @OperationsPerInvocation(BURST)
    public int fullPath()
    {
        nextBurst();
        parseStage.process(burst);
        flowStage.process(burst);
        ipsStage.process(burst);
        return burst.flow(BURST - 1);
    }

    @Benchmark
    @OperationsPerInvocation(BURST)
    public long baseline()
    {
        return scanPayloads(baselineScanner);
    }

    @Benchmark
    @OperationsPerInvocation(BURST)
    public long baselineEveryMatch()
    {
        return scanPayloads(everyMatchScanner);
    }

    /** Scans the payloads of the next 32 packets with one database. */
    private long scanPayloads(final PrefilterScanner scanner)
    {
        final int count = mbufs.length;
        long found = 0;
        int m = next;
        for (int i = 0; i < BURST; i++)
        {
            if (payloadLength[m] > 0)
            {
                found += scanner.scan(0, PacketMemory.ALL, Mbuf.dataAddress(mbufs[m]) + payloadAt[m],
                    payloadLength[m], matches);
            }
            if (++m == count)
            {
                m = 0;
            }
        }
        next = m;
        return found + matches.n;
    }

    /** The next 32 mbufs; at the end of the packets, a new pass with new addresses and later times. */
    private void nextBurst()
    {
        final long[] into = burst.mbufs().addresses();
        final int count = mbufs.length;
        int m = next;
        for (int i = 0; i < BURST; i++)
        {
            into[i] = mbufs[m];
            if (++m == count)
            {
                m = 0;
                pass++;
                rewrite();
            }
        }
        next = m;
        burst.loadCaptured(BURST);
    }

    private static void increment(final long address)
    {
        PacketMemory.ALL.set(PacketMemory.U32, address, PacketMemory.ALL.get(PacketMemory.U32, address) + 1);
    }

    /** Gives every packet this pass's addresses (each address plus the pass number) and times. */
    private void rewrite()
    {
        for (int i = 0; i < mbufs.length; i++)
        {
            Mbuf.setTimestampNs(mbufs[i], timestamps[i] + pass * HOUR_NS);
            if (addressAt[i] < 0)
            {
                continue;
            }
            final long data = Mbuf.dataAddress(mbufs[i]);
            final int half = addressLength[i];
            increment(data + addressAt[i] + half - 4);
            increment(data + addressAt[i] + 2 * half - 4);
        }
    }
}
