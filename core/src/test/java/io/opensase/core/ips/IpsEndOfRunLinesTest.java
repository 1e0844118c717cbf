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
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Found by a helper fixing the end of run's flow records: the IPS lines the end of a run makes (stream bytes
 * inspected when the flows still open end) went onto the worker's record queue without waiting, so those past
 * its room were dropped. Now, once the workers have stopped, they wait for the writer as the flow records do.
 * The capture (scapy, src/test/resources/ips/held-streams.py) holds 400 connections whose one data segment is
 * never acknowledged: in IDS mode the first 256 (the stage's hold buffers) wait to be inspected when their flows
 * end, and their alerts (four rules hold on each), about 1,024 of about half a kilobyte, are written at once into
 * the smallest record queue (128 KiB); the other 144 find no hold buffer and are inspected on their packet.
 */
class IpsEndOfRunLinesTest
{
    @TempDir
    Path dir;

    @Test
    void everyAlertOfTheEndOfARunIsWritten() throws Exception
    {
        final Path capture = IpsCaptureTesting.scapy("ips/held-streams.py", dir.resolve("held.pcap"));
        final StringBuilder rules = new StringBuilder();
        for (int sid = 1; sid <= 4; sid++)
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
        assertEquals(Map.of(1, 400, 2, 400, 3, 400, 4, 400), IpsCaptureTesting.alertsBySid(alerts));
        final TreeSet<String> clients = new TreeSet<>();
        int atTheEnd = 0;
        for (final JsonNode alert : alerts)
        {
            atTheEnd += "stream (flow timeout)".equals(alert.path("pkt_src").asText()) ? 1 : 0;
            clients.add(alert.path("src_ip").asText());
        }
        assertEquals(4 * 256, atTheEnd);
        assertEquals(400, clients.size());
        assertEquals("10.82.0.0", clients.first());
        assertEquals("10.82.1.99", clients.last());
    }
}
