package io.opensase.core.config;

import io.opensase.classifiers.acl.Direction;
import io.opensase.classifiers.acl.IpPrefix;
import io.opensase.classifiers.acl.PortRange;

import io.opensase.core.firewall.FirewallConfig;
import io.opensase.core.firewall.RuleAction;
import io.opensase.core.firewall.RuleConfig;
import io.opensase.core.firewall.TenantConfig;
import io.opensase.core.firewall.TenantSelector;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the {@code firewall:} section: tenants, their selectors, inside prefixes, address groups and ordered
 * rules. Every problem is a {@link ConfigException} with the line and field.
 */
final class FirewallSection
{
    private static final Set<String> FIREWALL = Set.of("tenants", "unmatched", "invalid", "tcp_midstream",
        "when_table_full", "timeouts");
    private static final Set<String> TIMEOUTS = Set.of("tcp_opening", "tcp_closing", "tcp_closed", "fragment");
    private static final Set<String> TENANT = Set.of("name", "select", "inside", "default", "max_connections",
        "address_groups", "rules");
    private static final Set<String> SELECTOR = Set.of("port", "vlan", "qinq", "vni", "prefix");
    private static final Set<String> RULE = Set.of("name", "action", "direction", "protocol", "source",
        "destination", "source_ports", "destination_ports", "icmp_type", "icmp_code", "tcp_flags");
    private static final Map<String, Integer> PROTOCOLS = Map.of("any", -1, "tcp", 6, "udp", 17, "icmp", 1,
        "icmpv6", 58, "sctp", 132, "gre", 47);
    private static final Map<String, Integer> TCP_FLAGS = Map.of("fin", 0x01, "syn", 0x02, "rst", 0x04,
        "psh", 0x08, "ack", 0x10, "urg", 0x20, "ece", 0x40, "cwr", 0x80);
    private static final int MAX_TENANTS = 65_535;

    private FirewallSection()
    {
    }

    static FirewallConfig read(final YamlNode node, final List<PortConfig> ports) throws ConfigException
    {
        final Map<String, YamlNode> fields = node.mapping(FIREWALL);
        final RuleAction unmatched = fields.containsKey("unmatched")
            ? terminal(fields.get("unmatched"), false) : RuleAction.DENY;
        final RuleAction invalid = fields.containsKey("invalid") ? terminal(fields.get("invalid"), false) : RuleAction.DENY;
        final boolean midstream = !fields.containsKey("tcp_midstream") || fields.get("tcp_midstream").bool();
        boolean failOpen = false;
        if (fields.containsKey("when_table_full"))
        {
            final String policy = fields.get("when_table_full").text();
            if (!"fail_open".equals(policy) && !"fail_closed".equals(policy))
            {
                throw fields.get("when_table_full").error("'" + policy + "' is not one of fail_closed, fail_open");
            }
            failOpen = "fail_open".equals(policy);
        }
        long opening = 60_000_000_000L;
        long closing = 120_000_000_000L;
        long closed = 10_000_000_000L;
        long fragment = 30_000_000_000L;
        if (fields.containsKey("timeouts"))
        {
            final Map<String, YamlNode> t = fields.get("timeouts").mapping(TIMEOUTS);
            opening = t.containsKey("tcp_opening") ? t.get("tcp_opening").durationNs() : opening;
            closing = t.containsKey("tcp_closing") ? t.get("tcp_closing").durationNs() : closing;
            closed = t.containsKey("tcp_closed") ? t.get("tcp_closed").durationNs() : closed;
            fragment = t.containsKey("fragment") ? t.get("fragment").durationNs() : fragment;
        }
        if (!fields.containsKey("tenants"))
        {
            throw new ConfigException(node.file(), node.line(), "firewall.tenants", "missing; at least one tenant");
        }
        final Set<String> portNames = new HashSet<>();
        ports.forEach(port -> portNames.add(port.name()));
        final List<TenantConfig> tenants = new ArrayList<>();
        final Set<String> names = new HashSet<>();
        final Map<TenantSelector, String> selectedBy = new HashMap<>();
        for (final YamlNode item : fields.get("tenants").sequence())
        {
            if (tenants.size() == MAX_TENANTS)
            {
                throw item.error("at most " + MAX_TENANTS + " tenants");
            }
            final TenantConfig tenant = tenant(item, tenants.size() + 1, portNames);
            if (!names.add(tenant.name()))
            {
                throw item.error("tenant name '" + tenant.name() + "' is used twice");
            }
            for (final TenantSelector selector : tenant.selectors())
            {
                final String earlier = selectedBy.putIfAbsent(selector, tenant.name());
                if (null != earlier)
                {
                    throw item.error("tenant '" + tenant.name() + "' has a selector that "
                        + (earlier.equals(tenant.name()) ? "it gives twice" : "tenant '" + earlier + "' has already")
                        + ": one of them would never see a packet");
                }
            }
            tenants.add(tenant);
        }
        if (tenants.isEmpty())
        {
            throw fields.get("tenants").error("at least one tenant is needed");
        }
        return new FirewallConfig(tenants, unmatched, invalid, midstream, failOpen, opening, closing, closed, fragment);
    }

