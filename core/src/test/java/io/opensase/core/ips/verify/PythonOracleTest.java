package io.opensase.core.ips.verify;

import io.opensase.classifiers.testing.Tools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The scorer against Python itself: filter_oracle.py counts the same filters over the same EVE lines with
 * PyYAML, json.loads and Python's own ==, in and len; every count (or "error") must agree.
 */
class PythonOracleTest
{
    /** Events of every JSON shape: nested objects, lists of mixed items, null, NaN, huge and -0.0 numbers. */
    private static final List<String> EVENTS = List.of(
        "{\"event_type\":\"alert\",\"n\":1,\"f\":1.0,\"b\":true,\"s\":\"1\",\"z\":null,\"vlan\":[23,100],"
            + "\"alert\":{\"signature_id\":1,\"rev\":1,\"metadata\":{\"k\":[\"v1\",\"v2\"]}},"
            + "\"tls\":{\"client_alpns\":[\"h2\",\"http/1.1\"]},\"text\":\"hello world\","
            + "\"big\":18446744073709551616,\"neg\":-0.0,\"u\":\"\u00e9\u2713\",\"when\":\"2024-01-02\"}",
        "{\"event_type\":\"flow\",\"n\":\"1\",\"f\":2.5,\"b\":false,\"vlan\":[],"
            + "\"flow\":{\"bytes_toclient\":244,\"alerted\":true,\"age\":0},\"text\":\"abc\","
            + "\"list\":[\"x\",1,null,{\"k\":1},[1,2]]}",
        "{\"event_type\":\"dns\",\"dns\":{\"queries\":[{\"rrname\":\"example.com\",\"rrtype\":\"A\"}]},\"n\":0,"
            + "\"b\":0,\"f\":1e400,\"x\":NaN,\"s\":\"\"}");

    /** One filter's match per item; '|' separates its entries. */
    private static final List<String> MATCHES = List.of(
        "event_type: alert", "n: 1", "n: \"1\"", "n: 1.0", "n: true", "n: yes", "n: on", "n: 0", "n: false",
        "n: null", "n: ~", "f: 1", "f: 2.5", "f: .inf", "f: 1e400", "b: 1", "b: 0", "b: no", "s: 1", "s: \"1\"",
        "s: ''", "z: null", "missing: null", "vlan[0]: 23", "vlan[1]: 100", "vlan[2]: 1", "vlan: [23, 100]",
        "vlan: []", "vlan.__len: 2", "vlan.__len: 0", "vlan.__contains: 23", "vlan.__contains: \"23\"",
        "alert.signature_id: 1", "alert.metadata.k[1]: v2", "alert.metadata.k: [v1, v2]",
        "alert.metadata: {k: [v1, v2]}", "alert.metadata: {k: [v1]}", "alert.__len: 3", "alert.__contains: rev",
        "tls.client_alpns[0]: h2", "tls.client_alpns.__contains: h2", "text.__find: world",
        "text.__startswith: hell", "text.__endswith: abc", "text.__contains: o w", "text[0]: h", "text[20]: h",
        "text.__len: 11", "big: 18446744073709551616", "neg: 0", "neg: -0.0", "u: \"\u00e9\u2713\"", "u.__len: 2",
        "u[1]: \"\u2713\"", "list[3].k: 1", "list[4][1]: 2", "list.__contains: null", "list.__contains: {k: 1}",
        "list.__contains: [1, 2]", "list.__contains: x", "flow.bytes_toclient: 244", "flow.bytes_toclient: \"244\"",
        "flow.alerted: true", "flow.age: 0", "flow.age: false", "dns.queries[0].rrname: example.com",
        "dns.queries.__len: 1", "dns.queries[0]: {rrname: example.com, rrtype: A}", "has-key: alert.rev",
        "has-key: z", "not-has-key: z", "not-has-key: alert", "has-key: vlan[1]", "x: .nan", "f: 1e+400",
        "n.__len: -1", "z.__len: -1", "missing.__len: null", "__len: 17", "__contains: dns", "when: 2024-01-02",
        "when: \"2024-01-02\"", "list.x: 1", "n.x: 1", "text.__find: 1", "vlan.__find: x",
        "event_type: flow|text.__find: b", "event_type: dns|vlan.__find: x", "event_type: nothing|vlan.__find: x",
        "event_type: alert|n.x: 1", "event_type: dns|s.__startswith: ''", "s.__endswith: ''",
        "alert.metadata.k.__contains: v1", "alert.metadata.__contains: [k]", "vlan[0].__len: -1");

