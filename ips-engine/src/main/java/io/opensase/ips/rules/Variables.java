package io.opensase.ips.rules;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The address and port groups a rule header's {@code $NAME}s resolve to, as the strings a configuration
 * gives them ({@code "[10.0.0.0/8,!10.1.0.0/16]"}, {@code "!$HOME_NET"}, {@code "[80,8080:8090]"}). A value
 * may name other variables; cycles and undefined names make the rules that use them skip ({@link #addressProblem}
 * finds them first). Address and port
 * groups are separate name spaces. Immutable.
 */
public final class Variables
{
    private final Map<String, String> addresses;
    private final Map<String, String> ports;

    private Variables(final Map<String, String> addresses, final Map<String, String> ports)
    {
        this.addresses = Map.copyOf(addresses);
        this.ports = Map.copyOf(ports);
    }

    /**
     * @param addressGroups name (without {@code $}) to address list.
     * @param portGroups    name (without {@code $}) to port list.
     */
    public static Variables of(final Map<String, String> addressGroups, final Map<String, String> portGroups)
    {
        return new Variables(addressGroups, portGroups);
    }

    /** Suricata's shipped {@code suricata.yaml} values: RFC 1918 home network, HTTP on port 80, and so on. */
    public static Variables suricataDefaults()
    {
        final Map<String, String> a = new LinkedHashMap<>();
        a.put("HOME_NET", "[192.168.0.0/16,10.0.0.0/8,172.16.0.0/12]");
        a.put("EXTERNAL_NET", "!$HOME_NET");
        for (final String name : new String[] {"HTTP_SERVERS", "SMTP_SERVERS", "SQL_SERVERS", "DNS_SERVERS",
            "TELNET_SERVERS", "DC_SERVERS", "DNP3_SERVER", "DNP3_CLIENT", "MODBUS_CLIENT", "MODBUS_SERVER",
            "ENIP_CLIENT", "ENIP_SERVER"})
        {
            a.put(name, "$HOME_NET");
        }
        a.put("AIM_SERVERS", "$EXTERNAL_NET");
        final Map<String, String> p = new LinkedHashMap<>();
        p.put("HTTP_PORTS", "80");
        p.put("SHELLCODE_PORTS", "!80");
        p.put("ORACLE_PORTS", "1521");
        p.put("SSH_PORTS", "22");
        p.put("DNP3_PORTS", "20000");
        p.put("MODBUS_PORTS", "502");
        p.put("FILE_DATA_PORTS", "[$HTTP_PORTS,110,143]");
        p.put("FTP_PORTS", "21");
        p.put("GENEVE_PORTS", "6081");
        p.put("VXLAN_PORTS", "4789");
        p.put("TEREDO_PORTS", "3544");
        return new Variables(a, p);
    }

    /**
     * The same names as {@link #suricataDefaults()}, every one {@code any}: what the checking CLI uses when
     * the configuration sets none.
     */
    public static Variables anyDefaults()
    {
        final Variables defaults = suricataDefaults();
        final Map<String, String> a = new LinkedHashMap<>();
        defaults.addresses.keySet().forEach(name -> a.put(name, "any"));
        final Map<String, String> p = new LinkedHashMap<>();
        defaults.ports.keySet().forEach(name -> p.put(name, "any"));
        return new Variables(a, p);
    }

    /** These variables with {@code addressGroups} and {@code portGroups} added or replaced. */
    public Variables with(final Map<String, String> addressGroups, final Map<String, String> portGroups)
    {
        final Map<String, String> a = new LinkedHashMap<>(addresses);
        a.putAll(addressGroups);
        final Map<String, String> p = new LinkedHashMap<>(ports);
        p.putAll(portGroups);
        return new Variables(a, p);
    }

    /**
     * Why the address group {@code name} does not resolve as a rule header would resolve {@code $name} (an
     * entry that is no address, an undefined or cyclic variable, a list that leaves nothing), or null when it
     * does. For refusing a configuration whose groups would otherwise make every rule using them skip.
     */
    public String addressProblem(final String name)
    {
        try
        {
            new HeaderParser(this).addresses("$" + name, "variable");
            return null;
        }
        catch (final RuleException ex)
        {
            return ex.reason().detail();
        }
    }

    /** As {@link #addressProblem}, for the port group {@code name}. */
    public String portProblem(final String name)
    {
        try
        {
            new HeaderParser(this).ports("$" + name, "variable");
            return null;
        }
        catch (final RuleException ex)
        {
            return ex.reason().detail();
        }
    }

    /** @return the address group's value, or null when undefined. */
    public String address(final String name)
    {
        return addresses.get(name);
    }

    /** @return the port group's value, or null when undefined. */
    public String port(final String name)
    {
        return ports.get(name);
    }
}
