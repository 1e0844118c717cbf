package io.opensase.core.ips;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Test helpers: a capture written by a scapy script, and the EVE lines of IDS rules run over a capture. */
final class IpsCaptureTesting
{
    private IpsCaptureTesting()
    {
    }

    /** Runs {@code script} (under src/test/resources) with /usr/bin/python3 to write {@code capture}. */
    static Path scapy(final String script, final Path capture) throws Exception
    {
        final Process python = new ProcessBuilder("/usr/bin/python3", "src/test/resources/" + script,
            capture.toString()).inheritIO().start();
        assertEquals(0, python.waitFor(), script);
        return capture;
    }

    /**
     * The EVE lines of {@code rules} (rule text, written beside {@code eve}) run in IDS mode over
     * {@code capture}, in the order written.
     */
    static List<JsonNode> events(final String rules, final Path capture, final Path eve, final boolean midstream)
        throws Exception
    {
        final Path file = eve.resolveSibling(eve.getFileName() + ".rules");
        Files.writeString(file, rules);
        try (IpsPolicy policy = IpsPolicy.load(new IpsSettings(List.of(file), Map.of(), Map.of(), IpsMode.IDS,
            midstream, eve, null, null)); EveFileSink sink = new EveFileSink(eve))
        {
            IpsCaptureRun.run(policy, capture, sink);
        }
        final ObjectMapper json = new ObjectMapper();
        final List<JsonNode> lines = new ArrayList<>();
        for (final String line : Files.readAllLines(eve))
        {
            lines.add(json.readTree(line));
        }
        return lines;
    }

    /** How many alerts each signature id raised in {@code lines}. */
    static Map<Integer, Integer> alertsBySid(final List<JsonNode> lines)
    {
        final Map<Integer, Integer> bySid = new TreeMap<>();
        for (final JsonNode line : lines)
        {
            if ("alert".equals(line.path("event_type").asText()))
            {
                bySid.merge(line.at("/alert/signature_id").asInt(), 1, Integer::sum);
            }
        }
        return bySid;
    }
}