    private static TenantConfig tenant(final YamlNode node, final int id, final Set<String> ports)
        throws ConfigException
    {
        final Map<String, YamlNode> fields = node.mapping(TENANT);
        final String name = ConfigLoader.required(node, fields, "name").text();
        if (!name.matches("[A-Za-z0-9_.-]{1,64}"))
        {
            throw fields.get("name").error("must be 1-64 letters, digits, '_', '.' or '-', got '" + name + "'");
        }
        final List<TenantSelector> selectors = new ArrayList<>();
        for (final YamlNode item : ConfigLoader.required(node, fields, "select").sequence())
        {
            selectors.add(selector(item, ports));
        }
        if (selectors.isEmpty())
        {
            throw fields.get("select").error("at least one selector: {port, vlan}, {port, qinq}, {vni} or {prefix}");
        }
        final List<IpPrefix> inside = fields.containsKey("inside") ? prefixes(fields.get("inside"), Map.of())
            : List.of();
        final Map<String, List<IpPrefix>> groups = new HashMap<>();
        if (fields.containsKey("address_groups"))
        {
            final YamlNode groupsNode = fields.get("address_groups");
            for (final Map.Entry<String, YamlNode> group : groupsNode.freeMapping().entrySet())
            {
                if (!group.getKey().matches("[A-Za-z][A-Za-z0-9_.-]{0,63}"))
                {
                    throw group.getValue().error("group names start with a letter: letters, digits, '_', '.', '-'");
                }
                groups.put(group.getKey(), prefixes(group.getValue(), Map.of()));
            }
        }
        final RuleAction defaultAction = fields.containsKey("default")
            ? terminal(fields.get("default"), true) : RuleAction.DENY;
        final int maxConnections = fields.containsKey("max_connections")
            ? fields.get("max_connections").integer(0, Integer.MAX_VALUE) : 0;
        final List<RuleConfig> rules = new ArrayList<>();
        final Set<String> ruleNames = new HashSet<>();
        if (fields.containsKey("rules"))
        {
            for (final YamlNode item : fields.get("rules").sequence())
            {
                final RuleConfig rule = rule(item, rules.size(), groups);
                if (!ruleNames.add(rule.name()))
                {
                    throw item.error("rule name '" + rule.name() + "' is used twice in tenant '" + name + "'");
                }
                rules.add(rule);
            }
        }
        return new TenantConfig(name, id, selectors, inside, rules, defaultAction, maxConnections);
    }

