package io.opensase.core.config;

import io.opensase.core.events.EventsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class EventsSectionTest
{
    private static final Path FILE = Path.of("/etc/opensase/ops.yaml");
    private static final String PORTS = """
        ports:
          - name: branch
            type: pcap
            rx: in.pcap
        """;

    @Test
    void shouldLeaveEventsOutWhenNotConfigured() throws ConfigException
    {
        assertNull(ConfigLoader.parse(FILE, PORTS).events());
    }

    @Test
    void shouldTakeTheDefaultsAndResolveTheFolderAgainstTheConfigFolder() throws ConfigException
    {
        assertEquals(EventsConfig.in(Path.of("/etc/opensase/log/eve")),
            ConfigLoader.parse(FILE, PORTS + "events: {dir: log/eve/}\n").events());
        assertEquals(new EventsConfig(Path.of("/etc/opensase/log/eve"), 100L << 20, 10, 4096), EventsConfig.in(
            Path.of("/etc/opensase/log/eve")));
    }

    @Test
    void shouldReadEveryField() throws ConfigException
    {
        final EventsConfig events = ConfigLoader.parse(FILE, PORTS + """
            events:
              dir: /var/log/opensase
              max_file_bytes: 4_294_967_296
              max_files: 1
              queue_slots: 65536
              record_queue_bytes: 1048576
            """).events();

        assertEquals(new EventsConfig(Path.of("/var/log/opensase"), 1L << 32, 1, 65536, 1 << 20), events);
    }

    @Test
    void shouldCarryEventsThroughEveryWithMethod() throws ConfigException
    {
        final EngineConfig config = ConfigLoader.parse(FILE, PORTS + "events: {dir: eve}\n");
        final EventsConfig events = config.events();

        for (final EngineConfig changed : new EngineConfig[] {config.withWorkers(2), config.withReport(Path.of("r")),
            config.withDuration(5), config.withDpdk(DpdkConfig.DEFAULT), config.withFirewall(null),
            config.withFlows(FlowConfig.DEFAULT), config.withMalformed(MalformedAction.DROP), config.withControl(null),
            config.withAudit(null)})
        {
            assertEquals(events, changed.events());
        }
        assertNull(config.withEvents(null).events());
        assertNull(EngineConfig.forCapture(Path.of("in.pcap"), null).events());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        not a mapping      | 'events: eve'                                   | 1 | events                | expected a mapping of dir, max_file_bytes, max_files, queue_slots, record_queue_bytes
        unknown field      | 'events:\\n  dir: eve\\n  rotate: daily'        | 3 | events.rotate         | unknown field; allowed here: dir, max_file_bytes, max_files, queue_slots, record_queue_bytes
        dir missing        | 'events:\\n  max_files: 3'                      | 2 | events.dir            | missing; this field is required
        dir empty          | 'events:\\n  dir: '''''                         | 2 | events.dir            | expected a folder name, got ''
        size too small     | 'events:\\n  dir: eve\\n  max_file_bytes: 4095' | 3 | events.max_file_bytes | must be 4096..1099511627776 bytes, got 4095
        size not a number  | 'events:\\n  dir: eve\\n  max_file_bytes: 1GB'  | 3 | events.max_file_bytes | expected a number of bytes 4096..1099511627776, got '1GB'
        no files           | 'events:\\n  dir: eve\\n  max_files: 0'         | 3 | events.max_files      | must be 1..1000, got 0
        slots not a power  | 'events:\\n  dir: eve\\n  queue_slots: 1000'    | 3 | events.queue_slots    | must be a power of two 64..262144, got 1000
        slots too many     | 'events:\\n  dir: eve\\n  queue_slots: 524288'  | 3 | events.queue_slots    | must be 64..262144, got 524288
        bytes not a power  | 'events:\\n  dir: eve\\n  record_queue_bytes: 200000' | 3 | events.record_queue_bytes | must be a power of two 131072..268435456, got 200000
        bytes too few      | 'events:\\n  dir: eve\\n  record_queue_bytes: 65536' | 3 | events.record_queue_bytes | must be 131072..268435456, got 65536
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
}
