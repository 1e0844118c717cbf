package io.opensase.classifiers.frag;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static io.opensase.classifiers.frag.FragmentReassembler.COMPLETE;
import static io.opensase.classifiers.frag.FragmentReassembler.DROPPED;
import static io.opensase.classifiers.frag.FragmentReassembler.HELD;
import static io.opensase.classifiers.frag.Fragments.UDP;
import static io.opensase.classifiers.frag.Fragments.ascii;
import static io.opensase.classifiers.frag.Fragments.ipv4;
import static io.opensase.classifiers.frag.Fragments.ipv6;
import static io.opensase.classifiers.frag.Fragments.repeat;
import static io.opensase.classifiers.frag.Fragments.slice;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Overlapping fragments under each {@link OverlapPolicy}: a pattern whose results were worked out by hand, and
 * random overlapping fragment sets checked against a byte-by-byte model written for this test (every byte
 * remembers when and from which fragment start it was written), which shares nothing with the reassembler's
 * piece lists.
 */
class OverlapPolicyTest
{
    private static final int ID = 0x0B0B;

    /**
     * Five fragments of a 48-byte payload, received in this order:
     * <pre>
     *   offset  0         8         16        24        32        40      48
     *   1       AAAAAAAA  AAAAAAAA                                            MF
     *   3                                               CCCCCCCC  CCCCCCCC    last
     *   2                 BBBBBBBB  BBBBBBBB                                  MF
     *   5       EEEEEEEE                                                      MF
     *   4                           DDDDDDDD  DDDDDDDD  DDDDDDDD              MF, fills the gap at 24
     * </pre>
     */
    private static List<byte[]> pattern(final boolean v6)
    {
        final List<byte[]> fragments = new ArrayList<>();
        fragments.add(fragment(v6, 0, true, repeat('A', 16)));
        fragments.add(fragment(v6, 32, false, repeat('C', 16)));
        fragments.add(fragment(v6, 8, true, repeat('B', 16)));
        fragments.add(fragment(v6, 0, true, repeat('E', 8)));
        fragments.add(fragment(v6, 16, true, repeat('D', 24)));
        return fragments;
    }

    private static byte[] fragment(final boolean v6, final int offset, final boolean more, final byte[] payload)
    {
        return v6 ? ipv6(ID, UDP, offset, more, payload) : ipv4(ID, UDP, offset, more, payload);
    }

    private static String expected(final OverlapPolicy policy)
    {
        return switch (policy)
        {
            // Earliest received byte wins: A over E and B, B over D, C over D.
            case FIRST -> "AAAAAAAAAAAAAAAABBBBBBBBDDDDDDDDCCCCCCCCCCCCCCCC";
            // Latest received byte wins: E over A, B over A, D over B and C.
            case LAST -> "EEEEEEEEBBBBBBBBDDDDDDDDDDDDDDDDDDDDDDDDCCCCCCCC";
            // Lowest start wins, then the earliest: A (0, first) over E (0) and B (8); B (8) over D (16);
            // D (16) over C (32).
            case BSD -> "AAAAAAAAAAAAAAAABBBBBBBBDDDDDDDDDDDDDDDDCCCCCCCC";
            case DROP -> null;
        };
    }

    @ParameterizedTest
    @EnumSource(OverlapPolicy.class)
    void shouldResolveTheHandWorkedPatternAsEachPolicySaysForIpv4AndIpv6(final OverlapPolicy policy)
    {
        for (final boolean v6 : new boolean[] {false, true})
        {
            try (Harness harness = new Harness(policy))
            {
                final List<byte[]> fragments = pattern(v6);
                final int[] statuses = new int[fragments.size()];
                for (int f = 0; f < fragments.size(); f++)
                {
                    statuses[f] = harness.offer(fragments.get(f));
                }
                final int header = v6 ? 40 : 20;
                if (OverlapPolicy.DROP == policy)
                {
                    // B conflicts with A: the datagram goes; E and D start another, which cannot complete.
                    assertArrayEquals(new int[] {HELD, HELD, DROPPED, HELD, HELD}, statuses);
                    assertEquals(1, harness.reassembler.dropped(FragmentDrop.OVERLAP));
                    assertEquals(3, harness.reassembler.discarded());
                    assertEquals(1, harness.reassembler.datagramsInProgress());
                    assertNull(harness.lastDatagram);
                }
                else
                {
                    assertArrayEquals(new int[] {HELD, HELD, HELD, HELD, COMPLETE}, statuses);
                    assertEquals(expected(policy), new String(slice(harness.lastDatagram, header, header + 48),
                        StandardCharsets.US_ASCII), policy + (v6 ? " IPv6" : " IPv4"));
                    // B over A, E over A, D over B and C: three fragments overlap with other bytes.
                    assertEquals(3, harness.reassembler.conflicts());
                }
                harness.checkAccounting();
            }
        }
    }

