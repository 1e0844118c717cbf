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
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * {@code tag:host} over the packets of src/test/resources/tag/hosts.py (tshark reads 23 frames: four parts, each
 * with one packet a rule marks by its IP TTL, and packets from and to its hosts and between others, in other flows;
 * in the fourth, GRE packets whose outer or inner address is the tagged host's).
 * What Suricata does, read in its detect-tag.c (DetectTagParse: the destination by default, 256 packets) and
 * detect-engine-tag.c (TagHashAddTag, TagHandlePacket: the source and the destination host of every packet are
 * looked up; the unit tests DetectTagTestPacket01..03): the tagged address is the alerting packet's source or
 * destination; the alerting packet counts first and is not logged; each later packet from or to that address, in
 * any flow, counts and is logged as an EVE {@code packet} line until the count passes; a packet is logged once
 * however many tags follow it. Expected frames are worked out from the tshark listing in hosts.py.
 * <p>
 * The 23 frames are one burst, and the parts are 100 s apart: part 1's UDP flows time out while part 2 is tracked.
 * The stage inspected a removed flow's packets ahead of the burst's earlier packets of other flows until it
 * inspected every packet tracked before the removal, in order; then frames 3 and 5 (a TCP flow that does not time
 * out) came after frame 7 and the source tag logged frames 2, 7 and 8.
 */
class HostTagTest
{
    @TempDir
    Path dir;

    private Path capture;
    private List<byte[]> frames;

    @BeforeEach
    void writeCapture() throws Exception
    {
        capture = IpsCaptureTesting.scapy("tag/hosts.py", dir.resolve("hosts.pcap"));
        frames = scapyFrames(capture);
        assertEquals(23, frames.size());
    }

    @Test
    void srcTagLogsTheSourceHostsLaterPacketsInAnyFlowEitherWay() throws Exception
    {
        final List<JsonNode> lines = run("alert ip any any -> any any (ttl:77; tag:host,4,packets,src; sid:1;)");

        // A (10.53.0.1) alerted in frame 1 (count 1); frames 2 (to A, same flow), 3 (A's TCP SYN to D) and 5 (D's
        // SYN/ACK to A) make 2..4; frame 7 makes 5 and ends the tag. Frames 4 and 6 are between C, D and B.
        final JsonNode alert = only(lines, "alert");
        assertTagged(lines, 2, 3, 5);
        final List<JsonNode> tagged = ofType(lines, "packet");
        assertEquals(alert.path("flow_id").asLong(), tagged.get(0).path("flow_id").asLong());
        assertNotEquals(alert.path("flow_id").asLong(), tagged.get(1).path("flow_id").asLong(), "another flow");
        assertEquals(tagged.get(1).path("flow_id").asLong(), tagged.get(2).path("flow_id").asLong());
        assertEquals("10.53.0.1", tagged.get(1).path("src_ip").asText());
        assertEquals("198.51.100.7", tagged.get(1).path("dest_ip").asText());
        assertEquals("TCP", tagged.get(1).path("proto").asText());
        assertEquals("198.51.100.7", tagged.get(2).path("src_ip").asText());
        assertEquals("10.53.0.1", tagged.get(2).path("dest_ip").asText());
        assertEquals("2026-01-01T00:06:40.200000+0000", tagged.get(1).path("timestamp").asText());
    }

    @Test
    void hostTagFollowsTheDestinationByDefault() throws Exception
    {
        // B (192.0.2.53), the destination of frame 1: frames 2 (from B) and 6 (C to B) make 2 and 3 of 3.
        final List<JsonNode> lines = run("alert ip any any -> any any (ttl:77; tag:host,3,packets; sid:2;)");

        assertTagged(lines, 2, 6);
        assertEquals("10.53.0.2", ofType(lines, "packet").get(1).path("src_ip").asText());
    }

    @Test
    void aPacketOfTwoTaggedHostsIsLoggedOnceAndCountsForBoth() throws Exception
    {
        final List<JsonNode> lines = run("alert ip any any -> any any (ttl:77; tag:host,4,packets,src; sid:1;)\n"
            + "alert ip any any -> any any (ttl:77; tag:host,3,packets,dst; sid:2;)");

        assertEquals(2, ofType(lines, "alert").size());
        // Frame 2 goes from B to A: one line; it counts 2 for each, so frame 6 is B's 3rd and frame 5 A's 4th.
        assertTagged(lines, 2, 3, 5, 6);
    }

    @Test
    void noTagWithoutAnAlertOfARuleWithOne() throws Exception
    {
        // A rule without a tag, a tag rule whose mark no packet has, and a tag rule that matches without alerting
        // (noalert): Suricata sets tags from alerts only.
        final List<JsonNode> lines = run("alert ip any any -> any any (ttl:77; sid:1;)\n"
            + "alert ip any any -> any any (ttl:99; tag:host,3,packets,src; sid:2;)\n"
            + "alert ip any any -> any any (ttl:77; noalert; tag:host,3,packets,src; sid:3;)");

        assertEquals(1, ofType(lines, "alert").size());
        assertEquals(List.of(), ofType(lines, "packet"));
    }

    @Test
    void bytesTagEndsWithThePacketThatWouldPassTheCount() throws Exception
    {
        final List<JsonNode> lines = run("alert ip any any -> any any (ttl:78; tag:host,300,bytes,src; sid:4;)");

        // Frames of 100 bytes from or to E: 100 (alert), 200, 300 are within 300; 400 (frame 12) is not.
        assertTagged(lines, 10, 11);
    }

    @Test
    void secondsTagEndsWhenTheWholeSecondsPassTheCount() throws Exception
    {
        final List<JsonNode> lines = run("alert ip any any -> any any (ttl:79; tag:host,2,seconds,src; sid:5;)");

        // Alert at 200.7 (second 200); 201.2, 202.0 and 202.9 are within 2 seconds; 203.1 ends the tag.
        assertTagged(lines, 15, 16, 17);
    }

    @Test
    void defaultTagIs256PacketsOfTheDestination() throws Exception
    {
        // tag:host: J (192.0.2.55), the destination of frame 14, in every later frame of part 3.
        final List<JsonNode> lines = run("alert ip any any -> any any (ttl:79; tag:host; sid:6;)");

        assertTagged(lines, 15, 16, 17, 18, 19);
    }

    @Test
    void aTunnelledPacketCountsForTheHostsOfItsOuterAndInnerHeaders() throws Exception
    {
        // K (10.57.0.1) alerted in frame 20; frame 21 carries it as the GRE packet's outer source, frame 23 as the
        // inner packet's source (Suricata counts the tunnel's own packet and the one it carries); frame 22 has
        // neither.
        final List<JsonNode> lines = run("alert ip any any -> any any (ttl:81; tag:host,10,packets,src; sid:7;)");

        assertTagged(lines, 21, 23);
    }

    private List<JsonNode> run(final String rules) throws Exception
    {
        return IpsCaptureTesting.events(rules, capture, dir.resolve("eve.json"), false);
    }

    /** The {@code packet} lines are frames {@code numbers} (1-based, as tshark counts), in that order. */
    private void assertTagged(final List<JsonNode> lines, final int... numbers)
    {
        final List<JsonNode> tagged = ofType(lines, "packet");
        assertEquals(numbers.length, tagged.size(), () -> "packet lines: " + tagged);
        for (int i = 0; i < numbers.length; i++)
        {
            final JsonNode line = tagged.get(i);
            assertArrayEquals(frames.get(numbers[i] - 1), Base64.getDecoder().decode(line.path("packet").asText()),
                "frame " + numbers[i]);
            assertEquals(1, line.at("/packet_info/linktype").asInt());
            assertEquals("wire/pcap", line.path("pkt_src").asText());
        }
    }
}
