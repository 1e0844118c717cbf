package io.opensase.classifiers.frag;

import io.opensase.classifiers.testing.Frames;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.opensase.classifiers.frag.FragmentReassembler.CHUNK_BYTES;
import static io.opensase.classifiers.frag.FragmentReassembler.COMPLETE;
import static io.opensase.classifiers.frag.FragmentReassembler.DROPPED;
import static io.opensase.classifiers.frag.FragmentReassembler.HELD;
import static io.opensase.classifiers.frag.Fragments.UDP;
import static io.opensase.classifiers.frag.Fragments.ipv4;
import static io.opensase.classifiers.frag.Fragments.ipv6;
import static io.opensase.classifiers.frag.Fragments.pattern;
import static io.opensase.classifiers.frag.Fragments.slice;
import static io.opensase.classifiers.testing.Frames.concat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The checks a fragment must pass, and the limits: datagrams, memory, fragments per datagram, timeouts. Each
 * drop is counted under its own reason, and every fragment stays accounted for.
 */
class FragmentLimitsTest
{
    private static final long SECOND = 1_000_000_000L;

    private static ReassemblyConfig config()
    {
        return ReassemblyConfig.defaults();
    }

    private static void assertDropped(final Harness harness, final byte[] fragment, final FragmentDrop reason)
    {
        assertEquals(DROPPED, harness.offer(fragment), reason.name());
        assertEquals(reason, harness.reassembler.dropReason());
    }

    // -------------------------------------------------------------------------------------------------------
    // Fragments refused alone

    @Test
    void shouldRefuseUnalignedEmptyAndTruncatedFragmentsAlone()
    {
        try (Harness harness = new Harness(config()))
        {
            assertEquals(HELD, harness.offer(ipv4(1, UDP, 0, true, pattern(1, 16))));
            assertDropped(harness, ipv4(1, UDP, 16, true, pattern(2, 12)), FragmentDrop.UNALIGNED);
            assertDropped(harness, ipv6(1, UDP, 16, true, pattern(2, 20)), FragmentDrop.UNALIGNED);
            assertDropped(harness, ipv4(1, UDP, 16, true, new byte[0]), FragmentDrop.EMPTY);
            final byte[] cut = ipv4(1, UDP, 16, false, pattern(3, 40));
            assertDropped(harness, slice(cut, 0, cut.length - 1), FragmentDrop.TRUNCATED);
            final byte[] cut6 = ipv6(1, UDP, 16, false, pattern(3, 40));
            assertDropped(harness, slice(cut6, 0, cut6.length - 1), FragmentDrop.TRUNCATED);
            assertEquals(1, harness.reassembler.datagramsInProgress(), "the held datagram stays");
            assertEquals(COMPLETE, harness.offer(ipv4(1, UDP, 16, false, pattern(4, 4))));
            assertEquals(2, harness.reassembler.dropped(FragmentDrop.UNALIGNED));
            assertEquals(1, harness.reassembler.dropped(FragmentDrop.EMPTY));
            assertEquals(2, harness.reassembler.dropped(FragmentDrop.TRUNCATED));
            assertEquals(5, harness.reassembler.discarded());
            harness.checkAccounting();
        }
    }

