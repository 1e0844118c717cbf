package io.opensase.core.ips;

import com.fasterxml.jackson.databind.JsonNode;
import io.opensase.core.config.ConfigLoader;
import io.opensase.core.engine.Engine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Found by a helper fixing the end of run's flow records: the IPS lines the end of a run makes (stream bytes
 * inspected when the flows still open end) went onto the worker's record queue without waiting, so those past
 * its room were dropped. Now, once the workers have stopped, they wait for the writer as the flow records do.
 * The capture (scapy, src/test/resources/ips/held-streams.py) holds 250 connections whose one data segment is
 * never acknowledged: in IDS mode each waits in one of the stage's 256 hold buffers to be inspected when its flow
 * ends, and their alerts (16 rules hold on each), 4,000 of about half a kilobyte, are written at once into the
 * smallest record queue (128 KiB); without the wait, from 0 to a few hundred of them were dropped, as the writer
 * kept up or not. (With more connections than hold buffers, the others are inspected on their
 * packets, where a full queue drops lines by design: the packet path never waits.)
 */
class IpsEndOfRunLinesTest
{
    private static final int CONNECTIONS = 250;
    /** Rules that hold on each connection's bytes: 4,000 alerts at the end, far more than the queue holds. */
    private static final int RULES = 16;

    @TempDir
    Path dir;

    @Test
    void everyAlertOfTheEndOfARunIsWritten() throws Exception
    {
        final Path capture = IpsCaptureTesting.scapy("ips/held-streams.py", dir.resolve("held.pcap"));
        final StringBuilder rules = new StringBuilder();
        for (int sid = 1; sid <= RULES; sid++)
        {
            rules.append("alert tcp any any -> any 7000 (msg:\"held ").append(sid)
                .append("\"; content:\"HELD-\"; sid:").append(sid).append(";)\n");
        }
        Files.writeString(dir.resolve("t.rules"), rules);
        final Path config = Files.writeString(dir.resolve("engine.yaml"), """
            ports:
              - name: branch
                type: pcap
                rx: %s
            ips:
              rules: [%s]
              eve: %s
            events:
              dir: %s
              record_queue_bytes: 131072
            """.formatted(capture, dir.resolve("t.rules"), dir.resolve("eve-ips.json"), dir.resolve("events")));
        new Engine(ConfigLoader.load(config)).run();

        final List<JsonNode> alerts = IpsCaptureTesting.ofType(IpsCaptureTesting.lines(dir.resolve("eve-ips.json")),
            "alert");
        final Map<Integer, Integer> expected = new TreeMap<>();
        for (int sid = 1; sid <= RULES; sid++)
        {
            expected.put(sid, CONNECTIONS);
        }
        assertEquals(expected, IpsCaptureTesting.alertsBySid(alerts));
        final TreeSet<String> clients = new TreeSet<>();
        for (final JsonNode alert : alerts)
        {
            assertEquals("stream (flow timeout)", alert.path("pkt_src").asText(), alert.toString());
            clients.add(alert.path("src_ip").asText());
        }
        final TreeSet<String> all = new TreeSet<>();
        for (int i = 0; i < CONNECTIONS; i++)
        {
            all.add("10.82.0." + i);
        }
        assertEquals(all, clients);
    }
}
