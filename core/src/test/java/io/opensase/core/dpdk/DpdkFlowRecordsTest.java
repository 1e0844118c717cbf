package io.opensase.core.dpdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opensase.core.config.EngineConfig;
import io.opensase.core.engine.Engine;
import io.opensase.core.events.EventsConfig;
import io.opensase.core.testing.Scenario;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Flow records from a DPDK port, whose packets are stamped with the monotonic clock: the records' times are
 * turned into wall-clock time, so they fall within the run (not in the capture's 2026 nor near 1970).
 */
@EnabledIf(value = "io.opensase.core.testing.DpdkInstalled#installed",
    disabledReason = "pkg-config finds no libdpdk: install dpdk, dpdk-dev and libdpdk-dev to run the DPDK tests")
class DpdkFlowRecordsTest
{
    /** EVE's time text, offset as Suricata writes it ({@code +0000}, which {@link Instant#parse} refuses). */
    private static final DateTimeFormatter SURICATA_TIME =
        DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSxx");

    @TempDir
    Path temp;

    @Test
    void shouldStampLivePortRecordsWithTheWallClock() throws Exception
    {
        final Path in = Scenario.pcap(temp.resolve("in.pcap"), String.join(",\n",
            "Ether()/IP(src='10.0.0.1', dst='192.0.2.1')/UDP(sport=1000, dport=53)/Raw(b'q')",
            "Ether()/IP(src='192.0.2.1', dst='10.0.0.1')/UDP(sport=53, dport=1000)/Raw(b'a')",
            "Ether()/IP(src='10.0.0.2', dst='192.0.2.2')/TCP(sport=2000, dport=80, flags='S')"));
        final EngineConfig config = EngineConfig.withDefaults(PcapDevices.of(in, null))
            .withEvents(EventsConfig.in(temp.resolve("eve")));
        final Instant before = Instant.now();

        new Engine(config).run();

        final Instant after = Instant.now();
        final List<String> lines = Files.readAllLines(temp.resolve("eve/eve.json"), StandardCharsets.UTF_8);
        assertEquals(2, lines.size());
        final ObjectMapper mapper = new ObjectMapper();
        for (final String line : lines)
        {
            final JsonNode record = mapper.readTree(line);
            final Instant time = instant(record.get("timestamp").asText());
            final Instant start = instant(record.get("flow").get("start").asText());
            assertFalse(time.isBefore(before.minusSeconds(1)) || time.isAfter(after.plusSeconds(1)),
                time + " not within the run, " + before + " to " + after);
            assertFalse(start.isAfter(time));
            assertEquals("shutdown", record.get("flow").get("reason").asText());
        }
        assertTrue(lines.stream().anyMatch(line -> line.contains("\"pkts_toclient\":1")), "the UDP answer");
    }

    private static Instant instant(final String text)
    {
        return OffsetDateTime.parse(text, SURICATA_TIME).toInstant();
    }
}
