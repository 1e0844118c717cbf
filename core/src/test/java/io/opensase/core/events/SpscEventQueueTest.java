package io.opensase.core.events;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SpscEventQueueTest
{
    @Test
    void shouldHandRecordsOverInOrderAndDropWhenFull()
    {
        final SpscEventQueue queue = new SpscEventQueue(4);
        for (int i = 0; i < 6; i++)
        {
            final int at = queue.claim();
            if (SpscEventQueue.FULL != at)
            {
                queue.records()[at + EventLayout.FLOW_ID] = 100 + i;
                queue.records()[at + EventLayout.WORDS - 1] = -i;
                queue.publish();
            }
        }

        assertEquals(4, queue.published());
        assertEquals(2, queue.dropped());
        assertEquals(4, queue.size());
        final long[] seen = new long[4];
        final int[] count = {0};
        assertEquals(3, queue.drain((records, at) ->
        {
            assertEquals(-(records[at + EventLayout.FLOW_ID] - 100), records[at + EventLayout.WORDS - 1]);
            seen[count[0]++] = records[at + EventLayout.FLOW_ID];
        }, 3));
        assertEquals(1, queue.drain((records, at) -> seen[count[0]++] = records[at + EventLayout.FLOW_ID], 10));
        assertEquals("[100, 101, 102, 103]", java.util.Arrays.toString(seen));
        assertTrue(SpscEventQueue.FULL != queue.claim(), "room again once drained");
    }

    @Test
    void shouldReturnTheSameRecordUntilPublished()
    {
        final SpscEventQueue queue = new SpscEventQueue(2);
        final int at = queue.claim();

        assertEquals(at, queue.claim());
        queue.publish();
        assertEquals(at + EventLayout.WORDS, queue.claim());
    }

    /** The end of a run's claim: waits for a slow consumer rather than drop, and drops only past its deadline. */
    @Test
    void shouldWaitForRoomUntilTheDeadline() throws Exception
    {
        final SpscEventQueue queue = new SpscEventQueue(4);
        final long[] drained = {0};
        final Thread consumer = new Thread(() ->
        {
            while (drained[0] < 40)
            {
                drained[0] += queue.drain((records, at) -> { }, 1);
                java.util.concurrent.locks.LockSupport.parkNanos(200_000);
            }
        });
        consumer.start();
        for (int i = 0; i < 40; i++)
        {
            assertTrue(SpscEventQueue.FULL != queue.claim(System.nanoTime() + TimeUnit.SECONDS.toNanos(10)));
            queue.publish();
        }
        consumer.join(TimeUnit.SECONDS.toMillis(10));
        assertEquals(40, queue.published());
        assertEquals(0, queue.dropped());

        for (int i = 0; i < 4; i++)
        {
            queue.claim();
            queue.publish();
        }
        final long started = System.nanoTime();
        assertEquals(SpscEventQueue.FULL, queue.claim(started + TimeUnit.MILLISECONDS.toNanos(20)));
        assertTrue(System.nanoTime() - started >= TimeUnit.MILLISECONDS.toNanos(20), "waited to the deadline");
        assertEquals(1, queue.dropped());
    }

    @Test
    void shouldRefuseSizesThatAreNotPowersOfTwo()
    {
        assertThrows(IllegalArgumentException.class, () -> new SpscEventQueue(3));
        assertThrows(IllegalArgumentException.class, () -> new SpscEventQueue(1));
    }

    @Test
    void shouldPassEveryPublishedRecordWholeBetweenThreads() throws Exception
    {
        final SpscEventQueue queue = new SpscEventQueue(64);
        final long events = 2_000_000;
        final AtomicLong received = new AtomicLong();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final Thread consumer = new Thread(() -> consume(queue, events, received, failure));
        consumer.start();
        for (long s = 0; s < events; s++)
        {
            final int at = queue.claim();
            if (SpscEventQueue.FULL != at)
            {
                final long[] records = queue.records();
                for (int w = 0; w < EventLayout.WORDS; w++)
                {
                    records[at + w] = s * 31 + w;
                }
                records[at + EventLayout.FLOW_ID] = s;
                queue.publish();
            }
        }
        consumer.join(TimeUnit.SECONDS.toMillis(60));

        assertTrue(!consumer.isAlive());
        assertNull(failure.get());
        assertEquals(events, received.get() + queue.dropped());
        assertEquals(queue.published(), received.get());
        assertTrue(queue.dropped() > 0 && received.get() > 0, "both outcomes seen");
    }

    /** Checks that each record arrives whole and in order, until every event is received or dropped. */
    private static void consume(final SpscEventQueue queue, final long events, final AtomicLong received,
        final AtomicReference<Throwable> failure)
    {
        final long[] last = {-1};
        try
        {
            while (received.get() + queue.dropped() < events || queue.size() > 0)
            {
                queue.drain((records, at) ->
                {
                    final long sequence = records[at + EventLayout.FLOW_ID];
                    for (int w = 0; w < EventLayout.WORDS; w++)
                    {
                        if (EventLayout.FLOW_ID != w && records[at + w] != sequence * 31 + w)
                        {
                            throw new AssertionError("record " + sequence + " torn at word " + w);
                        }
                    }
                    if (sequence <= last[0])
                    {
                        throw new AssertionError("record " + sequence + " after " + last[0]);
                    }
                    last[0] = sequence;
                    received.incrementAndGet();
                }, 32);
            }
        }
        catch (final Throwable ex)
        {
            failure.set(ex);
        }
    }
}