    @Test
    void shouldDropOnConflictOnlyWhenBytesDifferUnderDrop()
    {
        try (Harness harness = new Harness(OverlapPolicy.DROP))
        {
            // Different boundaries, same bytes: accepted.
            assertEquals(HELD, harness.offer(ipv4(ID, UDP, 0, true, ascii("0123456789abcdef"))));
            assertEquals(HELD, harness.offer(ipv4(ID, UDP, 8, true, ascii("89abcdefGHIJKLMN"))));
            assertEquals(COMPLETE, harness.offer(ipv4(ID, UDP, 16, false, ascii("GHIJKLMNopq"))));
            assertEquals("0123456789abcdefGHIJKLMNopq", new String(slice(harness.lastDatagram, 20, 47),
                StandardCharsets.US_ASCII));
            assertEquals(2, harness.reassembler.overlaps());
            assertEquals(0, harness.reassembler.conflicts());
        }
    }

    // -------------------------------------------------------------------------------------------------------
    // Random overlapping fragment sets against a byte model

    @Test
    void shouldMatchTheByteModelOnRandomOverlappingFragmentsUnderEveryPolicy()
    {
        final Random random = new Random(0xF7A6L);
        int completed = 0;
        int dropped = 0;
        for (int round = 0; round < 1500; round++)
        {
            final List<RandomFragments.Piece> pieces = RandomFragments.overlapping(random);
            for (final OverlapPolicy policy : OverlapPolicy.values())
            {
                final Model model = new Model(policy);
                try (Harness harness = new Harness(ReassemblyConfig.defaults().withMaxDatagrams(4)
                    .withMaxBytes(ReassemblyConfig.MIN_BYTES).withOverlap(policy)))
                {
                    final boolean v6 = random.nextBoolean();
                    for (int f = 0; f < pieces.size(); f++)
                    {
                        final RandomFragments.Piece piece = pieces.get(f);
                        final int expected = model.offer(piece);
                        final int status = harness.offer(fragment(v6, piece.offset(), piece.more(), piece.bytes()));
                        assertEquals(expected, status, "round " + round + " " + policy + " fragment " + f + " of "
                            + pieces);
                        if (COMPLETE == status)
                        {
                            final int header = v6 ? 40 : 20;
                            assertArrayEquals(model.datagram(), slice(harness.lastDatagram, header,
                                harness.lastDatagram.length), "round " + round + " " + policy);
                            completed++;
                            break;
                        }
                        if (DROPPED == status)
                        {
                            assertEquals(FragmentDrop.OVERLAP, harness.reassembler.dropReason());
                            dropped++;
                            break;
                        }
                    }
                    harness.checkAccounting();
                }
            }
        }
        // Every round completes under the three resolving policies; under DROP it completes or is dropped.
        System.out.println("overlap model: " + completed + " datagrams compared, " + dropped + " dropped under DROP");
        assertEquals(1500 * 4, completed + dropped);
    }

    /** The policies written per byte, as the policies' own definitions read. */
    private static final class Model
    {
        private final OverlapPolicy policy;
        private final byte[] value = new byte[65_536];
        private final int[] start = new int[65_536];
        private final boolean[] set = new boolean[65_536];
        private int end = -1;
        private boolean firstSeen;

        Model(final OverlapPolicy policy)
        {
            this.policy = policy;
        }

        int offer(final RandomFragments.Piece piece)
        {
            if (OverlapPolicy.DROP == policy)
            {
                for (int b = piece.offset(); b < piece.end(); b++)
                {
                    if (set[b] && value[b] != piece.bytes()[b - piece.offset()])
                    {
                        return DROPPED;
                    }
                }
            }
            for (int b = piece.offset(); b < piece.end(); b++)
            {
                final boolean write = !set[b] || switch (policy)
                {
                    case FIRST, DROP -> false;
                    case LAST -> true;
                    case BSD -> piece.offset() < start[b];
                };
                if (write)
                {
                    value[b] = piece.bytes()[b - piece.offset()];
                    start[b] = piece.offset();
                    set[b] = true;
                }
            }
            firstSeen |= 0 == piece.offset();
            if (!piece.more())
            {
                end = piece.end();
            }
            if (end < 0 || !firstSeen)
            {
                return HELD;
            }
            for (int b = 0; b < end; b++)
            {
                if (!set[b])
                {
                    return HELD;
                }
            }
            return COMPLETE;
        }

        byte[] datagram()
        {
            return Arrays.copyOf(value, end);
        }
    }
}
