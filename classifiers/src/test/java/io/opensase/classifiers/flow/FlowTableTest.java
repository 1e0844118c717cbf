package io.opensase.classifiers.flow;

import io.opensase.classifiers.parse.LinkType;
import io.opensase.classifiers.parse.PacketParser;
import io.opensase.classifiers.parse.ParsedPackets;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.opensase.classifiers.testing.FlowPackets.echo4;
import static io.opensase.classifiers.testing.FlowPackets.esp4;
import static io.opensase.classifiers.testing.FlowPackets.inVxlan;
import static io.opensase.classifiers.testing.FlowPackets.key;
import static io.opensase.classifiers.testing.FlowPackets.tagged;
import static io.opensase.classifiers.testing.FlowPackets.tcp4;
import static io.opensase.classifiers.testing.FlowPackets.tcp6;
import static io.opensase.classifiers.testing.FlowPackets.udp4;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The flow table's contract, one behaviour at a time, with flows keyed from hand-built packets through the
 * parser and {@link FlowKey}. Times are packet times in nanoseconds.
 */
class FlowTableTest
{
    private static final String A = "10.0.0.1";
    private static final String B = "10.0.0.2";
    private static final FlowTimeouts LONG = new FlowTimeouts(1_000_000, 1_000_000, 1_000_000, 1_000_000);
    private static final FlowTimeouts SHORT = new FlowTimeouts(1000, 500, 200, 700);

    @Test
    void shouldMapBothDirectionsToOneSlotAndFlagTheReverseOne()
    {
        final FlowTable table = new FlowTable(16, LONG, FullTablePolicy.REFUSE);
        final byte[] forward = tcp4(A, 40000, B, 80);
        final byte[] backward = tcp4(B, 80, A, 40000);

        final int first = lookup(table, forward, 10);
        final int reply = lookup(table, backward, 20);
        final int again = lookup(table, forward, 30);

        // 10.0.0.1 sorts before 10.0.0.2: the client is the first stored endpoint.
        assertEquals(FlowTable.NEW, first & (FlowTable.NEW | FlowTable.REVERSE));
        assertEquals(FlowTable.REVERSE, reply & (FlowTable.NEW | FlowTable.REVERSE));
        assertEquals(0, again & (FlowTable.NEW | FlowTable.REVERSE));
        final int slot = first & FlowTable.SLOT_MASK;
        assertEquals(slot, reply & FlowTable.SLOT_MASK);
        assertEquals(slot, again & FlowTable.SLOT_MASK);
        assertEquals(2, table.packets(slot, 0));
        assertEquals(1, table.packets(slot, 1));
        assertEquals(2L * forward.length, table.bytes(slot, 0));
        assertEquals(backward.length, table.bytes(slot, 1));
        assertEquals(10, table.createdNs(slot));
        assertEquals(30, table.lastSeenNs(slot));
        assertEquals(1, table.created());
        assertEquals(1, table.active());
    }

    @Test
    void shouldOrderEndpointsByPortWhenTheAddressesAreEqual()
    {
        final FlowTable table = new FlowTable(16, LONG, FullTablePolicy.REFUSE);

        final int high = lookup(table, udp4(A, 5000, A, 53), 1);
        final int low = lookup(table, udp4(A, 53, A, 5000), 2);

        assertEquals(FlowTable.NEW | FlowTable.REVERSE, high & (FlowTable.NEW | FlowTable.REVERSE));
        assertEquals(0, low & (FlowTable.NEW | FlowTable.REVERSE));
        assertEquals(high & FlowTable.SLOT_MASK, low & FlowTable.SLOT_MASK);
    }