    private static TenantSelector selector(final YamlNode node, final Set<String> ports) throws ConfigException
    {
        final Map<String, YamlNode> fields = node.mapping(SELECTOR);
        String port = null;
        if (fields.containsKey("port"))
        {
            port = fields.get("port").text();
            if (!ports.contains(port))
            {
                throw fields.get("port").error("no port named '" + port + "'");
            }
        }
        final int kinds = (fields.containsKey("vlan") ? 1 : 0) + (fields.containsKey("qinq") ? 1 : 0)
            + (fields.containsKey("vni") ? 1 : 0) + (fields.containsKey("prefix") ? 1 : 0);
        if (1 != kinds)
        {
            throw node.error("a selector takes exactly one of vlan, qinq, vni, prefix");
        }
        if (fields.containsKey("vlan"))
        {
            if (null == port)
            {
                throw node.error("a vlan selector needs the port it arrives on");
            }
            return new TenantSelector(port, fields.get("vlan").integer(0, 4095), -1, -1, null);
        }
        if (fields.containsKey("qinq"))
        {
            if (null == port)
            {
                throw node.error("a qinq selector needs the port it arrives on");
            }
            final List<YamlNode> pair = fields.get("qinq").sequence();
            if (2 != pair.size())
            {
                throw fields.get("qinq").error("a QinQ pair is [outer, inner]");
            }
            return new TenantSelector(port, pair.get(0).integer(0, 4095), pair.get(1).integer(0, 4095), -1, null);
        }
        if (fields.containsKey("vni"))
        {
            return new TenantSelector(port, -1, -1, fields.get("vni").integer(0, (1 << 24) - 1), null);
        }
        return new TenantSelector(port, -1, -1, -1, prefix(fields.get("prefix"), ""));
    }

    private static RuleConfig rule(final YamlNode node, final int index, final Map<String, List<IpPrefix>> groups)
        throws ConfigException
    {
        final Map<String, YamlNode> fields = node.mapping(RULE);
        final String name = fields.containsKey("name") ? fields.get("name").text() : "rule-" + (index + 1);
        final RuleAction action = ConfigLoader.required(node, fields, "action").choice(RuleAction.class, RuleAction::configName);
        final Direction direction = fields.containsKey("direction")
            ? fields.get("direction").choice(Direction.class, d -> d.name().toLowerCase(java.util.Locale.ROOT)) : Direction.ANY;
        int protocol = -1;
        if (fields.containsKey("protocol"))
        {
            final YamlNode p = fields.get("protocol");
            final String text = p.text();
            protocol = PROTOCOLS.containsKey(text) ? PROTOCOLS.get(text) : text.matches("\\d+") ? p.integer(0, 255) : -2;
            if (-2 == protocol)
            {
                throw p.error("'" + text + "' is not a protocol: any, tcp, udp, icmp, icmpv6, sctp, gre or 0..255");
            }
        }
        final List<IpPrefix> sources = fields.containsKey("source")
            ? nonEmpty(fields.get("source"), prefixes(fields.get("source"), groups)) : List.of();
        final List<IpPrefix> destinations = fields.containsKey("destination")
            ? nonEmpty(fields.get("destination"), prefixes(fields.get("destination"), groups)) : List.of();
        final boolean ports = 6 == protocol || 17 == protocol || 132 == protocol;
        final List<PortRange> sourcePorts = portRanges(fields.get("source_ports"), ports);
        final List<PortRange> destinationPorts = portRanges(fields.get("destination_ports"), ports);
        final boolean icmp = 1 == protocol || 58 == protocol;
        final int icmpType = icmpField(fields.get("icmp_type"), icmp);
        final int icmpCode = icmpField(fields.get("icmp_code"), icmp);
        if (-1 == icmpType && -1 != icmpCode)
        {
            throw fields.get("icmp_code").error("needs icmp_type");
        }
        int flags = 0;
        int mask = 0;
        if (fields.containsKey("tcp_flags"))
        {
            final YamlNode f = fields.get("tcp_flags");
            if (6 != protocol)
            {
                throw f.error("tcp_flags needs protocol: tcp");
            }
            for (final String token : f.text().split("[\\s,]+"))
            {
                final boolean clear = token.startsWith("!");
                final Integer bit = TCP_FLAGS.get(clear ? token.substring(1) : token);
                if (null == bit)
                {
                    throw f.error("'" + token + "' is not a TCP flag: fin, syn, rst, psh, ack, urg, ece, cwr, each "
                        + "set, or cleared with '!'");
                }
                mask |= bit;
                flags |= clear ? 0 : bit;
            }
        }
        final boolean anyV4 = sources.stream().anyMatch(p -> !p.ipv6()) || destinations.stream().anyMatch(p -> !p.ipv6());
        final boolean anyV6 = sources.stream().anyMatch(IpPrefix::ipv6) || destinations.stream().anyMatch(IpPrefix::ipv6);
        if (anyV4 && anyV6 && (!sources.isEmpty() && !destinations.isEmpty()))
        {
            final boolean sourcesMixed = sources.stream().map(IpPrefix::ipv6).distinct().count() > 1;
            final boolean destinationsMixed = destinations.stream().map(IpPrefix::ipv6).distinct().count() > 1;
            if (!sourcesMixed && !destinationsMixed)
            {
                throw node.error("source and destination are of different IP versions: no packet can match");
            }
        }
        return new RuleConfig(name, node.line(), action, direction, protocol, sources, destinations, sourcePorts,
            destinationPorts, icmpType, icmpCode, flags, mask);
    }

