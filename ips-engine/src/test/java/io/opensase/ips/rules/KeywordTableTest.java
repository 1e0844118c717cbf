package io.opensase.ips.rules;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/** The keyword table is the one list of what the engine enforces: the README must document exactly it. */
class KeywordTableTest
{
    private static final Pattern ROW = Pattern.compile("^\\| `([^`]+)` \\| ([a-z ]+) \\|");

    @Test
    void shouldDocumentEveryKeywordOfTheTableAndNoOther() throws IOException
    {
        final String readme = Files.readString(Path.of("README.md"));
        final String section = readme.substring(readme.indexOf("### Keywords"), readme.indexOf("**Buffers and"));
        final Set<String> documented = new LinkedHashSet<>();
        for (final String line : section.split("\n"))
        {
            final Matcher m = ROW.matcher(line);
            if (m.find())
            {
                documented.add(m.group(1));
                final Keyword keyword = Keyword.byName(m.group(1));
                assertNotNull(keyword, "README documents " + m.group(1) + ", which the table lacks");
                assertEquals(kind(keyword), m.group(2), m.group(1));
            }
        }
        final Set<String> table = Arrays.stream(Keyword.values()).map(Keyword::ruleName)
            .collect(Collectors.toCollection(LinkedHashSet::new));
        assertEquals(table, documented.stream().filter(table::contains).collect(Collectors.toSet()));
        assertEquals(table.size(), documented.size());
    }

    @Test
    void shouldGiveABufferToBufferKeywordsOnly()
    {
        for (final Keyword keyword : Keyword.values())
        {
            final boolean buffered = keyword.kind() == Keyword.Kind.STICKY_BUFFER
                || keyword.kind() == Keyword.Kind.LEGACY_MODIFIER;
            if (buffered)
            {
                assertNotNull(keyword.buffer(), keyword.ruleName());
            }
            else
            {
                assertNull(keyword.buffer(), keyword.ruleName());
            }
            assertSame(keyword, Keyword.byName(keyword.ruleName()));
        }
    }

    @Test
    void shouldNameEveryBufferByItsCurrentKeyword()
    {
        for (final Buffer buffer : Buffer.values())
        {
            if (buffer != Buffer.PAYLOAD)
            {
                assertSame(buffer, Keyword.byName(buffer.ruleName()).buffer(), buffer.name());
            }
        }
    }

    private static String kind(final Keyword keyword)
    {
        return switch (keyword.kind())
        {
            case META -> "meta";
            case OUTPUT -> "output";
            case PAYLOAD -> "payload";
            case CONTENT_MODIFIER -> "content modifier";
            case STICKY_BUFFER -> "sticky buffer";
            case LEGACY_MODIFIER -> "legacy content modifier";
            case PACKET -> "packet";
            case FLOW -> "flow";
            case APP_LAYER -> "app layer";
            case STATE -> "state";
            case RATE -> "rate";
        };
    }
}
