package io.opensase.benchmarks.events;

import io.opensase.benchmarks.support.BenchmarkJvm;
import io.opensase.classifiers.flow.FlowKey;
import io.opensase.classifiers.flow.FlowTable;
import io.opensase.classifiers.flow.FlowTimeouts;
import io.opensase.classifiers.flow.FullTablePolicy;
import io.opensase.classifiers.parse.FlowKeyKind;
import io.opensase.classifiers.parse.ParsedPackets;
import io.opensase.core.events.EveFormatter;
import io.opensase.core.events.FlowRecorder;
import io.opensase.core.events.SpscEventQueue;
import io.opensase.core.events.TenantNames;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The worker side of the event path: nanoseconds, and bytes allocated (run with {@code -prof gc}), per flow
 * record a worker puts on its {@link SpscEventQueue}.
 * <ul>
 * <li>{@code handoff} (a rate, per microsecond): a worker thread records flow ends
 * ({@link FlowRecorder#onFlowRemoved}, as the flow table calls it) while a writer thread drains the queue,
 * reading each record but not formatting it; the counters say how many were queued, dropped and drained.</li>
 * <li>{@code recordWhenFull}: nobody drains, so every record finds the queue full and is dropped and counted.</li>
 * <li>{@code insertEvicting}: a full flow table taking a new flow per call, each evicting the oldest; with
 * {@code recorder} on, the eviction writes a flow record (the queue drained in the same thread when full), so
 * the difference between the two is what recording adds to a worker.</li>
 * <li>{@code formatLine}: the writer side, one record rendered as an EVE JSON line.</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 3, jvmArgsAppend = {
    BenchmarkJvm.NATIVE_ACCESS, BenchmarkJvm.NO_CHRONICLE_ANALYTICS, BenchmarkJvm.HEAP_MIN, BenchmarkJvm.HEAP_MAX})
public class FlowRecordBenchmark
{
    static final int FLOWS = 1024;
    static final int SLOTS = 4096;
    static final long T0_NS = 1_767_225_600_000_000_000L;

    /** A table of {@link #FLOWS} live flows and a recorder feeding one queue. */
    @State(Scope.Group)
    public static class Recording
    {
        FlowTable table;
        SpscEventQueue queue;
        FlowRecorder recorder;
        int slot;

        @Setup(Level.Trial)
        public void fill()
        {
            build();
        }

        final void build()
        {
            table = new FlowTable(FLOWS, FlowTimeouts.DEFAULT, FullTablePolicy.EVICT_OLDEST);
            queue = new SpscEventQueue(SLOTS);
            recorder = new FlowRecorder(table, queue, 0);
            final FlowKey key = new FlowKey();
            for (int f = 0; f < FLOWS; f++)
            {
                set(key, f);
                final int result = table.lookupOrCreate(key, T0_NS + f, 60 + f);
                recorder.onFlowCreated(result & FlowTable.SLOT_MASK, (result & FlowTable.REVERSE) != 0);
            }
        }
    }

    /**
     * Per-thread outcome counts, as rates: records the worker queued or dropped (its queue full), records the
     * writer drained and drain calls that found nothing. JMH sums the two threads' instances.
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Outcomes
    {
        public long queued;
        public long dropped;
        public long drained;
        public long emptyDrains;

        @Setup(Level.Iteration)
        public void reset()
        {
            queued = 0;
            dropped = 0;
            drained = 0;
            emptyDrains = 0;
        }
    }

    /** The writer's side of the hand-off: reads one word of each record, so the records are really fetched. */
    @State(Scope.Thread)
    public static class Reader
    {
        long checksum;
        final SpscEventQueue.RecordHandler handler = (records, at) -> checksum += records[at + 9];
    }

    @Benchmark
    @Group("handoff")
    @GroupThreads(1)
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public void recordFlowEnd(final Recording state, final Outcomes outcomes)
    {
        final long dropped = state.queue.dropped();
        state.recorder.onFlowRemoved(state.slot);
        state.slot = (state.slot + 1) & (FLOWS - 1);
        if (state.queue.dropped() == dropped)
        {
            outcomes.queued++;
        }
        else
        {
            outcomes.dropped++;
        }
    }

    @Benchmark
    @Group("handoff")
    @GroupThreads(1)
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public long drain(final Recording state, final Reader reader, final Outcomes outcomes)
    {
        final int n = state.queue.drain(reader.handler, 256);
        outcomes.drained += n;
        outcomes.emptyDrains += 0 == n ? 1 : 0;
        return reader.checksum;
    }

    /** Nobody drains: the queue fills in the first microseconds, and then every record is a counted drop. */
    @State(Scope.Thread)
    public static class Full extends Recording
    {
        @Override
        @Setup(Level.Trial)
        public void fill()
        {
            build();
        }
    }

    @Benchmark
    public long recordWhenFull(final Full state)
    {
        state.recorder.onFlowRemoved(state.slot);
        state.slot = (state.slot + 1) & (FLOWS - 1);
        return state.queue.dropped();
    }

    /** A full table that evicts a flow per new one, with or without a flow record per eviction. */
    @State(Scope.Thread)
    public static class Evicting
    {
        @Param({"false", "true"})
        public boolean recorder;

        final FlowKey key = new FlowKey();
        final SpscEventQueue.RecordHandler discard = (records, at) -> { };
        FlowTable table;
        SpscEventQueue queue;
        int next;
        long nowNs = T0_NS;

        @Setup(Level.Trial)
        public void fill()
        {
            table = new FlowTable(FLOWS, FlowTimeouts.DEFAULT, FullTablePolicy.EVICT_OLDEST);
            queue = new SpscEventQueue(SLOTS);
            if (recorder)
            {
                table.addRemovalListener(new FlowRecorder(table, queue, 0));
            }
            for (; next < FLOWS; next++)
            {
                set(key, next);
                table.lookupOrCreate(key, ++nowNs, 60);
            }
        }
    }

    @Benchmark
    public int insertEvicting(final Evicting state)
    {
        if (state.queue.size() == SLOTS)
        {
            state.queue.drain(state.discard, SLOTS);
        }
        set(state.key, state.next++);
        return state.table.lookupOrCreate(state.key, ++state.nowNs, 60);
    }

    /** One record, formatted over and over. */
    @State(Scope.Thread)
    public static class Formatting
    {
        final EveFormatter formatter = new EveFormatter(0, new TenantNames());
        long[] record;

        @Setup(Level.Trial)
        public void take()
        {
            final Recording recording = new Recording();
            recording.build();
            final SpscEventQueue queue = recording.queue;
            recording.recorder.onFlowRemoved(0);
            final long[][] copy = new long[1][];
            queue.drain((records, at) -> copy[0] = java.util.Arrays.copyOfRange(records, at, at + 32), 1);
            record = copy[0];
        }
    }

    @Benchmark
    public int formatLine(final Formatting state)
    {
        state.formatter.format(state.record, 0);
        return state.formatter.length();
    }

    /** TCP 10.x.y.z:(1024 + n) to 192.0.2.80:443, one flow per {@code n}. */
    static void set(final FlowKey key, final int n)
    {
        key.set(0, ParsedPackets.NO_VLAN, ParsedPackets.NO_VLAN, ParsedPackets.NO_TUNNEL, 4, FlowKeyKind.PORTS, 6, 0,
            0x0A00_0000L | (n >>> 6 & 0xFF_FFFF), 0, 0xC000_0250L, 1024 + (n & 63), 443);
    }
}
