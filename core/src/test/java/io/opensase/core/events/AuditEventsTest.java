package io.opensase.core.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opensase.core.audit.AuditKey;
import io.opensase.core.audit.AuditLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Audit log entries reach eve.json as EVE audit lines, member for member, through the writer's audit queue. */
class AuditEventsTest
{
    @TempDir
    Path temp;

    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void shouldWriteEachEntryOfTheLogAsAnAuditLine() throws Exception
    {
        final Path secrets = Files.createDirectories(temp.resolve("secrets"));
        AuditKey.generate(secrets.resolve("audit.key"));
        final Path logs = Files.createDirectories(temp.resolve("logs"));
        final Path eve = Files.createDirectories(temp.resolve("eve"));
        final EventWriter writer = new EventWriter(EventsConfig.in(eve), 1, new TenantNames(), 0);
        final AuditEvents events = new AuditEvents();
        try (AuditLog audit = AuditLog.open(logs.resolve("audit.log"), secrets.resolve("audit.anchor"),
            secrets.resolve("audit.key")))
        {
            assertFalse(events.offer(audit.append("ops", "capture", "started", null, "before the run")),
                "no run writes events yet");
            writer.start();
            events.writeTo(writer.auditQueue());
            assertTrue(events.offer(audit.append("ops", "reload", "applied", "a".repeat(64), null)));
            assertTrue(events.offer(audit.append("opensase", "config_put", "invalid", "b".repeat(64),
                "line 3: \"x\" is not a number")));
            events.writeTo(null);
            assertTrue(writer.close(TimeUnit.SECONDS.toNanos(10)));
        }

        final List<String> entries = Files.readAllLines(logs.resolve("audit.log"), StandardCharsets.UTF_8);
        final List<String> lines = Files.readAllLines(eve.resolve(EventWriter.FILE_NAME), StandardCharsets.UTF_8);
        assertEquals(3, entries.size());
        assertEquals(2, lines.size(), "the entries written while the run was under way");
        for (int i = 0; i < lines.size(); i++)
        {
            final JsonNode entry = mapper.readTree(entries.get(i + 1));
            final JsonNode line = mapper.readTree(lines.get(i));
            assertEquals("audit", line.get("event_type").asText());
            assertEquals(entry, line.get("audit"), "every member of the entry, as the log has it");
            final String time = entry.get("time").asText();
            assertEquals(time.substring(0, 23) + "000+0000", line.get("timestamp").asText());
        }
        assertNull(mapper.readTree(lines.getFirst()).get("audit").get("detail"));
        final EventStats stats = writer.stats();
        assertEquals(2, stats.auditQueued());
        assertEquals(0, stats.auditDropped());
        assertEquals(2, stats.written());
    }
}