    @Test
    void shouldMatchIpv6AndIcmpEchoRepliesToTheirRequests()
    {
        final FlowTable table = new FlowTable(16, LONG, FullTablePolicy.REFUSE);

        final int v6 = lookup(table, tcp6("2001:db8::9", 443, "2001:db8::1", 50000), 1);
        final int v6Reply = lookup(table, tcp6("2001:db8::1", 50000, "2001:db8::9", 443), 2);
        final int request = lookup(table, echo4(A, B, 77, true), 3);
        final int reply = lookup(table, echo4(B, A, 77, false), 4);
        final int otherId = lookup(table, echo4(A, B, 78, true), 5);

        assertEquals(FlowTable.NEW | FlowTable.REVERSE, v6 & ~FlowTable.SLOT_MASK);
        assertEquals(v6 & FlowTable.SLOT_MASK, v6Reply);
        assertEquals(FlowTable.NEW, request & ~FlowTable.SLOT_MASK);
        assertEquals((request & FlowTable.SLOT_MASK) | FlowTable.REVERSE, reply);
        assertEquals(FlowTable.NEW, otherId & ~FlowTable.SLOT_MASK);
        assertEquals(3, table.active());
    }

    @Test
    void shouldSeparateOtherwiseEqualFlowsByTenantVlanAndTunnel()
    {
        final FlowTable table = new FlowTable(64, LONG, FullTablePolicy.REFUSE);
        final byte[] plain = tcp4(A, 40000, B, 80);
        final List<FlowKey> keys = List.of(
            key(plain, 0), key(plain, 1), key(plain, 0x7FFF_FFFF),
            key(tagged(plain, 10), 0), key(tagged(plain, 20), 0), key(tagged(plain, 10, 30), 0),
            key(tagged(plain, 10, 31), 0), key(inVxlan(plain, 1), 0), key(inVxlan(plain, 2), 0),
            key(tagged(inVxlan(plain, 1), 10), 0));

        final Set<Integer> slots = new HashSet<>();
        long now = 1;
        for (final FlowKey key : keys)
        {
            final int result = table.lookupOrCreate(key, now++, 60);
            assertEquals(FlowTable.NEW, result & FlowTable.NEW, "key " + (now - 1));
            slots.add(result & FlowTable.SLOT_MASK);
        }
        for (final FlowKey key : keys)
        {
            assertEquals(0, table.lookupOrCreate(key, now++, 60) & FlowTable.NEW, "same key, same flow");
        }

        assertEquals(keys.size(), slots.size());
        assertEquals(keys.size(), table.created());
        assertEquals(keys.size(), table.active());
    }

    @Test
    void shouldExpireIdleFlowsLazilyPerProtocolTimeout()
    {
        final FlowTable table = new FlowTable(16, SHORT, FullTablePolicy.REFUSE);
        final byte[] tcp = tcp4(A, 40000, B, 80);
        final byte[] udp = udp4(A, 40000, B, 53);
        final byte[] icmp = echo4(A, B, 1, true);
        final byte[] other = esp4(A, B);
        for (final byte[] packet : List.of(tcp, udp, icmp, other))
        {
            lookup(table, packet, 0);
        }

        // Idle exactly the timeout is still alive; one nanosecond more is expired, found anew on lookup.
        assertEquals(0, lookup(table, icmp, 200) & FlowTable.NEW);
        assertEquals(FlowTable.NEW, lookup(table, icmp, 401) & FlowTable.NEW);
        assertEquals(0, lookup(table, udp, 500) & FlowTable.NEW);
        assertEquals(0, lookup(table, tcp, 1000) & FlowTable.NEW);
        assertEquals(FlowTable.NEW, lookup(table, udp, 1001) & FlowTable.NEW);
        assertEquals(FlowTable.NEW, lookup(table, other, 1001) & FlowTable.NEW);
        assertEquals(FlowTable.NEW, lookup(table, tcp, 2001) & FlowTable.NEW);

        assertEquals(8, table.created());
        assertEquals(4, table.expired());
        assertEquals(4, table.active());
    }

