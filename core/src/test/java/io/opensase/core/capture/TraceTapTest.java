package io.opensase.core.capture;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/** A tap's ring: entries come out in order, a full ring counts what it refused, a new trace starts clean. */
class TraceTapTest
{
    @Test
    void shouldKeepOrderCountWhatAFullRingRefusesAndStartTheNextTraceClean()
    {
        final TraceTap tap = new TraceTap();
        assertNull(tap.filter(), "disarmed until a trace starts");
        tap.arm(PacketFilter.ANY);
        assertSame(PacketFilter.ANY, tap.filter());
        for (int p = 0; p < TraceTap.SLOTS + 5; p++)
        {
            tap.record(p, 60, 1, p, -1, (byte)0, 1);
        }
        assertEquals(5, tap.missed());

        final List<TraceTap.Entry> entries = new ArrayList<>();
        tap.drain(3, entries);
        assertEquals(TraceTap.SLOTS, entries.size());
        for (int p = 0; p < entries.size(); p++)
        {
            assertEquals(p, entries.get(p).timestampNs());
            assertEquals(3, entries.get(p).worker());
        }

        tap.record(99, 60, 1, 99, -1, (byte)0, 1);
        tap.disarm();
        tap.arm(PacketFilter.ANY);
        final List<TraceTap.Entry> next = new ArrayList<>();
        tap.drain(0, next);
        assertEquals(List.of(), next, "what was left from the last trace is skipped");
        assertEquals(0, tap.missed());
    }
}
