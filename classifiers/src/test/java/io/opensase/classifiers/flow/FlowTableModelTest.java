package io.opensase.classifiers.flow;

import io.opensase.classifiers.testing.Frames;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import static io.opensase.classifiers.testing.FlowPackets.echo4;
import static io.opensase.classifiers.testing.FlowPackets.esp4;
import static io.opensase.classifiers.testing.FlowPackets.key;
import static io.opensase.classifiers.testing.FlowPackets.tcp4;
import static io.opensase.classifiers.testing.FlowPackets.tcp6;
import static io.opensase.classifiers.testing.FlowPackets.udp4;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The flow table against a plain reference model (a map and one insertion-ordered list per timeout class)
 * over many seeded random lookups and expiries, with tables small enough that flows keep being removed by
 * expiry and eviction, which exercises the index's backward-shift deletion, including runs that wrap.
 */
class FlowTableModelTest
{
    private static final long[] TIMEOUTS = {400, 150, 60, 250};
    private static final FlowTimeouts FLOW_TIMEOUTS = new FlowTimeouts(TIMEOUTS[0], TIMEOUTS[1], TIMEOUTS[2],
        TIMEOUTS[3]);
    private static final int OPERATIONS = 25_000;
    private static final int FLOWS = 700;

    /** One flow of the universe: its packets in both directions, and what the model knows of it up front. */
    private record Flow(int id, int flowClass, byte[] forward, byte[] backward, boolean forwardIsReverse)
    {
    }

    /** The model's view of one tracked flow. */
    private static final class Entry
    {
        final Flow flow;
        final long createdNs;
        final int slot;
        long lastSeenNs;
        final long[] packets = new long[2];
        final long[] bytes = new long[2];

        Entry(final Flow flow, final long createdNs, final int slot)
        {
            this.flow = flow;
            this.createdNs = createdNs;
            this.slot = slot;
            this.lastSeenNs = createdNs;
        }
    }

    static Stream<Arguments> tables()
    {
        final List<Arguments> tables = new ArrayList<>();
        for (final FullTablePolicy policy : FullTablePolicy.values())
        {
            for (final int capacity : new int[] {1, 3, 16, 128, 500})
            {
                tables.add(Arguments.of(policy, capacity));
            }
        }
        return tables.stream();
    }

    @ParameterizedTest(name = "{0} capacity {1}")
    @MethodSource("tables")
    void shouldBehaveLikeTheReferenceModel(final FullTablePolicy policy, final int capacity)
    {
        final Random random = new Random(capacity * 31L + policy.ordinal());
        final List<Flow> flows = universe(random);
        final List<FlowKey[]> keys = new ArrayList<>();
        for (final Flow flow : flows)
        {
            keys.add(new FlowKey[] {key(flow.forward(), flow.id() % 3), key(flow.backward(), flow.id() % 3)});
        }
        final FlowTable table = new FlowTable(capacity, FLOW_TIMEOUTS, policy);
        final Model model = new Model(capacity, policy);
        // A working set that drifts through the universe, so that flows come back after expiry or eviction.
        long nowNs = 0;
        for (int op = 0; op < OPERATIONS; op++)
        {
            nowNs += random.nextInt(4);
            if (random.nextInt(20) == 0)
            {
                final int budget = random.nextInt(6);
                assertEquals(model.expire(nowNs, budget), table.expire(nowNs, budget), "expire at op " + op);
            }
            else
            {
                final int centre = (int)((long)op * FLOWS / OPERATIONS);
                final Flow flow = flows.get(Math.floorMod(centre + (int)(random.nextGaussian() * capacity), FLOWS));
                final boolean backward = random.nextBoolean();
                final byte[] packet = backward ? flow.backward() : flow.forward();
                final int actual = table.lookupOrCreate(keys.get(flow.id())[backward ? 1 : 0], nowNs, packet.length);
                model.lookup(flow, backward, nowNs, packet.length, actual, op);
            }
            assertEquals(model.created, table.created(), "created at op " + op);
            assertEquals(model.expired, table.expired(), "expired at op " + op);
            assertEquals(model.evicted, table.evicted(), "evicted at op " + op);
            assertEquals(model.refused, table.refused(), "refused at op " + op);
            assertEquals(model.size(), table.active(), "active at op " + op);
            if (op % 500 == 0)
            {
                model.checkEveryEntry(table);
            }
        }
        System.out.println(policy + " " + capacity + ": created " + model.created + " expired " + model.expired
            + " evicted " + model.evicted + " refused " + model.refused);
        assertTrue(model.expired + model.evicted > 10L * capacity, "flows were removed again and again");
    }

