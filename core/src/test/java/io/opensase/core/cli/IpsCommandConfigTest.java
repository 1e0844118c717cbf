package io.opensase.core.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code opensase ips --config}: the variables, mode and other IPS settings come from an engine configuration,
 * read and checked as {@code run --config} reads it, or from a file of the ips and parser sections alone, without
 * the ports {@code run} needs; the command line's settings win over either. The capture
 * (cli/one-request.py) is one TCP session from 10.60.0.2:41000 to 192.0.2.60:8080 carrying
 * {@code GET /config-check}.
 */
class IpsCommandConfigTest
{
    private static final String PORTS = "ports:\n  - name: in\n    type: pcap\n    rx: in.pcap\n";
    private static final String RULE_HEAD = "tcp $HOME_NET any -> $EXTERNAL_NET $HTTP_PORTS";
    private static final String RULE_BODY = " (msg:\"config check\"; flow:established,to_server; "
        + "content:\"/config-check\"; sid:%d; rev:1;)\n";

    @TempDir
    static Path shared;

    private static Path capture;

    @TempDir
    Path temp;

    private Path rules;
    private Path configRules;
    private Path eve;
    private String err;

    @BeforeAll
    static void writeCapture() throws Exception
    {
        capture = shared.resolve("one-request.pcap");
        final Process python = new ProcessBuilder("/usr/bin/python3", "src/test/resources/cli/one-request.py",
            capture.toString()).inheritIO().start();
        assertEquals(0, python.waitFor(), "one-request.py");
    }

    @BeforeEach
    void writeRules() throws IOException
    {
        rules = Files.writeString(temp.resolve("local.rules"), "alert " + RULE_HEAD + RULE_BODY.formatted(1));
        configRules = Files.writeString(temp.resolve("config.rules"), "alert " + RULE_HEAD + RULE_BODY.formatted(9));
        eve = temp.resolve("eve.json");
    }

    @Test
    void shouldAlertWhenTheConfiguredHomeNetHoldsTheClientAndHttpPortsTheServerPort() throws IOException
    {
        final Path config = config("  address_vars: {HOME_NET: \"[10.60.0.0/24]\", EXTERNAL_NET: \"!$HOME_NET\"}\n"
            + "  port_vars: {HTTP_PORTS: \"[8080]\"}\n");

        assertEquals(0, ips("--config", config.toString()), err);

        final List<JsonNode> alerts = alerts();
        assertEquals(1, alerts.size(), alerts.toString());
        assertEquals(1, alerts.getFirst().at("/alert/signature_id").asInt());
        assertEquals("10.60.0.2", alerts.getFirst().path("src_ip").asText());
        assertEquals(8080, alerts.getFirst().path("dest_port").asInt());
        assertEquals("allowed", alerts.getFirst().at("/alert/action").asText());
        assertTrue(err.startsWith("opensase: --rules given: the rules of " + config + " (ips.rules) are not run\n"
            + "opensase: loaded 1 of 1 rules"), err);
    }

    @Test
    void shouldNotAlertWhenTheConfiguredHomeNetLeavesTheClientOut() throws IOException
    {
        final Path config = config("  address_vars: {HOME_NET: \"[10.61.0.0/24]\", EXTERNAL_NET: \"!$HOME_NET\"}\n"
            + "  port_vars: {HTTP_PORTS: \"[8080]\"}\n");

        assertEquals(0, ips("--config", config.toString()), err);

        assertEquals(List.of(), alerts());
        assertTrue(err.contains("loaded 1 of 1 rules"), err);
    }

    @Test
    void shouldNotAlertWhenTheConfiguredHttpPortsLeaveTheServerPortOut() throws IOException
    {
        final Path config = config("  address_vars: {HOME_NET: \"[10.60.0.0/24]\"}\n"
            + "  port_vars: {HTTP_PORTS: \"[80,8000]\"}\n");

        assertEquals(0, ips("--config", config.toString()), err);

        assertEquals(List.of(), alerts());
    }

    @Test
    void shouldTakeEveryVariableAsAnyWithoutAConfigurationOrItsIpsSection() throws IOException
    {
        assertEquals(0, ips(), err);
        assertEquals(1, alerts().size());

        Files.delete(eve);
        final Path config = Files.writeString(temp.resolve("engine.yaml"), PORTS);
        assertEquals(0, ips("--config", config.toString()), err);
        assertEquals(1, alerts().size());
        assertTrue(err.startsWith("opensase: loaded 1 of 1 rules"), "no note without configured rules: " + err);
    }