    @Test
    void shouldRefuseFragmentsEndingPast65535BytesAndReassembleTheLargestDatagrams()
    {
        try (Harness harness = new Harness(config()))
        {
            // Ping of death: a last fragment at offset 65,512 with 100 bytes.
            assertDropped(harness, ipv4(2, UDP, 65_512, false, pattern(1, 100)), FragmentDrop.TOO_LONG);
            assertDropped(harness, ipv4(2, UDP, 65_512, false, pattern(1, 4)), FragmentDrop.TOO_LONG);
            assertDropped(harness, ipv6(2, UDP, 65_528, false, pattern(1, 8)), FragmentDrop.TOO_LONG);
            assertEquals(3, harness.reassembler.dropped(FragmentDrop.TOO_LONG));

            // IPv4: 20 + 65,515 = 65,535 bytes; IPv6: 40 + 65,535.
            final byte[] payload4 = pattern(7, 65_515);
            final List<byte[]> fragments4 = new ArrayList<>();
            for (int at = 0; at < payload4.length; at += 1480)
            {
                final int end = Math.min(payload4.length, at + 1480);
                fragments4.add(ipv4(3, UDP, at, end < payload4.length, slice(payload4, at, end)));
            }
            for (final byte[] fragment : fragments4.reversed())
            {
                harness.offer(fragment);
            }
            assertArrayEquals(ipv4(3, UDP, 0, false, payload4), harness.lastDatagram);

            final byte[] payload6 = pattern(8, 65_535);
            for (int at = 0; at < payload6.length; at += 1232)
            {
                final int end = Math.min(payload6.length, at + 1232);
                harness.offer(ipv6(3, UDP, at, end < payload6.length, slice(payload6, at, end)));
            }
            assertEquals(40 + 65_535, harness.lastDatagram.length);
            assertArrayEquals(payload6, slice(harness.lastDatagram, 40, 40 + 65_535));
            assertEquals(2, harness.reassembler.reassembled());
        }
    }

    @Test
    void shouldRefuseAFirstFragmentWhoseLongerHeaderMakesTheDatagramTooLong()
    {
        try (Harness harness = new Harness(config()))
        {
            assertEquals(HELD, harness.offer(ipv4(4, UDP, 65_512, false, pattern(1, 3))));
            // 60-byte header: 60 + 65,515 > 65,535.
            final byte[] first = ipv4(Fragments.SRC4, Fragments.DST4, 4, UDP, 0, true, new byte[40], pattern(2, 8));
            assertDropped(harness, first, FragmentDrop.TOO_LONG);
            assertEquals(1, harness.reassembler.datagramsInProgress());
        }
    }

    @Test
    void shouldRefuseIpv6FirstFragmentsWhoseUnfragmentableHeadersExceedAChunk()
    {
        try (Harness harness = new Harness(config()))
        {
            final byte[] hopByHop = Frames.ipv6Options(44, 255);
            final byte[] first = ipv6(Fragments.SRC6, Fragments.DST6, 5, UDP, 0, true, hopByHop, 0, pattern(1, 8));
            assertDropped(harness, first, FragmentDrop.HEADER_TOO_LONG);
            final byte[] fits = Frames.ipv6Options(44, 250);
            assertEquals(HELD, harness.offer(ipv6(Fragments.SRC6, Fragments.DST6, 5, UDP, 0, true, fits, 0,
                pattern(1, 8))));
        }
    }

    // -------------------------------------------------------------------------------------------------------
    // Fragments that drop their datagram

    @Test
    void shouldDropTheDatagramOnInconsistentEnds()
    {
        try (Harness harness = new Harness(config()))
        {
            // A second last fragment with another end.
            assertEquals(HELD, harness.offer(ipv4(6, UDP, 0, true, pattern(1, 8))));
            assertEquals(HELD, harness.offer(ipv4(6, UDP, 16, false, pattern(1, 8))));
            assertDropped(harness, ipv4(6, UDP, 16, false, pattern(1, 9)), FragmentDrop.INCONSISTENT_END);
            assertEquals(0, harness.reassembler.datagramsInProgress());

            // A fragment past the end the last fragment set.
            assertEquals(HELD, harness.offer(ipv6(6, UDP, 16, false, pattern(1, 8))));
            assertDropped(harness, ipv6(6, UDP, 16, true, pattern(1, 16)), FragmentDrop.INCONSISTENT_END);

            // A last fragment ending before bytes held.
            assertEquals(HELD, harness.offer(ipv4(7, UDP, 32, true, pattern(1, 16))));
            assertDropped(harness, ipv4(7, UDP, 8, false, pattern(1, 30)), FragmentDrop.INCONSISTENT_END);

            // The same end twice is a duplicate, not an inconsistency.
            assertEquals(HELD, harness.offer(ipv4(8, UDP, 16, false, pattern(1, 8))));
            assertEquals(HELD, harness.offer(ipv4(8, UDP, 16, false, pattern(1, 8))));
            assertEquals(3, harness.reassembler.dropped(FragmentDrop.INCONSISTENT_END));
            assertEquals(2 + 3 + 2, harness.reassembler.discarded(), "held fragments and the offending ones");
            harness.checkAccounting();
        }
    }

