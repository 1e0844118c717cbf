package io.opensase.core.metrics;

import io.opensase.core.cli.MainAccess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The stats file: values written are read back by name, an update is never seen half-written while a writer
 * races a reader, a file made anew is noticed, and anything that is not a whole stats file of this version
 * is refused with a message naming the file (exit status 2 from {@code opensase stats}).
 */
class StatsFileTest
{
    private static final List<StatsCounter> COUNTERS = List.of(new StatsCounter("port.packets_in", false),
        new StatsCounter("flows.active", true), new StatsCounter("drops.ring_full", false));

    @TempDir
    Path temp;

    @Test
    void shouldReadBackWhatWasWritten() throws IOException
    {
        final Path file = temp.resolve("engine.stats");
        try (StatsFileWriter writer = StatsFileWriter.create(file, COUNTERS, 100);
            StatsFileReader reader = StatsFileReader.open(file))
        {
            final StatsSnapshot before = reader.read();
            assertEquals(StatsFile.STATE_STARTING, before.state());
            assertEquals(0, before.updatedNs());
            assertEquals(0, before.value("port.packets_in"));

            writer.publish(new long[] {123_456_789_012L, 7, 1}, StatsFile.STATE_RUNNING);
            final StatsSnapshot after = reader.read();
            assertEquals(COUNTERS, after.counters());
            assertEquals(123_456_789_012L, after.value("port.packets_in"));
            assertEquals(7, after.value("flows.active"));
            assertEquals(1, after.value(2));
            assertEquals(StatsFile.STATE_RUNNING, after.state());
            assertEquals(ProcessHandle.current().pid(), after.pid());
            assertEquals(100, reader.intervalMs());
            assertEquals(2, after.sequence());
            assertTrue(after.updatedNs() > 0);
            assertThrows(IllegalArgumentException.class, () -> after.value("no.such"));
        }
        assertFalse(Files.list(temp).anyMatch(p -> p.getFileName().toString().endsWith(".tmp")),
            "the temporary file took the final name");
    }

    @Test
    void shouldNeverShowAnUpdateHalfWritten() throws Exception
    {
        final Path file = temp.resolve("race.stats");
        final List<StatsCounter> many = new ArrayList<>();
        for (int i = 0; i < 2048; i++)
        {
            many.add(new StatsCounter("c." + i, false));
        }
        try (StatsFileWriter writer = StatsFileWriter.create(file, many, 1);
            StatsFileReader reader = StatsFileReader.open(file))
        {
            final AtomicBoolean stop = new AtomicBoolean();
            final Thread racer = new Thread(() ->
            {
                final long[] values = new long[many.size()];
                for (long update = 1; !stop.get(); update++)
                {
                    java.util.Arrays.fill(values, update);
                    writer.publish(values, StatsFile.STATE_RUNNING);
                    // A breath between updates, so that the reader is not starved for good (it failed once on CI
                    // that way); most reads still overlap a write.
                    java.util.concurrent.locks.LockSupport.parkNanos(10_000);
                }
            });
            racer.start();
            long last = 0;
            try
            {
                final long deadline = System.nanoTime() + 2_000_000_000L;
                while (System.nanoTime() < deadline)
                {
                    final StatsSnapshot snapshot = reader.read();
                    final long first = snapshot.value(0);
                    for (int i = 1; i < many.size(); i++)
                    {
                        assertEquals(first, snapshot.value(i), "value " + i + " of update " + first);
                    }
                    assertTrue(first >= last, "updates go forward");
                    last = first;
                }
            }
            finally
            {
                stop.set(true);
                racer.join();
            }
            assertTrue(last > 0, "the writer got updates in");
            System.out.println("[stats file] last update read " + last + ", reads retried " + reader.tornReads());
        }
    }

