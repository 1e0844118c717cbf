package io.opensase.classifiers.app;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FlowSlotsTest
{
    @Test
    void handsOutEverySlotOnceThenRefuses()
    {
        final FlowSlots slots = new FlowSlots(3);
        assertEquals(0, slots.take());
        assertEquals(1, slots.take());
        assertEquals(2, slots.take());
        assertEquals(-1, slots.take());
        assertEquals(3, slots.takenCount());
    }

    @Test
    void aReleasedSlotIsTakenAgainAndADoubleReleaseChangesNothing()
    {
        final FlowSlots slots = new FlowSlots(2);
        slots.take();
        slots.take();
        assertTrue(slots.release(1));
        assertFalse(slots.release(1));
        assertFalse(slots.isTaken(1));
        assertEquals(1, slots.takenCount());
        assertEquals(1, slots.take());
        assertEquals(-1, slots.take());
    }

    @Test
    void refusesAnEmptyPool()
    {
        assertThrows(IllegalArgumentException.class, () -> new FlowSlots(0));
    }
}
