package io.opensase.benchmarks.app;

import io.opensase.benchmarks.support.BenchmarkJvm;
import io.opensase.benchmarks.support.SharedData;
import io.opensase.classifiers.app.StreamDirection;
import io.opensase.classifiers.app.tls.TlsField;
import io.opensase.classifiers.app.tls.TlsHandshake;
import io.opensase.classifiers.app.tls.TlsListener;
import io.opensase.classifiers.app.tls.TlsParser;
import io.opensase.classifiers.capture.CaptureReader;
import io.opensase.classifiers.capture.Captures;
import io.opensase.classifiers.parse.LayerType;
import io.opensase.classifiers.parse.PacketMemory;
import io.opensase.classifiers.parse.PacketParser;
import io.opensase.classifiers.parse.ParsedPackets;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.TimeUnit;

/**
 * Nanoseconds to parse one ClientHello record with {@link TlsParser}: open a flow, feed the whole record (the
 * hello decoded in place, JA3 string built and hashed with MD5), close the flow. The record is the first
 * ClientHello of a shared capture, read with the project's capture reader and parser into native memory:
 * {@code alpn} is Safari's 517-byte hello of tls-alpn-log-detect-02, {@code chrome125} Chrome 125's 1,756-byte
 * hello with GREASE and an X25519Kyber768 key share. {@code clientHello} reads the SNI and the JA3 hash through
 * the view's segment accessors (one slice each, which escape analysis may remove: -prof gc tells),
 * {@code clientHelloOffsets} the same bytes through segment, offset and length (no object),
 * {@code clientHelloCounts} only plain ints. {@code ja3Md5Only} is the control: the MD5 of the same JA3
 * string through a {@link MessageDigest}, the part of the cost the fingerprint's definition imposes.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {BenchmarkJvm.NATIVE_ACCESS, BenchmarkJvm.NO_CHRONICLE_ANALYTICS})
public class TlsClientHelloBenchmark
{
    @Param({"alpn", "chrome125"})
    public String hello;

    private Arena arena;
    private TlsParser parser;
    private MemorySegment record;
    private long sink;
    private byte[] ja3;
    private MessageDigest md5;
    private final byte[] digest = new byte[16];

    private final TlsListener readSlices = new Listener()
    {
        @Override
        public void onClientHello(final int flow, final TlsHandshake h)
        {
            sink += h.sni().byteSize() + h.ja3Hash().get(ValueLayout.JAVA_BYTE, 31);
        }
    };

    private final TlsListener readOffsets = new Listener()
    {
        @Override
        public void onClientHello(final int flow, final TlsHandshake h)
        {
            sink += h.length(TlsField.SNI)
                + h.segment(TlsField.JA3_HASH).get(ValueLayout.JAVA_BYTE, h.offset(TlsField.JA3_HASH) + 31);
        }
    };

    private final TlsListener readCounts = new Listener()
    {
        @Override
        public void onClientHello(final int flow, final TlsHandshake h)
        {
            sink += h.alpnCount() + h.selectedVersion();
        }
    };

    private abstract static class Listener implements TlsListener
    {
        @Override
        public void onServerHello(final int flow, final TlsHandshake h)
        {
        }

        @Override
        public void onCertificate(final int flow, final TlsHandshake h)
        {
        }
    }

    @Setup(Level.Trial)
    public void load()
    {
        final String capture = switch (hello)
        {
            case "alpn" -> "ids-verify/tls-alpn-log-detect-02/input.pcap";
            case "chrome125" -> "pcap/tls/zeek-chrome-1250-tls-x25519-kyber.pcap";
            default -> throw new IllegalArgumentException("hello: alpn or chrome125");
        };
        arena = Arena.ofShared();
        record = firstClientHello(SharedData.root().resolve(capture).normalize(), arena);
        parser = new TlsParser(1, 1);
        final TlsListener keepJa3 = new Listener()
        {
            @Override
            public void onClientHello(final int flow, final TlsHandshake h)
            {
                ja3 = h.ja3String().toArray(ValueLayout.JAVA_BYTE);
            }
        };
        parse(keepJa3);
        try
        {
            md5 = MessageDigest.getInstance("MD5");
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    @TearDown(Level.Trial)
    public void close()
    {
        parser.close();
        arena.close();
    }

    @Benchmark
    public long clientHello()
    {
        return parse(readSlices);
    }

    @Benchmark
    public long clientHelloOffsets()
    {
        return parse(readOffsets);
    }

    @Benchmark
    public long clientHelloCounts()
    {
        return parse(readCounts);
    }

    @Benchmark
    public byte ja3Md5Only() throws DigestException
    {
        md5.update(ja3, 0, ja3.length);
        md5.digest(digest, 0, 16);
        return digest[15];
    }

    private long parse(final TlsListener listener)
    {
        final int flow = parser.open();
        parser.feed(flow, StreamDirection.TO_SERVER, record, 0, (int)record.byteSize(), listener);
        parser.close(flow);
        return sink;
    }

    /** The payload of the capture's first TCP segment that holds a whole ClientHello record. */
    private static MemorySegment firstClientHello(final Path file, final Arena arena)
    {
        final PacketParser packets = new PacketParser();
        final ParsedPackets parsed = new ParsedPackets(1);
        try (CaptureReader reader = Captures.open(file))
        {
            while (reader.next())
            {
                packets.parse(PacketMemory.ALL, reader.dataAddress(), reader.capturedLength(), reader.wireLength(),
                    reader.linkType(), parsed, 0);
                for (int layer = 0; layer < parsed.layerCount(0); layer++)
                {
                    if (LayerType.TCP != LayerType.of(parsed.layerType(0, layer)))
                    {
                        continue;
                    }
                    final long tcp = reader.dataAddress() + parsed.layerOffset(0, layer);
                    final long payload = tcp + 4L * (PacketMemory.u8(PacketMemory.ALL, tcp + 12) >>> 4);
                    final int length = (int)(reader.dataAddress() + reader.capturedLength() - payload);
                    if (length > 5 && 0x16 == PacketMemory.u8(PacketMemory.ALL, payload)
                        && 1 == PacketMemory.u8(PacketMemory.ALL, payload + 5)
                        && length == 5 + PacketMemory.u16(PacketMemory.ALL, payload + 3))
                    {
                        final MemorySegment copy = arena.allocate(length, 64);
                        MemorySegment.copy(PacketMemory.ALL, payload, copy, 0, length);
                        return copy;
                    }
                }
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        throw new IllegalStateException("no ClientHello record in one segment in " + file);
    }
}
