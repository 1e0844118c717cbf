package io.opensase.benchmarks.flow;

import io.opensase.benchmarks.support.BenchmarkJvm;
import io.opensase.benchmarks.support.SyntheticPackets;
import io.opensase.classifiers.flow.FlowKey;
import io.opensase.classifiers.flow.FlowTable;
import io.opensase.classifiers.flow.FlowTimeouts;
import io.opensase.classifiers.flow.FullTablePolicy;
import io.opensase.classifiers.parse.LinkType;
import io.opensase.classifiers.parse.PacketMemory;
import io.opensase.classifiers.parse.PacketParser;
import io.opensase.classifiers.parse.ParsedPackets;
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
import org.openjdk.jmh.infra.BenchmarkParams;

import java.lang.foreign.Arena;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Nanoseconds per {@link FlowTable#lookupOrCreate} with a full table of 1M or 4M flows: lookups of
 * established flows, inserts of new flows (each evicting the oldest), and parse plus lookup per packet.
 * <p>
 * Keys come from the real parser: synthetic Ethernet/IPv4/TCP frames are written off-heap and parsed once
 * in setup, and every measured packet builds its {@link FlowKey} from those results, as the flow stage does.
 * The measured loop walks a sample of 2<sup>19</sup> distinct resident flows in random order.
 * <p>
 * Inserts keep the table full with {@link FullTablePolicy#EVICT_OLDEST}: each new flow misses, evicts the
 * least recently seen flow (unlink and backward-shift deletion) and is inserted, which is the steady state of
 * a busy worker. The table has no clear, and rebuilding 1M+ flows per iteration would measure setup, so the
 * cost of an insert into a table with free slots is not measured here; it is at most this figure. New keys
 * are the sample's flows under a fresh tenant id on every pass over the sample.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 3, jvmArgsAppend = {
    BenchmarkJvm.NATIVE_ACCESS, BenchmarkJvm.NO_CHRONICLE_ANALYTICS, BenchmarkJvm.HEAP_MIN, BenchmarkJvm.HEAP_MAX})
public class FlowTableBenchmark
{
    public static final int BURST = 32;
    /** Distinct resident flows the measured loop cycles through, in random order. */
    public static final int SAMPLE = 1 << 19;

    private static final int FRAME_SLOT = 64;
    private static final int ESTABLISHED_TENANT = 0;
    private static final long SEED = 0x5EED_F10E_5L;

    /** Flows in the table, which is sized to hold exactly this many. */
    @Param({"1000000", "4000000"})
    public int resident;

    private final PacketParser parser = new PacketParser();
    private final FlowKey key = new FlowKey();
    private final ParsedPackets burst = new ParsedPackets(BURST);
    private FlowTable table;
    private Arena arena;
    /** The sample's frames, {@link #FRAME_SLOT} bytes apart. */
    private long frames;
    /** The sample's frames, parsed. */
    private ParsedPackets sample;
    private int next;
    private int tenant = ESTABLISHED_TENANT + 1;
    private long nowNs;

    @Setup(Level.Trial)
    public void fill()
    {
        if (resident < SAMPLE || resident >= SyntheticPackets.MAX_FLOWS)
        {
            throw new IllegalArgumentException("resident flows must be " + SAMPLE + ".." + SyntheticPackets.MAX_FLOWS);
        }
        final long startNs = System.nanoTime();
        arena = Arena.ofShared();
        table = new FlowTable(resident, FlowTimeouts.DEFAULT, FullTablePolicy.EVICT_OLDEST);
        final long scratch = arena.allocate(FRAME_SLOT, FRAME_SLOT).address();
        for (int flow = 0; flow < resident; flow++)
        {
            SyntheticPackets.writeTcp(scratch, flow);
            parseOne(scratch, burst, 0);
            key.set(burst, 0, ESTABLISHED_TENANT);
            if ((table.lookupOrCreate(key, ++nowNs, SyntheticPackets.FRAME_LENGTH) & FlowTable.NEW) == 0)
            {
                throw new IllegalStateException("synthetic flow " + flow + " collides with an earlier one");
            }
        }

        frames = arena.allocate((long)SAMPLE * FRAME_SLOT, FRAME_SLOT).address();
        sample = new ParsedPackets(SAMPLE);
        final int[] flows = randomFlows(resident, SAMPLE);
        for (int i = 0; i < SAMPLE; i++)
        {
            SyntheticPackets.writeTcp(frames + (long)i * FRAME_SLOT, flows[i]);
            parseOne(frames + (long)i * FRAME_SLOT, sample, i);
        }
        System.out.printf("[flow] %d flows resident, sample of %d ready in %d ms%n",
            table.active(), SAMPLE, (System.nanoTime() - startNs) / 1_000_000);
    }