    @Test
    void shouldExpireIdleFlowsInBudgetsOnPacketTime()
    {
        final FlowTable table = new FlowTable(16, SHORT, FullTablePolicy.REFUSE);
        lookup(table, tcp4(A, 40000, B, 80), 0);
        lookup(table, echo4(A, B, 1, true), 0);
        lookup(table, esp4(A, B), 0);
        for (int port = 1; port <= 5; port++)
        {
            lookup(table, udp4(A, port, B, 53), 0);
        }

        assertEquals(0, table.expire(200, 100));
        assertEquals(1, table.expire(201, 100), "the ICMP flow");
        lookup(table, udp4(A, 6, B, 53), 400);
        assertEquals(2, table.expire(501, 2), "two of five idle UDP flows, as budgeted");
        assertEquals(2, table.expire(501, 2));
        assertEquals(1, table.expire(501, 2), "the last idle UDP flow; the one seen at 400 stays");
        assertEquals(0, table.expire(700, 100));
        assertEquals(2, table.expire(901, 100), "the ESP flow and the UDP flow seen at 400");
        assertEquals(1, table.expire(1001, 100), "the TCP flow");

        assertEquals(0, table.active());
        assertEquals(9, table.expired());
        assertEquals(9, table.created());
    }

    @Test
    void shouldEvictTheFlowSeenLeastRecentlyAcrossProtocols()
    {
        final FlowTable table = new FlowTable(4, LONG, FullTablePolicy.EVICT_OLDEST);
        final byte[] tcpOne = tcp4(A, 1, B, 80);
        final byte[] udpTwo = udp4(A, 2, B, 53);
        final byte[] tcpThree = tcp4(A, 3, B, 80);
        final byte[] icmpFour = echo4(A, B, 4, true);
        final byte[] udpFive = udp4(A, 5, B, 53);
        lookup(table, tcpOne, 1);
        final int udpTwoSlot = lookup(table, udpTwo, 2) & FlowTable.SLOT_MASK;
        lookup(table, tcpThree, 3);
        lookup(table, icmpFour, 4);
        lookup(table, tcpOne, 5);

        final int five = lookup(table, udpFive, 6);

        assertEquals(FlowTable.NEW, five & FlowTable.NEW);
        assertEquals(udpTwoSlot, five & FlowTable.SLOT_MASK, "the slot of the evicted flow is reused");
        assertEquals(1, table.evicted());
        assertEquals(4, table.active());
        // Flow 2 is gone: it comes back as new, evicting the next least recently seen, flow 3.
        assertEquals(FlowTable.NEW, lookup(table, udpTwo, 7) & FlowTable.NEW);
        assertEquals(2, table.evicted());
        assertEquals(0, lookup(table, tcpOne, 8) & FlowTable.NEW);
        assertEquals(0, lookup(table, icmpFour, 9) & FlowTable.NEW);
        assertEquals(0, lookup(table, udpFive, 10) & FlowTable.NEW);
        assertEquals(0, table.expired());
        assertEquals(6, table.created());
    }

    @Test
    void shouldExpireRatherThanEvictWhenAFlowHasTimedOut()
    {
        final FlowTable table = new FlowTable(2, SHORT, FullTablePolicy.EVICT_OLDEST);
        lookup(table, tcp4(A, 1, B, 80), 0);
        lookup(table, echo4(A, B, 2, true), 100);

        final int third = lookup(table, udp4(A, 3, B, 53), 301);

        assertEquals(FlowTable.NEW, third & FlowTable.NEW);
        assertEquals(1, table.expired(), "the ICMP flow had timed out");
        assertEquals(0, table.evicted());
        assertEquals(0, lookup(table, tcp4(A, 1, B, 80), 302) & FlowTable.NEW);
    }

    @Test
    void shouldRefuseNewFlowsWhenFullUnderTheRefusePolicy()
    {
        final FlowTable table = new FlowTable(2, SHORT, FullTablePolicy.REFUSE);
        lookup(table, tcp4(A, 1, B, 80), 0);
        lookup(table, echo4(A, B, 2, true), 100);

        assertEquals(FlowTable.REFUSED, lookup(table, udp4(A, 3, B, 53), 200));
        assertEquals(FlowTable.REFUSED, lookup(table, udp4(A, 4, B, 53), 250));
        assertEquals(2, table.refused());
        assertEquals(2, table.active());
        assertEquals(0, lookup(table, tcp4(B, 80, A, 1), 260) & FlowTable.NEW, "existing flows are still found");
        // Once the ICMP flow has timed out, a new flow takes its place.
        assertEquals(FlowTable.NEW, lookup(table, udp4(A, 3, B, 53), 301) & FlowTable.NEW);
        assertEquals(1, table.expired());
        assertEquals(0, table.evicted());
        assertEquals(3, table.created());
    }

