package io.opensase.ips.dataset;

import net.openhft.chronicle.map.ChronicleMap;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Chronicle Map starts in the test JVM: the opens it needs on Java 25 are passed, and analytics are off. */
class ChronicleMapRunsTest
{
    @Test
    void analyticsAreDisabledInEveryTestJvm()
    {
        assertEquals("true", System.getProperty("chronicle.analytics.disable"),
            "Chronicle libraries send usage analytics to an outside host unless this property is set");
    }

    @Test
    void storesAndReadsAValue()
    {
        try (ChronicleMap<CharSequence, Long> map = ChronicleMap.of(CharSequence.class, Long.class)
            .averageKeySize(16).entries(1_000).create())
        {
            map.put("evil.example", 7L);
            assertEquals(7L, map.get("evil.example"));
        }
    }
}