    private static int icmpField(final YamlNode node, final boolean icmp) throws ConfigException
    {
        if (null == node)
        {
            return -1;
        }
        if (!icmp)
        {
            throw node.error("needs protocol: icmp or icmpv6");
        }
        return node.integer(0, 255);
    }

    private static List<PortRange> portRanges(final YamlNode node, final boolean hasPorts) throws ConfigException
    {
        if (null == node)
        {
            return List.of();
        }
        if (!hasPorts)
        {
            throw node.error("ports need protocol: tcp, udp or sctp");
        }
        final List<PortRange> ranges = new ArrayList<>();
        for (final YamlNode item : node.listOrOne())
        {
            final String text = item.text();
            final String[] bounds = text.split("-", -1);
            try
            {
                final int low = Integer.parseInt(bounds[0].trim());
                final int high = 2 == bounds.length ? Integer.parseInt(bounds[1].trim()) : low;
                if (bounds.length > 2 || low < 0 || high > 65_535 || low > high)
                {
                    throw item.error("'" + text + "' is not a port or a range lo-hi within 0-65535");
                }
                ranges.add(new PortRange(low, high));
            }
            catch (final NumberFormatException ex)
            {
                throw item.error("'" + text + "' is not a port or a range lo-hi within 0-65535");
            }
        }
        return nonEmpty(node, ranges);
    }

    /**
     * A rule field given as an empty list (or a group with no prefixes) would read as "any" to the classifier:
     * refused, so that emptying a group never opens a policy.
     */
    private static <T> List<T> nonEmpty(final YamlNode node, final List<T> values) throws ConfigException
    {
        if (values.isEmpty())
        {
            throw node.error("empty: a rule with an empty list matches no packet; leave the field out to match any");
        }
        return values;
    }

    private static List<IpPrefix> prefixes(final YamlNode node, final Map<String, List<IpPrefix>> groups)
        throws ConfigException
    {
        final List<IpPrefix> prefixes = new ArrayList<>();
        for (final YamlNode item : node.listOrOne())
        {
            final String text = item.text();
            if (groups.containsKey(text))
            {
                prefixes.addAll(groups.get(text));
            }
            else
            {
                prefixes.add(prefix(item, groups.isEmpty() ? "" : " (nor an address group of this tenant)"));
            }
        }
        return prefixes;
    }

    private static IpPrefix prefix(final YamlNode node, final String hint) throws ConfigException
    {
        try
        {
            return IpPrefix.parse(node.text());
        }
        catch (final IllegalArgumentException ex)
        {
            throw node.error(ex.getMessage() + hint);
        }
    }

    private static RuleAction terminal(final YamlNode node, final boolean rejectAllowed) throws ConfigException
    {
        return node.choice(rejectAllowed ? List.of(RuleAction.ALLOW, RuleAction.DENY, RuleAction.REJECT)
            : List.of(RuleAction.ALLOW, RuleAction.DENY), RuleAction::configName);
    }
}