    @Test
    void shouldDropTheDatagramOneFragmentPastTheLimit()
    {
        try (Harness harness = new Harness(config().withMaxFragmentsPerDatagram(4)))
        {
            for (int f = 0; f < 4; f++)
            {
                assertEquals(HELD, harness.offer(ipv4(9, UDP, f * 8, true, pattern(f, 8))));
            }
            assertDropped(harness, ipv4(9, UDP, 32, false, pattern(4, 8)), FragmentDrop.FRAGMENT_LIMIT);
            assertEquals(5, harness.reassembler.discarded());
            // Duplicates count too: they cost work and memory just the same.
            assertEquals(HELD, harness.offer(ipv4(10, UDP, 0, true, pattern(0, 8))));
            assertEquals(HELD, harness.offer(ipv4(10, UDP, 0, true, pattern(0, 8))));
            assertEquals(HELD, harness.offer(ipv4(10, UDP, 0, true, pattern(0, 8))));
            assertEquals(COMPLETE, harness.offer(ipv4(10, UDP, 8, false, pattern(0, 8))));
            assertEquals(1, harness.reassembler.dropped(FragmentDrop.FRAGMENT_LIMIT));
            harness.checkAccounting();
        }
    }

    // -------------------------------------------------------------------------------------------------------
    // Limits

    @Test
    void shouldDropTheOldestDatagramForANewOneWhenDatagramsRunOut()
    {
        try (Harness harness = new Harness(config().withMaxDatagrams(2)))
        {
            assertEquals(HELD, harness.offer(ipv4(11, UDP, 0, true, pattern(1, 8)), 1));
            assertEquals(HELD, harness.offer(ipv4(12, UDP, 0, true, pattern(2, 8)), 2));
            assertEquals(HELD, harness.offer(ipv4(13, UDP, 0, true, pattern(3, 8)), 3));
            assertEquals(1, harness.reassembler.dropped(FragmentDrop.EVICTED));
            assertEquals(2, harness.reassembler.datagramsInProgress());
            assertEquals(COMPLETE, harness.offer(ipv4(12, UDP, 8, false, pattern(4, 8)), 4));
            assertEquals(COMPLETE, harness.offer(ipv4(13, UDP, 8, false, pattern(4, 8)), 5));
            // 11 was evicted: its last fragment starts a datagram of its own.
            assertEquals(HELD, harness.offer(ipv4(11, UDP, 8, false, pattern(4, 8)), 6));
            harness.checkAccounting();
        }
    }

    @Test
    void shouldRefuseNewDatagramsWhenDatagramsRunOutAndThePolicyRefuses()
    {
        try (Harness harness = new Harness(config().withMaxDatagrams(2).withWhenFull(LimitPolicy.REFUSE_NEW)))
        {
            assertEquals(HELD, harness.offer(ipv4(11, UDP, 0, true, pattern(1, 8)), 1));
            assertEquals(HELD, harness.offer(ipv4(12, UDP, 0, true, pattern(2, 8)), 2));
            assertDropped(harness, ipv4(13, UDP, 0, true, pattern(3, 8)), FragmentDrop.REFUSED_DATAGRAMS);
            assertEquals(COMPLETE, harness.offer(ipv4(11, UDP, 8, false, pattern(4, 8)), 4));
            assertEquals(HELD, harness.offer(ipv4(13, UDP, 0, true, pattern(3, 8)), 5), "room again");
            assertEquals(0, harness.reassembler.dropped(FragmentDrop.EVICTED));
            harness.checkAccounting();
        }
    }

    /** Fragments of 8 bytes, one in each of {@code chunks} payload chunks: one header and that many chunks. */
    private static void spread(final Harness harness, final int id, final int chunks, final long nowNs)
    {
        for (int c = 0; c < chunks; c++)
        {
            assertEquals(HELD, harness.offer(ipv4(id, UDP, c * CHUNK_BYTES, true, pattern(c, 8)), nowNs));
        }
    }

