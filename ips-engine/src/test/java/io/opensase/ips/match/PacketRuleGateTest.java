package io.opensase.ips.match;

import io.opensase.ips.rules.Buffer;
import io.opensase.ips.rules.Direction;
import io.opensase.ips.rules.Rule;
import io.opensase.ips.rules.RuleHeader;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A TCP payload that went into its flow's stream is scanned for the packet rules' literals only when one of
 * those rules can hold on the packet by its flow direction, {@code dsize} and ports: otherwise there is no
 * scan, and what matches is what matched with the scan (nothing of those rules). Both engines.
 */
class PacketRuleGateTest
{
    private static final PrefilterEngine[] ENGINES = {PrefilterEngine.JAVA, PrefilterEngine.HYPERSCAN};
    private static final List<Rule> RULES = MatchTesting.rules(
        "alert tcp any any -> any any (dsize:<65; content:\"abc\"; sid:1;)",
        "alert tcp-pkt any any -> any 445 (flow:to_server; content:\"smb\"; sid:2;)",
        "alert tcp-pkt any any <> any 1723 (flow:to_client; content:\"pptp\"; sid:3;)");

    @Test
    void aSmallPayloadIsScannedForTheDsizeRule()
    {
        for (final PrefilterEngine engine : ENGINES)
        {
            final MatchInput input = packet(40, MatchInput.Direction.TO_CLIENT, 80, 50_000);
            assertEquals(1, scans(engine, input), engine.name());
            assertEquals(Set.of(1L), sids(engine, input), engine.name());
        }
    }

    @Test
    void aLargePayloadOnOtherPortsIsNotScanned()
    {
        for (final PrefilterEngine engine : ENGINES)
        {
            // 65 bytes: one more than dsize:<65 admits; port 80 is neither 445 nor 1723.
            for (final MatchInput input : List.of(packet(65, MatchInput.Direction.TO_CLIENT, 80, 50_000),
                packet(1400, MatchInput.Direction.TO_SERVER, 50_000, 80)))
            {
                assertEquals(0, scans(engine, input), engine.name());
                assertEquals(Set.of(), sids(engine, input), engine.name());
            }
        }
    }

    @Test
    void theFlowDirectionAndPortsOfARuleOpenTheScan()
    {
        for (final PrefilterEngine engine : ENGINES)
        {
            final MatchInput toSmb = packet(1400, MatchInput.Direction.TO_SERVER, 50_000, 445);
            assertEquals(1, scans(engine, toSmb), engine.name());
            assertEquals(Set.of(2L), sids(engine, toSmb), engine.name());
            // The same ports the other way: rule 2 wants the packet to go to the server.
            assertEquals(0, scans(engine, packet(1400, MatchInput.Direction.TO_CLIENT, 50_000, 445)),
                engine.name());
            // <> takes port 1723 on either side.
            final MatchInput fromPptp = packet(1400, MatchInput.Direction.TO_CLIENT, 1723, 50_000);
            assertEquals(1, scans(engine, fromPptp), engine.name());
            assertEquals(Set.of(3L), sids(engine, fromPptp), engine.name());
        }
    }

    /** Without ports, as the header test: only a rule on any port can hold. */
    @Test
    void aPacketWithoutPortsCanHoldOnlyTheRulesOnAnyPort()
    {
        for (final PrefilterEngine engine : ENGINES)
        {
            for (final int size : new int[] {40, 1400})
            {
                final MatchInput input = new MatchInput().ipv4(1, 64, 6).tcp(0x18, 0, 0, 0)
                    .flow(MatchInput.Direction.TO_SERVER, true, false).packetPayloadSize(size)
                    .set(Buffer.PAYLOAD, payload(size)).payloadInStream();
                assertEquals(40 == size ? 1 : 0, scans(engine, input), engine.name() + " " + size);
                assertEquals(40 == size ? Set.of(1L) : Set.of(), sids(engine, input), engine.name() + " " + size);
            }
        }
    }

