package io.opensase.benchmarks.parse;

import io.opensase.benchmarks.support.BenchmarkJvm;
import io.opensase.benchmarks.support.PacketSet;
import io.opensase.benchmarks.support.SharedData;
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

import java.util.concurrent.TimeUnit;

/**
 * Nanoseconds per packet for {@link PacketParser} over the shared captures, preloaded off-heap and parsed in
 * bursts of 32 through {@link PacketMemory#ALL} at absolute addresses, as the parse stage reads mbufs.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 3, jvmArgsAppend = {
    BenchmarkJvm.NATIVE_ACCESS, BenchmarkJvm.NO_CHRONICLE_ANALYTICS, BenchmarkJvm.HEAP_MIN, BenchmarkJvm.HEAP_MAX})
public class ParserBenchmark
{
    public static final int BURST = 32;

    /** {@code mixed}: every capture under pcap/mixed; {@code all}: every capture under pcap/. */
    @Param({SharedData.MIXED, SharedData.ALL})
    public String captures;

    private final PacketParser parser = new PacketParser();
    private final ParsedPackets parsed = new ParsedPackets(BURST);
    private PacketSet packets;
    private int next;

    @Setup(Level.Trial)
    public void load()
    {
        packets = PacketSet.load(SharedData.captures(captures), link -> true);
        System.out.println("[parser] " + captures + ": " + packets.describe());
    }

    @TearDown(Level.Trial)
    public void close()
    {
        packets.close();
    }

    /** One burst: the next 32 packets of the set, wrapping round at its end. */
    @Benchmark
    @OperationsPerInvocation(BURST)
    public int parseBurst()
    {
        final PacketSet set = packets;
        final int count = set.count();
        int p = next;
        for (int i = 0; i < BURST; i++)
        {
            parser.parse(PacketMemory.ALL, set.address(p), set.captured(p), set.wire(p), set.link(p), parsed, i);
            if (++p == count)
            {
                p = 0;
            }
        }
        next = p;
        return parsed.protocols(BURST - 1);
    }
}
