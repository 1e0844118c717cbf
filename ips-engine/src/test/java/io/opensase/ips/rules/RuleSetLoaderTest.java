package io.opensase.ips.rules;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RuleSetLoaderTest
{
    /** Line numbers are those of the rule's first line; the comments say what each line holds. */
    private static final String FILE = String.join("\n",
        "# a comment",                                                                  // 1
        "#alert tcp any any -> any any (msg:\"disabled\"; sid:99;)",                  // 2
        "",                                                                             // 3
        "alert tcp any any -> any any (msg:\"one\"; \\",                               // 4
        "  content:\"a\"; sid:1;)",                                                    // 5
        "alert tcp any any -> any any (msg:\"bad\"; content:\"x\"; depth:0; sid:2;)",  // 6
        "   alert udp any any -> any any (msg:\"indented\"; sid:3;)\r",                // 7
        "alert smtp any any -> any any (sid:4;)",                                      // 8
        "alert tcp any any -> any any (foo; sid:5;)",                                  // 9
        "alert tcp any any -> any any (msg:\"same rev\"; sid:1;)",                     // 10
        "alert tcp any any -> any any (msg:\"newer\"; sid:3; rev:2;)",                 // 11
        "alert tcp any any -> any any (msg:\"three \\",                                // 12
        "lines\"; \\",                                                                 // 13
        "sid:6;)",                                                                      // 14
        "   # alert tcp any any -> any any (sid:7;)",                                  // 15
        "alert tcp any any -> any any (msg:\"last, no newline\"; sid:8;)");            // 16

    private final RuleSetLoader loader = new RuleSetLoader(Variables.suricataDefaults(), null);

    /**
     * Found by a tester: a rule naming a variable of 100,000 characters made one report line of 200,000 (the name
     * in the reason's key and again in its detail). Both are cut at 200 characters, with the length said.
     */
    @Test
    void shouldCutLongRuleTextInTheReport()
    {
        final String name = "A".repeat(100_000);
        final RuleSet set = loader.loadText("alert tcp $" + name + " any -> any any (sid:1;)");

        final String[] lines = set.report().split(System.lineSeparator());
        assertEquals(2, lines.length, set.report());
        assertTrue(lines[1].length() < 600, lines[1].length() + " characters");
        final String key = "undefined variable: $" + "A".repeat(100_000);
        assertTrue(lines[1].startsWith("     1  " + key.substring(0, 200) + "... (100021 characters)"),
            lines[1].substring(0, 300));
    }

    /**
     * Found by a tester: the load report echoed a rule's raw bytes, a terminal escape among them. Bytes below
     * 0x20 or above 0x7E, and backslashes, are now written as {@code \\xHH} and {@code \\\\}.
     */
    @Test
    void shouldEscapeWhatIsNotPrintableInTheReport(@TempDir final Path dir) throws IOException
    {
        final Path file = dir.resolve("raw.rules");
        Files.write(file, ("alert tcp any any -> any any (msg:\"x\"; \u001b[31mred\u001b[0m; sid:2;)\n"
            + "alert tcp any any -> any any (msg:\"x\"; fo\\o\u00e9; sid:3;)\n").getBytes(StandardCharsets.ISO_8859_1));
        final String report = RuleSetLoader.load(file, Variables.suricataDefaults()).report();
        assertEquals(String.join("\n",
            "loaded 0 of 2 rules (0.0%), skipped 2",
            "     1  unknown keyword: \\x1b[31mred\\x1b[0m  (first: raw.rules:1: keyword '\\x1b[31mred\\x1b[0m' is "
                + "not in the supported subset)",
            "     1  unknown keyword: fo\\\\o\\xe9  (first: raw.rules:2: keyword 'fo\\\\o\\xe9' is not in the "
                + "supported subset)",
            ""), report.replace(System.lineSeparator(), "\n"));
        for (final char c : report.toCharArray())
        {
            assertTrue(c == '\n' || c == '\r' || c >= 0x20 && c <= 0x7E, "unescaped " + (int)c);
        }
    }

    @Test
    void shouldLoadEveryGoodRuleAndSkipEveryBadOneWithItsLine()
    {
        final RuleSet set = loader.loadText(FILE);

        assertEquals(List.of(1L, 3L, 6L, 8L), set.rules().stream().map(Rule::sid).toList());
        assertEquals(List.of(4, 11, 12, 16), set.rules().stream().map(r -> r.origin().line()).toList());
        assertEquals("one", set.rules().get(0).meta().msg());
        assertEquals("alert tcp any any -> any any (msg:\"one\";   content:\"a\"; sid:1;)", set.rules().get(0).text());
        assertEquals("newer", set.rules().get(1).meta().msg());
        assertEquals("three lines", set.rules().get(2).meta().msg());

        assertEquals(List.of(6, 8, 9, 10, 7), set.skipped().stream().map(s -> s.origin().line()).toList());
        assertEquals(List.of("bad value: depth", "unsupported protocol: smtp", "unknown keyword: foo",
            "duplicate sid: 1:1", "duplicate sid: 1:3"), set.skipped().stream().map(s -> s.reason().group()).toList());
        assertEquals("0 is outside 1..65535", set.skipped().get(0).reason().detail());
        assertEquals("rev 0 dropped for rev 0 at <text>:4", set.skipped().get(3).reason().detail());
        assertEquals("rev 0 dropped for rev 2 at <text>:11", set.skipped().get(4).reason().detail());
        assertEquals(9, set.total());
        assertEquals(100.0 * 4 / 9, set.loadedPercent(), 1e-9);
    }

    @Test
    void shouldReportSkipReasonsLargestFirst()
    {
        final RuleSet set = loader.loadText(String.join("\n",
            "alert smtp any any -> any any (sid:1;)",
            "alert ftp any any -> any any (sid:2;)",
            "alert smtp any any -> any any (sid:3;)",
            "alert ip any any -> any any (sid:4;)"));

        assertEquals(Map.of("unsupported protocol: smtp", 2, "unsupported protocol: ftp", 1),
            Map.copyOf(set.skippedByReason().entrySet().stream()
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> e.getValue().size()))));
        assertEquals(List.of("unsupported protocol: smtp", "unsupported protocol: ftp"),
            List.copyOf(set.skippedByReason().keySet()));
        assertEquals(String.join(System.lineSeparator(),
            "loaded 1 of 4 rules (25.0%), skipped 3",
            "     2  unsupported protocol: smtp  (first: <text>:1: protocol 'smtp' is not in the subset)",
            "     1  unsupported protocol: ftp  (first: <text>:2: protocol 'ftp' is not in the subset)", ""),
            set.report());
    }

    @Test
    void shouldLoadAFolderWithItsClassificationConfig(@TempDir final Path dir) throws IOException
    {
        Files.writeString(dir.resolve("classification.config"), String.join("\n",
            "# config classification:shortname,short description,priority",
            "config classification: trojan-activity,A Network Trojan was detected,1",
            "config classification: misc-activity,Misc activity,3"));
        Files.writeString(dir.resolve("b.rules"), "alert ip any any -> any any (classtype:nope; sid:2;)\n");
        Files.writeString(dir.resolve("a.rules"),
            "alert ip any any -> any any (classtype:trojan-activity; sid:1;)\n");
        Files.writeString(dir.resolve("notes.txt"), "alert ip any any -> any any (sid:3;)\n");

        final RuleSet set = RuleSetLoader.load(dir, Variables.suricataDefaults());

        assertEquals(1, set.rules().size());
        assertEquals(1, set.rules().get(0).meta().priority());
        assertEquals(dir.resolve("a.rules"), set.rules().get(0).origin().file());
        assertEquals(1, set.skipped().size());
        assertEquals(new RuleSource(dir.resolve("b.rules"), 1), set.skipped().get(0).origin());
        assertEquals("bad value: classtype", set.skipped().get(0).reason().group());
        assertEquals("b.rules:1", set.skipped().get(0).origin().toString());
    }

    @Test
    void shouldKeepTheBytesOfTheFileInPatterns(@TempDir final Path dir) throws IOException
    {
        final Path file = dir.resolve("utf8.rules");
        Files.write(file, "alert tcp any any -> any any (msg:\"\u00e9t\u00e9\"; content:\"\u00e9\"; sid:1;)\n"
            .getBytes(StandardCharsets.UTF_8));

        final Rule rule = RuleSetLoader.load(file, Variables.suricataDefaults()).rules().get(0);

        assertEquals("\u00e9t\u00e9", rule.meta().msg());
        final ContentMatch content = (ContentMatch)rule.inspections().get(0).matches().get(0);
        assertTrue(java.util.Arrays.equals(new byte[] {(byte)0xC3, (byte)0xA9}, content.pattern()));
    }
}