    @Test
    void shouldRefuseAnUpdateThatStaysHalfWritten() throws IOException
    {
        final Path file = temp.resolve("stuck.stats");
        try (StatsFileWriter writer = StatsFileWriter.create(file, COUNTERS, 100))
        {
            writer.publish(new long[] {1, 2, 3}, StatsFile.STATE_RUNNING);
        }
        overwrite(file, 64, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 3).array());
        try (StatsFileReader reader = StatsFileReader.open(file))
        {
            final IOException stuck = assertThrows(IOException.class, reader::read);
            assertTrue(stuck.getMessage().startsWith(file + ": an update has been under way for over a second"),
                stuck.getMessage());
        }
    }

    @Test
    void shouldNoticeAFileMadeAnew() throws IOException
    {
        final Path file = temp.resolve("engine.stats");
        StatsFileWriter.create(file, COUNTERS, 100).close();
        try (StatsFileReader reader = StatsFileReader.open(file))
        {
            assertFalse(reader.replaced());
            StatsFileWriter.create(file, COUNTERS, 100).close();
            assertTrue(reader.replaced());
        }
    }

    @Test
    void shouldRefuseFilesThatAreNotWholeStatsFiles() throws IOException
    {
        final Path good = temp.resolve("good.stats");
        StatsFileWriter.create(good, COUNTERS, 100).close();
        final byte[] bytes = Files.readAllBytes(good);

        assertRefused(Files.write(temp.resolve("empty"), new byte[0]), "not an opensase stats file (0 bytes");
        assertRefused(Files.writeString(temp.resolve("text"), "x".repeat(400)),
            "not an opensase stats file (it does not start with \"OPENSASESTAT\")");
        final byte[] version = bytes.clone();
        version[12] = 9;
        assertRefused(Files.write(temp.resolve("version"), version),
            "stats file version 9; this opensase reads version 1");
        final byte[] count = bytes.clone();
        count[16] = 4;
        assertRefused(Files.write(temp.resolve("count"), count), "corrupt stats file header");
        assertRefused(Files.write(temp.resolve("short"), java.util.Arrays.copyOf(bytes, bytes.length - 8)),
            "stats file cut short: " + (bytes.length - 8) + " bytes of " + bytes.length);
        final byte[] name = bytes.clone();
        name[128 + 64 + 2] = '!';
        assertRefused(Files.write(temp.resolve("name"), name), "corrupt stats file: name record 1 (at byte 192)");
        assertRefused(Files.createDirectory(temp.resolve("folder")), "is a directory, not a stats file");
    }

    @Test
    void shouldExitTwoNamingTheFileWhenStatsCannotUseIt() throws IOException
    {
        final Path text = Files.writeString(temp.resolve("report.json"), "{\"schema_version\": 1}\n");
        final Reply bad = stats(text.toString());
        assertEquals(2, bad.status());
        assertEquals("opensase: " + text + ": not an opensase stats file (22 bytes, shorter than the 128-byte "
            + "header)\n", bad.err());
        final Reply missing = stats(temp.resolve("none.stats").toString());
        assertEquals(2, missing.status());
        assertEquals("opensase: " + temp.resolve("none.stats") + ": no such file\n", missing.err());
        final Reply usage = stats(text.toString(), "--watch", "0");
        assertEquals(2, usage.status());
        assertTrue(usage.err().startsWith("opensase: --watch must be 1..3600, got 0\n"), usage.err());
        assertEquals(2, stats().status(), "no file");

        final Path good = temp.resolve("good.stats");
        try (StatsFileWriter writer = StatsFileWriter.create(good, COUNTERS, 100))
        {
            writer.publish(new long[] {5, 6, 0}, StatsFile.STATE_STOPPED);
        }
        final Reply shown = stats(good.toString());
        assertEquals(0, shown.status(), shown.err());
        assertTrue(shown.out().startsWith(good + ": engine pid " + ProcessHandle.current().pid() + ", stopped, "
            + "updated "), shown.out());
        assertTrue(shown.out().contains("\nport.packets_in                    5\n"), shown.out());
        final Reply watched = stats(good.toString(), "--json", "--watch", "1");
        assertEquals(0, watched.status(), "a stopped engine's file is shown once: " + watched.err());
        assertTrue(watched.out().matches("\\{\"file\":\".*\",\"pid\":\\d+,\"state\":\"stopped\",\"created\":\"[^\"]+\","
            + "\"updated\":\"[^\"]+\",\"counters\":\\{\"port.packets_in\":5,\"flows.active\":6,"
            + "\"drops.ring_full\":0}}\n"), watched.out());
    }

    private static void assertRefused(final Path file, final String reason)
    {
        final IOException refused = assertThrows(IOException.class, () -> StatsFileReader.open(file).close());
        assertTrue(refused.getMessage().startsWith(file + ": " + reason), refused.getMessage());
    }

    private static void overwrite(final Path file, final long offset, final byte[] bytes) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE))
        {
            channel.write(ByteBuffer.wrap(bytes), offset);
        }
    }

    record Reply(int status, String out, String err)
    {
    }

    /** {@code opensase stats ARGS} in this JVM. */
    static Reply stats(final String... args)
    {
        final PrintStream out = System.out;
        final PrintStream err = System.err;
        final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(outBytes, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
        try
        {
            final String[] command = new String[args.length + 1];
            command[0] = "stats";
            System.arraycopy(args, 0, command, 1, args.length);
            final int status = MainAccess.execute(command);
            return new Reply(status, outBytes.toString(StandardCharsets.UTF_8),
                errBytes.toString(StandardCharsets.UTF_8).lines().filter(l -> !l.startsWith("usage:")
                    && !l.startsWith("  ")).map(l -> l + "\n").reduce("", String::concat));
        }
        finally
        {
            System.setOut(out);
            System.setErr(err);
        }
    }
}