    /** Plain scalars PyYAML types by YAML 1.1 rules. */
    private static final List<String> SCALARS = List.of(
        "yes", "Yes", "YES", "no", "NO", "on", "off", "On", "y", "n", "true", "True", "TRUE", "false", "tRue",
        "010", "0o10", "0x1F", "0x_1F", "0b101", "0b_", "1_000", "+12", "-0", "08", "09.5", "1:30", "-1:30",
        "1:30.5", "190:20:30", "1:60", "1.5", ".5", "1.", "1e5", "1.0e5", "1.0e+5", "1.0E-5", "6.8523015e+5",
        ".5e+3", "+.5", "-.5", "1_0.5", "0.1_5", ".inf", "-.Inf", "+.INF", ".nan", ".NaN", "~", "null", "Null",
        "NULL", "nULL", "", "2024-01-02", "2024-1-2 10:00:00", "2024-01-02T10:00:00Z",
        "2024-01-02 10:00:00.5 +01:00", "=", "0", "00", "0_", "123456789012345678901234567890", "1.99", "7.10",
        "7.0.7", "0x", "0xg", "1e400", "1.0e400", "0.0001", "0.00001", "1e16", "12345678901234567.0", "-0.0",
        "!!str 12", "!!int '12'", "!!float '1'", "!!binary aGk=", "[1, yes]", "{a: 1}");

    @TempDir
    Path dir;

    private static String script() throws IOException
    {
        try (InputStream in = PythonOracleTest.class.getResourceAsStream("filter_oracle.py"))
        {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void shouldCountEveryFilterAsPythonDoes() throws IOException
    {
        final StringBuilder yaml = new StringBuilder("checks:\n");
        for (final String match : MATCHES)
        {
            yaml.append("  - filter:\n      count: 0\n      match:\n");
            for (final String entry : match.split("\\|"))
            {
                yaml.append("        ").append(entry).append('\n');
            }
        }
        final Path testYaml = Files.writeString(dir.resolve("test.yaml"), yaml);
        final Path eve = Files.write(dir.resolve("eve.json"), EVENTS);

        final List<String> python = Tools.python(script(), testYaml.toString(), eve.toString()).lines().toList();
        final CaseResult result = VerifyScorer.score(VerifyCase.load(dir), eve);
        final List<String> java = result.results().stream()
            .map(r -> null != r.error() ? "error" : Integer.toString(r.actual())).toList();

        assertEquals(MATCHES.size(), python.size(), python.toString());
        final List<String> differences = new ArrayList<>();
        for (int i = 0; i < MATCHES.size(); i++)
        {
            if (!python.get(i).equals(java.get(i)))
            {
                differences.add(MATCHES.get(i) + ": python " + python.get(i) + ", scorer " + java.get(i));
            }
        }
        assertEquals(List.of(), differences);
        // The comparison means something only if the filters disagree among themselves.
        assertTrue(python.contains("0") && python.contains("1") && python.contains("2") && python.contains("error"),
            python.toString());
    }

    @Test
    void shouldTypePlainScalarsAsPyYamlDoes() throws IOException
    {
        final String json = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(SCALARS);
        final List<String> python = Tools.python(script(), "scalars", json).lines().toList();

        final List<String> differences = new ArrayList<>();
        for (int i = 0; i < SCALARS.size(); i++)
        {
            final String java = javaScalar(SCALARS.get(i));
            if (!python.get(i).equals(java))
            {
                differences.add("'" + SCALARS.get(i) + "': python " + python.get(i) + ", scorer " + java);
            }
        }
        assertEquals(List.of(), differences);
    }

    /** What the scorer makes of {@code v: TEXT}, written as the oracle writes Python's view of it. */
    private String javaScalar(final String text)
    {
        final CaseYaml yaml = new CaseYaml(dir.resolve("scalar.yaml"));
        final Object value;
        try
        {
            value = yaml.value(yaml.mapping(yaml.compose("v: " + text), "scalar").get("v").value());
        }
        catch (final VerifyFormatException ex)
        {
            return "error";
        }
        if (value instanceof CaseYaml.Opaque opaque)
        {
            return opaque.description().startsWith("the date") ? "date" : "opaque";
        }
        final String kind = PyValues.typeName(value);
        return kind + ":" + switch (value)
        {
            case null -> "None";
            case List<?> items -> "[" + String.join(", ", items.stream().map(PythonOracleTest::pyRepr).toList()) + "]";
            case java.util.Map<?, ?> fields -> "{" + String.join(", ", fields.entrySet().stream()
                .map(e -> pyRepr(e.getKey()) + ": " + pyRepr(e.getValue())).toList()) + "}";
            default -> PyValues.str(value);
        };
    }

    private static String pyRepr(final Object value)
    {
        return value instanceof String text ? "'" + text + "'" : PyValues.str(value);
    }
}
