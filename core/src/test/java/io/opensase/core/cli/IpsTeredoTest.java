package io.opensase.core.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opensase.classifiers.testing.SharedData;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code opensase ips} over {@code zeek-Teredo.pcap}: rules match the IPv6 traffic Teredo carries, and alerts name
 * its inner endpoints with the outer UDP ones as {@code tunnel}. Expected values as tshark decodes the capture with
 * its Teredo heuristic on ({@code tshark -o teredo.heuristic_teredo:TRUE -Y http -T fields -e ipv6.src -e
 * tcp.srcport -e udp.srcport -e http.host -e http.file_data ...}): the client 2001:0:4137:9e50:8000:f12a:b9c8:2815
 * (UDP 192.168.2.16:3797) sends two GETs for {@code ipv6.google.com} from TCP port 1286 to 2001:4860:0:2001::68
 * port 80 through the relay 83.170.1.38:32900, and the first gzip'd response (frame 42) holds
 * {@code <title>Google</title>}; its ICMPv6 echo request (frame 30) goes to the Teredo server 65.55.158.80:3544.
 */
class IpsTeredoTest
{
    private static final String CLIENT = "2001:0:4137:9e50:8000:f12a:b9c8:2815";
    private static final String GOOGLE = "2001:4860:0:2001::68";
    private static final String RULES = """
        alert http any any -> any any (msg:"Google page inside Teredo"; flow:established,to_client; file.data; \
        content:"<title>Google</title>"; sid:1; rev:1;)
        alert http any any -> any any (msg:"Host inside Teredo"; flow:established,to_server; http.host; \
        content:"ipv6.google.com"; sid:2; rev:1;)
        alert icmp any any -> any any (msg:"ICMPv6 echo request inside Teredo"; itype:128; sid:3; rev:1;)
        """;

    @TempDir
    Path temp;

    private Path rules;
    private Path eve;

    @BeforeEach
    void writeRules() throws IOException
    {
        rules = Files.writeString(temp.resolve("teredo.rules"), RULES);
        eve = temp.resolve("eve.json");
    }

    @Test
    void shouldInspectTeredoOnItsServerPortByDefault() throws IOException
    {
        final List<JsonNode> alerts = run(null);

        // The HTTP goes between the client's port and the relay's, neither of them 3544.
        assertEquals(1, alerts.size(), alerts.toString());
        final JsonNode echo = alerts.getFirst();
        assertEquals(3, echo.at("/alert/signature_id").asInt());
        assertEndpoints(echo, CLIENT, 0, GOOGLE, 0, "IPv6-ICMP");
        assertTunnel(echo, "192.168.2.16", 3797, "65.55.158.80", 3544);
    }

    @Test
    void shouldInspectTheHttpInsideTeredoOnConfiguredPorts() throws IOException
    {
        final List<JsonNode> alerts = run("parser:\n  teredo_ports: [3544, 3797]\n");

        assertEquals(List.of(3, 2, 1, 2), alerts.stream().map(a -> a.at("/alert/signature_id").asInt()).toList());
        final JsonNode request = alerts.get(1);
        assertEndpoints(request, CLIENT, 1286, GOOGLE, 80, "TCP");
        assertEquals("http", request.path("app_proto").asText());
        assertEquals("ipv6.google.com", request.at("/http/hostname").asText());
        assertTunnel(request, "192.168.2.16", 3797, "83.170.1.38", 32900);
        final JsonNode page = alerts.get(2);
        assertEndpoints(page, GOOGLE, 80, CLIENT, 1286, "TCP");
        assertTunnel(page, "83.170.1.38", 32900, "192.168.2.16", 3797);
        assertEndpoints(alerts.get(3), CLIENT, 1286, GOOGLE, 80, "TCP");
    }

    @Test
    void shouldInspectNoTeredoWhenItsPortsAreEmpty() throws IOException
    {
        assertEquals(List.of(), run("parser:\n  teredo_ports: []\n"));
    }

    /** Runs the rules over the capture, with an engine configuration holding {@code parser} when not null. */
    private List<JsonNode> run(final String parser) throws IOException
    {
        final Path capture = SharedData.resolve("pcap/tunnels/zeek-Teredo.pcap");
        final List<String> args = new ArrayList<>(List.of("ips", "--rules", rules.toString(), "--pcap",
            capture.toString(), "--eve", eve.toString()));
        if (null != parser)
        {
            final Path config = Files.writeString(temp.resolve("engine.yaml"),
                "ports:\n  - name: in\n    type: pcap\n    rx: " + capture + "\n" + parser);
            args.addAll(List.of("--config", config.toString()));
        }
        final CommandOutput result = CommandOutput.of(args.toArray(String[]::new));
        assertEquals(0, result.status(), result.err());
        final ObjectMapper json = new ObjectMapper();
        final List<JsonNode> alerts = new ArrayList<>();
        for (final String line : Files.readAllLines(eve))
        {
            final JsonNode event = json.readTree(line);
            if ("alert".equals(event.path("event_type").asText()))
            {
                alerts.add(event);
            }
        }
        return alerts;
    }

    private static void assertEndpoints(final JsonNode alert, final String src, final int srcPort, final String dst,
        final int dstPort, final String proto)
    {
        assertEquals(src, alert.path("src_ip").asText(), alert.toString());
        assertEquals(srcPort, alert.path("src_port").asInt(), alert.toString());
        assertEquals(dst, alert.path("dest_ip").asText(), alert.toString());
        assertEquals(dstPort, alert.path("dest_port").asInt(), alert.toString());
        assertEquals(proto, alert.path("proto").asText(), alert.toString());
    }

    private static void assertTunnel(final JsonNode alert, final String src, final int srcPort, final String dst,
        final int dstPort)
    {
        final JsonNode tunnel = alert.path("tunnel");
        assertEquals(src, tunnel.path("src_ip").asText(), alert.toString());
        assertEquals(srcPort, tunnel.path("src_port").asInt(), alert.toString());
        assertEquals(dst, tunnel.path("dest_ip").asText(), alert.toString());
        assertEquals(dstPort, tunnel.path("dest_port").asInt(), alert.toString());
        assertEquals("UDP", tunnel.path("proto").asText(), alert.toString());
    }
}
