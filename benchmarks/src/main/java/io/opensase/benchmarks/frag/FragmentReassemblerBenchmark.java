package io.opensase.benchmarks.frag;

import io.opensase.benchmarks.support.BenchmarkJvm;
import io.opensase.classifiers.frag.FragmentReassembler;
import io.opensase.classifiers.frag.OverlapPolicy;
import io.opensase.classifiers.frag.ReassemblyConfig;
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

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.TimeUnit;

/**
 * Nanoseconds per {@link FragmentReassembler#offer}: a packet that is no fragment (the cost every packet pays),
 * and the fragments of one IPv4 or IPv6 UDP datagram offered in order, the last completing it (the completed
 * datagram copied to the scratch buffer is part of the figure), per fragment. Packets are parsed once in setup
 * and read through {@link PacketMemory#ALL}, as the packet path reads them.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {BenchmarkJvm.NATIVE_ACCESS, BenchmarkJvm.NO_CHRONICLE_ANALYTICS})
public class FragmentReassemblerBenchmark
{
    public static final int FRAGMENTS = 8;
    private static final int SLOT = 2048;

    /** Fragment payload: 1,480 bytes (IPv4 on a 1,500-byte MTU) or 1,232 (IPv6 at its minimum MTU). */
    @Param({"4", "6"})
    public int version;

    private Arena arena;
    private FragmentReassembler reassembler;
    private final ParsedPackets fragments = new ParsedPackets(FRAGMENTS);
    private final ParsedPackets plain = new ParsedPackets(1);
    private final long[] addresses = new long[FRAGMENTS];
    private final int[] lengths = new int[FRAGMENTS];
    private long plainAddress;
    private int plainLength;
    private long nowNs;

    @Setup(Level.Trial)
    public void build()
    {
        arena = Arena.ofShared();
        reassembler = new FragmentReassembler(ReassemblyConfig.defaults().withOverlap(OverlapPolicy.BSD));
        final MemorySegment memory = arena.allocate((FRAGMENTS + 1L) * SLOT, 64);
        final PacketParser parser = new PacketParser();
        final int size = 4 == version ? 1480 : 1232;
        for (int f = 0; f < FRAGMENTS; f++)
        {
            final byte[] packet = fragment(f * size, f < FRAGMENTS - 1, size);
            MemorySegment.copy(packet, 0, memory, ValueLayout.JAVA_BYTE, (long)f * SLOT, packet.length);
            addresses[f] = memory.address() + (long)f * SLOT;
            lengths[f] = packet.length;
            parser.parse(PacketMemory.ALL, addresses[f], lengths[f], lengths[f], LinkType.RAW, fragments, f);
        }
        final byte[] packet = fragment(0, false, 1000);
        MemorySegment.copy(packet, 0, memory, ValueLayout.JAVA_BYTE, (long)FRAGMENTS * SLOT, packet.length);
        plainAddress = memory.address() + (long)FRAGMENTS * SLOT;
        plainLength = packet.length;
        parser.parse(PacketMemory.ALL, plainAddress, plainLength, plainLength, LinkType.RAW, plain, 0);
    }

    /** A UDP fragment of datagram id 7 (IPv4) or an unfragmented packet when offset is 0 and more is false. */
    private byte[] fragment(final int offset, final boolean more, final int size)
    {
        final boolean whole = 0 == offset && !more;
        final int header = 4 == version ? 20 : whole ? 40 : 48;
        final byte[] packet = new byte[header + size];
        for (int b = header; b < packet.length; b++)
        {
            packet[b] = (byte)b;
        }
        if (4 == version)
        {
            packet[0] = 0x45;
            packet[2] = (byte)(packet.length >>> 8);
            packet[3] = (byte)packet.length;
            packet[5] = 7;
            final int flags = (more ? 0x2000 : 0) | offset / 8;
            packet[6] = (byte)(flags >>> 8);
            packet[7] = (byte)flags;
            packet[8] = 64;
            packet[9] = 17;
            packet[12] = 10;
            packet[15] = 1;
            packet[16] = 10;
            packet[19] = 2;
        }
        else
        {
            packet[0] = 0x60;
            packet[4] = (byte)((packet.length - 40) >>> 8);
            packet[5] = (byte)(packet.length - 40);
            packet[6] = (byte)(whole ? 17 : 44);
            packet[7] = 64;
            packet[8] = 0x20;
            packet[23] = 1;
            packet[24] = 0x20;
            packet[39] = 2;
            if (!whole)
            {
                packet[40] = 17;
                final int offsetFlags = offset | (more ? 1 : 0);
                packet[42] = (byte)(offsetFlags >>> 8);
                packet[43] = (byte)offsetFlags;
                packet[47] = 7;
            }
        }
        if (0 == offset)
        {
            // A UDP header with the datagram's length.
            final int udpLength = (more ? FRAGMENTS * size : size);
            packet[header + 4] = (byte)(udpLength >>> 8);
            packet[header + 5] = (byte)udpLength;
        }
        return packet;
    }

    @TearDown(Level.Trial)
    public void close()
    {
        if (reassembler.discarded() != 0 || reassembler.datagramsInProgress() != 0)
        {
            throw new IllegalStateException("discarded " + reassembler.discarded() + ", in progress "
                + reassembler.datagramsInProgress());
        }
        reassembler.close();
        arena.close();
    }

    /** A packet that carries no fragment: the gate every packet passes. */
    @Benchmark
    public int notFragment()
    {
        return reassembler.offer(plain, 0, PacketMemory.ALL, plainAddress, plainLength, 0, ++nowNs);
    }

    /** One datagram, fragment by fragment, per invocation: nanoseconds per fragment. */
    @Benchmark
    @OperationsPerInvocation(FRAGMENTS)
    public int reassemble()
    {
        int statuses = 0;
        for (int f = 0; f < FRAGMENTS; f++)
        {
            statuses += reassembler.offer(fragments, f, PacketMemory.ALL, addresses[f], lengths[f], 0, ++nowNs);
        }
        if (FRAGMENTS - 1 + FragmentReassembler.COMPLETE != statuses)
        {
            throw new IllegalStateException("datagram not completed: " + statuses);
        }
        return reassembler.datagramLength();
    }
}
