package io.opensase.core.ips;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

import static io.opensase.core.ips.IpsCaptureTesting.ofType;
import static io.opensase.core.ips.IpsCaptureTesting.only;
import static io.opensase.core.ips.IpsCaptureTesting.scapyFrames;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code tag:session} over TCP sessions from src/test/resources/tag/sessions.py (tshark reads 36 frames: four
 * sessions of 9, a rule's mark, the IP TTL, on the 4th packet of sessions 1, 3 and 4). What Suricata does, read in
 * its detect-engine-tag.c (TagHandlePacketFlow and its unit tests DetectTagTestPacket04..06) and
 * output-json-alert.c: the alerting packet counts towards the tag but is not logged as tagged; each later packet of
 * the flow, either way, is counted and logged as an EVE {@code packet} line (the whole frame in base64, its link
 * type) until its count passes the tag's; {@code seconds} compares whole seconds. Each tagged line's frame is
 * checked against the capture as scapy reads it.
 */
class SessionTagTest
{
    @TempDir
    Path dir;

    private Path capture;
    private List<byte[]> frames;

    @BeforeEach
    void writeCapture() throws Exception
    {
        capture = IpsCaptureTesting.scapy("tag/sessions.py", dir.resolve("sessions.pcap"));
        frames = scapyFrames(capture);
        assertEquals(36, frames.size());
    }

    @Test
    void packetsTagLogsTheNextPacketsOfTheSessionBothWaysAndNoneOfAnotherSession() throws Exception
    {
        final List<JsonNode> lines = run("alert tcp any any -> any any (msg:\"mark\"; ttl:77; tag:session,3,packets; "
            + "sid:1;)");

        final JsonNode alert = only(lines, "alert");
        assertEquals("10.52.0.1", alert.path("src_ip").asText());
        // Packet 4 alerted and counts as the first of 3: packets 5 (server ACK) and 6 (server 'two') are logged.
        assertTagged(lines, alert, 5, 6);
        final List<JsonNode> tagged = ofType(lines, "packet");
        assertEquals("192.0.2.52", tagged.get(0).path("src_ip").asText());
        assertEquals(80, tagged.get(0).path("src_port").asInt());
        assertEquals("10.52.0.1", tagged.get(0).path("dest_ip").asText());
        assertEquals("TCP", tagged.get(0).path("proto").asText());
        assertEquals("wire/pcap", tagged.get(0).path("pkt_src").asText());
        assertEquals("2026-01-01T00:00:00.400000+0000", tagged.get(0).path("timestamp").asText());
    }

    @Test
    void aSessionWithoutTheAlertHasNoTaggedPackets() throws Exception
    {
        // The same rule without a tag: an alert and nothing more; a tag rule whose mark no packet has; and a tag
        // rule that matches without alerting (noalert), which sets no tag, as Suricata sets tags from alerts only.
        final List<JsonNode> lines = run("alert tcp any any -> any any (ttl:77; sid:1;)\n"
            + "alert tcp any any -> any any (ttl:99; tag:session,3,packets; sid:2;)\n"
            + "alert tcp any any -> any any (ttl:77; noalert; tag:session,3,packets; sid:3;)");
        assertEquals(1, ofType(lines, "alert").size());
        assertEquals(List.of(), ofType(lines, "packet"));
    }

    @Test
    void secondsTagEndsWhenTheWholeSecondsPassTheCount() throws Exception
    {
        final List<JsonNode> lines = run("alert tcp any any -> any any (ttl:78; tag:session,2,seconds; sid:3;)");

        // Alert at 700.7 (second 700); 701.2, 702.0 and 702.9 are within 2 seconds; 703.1 ends the tag.
        assertTagged(lines, only(lines, "alert"), 23, 24, 25);
    }

    @Test
    void bytesTagEndsWithThePacketThatWouldPassTheCount() throws Exception
    {
        final List<JsonNode> lines = run("alert tcp any any -> any any (ttl:79; tag:session,300,bytes; sid:4;)");

        // Frames of 100 (alert), 54, 100, 54 bytes: 154 and 254 are within 300, 308 is not.
        assertTagged(lines, only(lines, "alert"), 32, 33);
    }

    @Test
    void defaultTagFollowsTheRestOfTheSession() throws Exception
    {
        // tag:session is 256 packets: every packet after the alert, to the FIN.
        final List<JsonNode> lines = run("alert tcp any any -> any any (ttl:77; tag:session; sid:5;)");

        assertTagged(lines, only(lines, "alert"), 5, 6, 7, 8, 9);
    }

    /**
     * An ET Open rule's form (flow:established,to_server; http.uri; tag:session,5,packets) over the HTTP session of
     * src/test/resources/flow/directions.py (7 frames: SYN, SYN/ACK, ACK, request for /ping-request, response,
     * ACK, an unacknowledged start of a request; then a second session and UDP). The stage parses the request on
     * the packet that brings it, so frame 4 alerts and counts first; frames 5, 6 and 7 are logged (3 of the 4
     * left), and the pseudo packets that end the flow are not (Suricata handles no tags on them).
     */
    @Test
    void httpRuleTagsTheSessionFromThePacketItAlertsOn() throws Exception
    {
        final Path http = IpsCaptureTesting.scapy("flow/directions.py", dir.resolve("directions.pcap"));
        final List<byte[]> httpFrames = scapyFrames(http);
        final List<JsonNode> lines = IpsCaptureTesting.events("alert http any any -> any any (msg:\"uri\"; "
            + "flow:established,to_server; http.uri; content:\"/ping-request\"; tag:session,5,packets; sid:9;)",
            http, dir.resolve("http.json"), false);

        final JsonNode alert = only(lines, "alert");
        assertArrayEquals(httpFrames.get(3), Base64.getDecoder().decode(alert.path("packet").asText()));
        final List<JsonNode> tagged = ofType(lines, "packet");
        assertEquals(3, tagged.size(), () -> "packet lines: " + tagged);
        for (int i = 0; i < 3; i++)
        {
            assertArrayEquals(httpFrames.get(4 + i), Base64.getDecoder().decode(tagged.get(i).path("packet").asText()));
            assertEquals(alert.path("flow_id").asLong(), tagged.get(i).path("flow_id").asLong());
        }
    }

    private List<JsonNode> run(final String rules) throws Exception
    {
        return IpsCaptureTesting.events(rules, capture, dir.resolve("eve.json"), false);
    }

    /** The {@code packet} lines are frames {@code numbers} (1-based, as tshark counts) of the alert's flow. */
    private void assertTagged(final List<JsonNode> lines, final JsonNode alert, final int... numbers)
    {
        final List<JsonNode> tagged = ofType(lines, "packet");
        assertEquals(numbers.length, tagged.size(), () -> "packet lines: " + tagged);
        for (int i = 0; i < numbers.length; i++)
        {
            final JsonNode line = tagged.get(i);
            assertArrayEquals(frames.get(numbers[i] - 1), Base64.getDecoder().decode(line.path("packet").asText()),
                "frame " + numbers[i]);
            assertEquals(1, line.at("/packet_info/linktype").asInt());
            assertEquals(alert.path("flow_id").asLong(), line.path("flow_id").asLong());
        }
    }
}
