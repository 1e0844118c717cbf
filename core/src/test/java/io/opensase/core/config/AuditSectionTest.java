package io.opensase.core.config;

import io.opensase.core.control.api.ControlApiConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AuditSectionTest
{
    private static final Path FILE = Path.of("/etc/opensase/ops.yaml");
    private static final String PORTS = """
        ports:
          - name: branch
            type: pcap
            rx: in.pcap
        """;

    @Test
    void shouldLeaveTheAuditLogOutWhenNotConfigured() throws ConfigException
    {
        assertNull(ConfigLoader.parse(FILE, PORTS).audit());
    }

    @Test
    void shouldReadTheThreeFilesAndResolveThemAgainstTheConfigFolder() throws ConfigException
    {
        final AuditConfig audit = ConfigLoader.parse(FILE, PORTS + """
            audit:
              log: audit/audit.log
              anchor: ../../var/lib/opensase/anchor
              key: /etc/opensase/keys/./audit.key
            """).audit();

        assertEquals(new AuditConfig(Path.of("/etc/opensase/audit/audit.log"), Path.of("/var/lib/opensase/anchor"),
            Path.of("/etc/opensase/keys/audit.key")), audit);
    }

    @Test
    void shouldReadTheBundledOperationsExampleWithoutItsTokensFile() throws Exception
    {
        final Path file = Path.of("..", "configs", "operations.yaml").toAbsolutePath().normalize();
        final EngineConfig config = ConfigLoader.load(file);

        assertNotNull(config.firewall());
        final ControlApiConfig control = config.control();
        assertEquals(ControlApiConfig.defaults(file.resolveSibling("api-tokens")), control,
            "the example spells out every default");
        assertFalse(Files.exists(control.tokensFile()), "loading records the tokens file; the API reads it at start");
        assertEquals(new AuditConfig(Path.of("/var/lib/opensase/audit/audit.log"),
            Path.of("/var/lib/opensase/audit-anchor/audit.anchor"), Path.of("/var/lib/opensase/audit-key/audit.key")),
            config.audit());
    }

    @Test
    void shouldCarryControlAndAuditThroughEveryWithMethod() throws ConfigException
    {
        final EngineConfig config = ConfigLoader.parse(FILE, PORTS + """
            control: {tokens: t}
            audit: {log: /a/log, anchor: /b/anchor, key: /c/key}
            """);
        final ControlApiConfig control = config.control();
        final AuditConfig audit = config.audit();

        for (final EngineConfig changed : new EngineConfig[] {config.withWorkers(2), config.withReport(Path.of("r")),
            config.withDuration(5), config.withDpdk(DpdkConfig.DEFAULT), config.withFirewall(null),
            config.withFlows(FlowConfig.DEFAULT), config.withMalformed(MalformedAction.DROP)})
        {
            assertEquals(control, changed.control());
            assertEquals(audit, changed.audit());
        }
        final ControlApiConfig other = control.withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(2));
        assertEquals(other, config.withControl(other).control());
        assertEquals(audit, config.withControl(other).audit());
        assertNull(config.withAudit(null).audit());
        assertEquals(control, config.withAudit(null).control());
        assertNull(EngineConfig.forCapture(Path.of("in.pcap"), null).control());
        assertNull(EngineConfig.forCapture(Path.of("in.pcap"), null).audit());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        not a mapping           | 'audit: /var/log/audit.log'                                                       | 1 | audit        | expected a mapping of anchor, key, log
        unknown field           | 'audit:\\n  log: a/l\\n  anchor: b/a\\n  key: c/k\\n  mode: 600'                  | 5 | audit.mode   | unknown field; allowed here: anchor, key, log
        log missing             | 'audit:\\n  anchor: b/a\\n  key: c/k'                                             | 2 | audit.log    | missing; this field is required
        anchor missing          | 'audit:\\n  log: a/l\\n  key: c/k'                                                | 2 | audit.anchor | missing; this field is required
        key missing             | 'audit:\\n  log: a/l\\n  anchor: b/a'                                             | 2 | audit.key    | missing; this field is required
        log a folder            | 'audit:\\n  log: /var/log/\\n  anchor: b/a\\n  key: c/k'                          | 2 | audit.log    | '/var/log/' names a folder; expected a file
        anchor empty            | 'audit:\\n  log: a/l\\n  anchor: ''''\\n  key: c/k'                               | 3 | audit.anchor | expected a file name, got nothing
        key a list              | 'audit:\\n  log: a/l\\n  anchor: b/a\\n  key: [c]'                                | 4 | audit.key    | expected a single value
        anchor beside the log   | 'audit:\\n  log: /var/log/os/audit.log\\n  anchor: /var/log/os/anchor\\n  key: c/k' | 3 | audit.anchor | /var/log/os/anchor is inside the log's folder /var/log/os; keep it elsewhere, so that whoever can change the log cannot change it too
        key below the log       | 'audit:\\n  log: /var/log/os/audit.log\\n  anchor: b/a\\n  key: /var/log/os/k/key' | 4 | audit.key    | /var/log/os/k/key is inside the log's folder /var/log/os; keep it elsewhere, so that whoever can change the log cannot change it too
        key relative, inside    | 'audit:\\n  log: audit/audit.log\\n  anchor: b/a\\n  key: x/../audit/key'        | 4 | audit.key    | /etc/opensase/audit/key is inside the log's folder /etc/opensase/audit; keep it elsewhere, so that whoever can change the log cannot change it too
        anchor is the log       | 'audit:\\n  log: a/l\\n  anchor: /etc/opensase/a/l\\n  key: c/k'                 | 3 | audit.anchor | names the same file as log (/etc/opensase/a/l)
        key is the log          | 'audit:\\n  log: a/l\\n  anchor: b/a\\n  key: ./a/l'                              | 4 | audit.key    | names the same file as log (/etc/opensase/a/l)
        key is the anchor       | 'audit:\\n  log: a/l\\n  anchor: b/a\\n  key: b/x/../a'                           | 4 | audit.key    | names the same file as anchor (/etc/opensase/b/a)
        """)
    void shouldRejectBadFieldsWithLineAndReason(
        final String name, final String yaml, final int line, final String field, final String reason)
    {
        final ConfigException error = assertThrows(ConfigException.class,
            () -> ConfigLoader.parse(FILE, PORTS + yaml.replace("\\n", "\n") + "\n"));

        assertEquals(FILE, error.file());
        assertEquals(line + 4, error.line(), error.getMessage());
        assertEquals(field, error.field(), error.getMessage());
        assertEquals(reason, error.reason(), error.getMessage());
    }

    @Test
    void shouldRefuseABadCombinationWhenBuiltDirectly()
    {
        final IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
            () -> new AuditConfig(Path.of("/l/log"), Path.of("/a/anchor"), Path.of("/l/key")));
        assertEquals("key: /l/key is inside the log's folder /l; keep it elsewhere, so that whoever can change the "
            + "log cannot change it too", error.getMessage());
    }
}
