package io.opensase.core.ips;

import io.opensase.core.events.EveRecord;
import io.opensase.core.events.EveRenderer;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Values kept by {@link AppText}, as the lines that carry them show them (expected lines written by hand). */
class AppTextTest
{
    private final EveRecord record = new EveRecord(1 << 20, 1 << 18);
    private final EveRenderer renderer = new EveRenderer();

    private String line(final AppText text)
    {
        record.begin();
        text.write(record, "v");
        renderer.render(record.end());
        return renderer.text();
    }

    @Test
    void shouldTellAnAbsentValueFromAnEmptyOne()
    {
        final AppText text = new AppText();
        final MemorySegment bytes = MemorySegment.ofArray("GET".getBytes(StandardCharsets.US_ASCII));

        assertEquals("{}", line(text));
        text.set(bytes, 0, 0);
        assertEquals("{\"v\":\"\"}", line(text));
        text.setNonEmpty(bytes, 0, 0);
        assertFalse(text.present());
        text.setNonEmpty(bytes, 1, 2);
        assertEquals("{\"v\":\"ET\"}", line(text));
    }

    @Test
    void shouldReuseItsBufferForAShorterValue()
    {
        final AppText text = new AppText();
        text.set(MemorySegment.ofArray("/a/long/path".getBytes(StandardCharsets.US_ASCII)), 0, 12);
        text.set(MemorySegment.ofArray("/b".getBytes(StandardCharsets.US_ASCII)), 0, 2);

        assertEquals("{\"v\":\"/b\"}", line(text));
    }

    @Test
    void shouldCutAValuePastItsLimitAndMarkTheLine()
    {
        final byte[] value = new byte[AppText.MAX_BYTES + 5];
        Arrays.fill(value, (byte)'a');
        final AppText text = new AppText();
        text.set(MemorySegment.ofArray(value), 0, value.length);

        assertEquals(AppText.MAX_BYTES, text.length());
        assertEquals("{\"v\":\"" + "a".repeat(AppText.MAX_BYTES) + "\",\"truncated\":true}", line(text));

        text.set(MemorySegment.ofArray(value), 0, AppText.MAX_BYTES);
        assertEquals("{\"v\":\"" + "a".repeat(AppText.MAX_BYTES) + "\"}", line(text));
        assertTrue(text.present());
    }
}
