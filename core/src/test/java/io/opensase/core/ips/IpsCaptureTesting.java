package io.opensase.core.ips;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Test helpers: a capture written by a scapy script and its frames as scapy reads them, and the EVE lines of IDS
 * rules run over a capture.
 */
final class IpsCaptureTesting
{
    private IpsCaptureTesting()
    {
    }

    /** Runs {@code script} (under src/test/resources) with /usr/bin/python3 to write {@code capture}. */
    static Path scapy(final String script, final Path capture, final String... arguments) throws Exception
    {
        final List<String> command = new ArrayList<>(List.of("/usr/bin/python3", "src/test/resources/" + script,
            capture.toString()));
        command.addAll(List.of(arguments));
        final Process python = new ProcessBuilder(command).inheritIO().start();
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
        run(rules, capture, eve, midstream);
        return lines(eve);
    }

    /** Runs {@code rules} as {@link #events} does; returns the stage's counters. */
    static IpsCounters run(final String rules, final Path capture, final Path eve, final boolean midstream)
        throws Exception
    {
        final Path file = eve.resolveSibling(eve.getFileName() + ".rules");
        Files.writeString(file, rules);
        return run(new IpsSettings(List.of(file), Map.of(), Map.of(), IpsMode.IDS, midstream, eve, null, null),
            capture);
    }

    /** Runs {@code settings} over {@code capture}, EVE lines to the settings' file; returns the stage's counters. */
    static IpsCounters run(final IpsSettings settings, final Path capture) throws Exception
    {
        try (IpsPolicy policy = IpsPolicy.load(settings); EveFileSink sink = new EveFileSink(settings.eve()))
        {
            return IpsCaptureRun.run(policy, capture, sink);
        }
    }

    /** The EVE lines of {@code eve}, in the order written. */
    static List<JsonNode> lines(final Path eve) throws Exception
    {
        final ObjectMapper json = new ObjectMapper();
        final List<JsonNode> lines = new ArrayList<>();
        for (final String line : Files.readAllLines(eve))
        {
            lines.add(json.readTree(line));
        }
        return lines;
    }

    /**
     * The dlp lines of {@code eve} (none when it was not written) by client port: "unscanned REASON ACTION" or
     * "finding DETECTOR ACTION".
     */
    static Map<Integer, List<String>> dlpByPort(final Path eve) throws Exception
    {
        final Map<Integer, List<String>> byPort = new TreeMap<>();
        for (final JsonNode event : Files.exists(eve) ? lines(eve) : List.<JsonNode>of())
        {
            if ("dlp".equals(event.path("event_type").asText()))
            {
                final JsonNode dlp = event.path("dlp");
                final String what = dlp.has("unscanned") ? "unscanned " + dlp.path("unscanned").asText()
                    : "finding " + dlp.path("detector").asText();
                byPort.computeIfAbsent(event.path("src_port").asInt(), p -> new ArrayList<>())
                    .add(what + " " + dlp.path("action").asText());
            }
        }
        return byPort;
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

    /** The lines of {@code lines} whose {@code event_type} is {@code type}, in order. */
    static List<JsonNode> ofType(final List<JsonNode> lines, final String type)
    {
        final List<JsonNode> of = new ArrayList<>();
        for (final JsonNode line : lines)
        {
            if (type.equals(line.path("event_type").asText()))
            {
                of.add(line);
            }
        }
        return of;
    }

    /** The one line of {@code lines} whose {@code event_type} is {@code type}. */
    static JsonNode only(final List<JsonNode> lines, final String type)
    {
        final List<JsonNode> of = ofType(lines, type);
        assertEquals(1, of.size(), () -> type + " lines: " + of);
        return of.get(0);
    }

    /** Each frame of {@code pcap} as scapy reads it. */
    static List<byte[]> scapyFrames(final Path pcap) throws Exception
    {
        final Process python = new ProcessBuilder("/usr/bin/python3", "-c",
            "import sys\nfrom scapy.all import rdpcap\nfor p in rdpcap(sys.argv[1]): print(bytes(p).hex())",
            pcap.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        final String out = new String(python.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        assertEquals(0, python.waitFor());
        final List<byte[]> frames = new ArrayList<>();
        for (final String hex : out.strip().split("\n"))
        {
            frames.add(HexFormat.of().parseHex(hex));
        }
        return frames;
    }
}
