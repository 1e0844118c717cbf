package io.opensase.core.ips.verify;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** test.yaml files that are not case descriptions: each error names the file and the line to look at. */
class VerifyCaseFormatTest
{
    @TempDir
    Path dir;

    private VerifyFormatException refused(final String testYaml) throws IOException
    {
        Files.writeString(dir.resolve("test.yaml"), testYaml);
        return assertThrows(VerifyFormatException.class, () -> VerifyCase.load(dir));
    }

    @Test
    void shouldNameTheLineOfBadYaml() throws IOException
    {
        final VerifyFormatException ex = refused("""
            checks:
              - filter:
                  count: 1
                  match:
                    event_type: alert
                   alert.signature_id: 1
            """);

        assertEquals(dir.resolve("test.yaml"), ex.file());
        assertEquals(6, ex.line());
        assertEquals(dir.resolve("test.yaml")
            + ":6: not valid YAML: expected <block end>, but found '<block mapping start>'",
            ex.getMessage());
    }

    @Test
    void shouldNameTheFilterWithoutACount() throws IOException
    {
        final VerifyFormatException ex = refused("""
            checks:
              - filter:
                  count: 1
                  match: {event_type: alert}
              - filter:
                  match: {event_type: flow}
            """);

        assertEquals(5, ex.line());
        assertEquals(dir.resolve("test.yaml") + ":5: check #2: a filter needs a count", ex.getMessage());
    }

    @Test
    void shouldRefuseACountThatIsNotAWholeNumber() throws IOException
    {
        assertEquals(3, refused("checks:\n  - filter:\n      count: one\n      match: {a: 1}\n").line());
        // PyYAML's true would count as 1 in Python; refused rather than read that way.
        assertEquals(3, refused("checks:\n  - filter:\n      count: yes\n      match: {a: 1}\n").line());
    }

    @Test
    void shouldRefuseChecksThatAreNotAList() throws IOException
    {
        final VerifyFormatException ex = refused("requires:\n  min-version: 7\nchecks:\n  filter: {count: 1}\n");

        assertEquals(4, ex.line());
        assertEquals(dir.resolve("test.yaml") + ":4: checks must be a list", ex.getMessage());
    }

    @Test
    void shouldRefuseAMatchThatIsNotAMapping() throws IOException
    {
        assertEquals(4, refused("checks:\n  - filter:\n      count: 1\n      match: [event_type, alert]\n").line());
    }

    @Test
    void shouldNameTheArgumentLineOfASetWithoutKeyValue() throws IOException
    {
        final VerifyFormatException ex = refused("args:\n  - -k none\n  - --set stream.midstream\nchecks: []\n");

        assertEquals(dir.resolve("test.yaml") + ":3: args: --set stream.midstream is not key=value", ex.getMessage());
        assertEquals(2, refused("args:\n  - -k none --set\nchecks: []\n").line());
    }

    @Test
    void shouldRefuseTwoCapturesAndAMissingTestYaml() throws IOException
    {
        Files.writeString(dir.resolve("a.pcap"), "");
        Files.writeString(dir.resolve("b.pcapng"), "");
        final VerifyFormatException two = refused("checks: []\n");
        assertEquals(dir + ": more than one pcap file: [a.pcap, b.pcapng]", two.getMessage());

        final VerifyFormatException none = assertThrows(VerifyFormatException.class,
            () -> VerifyCase.load(dir.resolve("nothing")));
        assertEquals(dir.resolve("nothing/test.yaml") + ": no test.yaml in this case directory", none.getMessage());
    }
}