    @Test
    void eachDsizeFormAdmitsTheSizesItNames()
    {
        final List<Rule> rules = MatchTesting.rules(
            "alert tcp any any -> any any (dsize:10; content:\"abc\"; sid:11;)",
            "alert tcp any any -> any any (dsize:20<>30; content:\"abc\"; sid:12;)",
            "alert tcp any any -> any any (dsize:>2000; content:\"abc\"; sid:13;)");
        final int[] sizes = {5, 10, 11, 20, 21, 29, 30, 2000, 2001, 65_535};
        for (final PrefilterEngine engine : ENGINES)
        {
            final long[] scanned = new long[sizes.length];
            for (int i = 0; i < sizes.length; i++)
            {
                scanned[i] = MatchTesting.scans(rules, engine,
                    packet(sizes[i], MatchInput.Direction.TO_SERVER, 1, 2));
            }
            // 20<>30 is 21 to 29, as Suricata reads it.
            assertEquals(Arrays.toString(new long[] {0, 1, 0, 0, 1, 1, 0, 0, 1, 1}), Arrays.toString(scanned),
                engine.name());
        }
    }

    /** A size test with a hole in its range: the gate asks the test itself. */
    @Test
    void aDsizeWithAHoleIsTestedAsWritten()
    {
        final List<Rule> rules = MatchTesting.rules(
            "alert tcp-pkt any any -> any any (dsize:!1400; content:\"abc\"; sid:21;)");
        final int[] sizes = {1399, 1400, 1401};
        for (final PrefilterEngine engine : ENGINES)
        {
            final long[] scanned = new long[sizes.length];
            for (int i = 0; i < sizes.length; i++)
            {
                scanned[i] = MatchTesting.scans(rules, engine,
                    packet(sizes[i], MatchInput.Direction.TO_CLIENT, 1, 2));
            }
            assertEquals(Arrays.toString(new long[] {1, 0, 1}), Arrays.toString(scanned), engine.name());
        }
    }

    private static MatchInput packet(final int size, final MatchInput.Direction direction, final int src,
        final int dst)
    {
        return new MatchInput().ipv4(1, 64, 6).tcp(0x18, 0, 0, 0).flow(direction, true, false).ports(src, dst)
            .packetPayloadSize(size).set(Buffer.PAYLOAD, payload(size)).payloadInStream();
    }

    /** {@code size} bytes that start with every rule's literal. */
    private static MemorySegment payload(final int size)
    {
        final byte[] bytes = new byte[size];
        Arrays.fill(bytes, (byte)'.');
        final byte[] head = "abc smb pptp".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(head, 0, bytes, 0, Math.min(head.length, size));
        return MemorySegment.ofArray(bytes);
    }

    private static long scans(final PrefilterEngine engine, final MatchInput input)
    {
        return MatchTesting.scans(RULES, engine, input);
    }

    /** The rules that match, with the header ports tested as the caller tests them. */
    private static Set<Long> sids(final PrefilterEngine engine, final MatchInput input)
    {
        try (RuleMatcher matcher = RuleMatcher.compile(RULES, engine, RuleMatcher.DEFAULT_PCRE_SUBJECT_LIMIT);
            RuleMatcher.Worker worker = matcher.newWorker())
        {
            final RuleFilter headerPorts = r ->
            {
                final RuleHeader header = matcher.enforced().get(r).header();
                return !input.hasPorts || portsFit(header, input.srcPort, input.dstPort)
                    || header.direction() == Direction.BOTH && portsFit(header, input.dstPort, input.srcPort);
            };
            final Set<Long> sids = new TreeSet<>();
            for (int i = 0, n = worker.match(input, headerPorts); i < n; i++)
            {
                sids.add(worker.sid(i));
            }
            return sids;
        }
    }

    private static boolean portsFit(final RuleHeader header, final int source, final int destination)
    {
        return header.sourcePorts().contains(source) && header.destinationPorts().contains(destination);
    }
}
