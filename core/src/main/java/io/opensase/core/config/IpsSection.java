package io.opensase.core.config;

import io.opensase.core.ips.IpsMode;
import io.opensase.core.ips.IpsSettings;
import io.opensase.ips.rules.Variables;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.function.Predicate;

/**
 * Reads the {@code ips:} section:
 * <pre>
 * ips:
 *   mode: ips                 # ids (alert only, the default) or ips (drop rules drop)
 *   rules: [rules/et-open]    # files or folders, relative to this file's folder
 *   address_vars: {HOME_NET: "[10.0.0.0/8]"}
 *   port_vars: {HTTP_PORTS: "[80,8080]"}
 *   midstream: false
 *   eve: eve-ips.json
 *   classification: rules/classification.config   # default: the one beside the first rule file
 *   dlp: dlp/profiles.yaml    # DLP profiles for HTTP request bodies
 *   max_streams: 4096         # TCP flows with a stream and application state at once, per worker
 *   http_header_blocks: 1024  # HTTP messages in progress at once, per worker (default: max_streams / 4)
 * </pre>
 * Rule files must exist, and each variable must resolve to an address or port list; a rule that does not
 * load is skipped with its reason when the engine starts.
 */
final class IpsSection
{
    private static final Set<String> IPS = Set.of("mode", "rules", "address_vars", "port_vars", "midstream", "eve", "classification", "dlp",
        "max_streams", "http_header_blocks");

    private IpsSection()
    {
    }

    /**
     * @param readable which files the IPS may be given to read; the others are refused with their field and
     *                 line before anything looks at them on disk (not even whether they exist).
     */
    static IpsSettings read(final YamlNode node, final Path folder, final Predicate<Path> readable)
        throws ConfigException
    {
        final Map<String, YamlNode> fields = node.mapping(IPS);
        IpsMode mode = IpsMode.IDS;
        if (fields.containsKey("mode"))
        {
            final YamlNode modeNode = fields.get("mode");
            mode = switch (modeNode.text())
            {
                case "ids" -> IpsMode.IDS;
                case "ips" -> IpsMode.IPS;
                default -> throw modeNode.error("expected ids or ips, got '" + modeNode.text() + "'");
            };
        }
        final List<Path> rules = new ArrayList<>();
        for (final YamlNode item : ConfigLoader.required(node, fields, "rules").listOrOne())
        {
            final Path path = folder.resolve(item.text()).normalize();
            requireReadable(item, path, folder, readable);
            if (!Files.exists(path))
            {
                throw item.error("no such rule file or folder: " + path);
            }
            rules.add(path);
        }
        final boolean midstream = fields.containsKey("midstream") && fields.get("midstream").bool();
        final Path eve = fields.containsKey("eve") ? fields.get("eve").fileIn(folder) : null;
        Path classification = null;
        if (fields.containsKey("classification"))
        {
            classification = fields.get("classification").fileIn(folder);
            requireReadable(fields.get("classification"), classification, folder, readable);
            if (!Files.isRegularFile(classification))
            {
                throw fields.get("classification").error("no such file: " + classification);
            }
        }
        Path dlp = null;
        if (fields.containsKey("dlp"))
        {
            dlp = fields.get("dlp").fileIn(folder);
            requireReadable(fields.get("dlp"), dlp, folder, readable);
            if (!Files.isRegularFile(dlp))
            {
                throw fields.get("dlp").error("no such file: " + dlp);
            }
        }
        final Map<String, String> addressVars = vars(fields.get("address_vars"));
        final Map<String, String> portVars = vars(fields.get("port_vars"));
        checkVars(fields.get("address_vars"), fields.get("port_vars"), addressVars, portVars);
        final int maxStreams = fields.containsKey("max_streams")
            ? fields.get("max_streams").integer(IpsSettings.MIN_STREAMS, IpsSettings.MAX_STREAMS)
            : IpsSettings.DEFAULT_STREAMS;
        final int headerBlocks = fields.containsKey("http_header_blocks")
            ? fields.get("http_header_blocks").integer(IpsSettings.MIN_HEADER_BLOCKS, IpsSettings.MAX_HEADER_BLOCKS)
            : IpsSettings.defaultHeaderBlocks(maxStreams);
        return new IpsSettings(rules, addressVars, portVars, mode, midstream, eve, classification, dlp, maxStreams,
            headerBlocks);
    }

    private static void requireReadable(final YamlNode node, final Path path, final Path folder,
        final Predicate<Path> readable) throws ConfigException
    {
        if (!readable.test(path))
        {
            throw node.error(path + " is outside the configuration's folder " + folder + ": a configuration sent "
                + "over the control API may name only files in that folder, or ones the running configuration names");
        }
    }

    /**
     * Refuses a variable whose value does not resolve as the rule headers would resolve it (found by a tester:
     * a bad value skipped every rule using it, each blamed on its own line): the configuration names the
     * variable's line and why. The variables not given are {@code any}, as {@code IpsPolicy} has them. A value
     * is first checked with each other configured variable standing for an address (port) of its own, so that
     * the variable at fault is named rather than one that refers to it; then all together (cycles, lists that
     * leave nothing).
     */
    private static void checkVars(final YamlNode addressNode, final YamlNode portNode,
        final Map<String, String> addressVars, final Map<String, String> portVars) throws ConfigException
    {
        final Variables all = Variables.anyDefaults().with(addressVars, portVars);
        for (final boolean alone : new boolean[] {true, false})
        {
            if (null != addressNode)
            {
                for (final Map.Entry<String, YamlNode> entry : addressNode.freeMapping().entrySet())
                {
                    final Variables variables = alone ? Variables.anyDefaults().with(
                        othersStandIn(addressVars, entry.getKey(), i -> "2001:db8::" + Integer.toHexString(i + 1)),
                        Map.of()) : all;
                    final String problem = variables.addressProblem(entry.getKey());
                    if (null != problem)
                    {
                        throw entry.getValue().error("not an address list: " + problem);
                    }
                }
            }
            if (null != portNode)
            {
                for (final Map.Entry<String, YamlNode> entry : portNode.freeMapping().entrySet())
                {
                    final Variables variables = alone ? Variables.anyDefaults().with(Map.of(),
                        othersStandIn(portVars, entry.getKey(), i -> Integer.toString(1 + i % 65535))) : all;
                    final String problem = variables.portProblem(entry.getKey());
                    if (null != problem)
                    {
                        throw entry.getValue().error("not a port list: " + problem);
                    }
                }
            }
        }
    }

    /** {@code vars} with every value but {@code name}'s replaced by the i-th stand-in, one value each. */
    private static Map<String, String> othersStandIn(final Map<String, String> vars, final String name,
        final IntFunction<String> standIn)
    {
        final Map<String, String> others = new LinkedHashMap<>();
        int i = 0;
        for (final Map.Entry<String, String> entry : vars.entrySet())
        {
            others.put(entry.getKey(), entry.getKey().equals(name) ? entry.getValue() : standIn.apply(i++));
        }
        return others;
    }

    private static Map<String, String> vars(final YamlNode node) throws ConfigException
    {
        final Map<String, String> vars = new LinkedHashMap<>();
        if (null == node)
        {
            return vars;
        }
        for (final Map.Entry<String, YamlNode> entry : node.freeMapping().entrySet())
        {
            if (!entry.getKey().matches("[A-Za-z_][A-Za-z0-9_]*"))
            {
                throw entry.getValue().error("not a variable name: '" + entry.getKey() + "'");
            }
            vars.put(entry.getKey(), entry.getValue().text());
        }
        return vars;
    }
}