    @Test
    void shouldRunTheConfiguredRulesWhenNoRulesAreGiven() throws IOException
    {
        final Path config = config("  address_vars: {HOME_NET: \"[10.60.0.0/24]\"}\n");

        assertEquals(0, run("ips", "--pcap", capture.toString(), "--eve", eve.toString(), "--config",
            config.toString()), err);

        final List<JsonNode> alerts = alerts();
        assertEquals(1, alerts.size(), alerts.toString());
        assertEquals(9, alerts.getFirst().at("/alert/signature_id").asInt());
        assertTrue(err.startsWith("opensase: loaded 1 of 1 rules"), err);
    }

    @Test
    void shouldRefuseToRunWithoutRulesFromEitherPlace() throws IOException
    {
        final Path config = Files.writeString(temp.resolve("engine.yaml"), PORTS);

        assertEquals(2, run("ips", "--pcap", capture.toString(), "--eve", eve.toString(), "--config",
            config.toString()));
        assertTrue(err.startsWith("opensase: " + config + " has no ips section, so no rules to run: give --rules "
            + "FILE\n"), err);
        assertFalse(Files.exists(eve));
    }

    @Test
    void shouldBlockWithTheConfiguredIpsModeUnlessTheCommandLineSaysIds() throws IOException
    {
        Files.writeString(rules, "drop " + RULE_HEAD + RULE_BODY.formatted(2));
        final Path config = config("  mode: ips\n  address_vars: {HOME_NET: \"[10.60.0.0/24]\"}\n");

        assertEquals(0, ips("--config", config.toString()), err);
        final List<JsonNode> blocked = alerts();
        assertEquals(1, blocked.size(), blocked.toString());
        assertEquals(2, blocked.getFirst().at("/alert/signature_id").asInt());
        assertEquals("blocked", blocked.getFirst().at("/alert/action").asText());
        assertTrue(err.contains(", 1 dropped by rules or DLP,"), err);

        Files.delete(eve);
        assertEquals(0, ips("--config", config.toString(), "--mode", "ids"), err);
        final List<JsonNode> allowed = alerts();
        assertEquals(1, allowed.size(), allowed.toString());
        assertEquals("allowed", allowed.getFirst().at("/alert/action").asText());
    }

    @Test
    void shouldRefuseAnUnknownVariableWithTheLineRunNames() throws IOException
    {
        // Line 8, HOME_NET's own: ports take lines 1-4, then ips, rules, address_vars.
        final Path config = config("  address_vars:\n    HOME_NET: \"[$NO_SUCH_NET]\"\n");

        assertEquals(2, ips("--config", config.toString()));

        assertEquals("opensase: " + config + ":8: ips.address_vars.HOME_NET: not an address list: no address group "
            + "$NO_SUCH_NET is defined\n", err);
        assertFalse(err.contains("loaded"), "refused before the rules load: " + err);
        assertFalse(Files.exists(eve), "no EVE file is created");
        final String ipsMessage = err;
        assertEquals(2, run("run", "--config", config.toString()));
        assertEquals(ipsMessage, err, "the same message as run gives");
    }

    @Test
    void shouldRefuseBadYamlWithItsLine() throws IOException
    {
        // The flow mapping opened on line 6 is never closed; the parser notices at the end of the file.
        final Path config = config("  address_vars: {HOME_NET: \"[10.60.0.0/24]\"\n");

        assertEquals(2, ips("--config", config.toString()));

        assertTrue(err.startsWith("opensase: " + config + ":8: not valid YAML: "), err);
        assertFalse(Files.exists(eve), "no EVE file is created");
        final String ipsMessage = err;
        assertEquals(2, run("run", "--config", config.toString()));
        assertEquals(ipsMessage, err, "the same message as run gives");
    }

    @Test
    void shouldRefuseAMissingConfigurationLikeTheOtherInputs()
    {
        final Path absent = temp.resolve("absent.yaml");

        assertEquals(2, ips("--config", absent.toString()));

        assertEquals("opensase: " + absent + ": no such file (--config)\n", err);
        assertFalse(Files.exists(eve), "no EVE file is created");
    }