    @TearDown(Level.Iteration)
    public void check(final BenchmarkParams params)
    {
        final boolean inserting = params.getBenchmark().endsWith(".insert");
        final long createdSinceFill = table.created() - resident;
        if (table.active() != resident || table.refused() != 0 || table.expired() != 0
            || (inserting ? createdSinceFill != table.evicted() : createdSinceFill != 0))
        {
            throw new IllegalStateException("table drifted: active " + table.active() + ", created "
                + table.created() + ", evicted " + table.evicted() + ", expired " + table.expired());
        }
    }

    @TearDown(Level.Trial)
    public void close()
    {
        arena.close();
    }

    /** Established flows: a hit, then the flow moves to the young end of its timeout list. */
    @Benchmark
    @OperationsPerInvocation(BURST)
    public int lookup()
    {
        final int first = next;
        next = (first + BURST) & (SAMPLE - 1);
        int slots = 0;
        for (int i = first; i < first + BURST; i++)
        {
            key.set(sample, i, ESTABLISHED_TENANT);
            slots += table.lookupOrCreate(key, ++nowNs, SyntheticPackets.FRAME_LENGTH);
        }
        return slots;
    }

    /** New flows into the full table: a miss, one eviction, one insertion. */
    @Benchmark
    @OperationsPerInvocation(BURST)
    public int insert()
    {
        final int first = next;
        next = (first + BURST) & (SAMPLE - 1);
        final int flowTenant = tenant;
        if (0 == next)
        {
            tenant++;
        }
        int slots = 0;
        for (int i = first; i < first + BURST; i++)
        {
            key.set(sample, i, flowTenant);
            slots += table.lookupOrCreate(key, ++nowNs, SyntheticPackets.FRAME_LENGTH);
        }
        return slots;
    }

    /** A burst as a worker sees it: parse 32 frames, then look up each one's established flow. */
    @Benchmark
    @OperationsPerInvocation(BURST)
    public int parseAndLookup()
    {
        final int first = next;
        next = (first + BURST) & (SAMPLE - 1);
        for (int i = 0; i < BURST; i++)
        {
            parseOne(frames + (long)(first + i) * FRAME_SLOT, burst, i);
        }
        int slots = 0;
        for (int i = 0; i < BURST; i++)
        {
            key.set(burst, i, ESTABLISHED_TENANT);
            slots += table.lookupOrCreate(key, ++nowNs, SyntheticPackets.FRAME_LENGTH);
        }
        return slots;
    }

    private void parseOne(final long address, final ParsedPackets into, final int index)
    {
        parser.parse(PacketMemory.ALL, address, SyntheticPackets.FRAME_LENGTH, SyntheticPackets.FRAME_LENGTH,
            LinkType.ETHERNET, into, index);
    }

    /** The first {@code count} ids of a seeded random permutation of {@code 0..flows - 1}. */
    private static int[] randomFlows(final int flows, final int count)
    {
        final int[] ids = new int[flows];
        for (int i = 0; i < flows; i++)
        {
            ids[i] = i;
        }
        final SplittableRandom random = new SplittableRandom(SEED);
        for (int i = 0; i < count; i++)
        {
            final int j = i + random.nextInt(flows - i);
            final int swap = ids[i];
            ids[i] = ids[j];
            ids[j] = swap;
        }
        return Arrays.copyOf(ids, count);
    }
}
