package io.opensase.core;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Chronicle libraries send usage analytics to an outside host unless told not to. Every JVM the project
 * starts must say so: the test JVMs (this test fails without the flag) and the launcher.
 */
class ChronicleAnalyticsGuardTest
{
    @Test
    void shouldRunTestsWithChronicleAnalyticsDisabled()
    {
        assertEquals("true", System.getProperty("chronicle.analytics.disable"),
            "surefire's argLine must pass -Dchronicle.analytics.disable=true");
    }

    @Test
    void shouldLaunchTheProductWithChronicleAnalyticsDisabled() throws IOException
    {
        final String launcher = Files.readString(Path.of("..", "bin", "opensase"));
        assertTrue(launcher.contains("-Dchronicle.analytics.disable=true"), "bin/opensase must pass the flag");
    }
}