    @Test
    void shouldCountMemoryInChunksAndDropTheOldestWhenItRunsOut()
    {
        final ReassemblyConfig config = config().withMaxBytes(ReassemblyConfig.MIN_BYTES)
            .withMaxFragmentsPerDatagram(64);
        try (Harness harness = new Harness(config))
        {
            assertEquals(33L * CHUNK_BYTES, harness.reassembler.capacityBytes());
            assertEquals(HELD, harness.offer(ipv4(20, UDP, 0, true, pattern(0, 8)), 1));
            assertEquals(2L * CHUNK_BYTES, harness.reassembler.heldBytes(), "a header chunk and a payload chunk");
            spread(harness, 21, 19, 2);
            assertEquals(22L * CHUNK_BYTES, harness.reassembler.heldBytes());
            // 22 needs 12 chunks, 11 are free: the oldest (20) goes, 21 stays.
            spread(harness, 22, 11, 3);
            assertEquals(1, harness.reassembler.dropped(FragmentDrop.EVICTED));
            assertEquals(2, harness.reassembler.datagramsInProgress());
            assertEquals(32L * CHUNK_BYTES, harness.reassembler.heldBytes());
            // 22 needs 2 more chunks: 21, the oldest, goes; 22 is never dropped for itself.
            assertEquals(HELD, harness.offer(ipv4(22, UDP, 24 * CHUNK_BYTES, true, pattern(0, 8)), 4));
            assertEquals(HELD, harness.offer(ipv4(22, UDP, 25 * CHUNK_BYTES, true, pattern(0, 8)), 4));
            assertEquals(2, harness.reassembler.dropped(FragmentDrop.EVICTED));
            assertEquals(1, harness.reassembler.datagramsInProgress());
            harness.checkAccounting();
        }
    }

    @Test
    void shouldRefuseFragmentsWhenMemoryRunsOutAndThePolicyRefuses()
    {
        final ReassemblyConfig config = config().withMaxBytes(ReassemblyConfig.MIN_BYTES)
            .withWhenFull(LimitPolicy.REFUSE_NEW);
        try (Harness harness = new Harness(config))
        {
            spread(harness, 30, 30, 1);
            assertEquals(31L * CHUNK_BYTES, harness.reassembler.heldBytes());
            // A new datagram needs a header and a payload chunk: two are free, a third is not.
            assertEquals(HELD, harness.offer(ipv4(31, UDP, 0, true, pattern(0, 8)), 2));
            assertDropped(harness, ipv4(32, UDP, 0, true, pattern(0, 8)), FragmentDrop.REFUSED_BYTES);
            assertDropped(harness, ipv4(30, UDP, 31 * CHUNK_BYTES, true, pattern(0, 8)), FragmentDrop.REFUSED_BYTES);
            assertEquals(2, harness.reassembler.datagramsInProgress(), "the refused datagram is not kept empty");
            assertEquals(2, harness.reassembler.datagrams());
            // Bytes within a chunk already held still fit.
            assertEquals(HELD, harness.offer(ipv4(30, UDP, 8, true, pattern(0, 8)), 3));
            harness.checkAccounting();
        }
    }

    @Test
    void shouldDropTimedOutDatagramsBeforeEvictingAny()
    {
        final ReassemblyConfig config = config().withMaxDatagrams(2).withTimeoutNs(10 * SECOND);
        try (Harness harness = new Harness(config))
        {
            assertEquals(HELD, harness.offer(ipv4(40, UDP, 8, true, pattern(0, 8)), 0));
            assertEquals(HELD, harness.offer(ipv4(41, UDP, 0, true, pattern(0, 8)), 5 * SECOND));
            assertEquals(HELD, harness.offer(ipv4(42, UDP, 0, true, pattern(0, 8)), 11 * SECOND));
            assertEquals(1, harness.reassembler.dropped(FragmentDrop.TIMEOUT_NO_FIRST));
            assertEquals(0, harness.reassembler.dropped(FragmentDrop.EVICTED));
            harness.checkAccounting();
        }
    }

