package io.opensase.classifiers.app.tls;

import io.opensase.classifiers.app.Streams;
import io.opensase.classifiers.testing.SharedData;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Once warm, parsing whole handshakes (hellos in place, certificates gathered from segments, JA3, JA3S, the
 * certificate's names and SHA-1) from native memory allocates nothing on the heap, also with the listener
 * reading fields through segment, offset and length.
 */
class TlsNoAllocationTest
{
    @Test
    void shouldNotAllocateOnceWarm()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final List<Streams.Chunk> chunks =
            Streams.follow(SharedData.resolve("ids-verify/tls-alpn-log-detect-02/input.pcap"), 0);
        final int[] seen = new int[1];
        final TlsListener listener = new TlsListener()
        {
            @Override
            public void onClientHello(final int flow, final TlsHandshake h)
            {
                seen[0] += h.alpnCount() + h.sslStateBits() + firstByte(h, TlsField.JA3_HASH) * 0
                    + h.length(TlsField.SNI) * 0 + h.alpnLength(0) * 0;
            }

            @Override
            public void onServerHello(final int flow, final TlsHandshake h)
            {
                seen[0] += h.alpnCount();
            }

            @Override
            public void onCertificate(final int flow, final TlsHandshake h)
            {
                seen[0] += h.sanCount() + firstByte(h, TlsField.CERT_SUBJECT) * 0 + h.sanLength(0) * 0;
            }
        };
        try (Arena arena = Arena.ofConfined(); TlsParser parser = new TlsParser(16, 4))
        {
            final int n = chunks.size();
            final long[] at = new long[n];
            final int[] length = new int[n];
            final int[] direction = new int[n];
            long total = 0;
            for (final Streams.Chunk chunk : chunks)
            {
                total += chunk.bytes().length;
            }
            final MemorySegment memory = arena.allocate(total);
            long offset = 0;
            for (int c = 0; c < n; c++)
            {
                final byte[] bytes = chunks.get(c).bytes();
                MemorySegment.copy(MemorySegment.ofArray(bytes), 0, memory, offset, bytes.length);
                at[c] = offset;
                length[c] = bytes.length;
                direction[c] = chunks.get(c).direction();
                offset += bytes.length;
            }

            run(parser, memory, at, length, direction, listener, 20_000);
            final long before = threads.getCurrentThreadAllocatedBytes();
            run(parser, memory, at, length, direction, listener, 1_000);
            final long allocated = threads.getCurrentThreadAllocatedBytes() - before;

            assertEquals(21_000L * (2 + 1 + 1 + 16), seen[0], "every handshake decoded");
            assertEquals(21_000, parser.counters().get(TlsCounter.CERTIFICATES));
            assertEquals(0, allocated, "bytes allocated over 1,000 handshakes");
        }
    }

    private static int firstByte(final TlsHandshake h, final TlsField field)
    {
        return h.segment(field).get(java.lang.foreign.ValueLayout.JAVA_BYTE, h.offset(field));
    }

    private static void run(
        final TlsParser parser,
        final MemorySegment memory,
        final long[] at,
        final int[] length,
        final int[] direction,
        final TlsListener listener,
        final int rounds)
    {
        for (int r = 0; r < rounds; r++)
        {
            final int flow = parser.open();
            for (int c = 0; c < at.length; c++)
            {
                parser.feed(flow, direction[c], memory, at[c], length[c], listener);
            }
            parser.close(flow);
        }
    }
}