    @Test
    void shouldKeepAMillionResidentFlowsAndFindThemAllAgain()
    {
        final int flows = 1_000_000;
        final FlowTable table = new FlowTable(flows, LONG, FullTablePolicy.EVICT_OLDEST);
        final MillionFlows keys = new MillionFlows();
        final int[] slots = new int[flows];

        for (int f = 0; f < flows; f++)
        {
            final int result = table.lookupOrCreate(keys.key(f), 1, 64);
            if ((result & FlowTable.NEW) == 0)
            {
                fail("flow " + f + " was not new: " + result);
            }
            slots[f] = result & FlowTable.SLOT_MASK;
        }
        for (int f = 0; f < flows; f++)
        {
            final int result = table.lookupOrCreate(keys.key(f), 2, 64);
            if (result != slots[f])
            {
                fail("flow " + f + " in slot " + slots[f] + " found as " + result);
            }
        }

        assertEquals(flows, table.active());
        assertEquals(flows, table.created());
        assertEquals(0, table.evicted() + table.expired() + table.refused());
        assertEquals(flows, Arrays.stream(slots).distinct().count());
        final int next = table.lookupOrCreate(keys.key(flows), 3, 64);
        assertEquals(FlowTable.NEW | slots[0], next & ~FlowTable.REVERSE, "the first flow, seen longest ago, goes");
        assertEquals(1, table.evicted());
    }

    /**
     * {@link FlowTable#MAX_CAPACITY} is accepted by the constructor; a capacity above what the table's arrays
     * can hold must be refused as an argument error, not fail inside the allocation.
     */
    @Test
    void shouldRefuseACapacityWhoseEntriesCannotFitInOneArray()
    {
        assertTrue((long)FlowTable.MAX_CAPACITY * 16 <= Integer.MAX_VALUE - 16, "16 longs per slot in one array");
        assertThrows(IllegalArgumentException.class,
            () -> new FlowTable(FlowTable.MAX_CAPACITY + 1, LONG, FullTablePolicy.REFUSE));
        assertThrows(IllegalArgumentException.class, () -> new FlowTable(1 << 28, LONG, FullTablePolicy.REFUSE));
        assertThrows(IllegalArgumentException.class, () -> new FlowTable(0, LONG, FullTablePolicy.REFUSE));
    }

    private static int lookup(final FlowTable table, final byte[] packet, final long nowNs)
    {
        return table.lookupOrCreate(key(packet, 0), nowNs, packet.length);
    }

    /** A million and one distinct UDP flows, keyed by rewriting one packet's source address and port. */
    private static final class MillionFlows
    {
        private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
        private static final ValueLayout.OfShort U16 =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

        private final PacketParser parser = new PacketParser();
        private final ParsedPackets parsed = new ParsedPackets(1);
        private final FlowKey key = new FlowKey();
        private final MemorySegment packet;

        MillionFlows()
        {
            final byte[] template = udp4("10.0.0.0", 0, "192.0.2.1", 53);
            packet = Arena.ofAuto().allocate(template.length, 1);
            MemorySegment.copy(template, 0, packet, ValueLayout.JAVA_BYTE, 0, template.length);
        }

        /** Flow {@code f}: source address 10.0.0.0 + f / 16 (bytes 26-29), source port 1024 + f % 16 (34-35). */
        FlowKey key(final int f)
        {
            packet.set(U32, 26, 0x0A00_0000 | (f >>> 4));
            packet.set(U16, 34, (short)(1024 + (f & 15)));
            parser.parse(packet, 0, (int)packet.byteSize(), (int)packet.byteSize(), LinkType.ETHERNET, parsed, 0);
            if (!key.set(parsed, 0, 0))
            {
                throw new AssertionError("no key for flow " + f);
            }
            return key;
        }
    }
}
