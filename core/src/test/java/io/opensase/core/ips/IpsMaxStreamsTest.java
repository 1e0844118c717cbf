package io.opensase.core.ips;

import com.fasterxml.jackson.databind.JsonNode;
import io.opensase.core.config.ConfigException;
import io.opensase.core.config.ConfigLoader;
import io.opensase.core.config.EngineConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@code ips.max_streams}: how many TCP flows per worker have a stream and application state at once (4,096
 * before, fixed). The capture (src/test/resources/ips/many-flows.py) holds 99 flows that send a SYN and stay
 * open, then one HTTP request: with 64 streams the request's flow finds none left (36 flows go without, the
 * request is not parsed), with 128 it is parsed and its rule alerts.
 */
class IpsMaxStreamsTest
{
    private static final String HEAD = "ports:\n  - name: in\n    type: pcap\n    rx: in.pcap\n    tx: out.pcap\n"
        + "ips:\n  rules: [r.rules]\n";

    @TempDir
    Path dir;

    @Test
    void theConfigurationSetsTheStreamsAndRefusesABadCountWithItsLine() throws Exception
    {
        Files.writeString(dir.resolve("r.rules"), "");
        final Path file = dir.resolve("engine.yaml");

        assertEquals(4_096, ConfigLoader.parse(file, HEAD).ips().maxStreams());
        assertEquals(20_000, ConfigLoader.parse(file, HEAD + "  max_streams: 20000\n").ips().maxStreams());
        assertEquals(file + ":8: ips.max_streams: must be 16..65535, got 8",
            assertThrows(ConfigException.class, () -> ConfigLoader.parse(file, HEAD + "  max_streams: 8\n"))
                .getMessage());
        assertEquals(file + ":8: ips.max_streams: must be 16..65535, got 65536",
            assertThrows(ConfigException.class, () -> ConfigLoader.parse(file, HEAD + "  max_streams: 65536\n"))
                .getMessage());
    }

    @Test
    void aFlowPastTheStreamsIsNotReassembledAndOneWithinIs() throws Exception
    {
        final Path capture = IpsCaptureTesting.scapy("ips/many-flows.py", dir.resolve("many.pcap"), "100");
        final Path rules = dir.resolve("r.rules");
        Files.writeString(rules, "alert http any any -> any any (msg:\"last\"; http.uri; content:\"/last\"; sid:1;)\n");

        final Path few = dir.resolve("few.json");
        assertEquals(36, run(rules, capture, few, 64).appFlowsUninspected());
        assertEquals(Map.of(), IpsCaptureTesting.alertsBySid(IpsCaptureTesting.lines(few)));

        final Path enough = dir.resolve("enough.json");
        assertEquals(0, run(rules, capture, enough, 128).appFlowsUninspected());
        final List<JsonNode> lines = IpsCaptureTesting.lines(enough);
        assertEquals(Map.of(1, 1), IpsCaptureTesting.alertsBySid(lines));
        assertEquals("last.example", IpsCaptureTesting.only(lines, "alert").at("/http/hostname").asText());
    }

    private static IpsCounters run(final Path rules, final Path capture, final Path eve, final int streams)
        throws Exception
    {
        return IpsCaptureTesting.run(new IpsSettings(List.of(rules), Map.of(), Map.of(), IpsMode.IDS, false, eve,
            null, null, streams), capture);
    }
}
