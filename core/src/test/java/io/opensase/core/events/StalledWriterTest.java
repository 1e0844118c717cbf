package io.opensase.core.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.opensase.classifiers.testing.Tools;
import io.opensase.core.config.EngineConfig;
import io.opensase.core.engine.Engine;
import io.opensase.core.engine.RunResult;
import io.opensase.core.testing.Scenario;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A writer blocked on purpose: {@code eve.json} is a named pipe nobody reads yet, so the writer thread blocks
 * opening it. The worker must go on, filling its queue and then dropping and counting each further event; once
 * the pipe is read, the writer writes what the queue held and finishes.
 */
class StalledWriterTest
{
    private static final int EARLY_FLOWS = 300;
    private static final int SLOTS = 64;

    @TempDir
    Path temp;

    @Test
    void shouldDropAndCountInsteadOfWaitingForABlockedWriter() throws Exception
    {
        // 300 UDP flows, then one flow of 160 packets 5 s later: with a 1 s UDP timeout, the worker expires the
        // 300 while it processes the late bursts (64 a burst), so it meets the full queue itself.
        final StringBuilder packets = new StringBuilder();
        for (int i = 0; i < EARLY_FLOWS; i++)
        {
            packets.append("Ether()/IP(src='10.0.0.1', dst='192.0.2.1')/UDP(sport=").append(10_000 + i)
                .append(", dport=53),\n");
        }
        packets.append("*[at(5 + k * 0.001, Ether()/IP(src='10.0.0.2', dst='192.0.2.2')/UDP(sport=1, dport=2))"
            + " for k in range(160)]");
        final Path in = Scenario.pcap(temp.resolve("in.pcap"), packets.toString());
        final Path eve = Files.createDirectories(temp.resolve("eve"));
        Tools.run("mkfifo", eve.resolve(EventWriter.FILE_NAME).toString());
        final EngineConfig config = Scenario.config(temp, in, temp.resolve("out.pcap"), """
            flows:
              timeouts: {udp: 1s}
            events:
              dir: eve
              queue_slots: %d
            """.formatted(SLOTS));
        final Engine engine = new Engine(config);

        final CompletableFuture<RunResult> run = CompletableFuture.supplyAsync(() ->
        {
            try
            {
                return engine.run();
            }
            catch (final Exception ex)
            {
                throw new IllegalStateException(ex);
            }
        });
        final int records = EARLY_FLOWS + 1;
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (null == engine.eventStats() || engine.eventStats().droppedTotal() < records - SLOTS)
        {
            assertTrue(System.nanoTime() < deadline, "the worker did not get through its packets");
            Thread.sleep(5);
        }
        final EventStats stalled = engine.eventStats();
        assertEquals(records - SLOTS, stalled.droppedTotal(), "dropped beyond the queue's room");
        assertEquals(SLOTS, stalled.queuedTotal());
        assertEquals(0, stalled.written());

        final List<String> lines = new ArrayList<>();
        final Path pipe = eve.resolve(EventWriter.FILE_NAME);
        try (BufferedReader reader = Files.newBufferedReader(pipe, StandardCharsets.UTF_8))
        {
            for (String line = reader.readLine(); null != line; line = reader.readLine())
            {
                lines.add(line);
            }
        }
        final RunResult result = run.get(30, TimeUnit.SECONDS);

        assertEquals(EARLY_FLOWS + 160, result.counters().get(io.opensase.core.pipeline.WorkerCounters.RX_PACKETS));
        assertEquals(SLOTS, lines.size(), "what the queue held when the writer blocked");
        final ObjectMapper mapper = new ObjectMapper();
        for (final String line : lines)
        {
            assertEquals("timeout", mapper.readTree(line).get("flow").get("reason").asText(),
                "queued by the worker as the early flows timed out");
        }
        final EventStats after = engine.eventStats();
        assertEquals(SLOTS, after.written());
        assertEquals(records - SLOTS, after.droppedTotal());
        assertEquals(0, after.pending() + after.lost());
    }
}
