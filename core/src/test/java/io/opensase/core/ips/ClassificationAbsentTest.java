package io.opensase.core.ips;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Found by a tester: with no classification.config beside the rules (and none configured), every rule naming a
 * classtype was skipped, blamed on a classification.config that did not exist, where the README says any class
 * is accepted. Now such a rule loads, alerts with priority 3 and an empty category; with a classification.config
 * beside the rules a class it lacks still skips the rule. The capture is the 100-flow one of many-flows.py,
 * whose last request asks for /last.
 */
class ClassificationAbsentTest
{
    private static final String RULE = "alert http any any -> any any (msg:\"last\"; http.uri; content:\"/last\"; "
        + "classtype:policy-violation; sid:1;)\n";

    @TempDir
    Path dir;

    @Test
    void aRuleWithAClassLoadsWhenNoClassificationFileIsFound() throws Exception
    {
        final Path capture = IpsCaptureTesting.scapy("ips/many-flows.py", dir.resolve("many.pcap"), "3");
        final Path rules = Files.createDirectories(dir.resolve("bare")).resolve("local.rules");
        Files.writeString(rules, RULE);
        final Path eve = dir.resolve("eve.json");

        try (IpsPolicy policy = IpsPolicy.load(settings(rules, eve)))
        {
            assertTrue(policy.loadReport().startsWith("loaded 1 of 1 rules"), policy.loadReport());
        }
        IpsCaptureTesting.run(settings(rules, eve), capture);
        final JsonNode alert = IpsCaptureTesting.only(IpsCaptureTesting.lines(eve), "alert");
        assertEquals(3, alert.at("/alert/severity").asInt(), alert.toString());
        assertEquals("", alert.at("/alert/category").asText(), alert.toString());
    }

    @Test
    void aClassificationFileBesideTheRulesStillDecides() throws Exception
    {
        final Path rules = Files.createDirectories(dir.resolve("classed")).resolve("local.rules");
        Files.writeString(rules, RULE);
        Files.writeString(rules.resolveSibling("classification.config"),
            "config classification: trojan-activity,A Network Trojan was detected,1\n");

        try (IpsPolicy policy = IpsPolicy.load(settings(rules, dir.resolve("eve.json"))))
        {
            assertTrue(policy.loadReport().startsWith("loaded 0 of 1 rules"), policy.loadReport());
            assertTrue(policy.loadReport().contains("class 'policy-violation' is not in classification.config"),
                policy.loadReport());
        }
    }

    private static IpsSettings settings(final Path rules, final Path eve)
    {
        return new IpsSettings(List.of(rules), Map.of(), Map.of(), IpsMode.IDS, false, eve, null, null);
    }
}
