package io.opensase.core.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The writer thread on its own: rotation at the size limit, and a disk that fails writes. */
class EventWriterTest
{
    private static final long T0_NS = 1_767_225_600_000_000_000L;
    private static final long MAX_FILE_BYTES = 4096;

    @TempDir
    Path temp;

    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void shouldRotateAtTheSizeLimitAndKeepMaxFiles() throws Exception
    {
        final EventWriter writer = new EventWriter(new EventsConfig(temp, MAX_FILE_BYTES, 3, 64), 1,
            new TenantNames(), 0);
        writer.start();
        final int events = 200;
        for (int i = 1; i <= events; i++)
        {
            offer(writer.queue(0), i);
        }
        assertTrue(writer.close(TimeUnit.SECONDS.toNanos(10)));

        assertFalse(Files.exists(temp.resolve("eve.json.3")), "max_files 3: eve.json, eve.json.1, eve.json.2");
        final List<Long> ids = new ArrayList<>();
        for (final String name : new String[] {"eve.json.2", "eve.json.1", "eve.json"})
        {
            final Path file = temp.resolve(name);
            final byte[] bytes = Files.readAllBytes(file);
            assertTrue(bytes.length <= MAX_FILE_BYTES, name + ": " + bytes.length + " bytes");
            assertEquals('\n', bytes[bytes.length - 1], name + " ends with a whole line");
            for (final String line : Files.readAllLines(file, StandardCharsets.UTF_8))
            {
                ids.add(mapper.readTree(line).get("flow_id").asLong());
            }
        }
        for (int i = 0; i < ids.size(); i++)
        {
            assertEquals(events - ids.size() + 1 + i, ids.get(i), "the newest lines, oldest first");
        }
        final EventStats stats = writer.stats();
        assertEquals(events, stats.written());
        assertEquals(0, stats.lost() + stats.writeErrors() + stats.droppedTotal());
        // Where the rule (a line that would pass the limit starts a new file) puts the lines, by their lengths.
        final List<Long> sizes = new ArrayList<>(List.of(0L));
        final SpscEventQueue lines = new SpscEventQueue(2);
        final EveFormatter formatter = new EveFormatter(0, new TenantNames());
        for (int i = 1; i <= events; i++)
        {
            offer(lines, i);
            lines.drain((records, at) -> formatter.format(records, at), 1);
            if (sizes.getLast() > 0 && sizes.getLast() + formatter.length() > MAX_FILE_BYTES)
            {
                sizes.add(0L);
            }
            sizes.set(sizes.size() - 1, sizes.getLast() + formatter.length());
        }
        assertEquals(sizes.size() - 1, stats.rotations());
        assertEquals(sizes.subList(sizes.size() - 3, sizes.size()), List.of(Files.size(temp.resolve("eve.json.2")),
            Files.size(temp.resolve("eve.json.1")), Files.size(temp.resolve("eve.json"))));
    }

    @Test
    void shouldCountFailedWritesAndWriteAgainOnceTheDiskTakesThem() throws Exception
    {
        final Path file = temp.resolve(EventWriter.FILE_NAME);
        Files.createSymbolicLink(file, Path.of("/dev/full"));
        // Large enough that no rotation moves the full "disk" aside.
        final EventWriter writer = new EventWriter(new EventsConfig(temp, 1 << 20, 3, 64), 1,
            new TenantNames(), 0);
        writer.start();
        for (int i = 1; i <= 50; i++)
        {
            offer(writer.queue(0), i);
        }
        waitFor(() -> writer.stats().lost() == 50, writer);
        assertEquals(0, writer.stats().written());
        assertTrue(writer.stats().writeErrors() >= 1);

        Files.delete(file);
        Thread.sleep(1100);
        for (int i = 51; i <= 60; i++)
        {
            offer(writer.queue(0), i);
        }
        assertTrue(writer.close(TimeUnit.SECONDS.toNanos(10)));

        assertEquals(10, writer.stats().written());
        assertEquals(50, writer.stats().lost());
        final List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertEquals(10, lines.size());
        assertEquals(51, mapper.readTree(lines.getFirst()).get("flow_id").asLong());
    }

    /** A UDP flow record with flow id {@code id}, offered once the queue has room. */
    private static void offer(final SpscEventQueue queue, final long id) throws InterruptedException
    {
        while (queue.size() == queue.slots())
        {
            Thread.sleep(1);
        }
        final int at = queue.claim();
        final long[] r = queue.records();
        java.util.Arrays.fill(r, at, at + EventLayout.WORDS, 0);
        r[at + EventLayout.HEADER] = EventLayout.header(EventLayout.TYPE_FLOW, EventLayout.REASON_TIMEOUT,
            EventLayout.STATE_ESTABLISHED, false, 0);
        r[at + EventLayout.TIME_NS] = T0_NS + id * 1000;
        r[at + EventLayout.START_NS] = T0_NS;
        r[at + EventLayout.KEY] = 17L << 16;
        r[at + EventLayout.KEY + 2] = 5353L << 16 | 53;
        r[at + EventLayout.KEY + 4] = 0x0A00_0001L;
        r[at + EventLayout.KEY + 6] = 0xC000_0235L;
        r[at + EventLayout.FLOW_ID] = id;
        r[at + EventLayout.PACKETS] = 1;
        r[at + EventLayout.PACKETS + 1] = 1;
        r[at + EventLayout.BYTES] = 80;
        r[at + EventLayout.BYTES + 1] = 200;
        queue.publish();
    }

    private static void waitFor(final BooleanSupplier condition, final EventWriter writer) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean())
        {
            assertTrue(System.nanoTime() < deadline, "timed out: " + writer.stats());
            Thread.sleep(5);
        }
    }
}
