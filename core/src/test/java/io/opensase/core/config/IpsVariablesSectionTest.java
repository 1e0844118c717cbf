package io.opensase.core.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Found by a tester: {@code address_vars} values nested thousands of levels deep threw StackOverflowError with
 * a stack trace, and a cycle of three variables was named backwards. Now both refuse the configuration with the
 * variable's file, line and field.
 */
class IpsVariablesSectionTest
{
    private static final String HEAD = "ports:\n  - name: in\n    type: pcap\n    rx: in.pcap\n    tx: out.pcap\n"
        + "ips:\n  rules: [r.rules]\n";
    private static final String TOO_DEEP = "takes groups, negations and variables more than 64 levels deep";

    @TempDir
    Path dir;

    @Test
    void shouldRefuseAVariableNestedThousandsOfGroupsDeep() throws Exception
    {
        final Path file = config();
        final String deep = "[".repeat(3_000) + "10.0.0.1" + "]".repeat(3_000);

        assertEquals(file + ":9: ips.address_vars.HOME_NET: not an address list: variable $HOME_NET " + TOO_DEEP,
            refused(file, HEAD + "  address_vars:\n    HOME_NET: \"" + deep + "\"\n"));
    }

    @Test
    void shouldRefuseTwentyThousandNegations() throws Exception
    {
        final Path file = config();

        assertEquals(file + ":9: ips.address_vars.HOME_NET: not an address list: variable $HOME_NET " + TOO_DEEP,
            refused(file, HEAD + "  address_vars:\n    HOME_NET: \"" + "!".repeat(20_000) + "10.0.0.1\"\n"));
        assertEquals(file + ":9: ips.port_vars.HTTP_PORTS: not a port list: variable $HTTP_PORTS " + TOO_DEEP,
            refused(file, HEAD + "  port_vars:\n    HTTP_PORTS: \"" + "!".repeat(20_000) + "80\"\n"));
    }

    @Test
    void shouldCountLevelsThroughVariablesAndKeepSixtyFour() throws Exception
    {
        final Path file = config();
        // $A is one level, each of its 40 groups one, $B one more: B's 23rd group is level 65.
        final String a = "[".repeat(40) + "$B" + "]".repeat(40);
        final String b = "[".repeat(23) + "10.0.0.1" + "]".repeat(23);
        assertEquals(file + ":9: ips.address_vars.A: not an address list: variable $B " + TOO_DEEP,
            refused(file, HEAD + "  address_vars:\n    A: \"" + a + "\"\n    B: \"" + b + "\"\n"));

        // 63 groups under $HOME_NET: the address sits at level 64, the most a list may take.
        final String deepest = "[".repeat(63) + "10.0.0.1" + "]".repeat(63);
        final EngineConfig good = ConfigLoader.parse(file, HEAD + "  address_vars:\n    HOME_NET: \"" + deepest + "\"\n");
        assertEquals(deepest, good.ips().addressVars().get("HOME_NET"));
        assertEquals(file + ":9: ips.address_vars.HOME_NET: not an address list: variable $HOME_NET " + TOO_DEEP,
            refused(file, HEAD + "  address_vars:\n    HOME_NET: \"[" + deepest + "]\"\n"));
    }

    @Test
    void shouldNameACycleInTheOrderTheValuesReferToEachOther() throws Exception
    {
        final Path file = config();

        assertEquals(file + ":9: ips.address_vars.A: not an address list: variable $A refers to itself through "
                + "$B, $C, $A",
            refused(file, HEAD + "  address_vars:\n    A: $B\n    B: $C\n    C: $A\n"));
        // Met from $X, the cycle still starts at the variable that closes it.
        assertEquals(file + ":9: ips.port_vars.X: not a port list: variable $P refers to itself through $Q, $P",
            refused(file, HEAD + "  port_vars:\n    X: \"[80,$P]\"\n    P: $Q\n    Q: \"[$P]\"\n"));
    }

    private Path config() throws Exception
    {
        Files.writeString(dir.resolve("r.rules"), "");
        return dir.resolve("engine.yaml");
    }

    private static String refused(final Path file, final String yaml)
    {
        return assertThrows(ConfigException.class, () -> ConfigLoader.parse(file, yaml)).getMessage();
    }
}
