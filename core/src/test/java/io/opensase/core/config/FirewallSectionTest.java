package io.opensase.core.config;

import io.opensase.classifiers.acl.Direction;
import io.opensase.classifiers.acl.IpPrefix;
import io.opensase.classifiers.acl.PortRange;
import io.opensase.core.firewall.FirewallConfig;
import io.opensase.core.firewall.RuleAction;
import io.opensase.core.firewall.RuleConfig;
import io.opensase.core.firewall.TenantConfig;
import io.opensase.core.firewall.TenantSelector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FirewallSectionTest
{
    private static final Path FILE = Path.of("/etc/opensase/fw.yaml");
    private static final String PORTS = """
        ports:
          - name: branch
            type: pcap
            rx: in.pcap
        """;

    @Test
    void shouldReadTheBundledExample() throws Exception
    {
        final EngineConfig config = ConfigLoader.load(Path.of("..", "configs", "firewall-tenants.yaml"));
        final FirewallConfig firewall = config.firewall();

        assertEquals(RuleAction.DENY, firewall.unmatched());
        assertEquals(RuleAction.DENY, firewall.invalid());
        assertEquals(60_000_000_000L, firewall.tcpOpeningNs());
        assertEquals(10_000_000_000L, firewall.tcpClosedNs());
        assertEquals(List.of("acme", "globex", "branch-office"),
            firewall.tenants().stream().map(TenantConfig::name).toList());
        final TenantConfig globex = firewall.tenants().get(1);
        assertEquals(2, globex.id());
        assertEquals(List.of(new TenantSelector("branch", 20, 200, -1, null)), globex.selectors());
        final RuleConfig blocked = globex.rules().get(0);
        assertEquals(RuleAction.REJECT, blocked.action());
        assertEquals(Direction.OUTBOUND, blocked.direction());
        assertEquals(List.of(IpPrefix.v4(0xC6336400, 24)), blocked.destinations(), "198.51.100.0/24 from its group");
        final TenantConfig branch = firewall.tenants().get(2);
        assertEquals(10_000, branch.maxConnections());
        assertEquals(List.of(new PortRange(80, 80), new PortRange(443, 443), new PortRange(8000, 8999)),
            branch.rules().get(2).destinationPorts());
        assertEquals(8, branch.rules().get(3).icmpType());
        assertEquals(58, branch.rules().get(4).protocol());
    }

    @Test
    void shouldLeaveTheFirewallOutWhenNotConfigured() throws Exception
    {
        assertNull(ConfigLoader.parse(FILE, PORTS).firewall());
    }

    @Test
    void shouldReadTcpFlagsSetAndCleared() throws Exception
    {
        final RuleConfig rule = onlyRule("{action: deny, protocol: tcp, tcp_flags: \"syn !ack\"}");
        assertEquals(0x02, rule.tcpFlags());
        assertEquals(0x12, rule.tcpFlagsMask());
    }

    @Test
    void shouldNameRulesByPositionWhenUnnamed() throws Exception
    {
        assertEquals("rule-1", onlyRule("{action: allow}").name());
    }

    @ParameterizedTest(name = "{2}")
    @CsvSource(delimiter = '|', textBlock = """
        firewall: {}                                                                  | 1 | firewall.tenants | missing; at least one tenant
        firewall: {tenants: []}                                                       | 1 | firewall.tenants | at least one tenant is needed
        firewall: {unmatched: log, tenants: [{name: a, select: [{prefix: 10.0.0.0/8}]}]} | 1 | firewall.unmatched | 'log' is not one of allow, deny
        firewall: {tenants: [{name: a, select: []}]}                                  | 1 | firewall.tenants[0].select | at least one selector: {port, vlan}, {port, qinq}, {vni} or {prefix}
        firewall: {tenants: [{name: 'a b', select: [{prefix: 10.0.0.0/8}]}]}          | 1 | firewall.tenants[0].name | must be 1-64 letters, digits, '_', '.' or '-', got 'a b'
        firewall: {tenants: [{name: a, select: [{vlan: 7}]}]}                         | 1 | firewall.tenants[0].select[0] | a vlan selector needs the port it arrives on
        firewall: {tenants: [{name: a, select: [{port: wan, vlan: 7}]}]}              | 1 | firewall.tenants[0].select[0].port | no port named 'wan'
        firewall: {tenants: [{name: a, select: [{port: branch, vlan: 4096}]}]}        | 1 | firewall.tenants[0].select[0].vlan | must be 0..4095, got 4096
        firewall: {tenants: [{name: a, select: [{port: branch, qinq: [1]}]}]}         | 1 | firewall.tenants[0].select[0].qinq | a QinQ pair is [outer, inner]
        firewall: {tenants: [{name: a, select: [{vni: 5, prefix: 10.0.0.0/8}]}]}     | 1 | firewall.tenants[0].select[0] | a selector takes exactly one of vlan, qinq, vni, prefix
        firewall: {tenants: [{name: a, select: [{prefix: 10.0.0.300/8}]}]}           | 1 | firewall.tenants[0].select[0].prefix | '10.0.0.300' is not an IPv4 address
        firewall: {tenants: [{name: a, select: [{prefix: 10.0.0.0/33}]}]}            | 1 | firewall.tenants[0].select[0].prefix | prefix length '33' is not within 0..32
        firewall: {tenants: [{name: a, select: [{prefix: 10.0.0.0/8}]}, {name: a, select: [{vni: 1}]}]} | 1 | firewall.tenants[1] | tenant name 'a' is used twice
        firewall: {tenants: [{name: a, default: log, select: [{vni: 1}]}]}           | 1 | firewall.tenants[0].default | 'log' is not one of allow, deny, reject
        """)
    void shouldRejectBadTenantsWithLineAndReason(final String yaml, final int line, final String field,
        final String reason)
    {
        assertError(PORTS + yaml, line + 4, field, reason);
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', textBlock = """
        {action: accept}                                              | rules[0].action | 'accept' is not one of allow, deny, reject, log
        {name: x}                                                     | rules[0].action | missing; this field is required
        {action: allow, direction: upstream}                          | rules[0].direction | 'upstream' is not one of any, inbound, outbound
        {action: allow, protocol: tcpp}                               | rules[0].protocol | 'tcpp' is not a protocol: any, tcp, udp, icmp, icmpv6, sctp, gre or 0..255
        {action: allow, protocol: 256}                                | rules[0].protocol | must be 0..255, got 256
        {action: allow, destination_ports: 80}                        | rules[0].destination_ports | ports need protocol: tcp, udp or sctp
        {action: allow, protocol: tcp, destination_ports: 90-80}      | rules[0].destination_ports | '90-80' is not a port or a range lo-hi within 0-65535
        {action: allow, protocol: tcp, destination_ports: 70000}      | rules[0].destination_ports | '70000' is not a port or a range lo-hi within 0-65535
        {action: allow, protocol: udp, tcp_flags: syn}                | rules[0].tcp_flags | tcp_flags needs protocol: tcp
        {action: allow, protocol: tcp, tcp_flags: syn fyn}            | rules[0].tcp_flags | 'fyn' is not a TCP flag: fin, syn, rst, psh, ack, urg, ece, cwr, each set, or cleared with '!'
        {action: allow, protocol: tcp, icmp_type: 8}                  | rules[0].icmp_type | needs protocol: icmp or icmpv6
        {action: allow, protocol: icmp, icmp_type: 300}               | rules[0].icmp_type | must be 0..255, got 300
        {action: allow, source: 10.0.0.0/8, destination: 2001:db8::/32} | rules[0] | source and destination are of different IP versions: no packet can match
        {action: allow, source: nowhere}                              | rules[0].source | 'nowhere' is not an IPv4 address
        {action: allow, source: [10.0.0.0/8, 10.0.0.300]}             | rules[0].source[1] | '10.0.0.300' is not an IPv4 address
        {action: allow, source: []}                                   | rules[0].source | empty: a rule with an empty list matches no packet; leave the field out to match any
        {action: allow, protocol: tcp, destination_ports: []}         | rules[0].destination_ports | empty: a rule with an empty list matches no packet; leave the field out to match any
        {action: allow, protocol: icmp, icmp_code: 4}                 | rules[0].icmp_code | needs icmp_type
        {action: allow, colour: red}                                  | rules[0].colour | unknown field; allowed here: action, destination, destination_ports, direction, icmp_code, icmp_type, name, protocol, source, source_ports, tcp_flags
        """)
    void shouldRejectBadRulesWithLineAndReason(final String rule, final String field, final String reason)
    {
        assertError(PORTS + tenantWith(rule), 10, "firewall.tenants[0]." + field, reason);
    }

    /** Found by a tester: an emptied group matched every packet, opening the tenant. */
    @Test
    void shouldRefuseARuleNamingAnEmptyGroup()
    {
        assertError(PORTS + """
            firewall:
              tenants:
                - name: t
                  select: [{prefix: 10.0.0.0/8}]
                  address_groups: {blocked: []}
                  rules:
                    - {action: deny, destination: blocked}
            """, 11, "firewall.tenants[0].rules[0].destination",
            "empty: a rule with an empty list matches no packet; leave the field out to match any");
    }

    @Test
    void shouldRefuseTwoRulesOfOneTenantWithOneName()
    {
        assertError(PORTS + """
            firewall:
              tenants:
                - name: t
                  select: [{prefix: 10.0.0.0/8}]
                  rules:
                    - {name: r, action: allow}
                    - {name: r, action: deny}
            """, 11, "firewall.tenants[0].rules[1]", "rule name 'r' is used twice in tenant 't'");
    }

    @Test
    void shouldRefuseASelectorTwoTenantsShare()
    {
        assertError(PORTS + """
            firewall:
              tenants:
                - name: a
                  select: [{port: branch, vlan: 10}]
                - name: b
                  select: [{port: branch, vlan: 10}]
            """, 9, "firewall.tenants[1]",
            "tenant 'b' has a selector that tenant 'a' has already: one of them would never see a packet");
    }

    private static RuleConfig onlyRule(final String rule) throws ConfigException
    {
        return ConfigLoader.parse(FILE, PORTS + tenantWith(rule)).firewall().tenants().get(0).rules().get(0);
    }

    /** A tenant whose one rule is on line 10 of the file. */
    private static String tenantWith(final String rule)
    {
        return """
            firewall:
              tenants:
                - name: t
                  select: [{prefix: 10.0.0.0/8}]
            """ + "      rules:\n        - " + rule + "\n";
    }

    private static void assertError(final String yaml, final int line, final String field, final String reason)
    {
        final ConfigException error = assertThrows(ConfigException.class, () -> ConfigLoader.parse(FILE, yaml));
        assertEquals(line, error.line(), error.getMessage());
        assertEquals(field, error.field(), error.getMessage());
        assertEquals(reason, error.reason(), error.getMessage());
    }
}