    @Test
    void shouldExpireDatagramsMissingAMiddleOrAFirstFragmentWithinTheBudget()
    {
        final ReassemblyConfig config = config().withTimeoutNs(30 * SECOND);
        try (Harness harness = new Harness(config))
        {
            // Missing middle.
            assertEquals(HELD, harness.offer(ipv4(50, UDP, 0, true, pattern(0, 8)), 0));
            assertEquals(HELD, harness.offer(ipv4(50, UDP, 16, false, pattern(0, 8)), SECOND));
            // Missing first.
            assertEquals(HELD, harness.offer(ipv6(51, UDP, 8, false, pattern(0, 8)), 2 * SECOND));
            assertEquals(HELD, harness.offer(ipv6(52, UDP, 8, false, pattern(0, 8)), 3 * SECOND));

            assertEquals(0, harness.reassembler.expire(30 * SECOND, 10), "30 s is not past the timeout yet");
            assertEquals(1, harness.reassembler.expire(31 * SECOND, 10));
            assertEquals(1, harness.reassembler.dropped(FragmentDrop.TIMEOUT_INCOMPLETE));
            assertEquals(1, harness.reassembler.expire(40 * SECOND, 1), "within the budget");
            assertEquals(1, harness.reassembler.dropped(FragmentDrop.TIMEOUT_NO_FIRST));
            assertEquals(1, harness.reassembler.datagramsInProgress());
            assertEquals(1, harness.reassembler.expire(40 * SECOND, 10));
            assertEquals(2, harness.reassembler.dropped(FragmentDrop.TIMEOUT_NO_FIRST));
            assertEquals(4, harness.reassembler.discarded());
            assertEquals(0, harness.reassembler.heldBytes());
            harness.checkAccounting();
        }
    }

    @Test
    void shouldStartAfreshWhenTheNextFragmentFindsItsDatagramTimedOut()
    {
        final ReassemblyConfig config = config().withTimeoutNs(30 * SECOND);
        try (Harness harness = new Harness(config))
        {
            assertEquals(HELD, harness.offer(ipv4(60, UDP, 0, true, pattern(0, 8)), 0));
            assertEquals(HELD, harness.offer(ipv4(60, UDP, 16, false, pattern(0, 8)), SECOND));
            // The middle comes too late: the datagram has timed out, and the middle alone cannot complete.
            assertEquals(HELD, harness.offer(ipv4(60, UDP, 8, true, pattern(0, 8)), 31 * SECOND));
            assertEquals(1, harness.reassembler.dropped(FragmentDrop.TIMEOUT_INCOMPLETE));
            assertEquals(1, harness.reassembler.datagramsInProgress());
            harness.checkAccounting();
        }
    }

    @Test
    void shouldRejectConfigurationsOutOfRange()
    {
        final ReassemblyConfig defaults = config();
        assertThrows(IllegalArgumentException.class, () -> defaults.withMaxDatagrams(0));
        assertThrows(IllegalArgumentException.class,
            () -> defaults.withMaxDatagrams(ReassemblyConfig.MAX_DATAGRAMS + 1));
        assertThrows(IllegalArgumentException.class, () -> defaults.withMaxBytes(ReassemblyConfig.MIN_BYTES - 1));
        assertThrows(IllegalArgumentException.class, () -> defaults.withMaxBytes(ReassemblyConfig.MAX_BYTES + 1));
        assertThrows(IllegalArgumentException.class, () -> defaults.withMaxFragmentsPerDatagram(0));
        assertThrows(IllegalArgumentException.class, () -> defaults.withMaxFragmentsPerDatagram(8193));
        assertThrows(IllegalArgumentException.class,
            () -> defaults.withMaxDatagrams(1 << 20).withMaxFragmentsPerDatagram(8192));
        assertThrows(IllegalArgumentException.class, () -> defaults.withTimeoutNs(0));
        assertThrows(NullPointerException.class, () -> defaults.withOverlap(null));
        assertEquals(4096, defaults.chunks());
        assertEquals(4096L * CHUNK_BYTES + 65_575, FragmentReassembler.offHeapBytes(defaults));
    }

    @Test
    void shouldKeepDropReasonIdsStable()
    {
        for (final FragmentDrop reason : FragmentDrop.values())
        {
            assertEquals(reason, FragmentDrop.of(reason.id()));
        }
        assertEquals(0, FragmentDrop.NONE.id());
    }
}
