package io.opensase.core.control;

import io.opensase.core.config.EngineConfig;
import io.opensase.core.events.EventsConfig;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The writer's folder, rotation and queues are set up at start: a reload that changes them says so. */
class EventsNeedRestartTest
{
    @Test
    void shouldNameEventsAsNeedingARestartWhenTheyChange()
    {
        final EngineConfig none = EngineConfig.forCapture(Path.of("in.pcap"), null);
        final EngineConfig some = none.withEvents(EventsConfig.in(Path.of("/var/log/opensase")));

        assertEquals(List.of("events"), ConfigReloader.needsRestart(none, some));
        assertEquals(List.of("events"), ConfigReloader.needsRestart(some, none));
        assertEquals(List.of("events"), ConfigReloader.needsRestart(some,
            some.withEvents(new EventsConfig(Path.of("/var/log/opensase"), 1 << 20, 10, 4096))));
        assertEquals(List.of(), ConfigReloader.needsRestart(some,
            some.withEvents(EventsConfig.in(Path.of("/var/log/opensase")))));
    }
}