    /**
     * TCP, UDP, ICMP echo and ESP flows, some IPv6, some between one address and itself (ordered by port),
     * every one distinct. Whether the forward packet is the reverse direction is worked out here from the
     * addresses and ports, as the key's contract states: the lower endpoint is stored first.
     */
    private static List<Flow> universe(final Random random)
    {
        final List<Flow> flows = new ArrayList<>();
        for (int id = 0; id < FLOWS; id++)
        {
            final String client = "10.1." + (id >>> 8) + "." + (id & 0xFF);
            final String server = random.nextBoolean() ? "10.0.0.1" : "10.200.0.1";
            final int clientPort = 1024 + id;
            final boolean reverse = compare(client, clientPort, server, 80) > 0;
            switch (id % 6)
            {
                case 0, 1 -> flows.add(new Flow(id, 0, tcp4(client, clientPort, server, 80),
                    tcp4(server, 80, client, clientPort), reverse));
                case 2 -> flows.add(new Flow(id, 1, udp4(client, clientPort, server, 53),
                    udp4(server, 53, client, clientPort), compare(client, clientPort, server, 53) > 0));
                case 3 -> flows.add(new Flow(id, 2, echo4(client, server, id, true), echo4(server, client, id, false),
                    compare(client, id, server, id) > 0));
                case 4 ->
                {
                    final String v6 = "2001:db8::" + Integer.toHexString(id);
                    flows.add(new Flow(id, 0, tcp6(v6, 443, "2001:db8::100", clientPort),
                        tcp6("2001:db8::100", clientPort, v6, 443), compare(v6, 443, "2001:db8::100", clientPort) > 0));
                }
                default ->
                {
                    if (id % 12 == 5)
                    {
                        flows.add(new Flow(id, 3, esp4(client, server), esp4(server, client),
                            compare(client, 0, server, 0) > 0));
                    }
                    else
                    {
                        // One host talking to itself: the lower port is the first endpoint.
                        flows.add(new Flow(id, 1, udp4(client, 5000 + id, client, 53),
                            udp4(client, 53, client, 5000 + id), compare(client, 5000 + id, client, 53) > 0));
                    }
                }
            }
        }
        return flows;
    }

    /** Endpoint order: address as an unsigned number, then port. */
    private static int compare(final String addressA, final int portA, final String addressB, final int portB)
    {
        final int byAddress = new BigInteger(1, Frames.ip(addressA))
            .compareTo(new BigInteger(1, Frames.ip(addressB)));
        return 0 != byAddress ? byAddress : Integer.compare(portA, portB);
    }

    /** What the table should do, written the plain way. */
    private static final class Model
    {
        private final int capacity;
        private final FullTablePolicy policy;
        private final Map<Integer, Entry> byFlow = new HashMap<>();
        private final Map<Integer, Entry> bySlot = new HashMap<>();
        /** Per timeout class, flows from least to most recently seen. */
        private final List<LinkedHashMap<Integer, Entry>> lists = new ArrayList<>();
        long created;
        long expired;
        long evicted;
        long refused;

        Model(final int capacity, final FullTablePolicy policy)
        {
            this.capacity = capacity;
            this.policy = policy;
            for (int c = 0; c < TIMEOUTS.length; c++)
            {
                lists.add(new LinkedHashMap<>());
            }
        }

        int size()
        {
            return byFlow.size();
        }