    @Test
    void shouldRefuseAnEveFileThatIsTheConfigurationOrOneOfItsRules() throws IOException
    {
        final Path config = config("");

        assertEquals(2, run("ips", "--rules", rules.toString(), "--pcap", capture.toString(), "--eve",
            config.toString(), "--config", config.toString()));
        assertEquals("opensase: " + config + ": the EVE file is an input of this run (" + config + "); give another "
            + "file\n", err);
        assertEquals(2, run("ips", "--pcap", capture.toString(), "--eve", configRules.toString(), "--config",
            config.toString()));
        assertEquals("opensase: " + configRules + ": the EVE file is an input of this run (" + configRules
            + "); give another file\n", err);
        assertTrue(Files.readString(configRules).startsWith("alert tcp"), "the rules are untouched");
    }

    @Test
    void shouldRunAConfigurationOfIpsAndParserSectionsWithoutPortsWhichRunRefuses() throws IOException
    {
        final Path config = Files.writeString(temp.resolve("ips.yaml"), "ips:\n  rules: [config.rules]\n"
            + "  address_vars: {HOME_NET: \"[10.60.0.0/24]\", EXTERNAL_NET: \"!$HOME_NET\"}\n"
            + "  port_vars: {HTTP_PORTS: \"[8080]\"}\nparser:\n  max_tunnel_depth: 2\n");

        assertEquals(0, run("ips", "--pcap", capture.toString(), "--eve", eve.toString(), "--config",
            config.toString()), err);

        final List<JsonNode> alerts = alerts();
        assertEquals(1, alerts.size(), alerts.toString());
        assertEquals(9, alerts.getFirst().at("/alert/signature_id").asInt());
        assertTrue(err.startsWith("opensase: loaded 1 of 1 rules"), err);
        assertEquals(2, run("run", "--config", config.toString()));
        assertEquals("opensase: " + config + ":1: ports: missing; at least one port is needed\n", err);
    }

    @Test
    void shouldRefuseABadValueOfAConfigurationWithoutPortsWithItsLine() throws IOException
    {
        final Path config = Files.writeString(temp.resolve("ips.yaml"), "ips:\n  rules: [config.rules]\n"
            + "  mode: inline\n");

        assertEquals(2, ips("--config", config.toString()));

        assertEquals("opensase: " + config + ":3: ips.mode: expected ids or ips, got 'inline'\n", err);
        assertFalse(Files.exists(eve), "no EVE file is created");
    }

    @Test
    void shouldRefuseAnEngineSectionInAConfigurationWithoutPorts() throws IOException
    {
        final Path config = Files.writeString(temp.resolve("ips.yaml"), "ips:\n  rules: [config.rules]\n"
            + "flows:\n  capacity: 16\n");

        assertEquals(2, ips("--config", config.toString()));

        assertEquals("opensase: " + config + ":3: flows: not in an IPS configuration, which holds only ips and "
            + "parser (a file with ports is an engine's)\n", err);
        assertFalse(Files.exists(eve), "no EVE file is created");
        final Path empty = Files.writeString(temp.resolve("empty.yaml"), "");
        assertEquals(2, ips("--config", empty.toString()));
        assertEquals("opensase: " + empty + ":1: the file is empty; at least 'ips' or 'ports' is needed\n", err);
    }

    /** An engine configuration whose ips section names config.rules, then {@code ipsFields}. */
    private Path config(final String ipsFields) throws IOException
    {
        return Files.writeString(temp.resolve("engine.yaml"), PORTS + "ips:\n  rules: [config.rules]\n" + ipsFields);
    }

    /** {@code opensase ips} with local.rules over the capture, and {@code more} options. */
    private int ips(final String... more)
    {
        final List<String> args = new ArrayList<>(List.of("ips", "--rules", rules.toString(), "--pcap",
            capture.toString(), "--eve", eve.toString()));
        args.addAll(List.of(more));
        return run(args.toArray(String[]::new));
    }

    private List<JsonNode> alerts() throws IOException
    {
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

    private int run(final String... args)
    {
        final CommandOutput result = CommandOutput.of(args);
        err = result.err();
        return result.status();
    }
}
