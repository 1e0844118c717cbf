package io.opensase.core.control;

import io.opensase.core.config.ConfigLoader;
import io.opensase.core.config.EngineConfig;
import io.opensase.core.engine.Engine;
import io.opensase.core.firewall.PolicySnapshot;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reloading a configuration file into an engine: what is applied, what is refused, what waits for a restart. */
class ConfigReloaderTest
{
    private static final String PORTS = """
        ports:
          - name: branch
            type: pcap
            rx: in.pcap
        """;
    private static final String TENANTS = """
        firewall:
          tenants:
            - name: acme
              select: [{prefix: 10.1.0.0/16}]
              rules:
                - {name: web, action: allow, protocol: tcp, destination_ports: 80}
            - name: globex
              select: [{prefix: 10.2.0.0/16}]
        """;

    @TempDir
    Path temp;
    private Path file;
    private Engine engine;
    private ConfigReloader reloader;

    @BeforeEach
    void start() throws Exception
    {
        file = temp.resolve("opensase.yaml");
        Files.writeString(file, PORTS + TENANTS);
        final UnaryOperator<EngineConfig> overrides = config -> config.withWorkers(2);
        final EngineConfig config = overrides.apply(ConfigLoader.load(file));
        engine = new Engine(config);
        reloader = new ConfigReloader(file, overrides, engine, config, Files.readString(file));
    }

    @Test
    void shouldApplyANewPolicyAsTheNextGenerationWithTenantIdsKeptByName() throws Exception
    {
        final PolicySnapshot before = engine.firewallPolicy();
        Files.writeString(file, PORTS + """
            firewall:
              tenants:
                - name: initech
                  select: [{prefix: 10.3.0.0/16}]
                - name: globex
                  select: [{prefix: 10.2.0.0/16}]
                - name: acme
                  select: [{prefix: 10.1.0.0/16}]
                  rules:
                    - {name: web, action: allow, protocol: tcp, destination_ports: 80}
            """);

        final ReloadOutcome outcome = reloader.reload();

        assertEquals(ReloadOutcome.Status.APPLIED, outcome.status(), outcome.summary());
        assertEquals(2, outcome.generation());
        assertEquals(List.of(), outcome.needsRestart(), "--workers 2 is applied to the reloaded file too");
        final PolicySnapshot after = engine.firewallPolicy();
        assertEquals(2, after.generation());
        assertEquals("acme", after.tenant(1).config().name());
        assertEquals("globex", after.tenant(2).config().name());
        assertEquals("initech", after.tenant(3).config().name());
        assertSame(before.tenant(1), after.tenant(1), "acme is unchanged: its compiled rules are reused");
        assertEquals(ConfigReloader.digest(Files.readString(file)), outcome.digest());
    }

    @Test
    void shouldKeepTheRunningPolicyWhenTheFileIsInvalid() throws Exception
    {
        final PolicySnapshot before = engine.firewallPolicy();
        Files.writeString(file, PORTS + TENANTS.replace("destination_ports: 80", "destination_ports: 80000"));

        final ReloadOutcome outcome = reloader.reload();

        assertEquals(ReloadOutcome.Status.INVALID, outcome.status());
        assertTrue(outcome.error().startsWith(file + ":10: "), outcome.error());
        assertTrue(outcome.error().contains("80000"), outcome.error());
        assertEquals(1, outcome.generation());
        assertSame(before, engine.firewallPolicy());
        assertEquals(PORTS + TENANTS, reloader.runningText());
    }

    @Test
    void shouldNameWhatNeedsARestartAndStillApplyTheRest() throws Exception
    {
        Files.writeString(file, PORTS.replace("rx: in.pcap", "rx: other.pcap") + """
            flows:
              capacity: 1024
            firewall:
              timeouts: {tcp_opening: 5s}
              tenants:
                - name: acme
                  select: [{prefix: 10.1.0.0/16}]
                  default: allow
            """);

        final ReloadOutcome outcome = reloader.reload();

        assertEquals(ReloadOutcome.Status.APPLIED, outcome.status(), outcome.summary());
        assertEquals(List.of("ports", "flows", "firewall.timeouts.tcp_opening"), outcome.needsRestart());
        assertEquals(1, engine.firewallPolicy().config().tenants().size());
        assertEquals(60_000_000_000L, engine.firewallPolicy().config().tcpOpeningNs(), "timeouts stay as started");
        assertTrue(outcome.summary().endsWith("not applied, needs a restart: ports, flows, firewall.timeouts.tcp_opening"),
            outcome.summary());
    }

    @Test
    void shouldChangeNothingWhenTheFileSaysTheSame() throws Exception
    {
        Files.writeString(file, "# only a comment is new\n" + PORTS + TENANTS);

        final ReloadOutcome outcome = reloader.reload();

        assertEquals(ReloadOutcome.Status.UNCHANGED, outcome.status());
        assertEquals(1, engine.firewallPolicy().generation());
    }

    @Test
    void shouldValidateWithoutApplyingThenWriteTheFileKeepingThePreviousOne() throws Exception
    {
        final String next = PORTS + TENANTS.replace("destination_ports: 80", "destination_ports: 443");

        final ReloadOutcome checked = reloader.put(next, true);
        assertEquals(ReloadOutcome.Status.VALID, checked.status());
        assertEquals(PORTS + TENANTS, Files.readString(file), "validate-only writes nothing");
        assertEquals(1, engine.firewallPolicy().generation());

        final ReloadOutcome applied = reloader.put(next, false);
        assertEquals(ReloadOutcome.Status.APPLIED, applied.status());
        assertEquals(next, Files.readString(file));
        assertEquals(PORTS + TENANTS, Files.readString(temp.resolve("opensase.yaml.previous")));
        assertEquals(ReloadOutcome.Status.UNCHANGED, reloader.reload().status(), "the file is the source of truth");
    }

    @Test
    void shouldRefuseAnInvalidPutWithoutTouchingTheFile() throws Exception
    {
        final ReloadOutcome outcome = reloader.put(PORTS + "firewall: [", false);

        assertEquals(ReloadOutcome.Status.INVALID, outcome.status());
        assertEquals(PORTS + TENANTS, Files.readString(file));
        assertTrue(Files.notExists(temp.resolve("opensase.yaml.previous")));
    }

    @Test
    void shouldReportAFileThatCannotBeRead() throws Exception
    {
        Files.delete(file);

        final ReloadOutcome outcome = reloader.reload();

        assertEquals(ReloadOutcome.Status.FAILED, outcome.status());
        assertTrue(outcome.error().startsWith(file + ": cannot read the file"), outcome.error());
        assertNull(outcome.digest());
    }
}