        void lookup(final Flow flow, final boolean backward, final long nowNs, final int length, final int actual,
            final int op)
        {
            final boolean reverse = flow.forwardIsReverse() != backward;
            Entry entry = byFlow.get(flow.id());
            if (null != entry && nowNs - entry.lastSeenNs > TIMEOUTS[flow.flowClass()])
            {
                remove(entry);
                expired++;
                entry = null;
            }
            if (null == entry)
            {
                if (byFlow.size() == capacity && 0 == expire(nowNs, 8))
                {
                    if (FullTablePolicy.REFUSE == policy)
                    {
                        refused++;
                        assertEquals(FlowTable.REFUSED, actual, "op " + op);
                        return;
                    }
                    remove(oldest());
                    evicted++;
                }
                assertEquals(FlowTable.NEW | (reverse ? FlowTable.REVERSE : 0), actual & ~FlowTable.SLOT_MASK,
                    "op " + op + " flow " + flow.id());
                final int slot = actual & FlowTable.SLOT_MASK;
                assertTrue(slot < capacity && !bySlot.containsKey(slot), "op " + op + ": slot " + slot + " is taken");
                entry = new Entry(flow, nowNs, slot);
                byFlow.put(flow.id(), entry);
                bySlot.put(slot, entry);
                created++;
            }
            else
            {
                assertEquals(entry.slot | (reverse ? FlowTable.REVERSE : 0), actual, "op " + op + " flow " + flow.id());
                lists.get(flow.flowClass()).remove(flow.id());
                entry.lastSeenNs = nowNs;
            }
            lists.get(flow.flowClass()).put(flow.id(), entry);
            entry.packets[reverse ? 1 : 0]++;
            entry.bytes[reverse ? 1 : 0] += length;
        }

        /** Class by class, the least recently seen flows idle past their timeout, up to the budget. */
        int expire(final long nowNs, final int budget)
        {
            int removed = 0;
            for (int c = 0; c < TIMEOUTS.length; c++)
            {
                final Iterator<Entry> oldestFirst = lists.get(c).values().iterator();
                final List<Entry> idle = new ArrayList<>();
                while (removed + idle.size() < budget && oldestFirst.hasNext())
                {
                    final Entry entry = oldestFirst.next();
                    if (nowNs - entry.lastSeenNs <= TIMEOUTS[c])
                    {
                        break;
                    }
                    idle.add(entry);
                }
                idle.forEach(this::remove);
                removed += idle.size();
                expired += idle.size();
            }
            return removed;
        }

        /** The least recently seen flow of all; on a tie, the one of the first timeout class. */
        private Entry oldest()
        {
            Entry oldest = null;
            for (final LinkedHashMap<Integer, Entry> list : lists)
            {
                if (!list.isEmpty())
                {
                    final Entry head = list.values().iterator().next();
                    if (null == oldest || head.lastSeenNs < oldest.lastSeenNs)
                    {
                        oldest = head;
                    }
                }
            }
            return oldest;
        }

        private void remove(final Entry entry)
        {
            byFlow.remove(entry.flow.id());
            bySlot.remove(entry.slot);
            lists.get(entry.flow.flowClass()).remove(entry.flow.id());
        }

        void checkEveryEntry(final FlowTable table)
        {
            for (final Entry entry : byFlow.values())
            {
                final String what = "flow " + entry.flow.id() + " in slot " + entry.slot;
                assertEquals(entry.lastSeenNs, table.lastSeenNs(entry.slot), what);
                assertEquals(entry.createdNs, table.createdNs(entry.slot), what);
                for (int direction = 0; direction < 2; direction++)
                {
                    if (entry.packets[direction] != table.packets(entry.slot, direction)
                        || entry.bytes[direction] != table.bytes(entry.slot, direction))
                    {
                        fail(what + " direction " + direction + ": model " + entry.packets[direction] + " packets "
                            + entry.bytes[direction] + " bytes, table " + table.packets(entry.slot, direction) + "/"
                            + table.bytes(entry.slot, direction));
                    }
                }
            }
        }
    }
}
