package io.opensase.core.events;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The IPS and audit event queue: records come out whole and in order, and each refused record is counted. */
class EveRecordQueueTest
{
    @Test
    void shouldRefuseAndCountEachRecordPastItsRoomThenTakeMoreOnceDrained()
    {
        final EveRecordQueue queue = new EveRecordQueue(4096);
        final EveRecord record = new EveRecord(EveRecord.MIN_CAPACITY, 1024);
        // A 100-byte record takes 8 bytes of header and is aligned to 8 in the ring: 112 of its 4,096 bytes.
        // The text token: tag, name (length byte and "text"), 4-byte length; "n": tag, name, 8 bytes.
        final String text = "x".repeat(100 - (1 + 5 + 4) - (1 + 2 + 8));
        int accepted = 0;
        for (int i = 0; i < 50; i++)
        {
            record.begin().field("text", text).field("n", i).end();
            assertEquals(100, record.length());
            accepted += queue.offer(record) ? 1 : 0;
        }

        assertEquals(4096 / 112, accepted);
        assertEquals(accepted, queue.published());
        assertEquals(50 - accepted, queue.dropped());

        final EveRenderer renderer = new EveRenderer();
        final List<String> lines = new ArrayList<>();
        final byte[] copy = new byte[200];
        assertEquals(accepted, queue.drain((type, buffer, index, length) ->
        {
            buffer.getBytes(index, copy, 0, length);
            renderer.render(copy, 0, length);
            lines.add(renderer.text());
        }, 100));
        assertEquals("{\"text\":\"" + text + "\",\"n\":0}", lines.getFirst());
        assertEquals("{\"text\":\"" + text + "\",\"n\":" + (accepted - 1) + "}", lines.getLast());

        record.begin().field("n", 99).end();
        assertTrue(queue.offer(record));
        assertEquals(50 - accepted, queue.dropped());
    }

    @Test
    void shouldWaitForRoomOnceToldUntilTheDeadline() throws Exception
    {
        final EveRecordQueue queue = new EveRecordQueue(4096);
        final EveRecord record = new EveRecord(EveRecord.MIN_CAPACITY, 1024);
        record.begin().field("text", "x".repeat(89)).end();
        while (queue.offer(record))
        {
            // fill it
        }
        final long dropped = queue.dropped();

        // No consumer: the offer waits until the deadline, then drops as before.
        final long start = System.nanoTime();
        queue.waitForRoomUntil(start + 50_000_000L);
        assertFalse(queue.offer(record));
        assertTrue(System.nanoTime() - start >= 50_000_000L);
        assertEquals(dropped + 1, queue.dropped());

        // A consumer frees room while the offer waits: it is taken.
        queue.waitForRoomUntil(System.nanoTime() + 10_000_000_000L);
        final Thread consumer = new Thread(() ->
        {
            java.util.concurrent.locks.LockSupport.parkNanos(20_000_000L);
            queue.drain((type, buffer, index, length) -> { }, 100);
        });
        consumer.start();
        assertTrue(queue.offer(record));
        consumer.join();
        assertEquals(dropped + 1, queue.dropped());
    }

    @Test
    void shouldDropARecordLongerThanTheQueueTakes()
    {
        final EveRecordQueue queue = new EveRecordQueue(4096);
        final EveRecord record = new EveRecord(EveRecord.MIN_CAPACITY, 4096);
        record.begin().field("text", "y".repeat(queue.maxRecordBytes())).end();

        assertFalse(queue.offer(record));
        assertEquals(1, queue.dropped());
        assertEquals(0, queue.published());
    }
}
