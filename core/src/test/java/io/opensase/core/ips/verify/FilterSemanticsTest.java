package io.opensase.core.ips.verify;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * suricata-verify's filter semantics on hand-written cases; each expected count is what its Python runner
 * (find_value, FilterCheck.match under PyYAML's safe_load and json.loads) gives for the same lines.
 */
class FilterSemanticsTest
{
    @TempDir
    Path dir;

    private CaseResult score(final String testYaml, final String... eveLines) throws IOException
    {
        Files.writeString(dir.resolve("test.yaml"), testYaml);
        return VerifyScorer.score(VerifyCase.load(dir), Files.write(dir.resolve("eve.json"), List.of(eveLines)));
    }

    private static List<Integer> actuals(final CaseResult result)
    {
        return result.results().stream().map(FilterResult::actual).toList();
    }

    @Test
    void shouldCompareNumbersBooleansStringsAndNullsAsPythonDoes() throws IOException
    {
        final CaseResult result = score("""
            checks:
              - filter: {count: 3, match: {n: 1}}
              - filter: {count: 1, match: {n: "1"}}
              - filter: {count: 3, match: {n: true}}
              - filter: {count: 2, match: {n: null}}
              - filter: {count: 4, match: {has-key: n}}
              - filter: {count: 2, match: {not-has-key: n}}
              - filter: {count: 1, match: {n: 2}}
            """,
            "{\"n\": 1}", "{\"n\": 1.0}", "{\"n\": true}", "{\"n\": \"1\"}", "{\"n\": null}", "{}");

        // 1 == 1.0 == True in Python; "1" is a string; null equals a JSON null and an absent field alike.
        assertEquals(List.of(3, 1, 3, 2, 4, 2, 0), actuals(result));
        assertEquals(List.of(true, true, true, true, true, true, false),
            result.results().stream().map(FilterResult::passed).toList());
        assertFalse(result.passed());
    }

    @Test
    void shouldTypePlainYamlScalarsAsYaml11LikePyYaml() throws IOException
    {
        final CaseResult result = score("""
            checks:
              - filter: {count: 1, match: {v: yes}}
              - filter: {count: 1, match: {v: 010}}
              - filter: {count: 1, match: {v: 1e5}}
              - filter: {count: 0, match: {v: 2024-01-02}}
              - filter: {count: 1, match: {v: 1:30}}
              - filter: {count: 1, match: {v: "yes"}}
              - filter: {count: 1, match: {v: 0x1F}}
              - filter: {count: 0, match: {v: 1.99}}
            """,
            "{\"v\": true}", "{\"v\": 8}", "{\"v\": \"1e5\"}", "{\"v\": \"2024-01-02\"}", "{\"v\": 90}",
            "{\"v\": \"yes\"}", "{\"v\": 31}", "{\"v\": \"1.99\"}");

        // yes is True, 010 octal 8, 1e5 a string (no dot), a date equals no JSON value, 1:30 is 90 in base 60,
        // 1.99 a float that the string "1.99" does not equal.
        assertEquals(List.of(1, 1, 1, 0, 1, 1, 1, 0), actuals(result));
        assertTrue(result.passed(), result.report());
    }

    @Test
    void shouldLookUpIndexesLengthsAndStringOperators() throws IOException
    {
        final CaseResult result = score("""
            checks:
              - filter: {count: 1, match: {a.list.__len: 2, a.s.__len: 11, n.__len: -1, a.__len: 3}}
              - filter: {count: 1, match: {a.list.__contains: y, a.s.__contains: lo w, a.o.__contains: k}}
              - filter: {count: 1, match: {a.s.__find: world, a.s.__startswith: hell, a.s.__endswith: world}}
              - filter: {count: 0, match: {a.s.__endswith: hello}}
              - filter: {count: 1, match: {"a.list[1]": y, "a.s[1]": e}}
              - filter: {count: 0, match: {"a.list[5]": y}}
              - filter: {count: 0, match: {a.list.z: 1}}
              - filter: {count: 1, match: {a.o: {k: 1}, a.list: [x, y]}}
              - filter: {count: 0, match: {a.list.__contains: z}}
            """,
            "{\"a\": {\"list\": [\"x\", \"y\"], \"s\": \"hello world\", \"o\": {\"k\": 1}}, \"n\": 5}");

        assertEquals(List.of(1, 1, 1, 0, 1, 0, 0, 1, 0), actuals(result));
        assertTrue(result.passed(), result.report());
    }

    @Test
    void shouldFailAFilterWhoseFieldTestPythonCannotEvaluate() throws IOException
    {
        final CaseResult result = score("""
            checks:
              - filter: {count: 0, match: {a.list.__find: x}}
              - filter: {count: 0, match: {n.x: 1}}
              - filter: {count: 0, match: {a.list.x: 1}}
              - filter: {count: 0, match: {event_type: dns, a.list.__find: x}}
            """,
            "{\"a\": {\"list\": [\"x\", \"y\"]}, \"n\": 5}");

        // __find on a list, a name in a number, a name in a list holding it: Python raises, the check fails.
        assertEquals(List.of(false, false, false, true),
            result.results().stream().map(FilterResult::passed).toList());
        assertEquals("EVE line 1: __find needs a string field, not list", result.results().get(0).error());
        assertEquals("EVE line 1: n.x: 'x' looked up in int 5", result.results().get(1).error());
        assertNotNull(result.results().get(2).error());
        // The field tests stop at the first that fails, as in Python: no dns event, so __find is never tried.
        assertNull(result.results().get(3).error());
    }

    @Test
    void shouldFailEveryCheckOrKeyItCannotJudgeInsteadOfPassingIt() throws IOException
    {
        final CaseResult result = score("""
            command: ./run.sh
            checks:
              - shell:
                  args: "true"
              - stats:
                  decoder.pkts: 1
              - filter:
                  count: 0
                  filename: other.json
                  match: {event_type: alert}
              - filter:
                  count: 0
                  min-version: 7
                  match: {event_type: alert}
              - filter:
                  count: 0
                  match: {a.__len.b: 1}
              - filter:
                  count: 0
                  match: {event_type: alert}
            """);

        assertFalse(result.passed());
        assertEquals(List.of("test.yaml:1: 'command' runs its own command line instead of Suricata over the capture"),
            result.problems());
        assertEquals(List.of(false, false, false, false, false, true),
            result.results().stream().map(FilterResult::passed).toList());
        for (final FilterResult check : result.results().subList(0, 5))
        {
            assertTrue(check.error().startsWith("unsupported check: "), check.error());
        }
        assertEquals("unsupported check: '__len' must be the last part of the key 'a.__len.b' (test.yaml:17)",
            result.results().get(4).error());
        assertTrue(result.report().contains("#1 test.yaml:3 FAIL unsupported check: a shell check"), result.report());
    }

    @Test
    void shouldNameTheFirstTenBadEveLinesAndCountTheRest() throws IOException
    {
        final String[] lines = new String[25];
        java.util.Arrays.fill(lines, "not json");
        lines[24] = "{\"event_type\": \"alert\", \"payload\": \"" + "A".repeat(200) + "\"}";
        final CaseResult result = score("""
            checks:
              - filter: {count: 1, match: {event_type: alert, payload: B}}
            """, lines);

        assertEquals(11, result.problems().size());
        assertTrue(result.problems().get(9).startsWith(dir.resolve("eve.json") + ":10: not a JSON value: "));
        assertEquals(dir.resolve("eve.json") + ": 14 more lines are not JSON values", result.problems().get(10));
        // A long value is shown cut to 80 characters.
        assertTrue(result.results().getFirst().explanation().endsWith(
            "payload == \"B\" (0 of 1; seen: \"" + "A".repeat(79) + "...)"), result.results().getFirst().explanation());
    }

    @Test
    void shouldNameEveLinesThatAreNotJsonAndStillCountTheRest() throws IOException
    {
        final CaseResult result = score("""
            checks:
              - filter: {count: 2, match: {event_type: alert}}
            """,
            "{\"event_type\": \"alert\"}", "{\"event_type\": \"alert\"", "", "{\"event_type\": \"alert\"} x",
            "{\"event_type\": \"alert\"}");

        assertEquals(List.of(2), actuals(result));
        assertTrue(result.results().getFirst().passed());
        assertFalse(result.passed());
        assertEquals(3, result.problems().size(), result.problems().toString());
        final String eve = dir.resolve("eve.json").toString();
        assertTrue(result.problems().get(0).startsWith(eve + ":2: not a JSON value: "), result.problems().get(0));
        assertEquals(eve + ":3: an empty line is not a JSON value", result.problems().get(1));
        assertTrue(result.problems().get(2).startsWith(eve + ":4: not a JSON value: "), result.problems().get(2));
    }
}
