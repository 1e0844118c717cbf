package io.opensase.core.config;

import io.opensase.core.ips.IpsMode;
import io.opensase.core.ips.IpsSettings;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
 * </pre>
 * Rule files must exist; a rule that does not load is skipped with its reason when the engine starts.
 */
final class IpsSection
{
    private static final Set<String> IPS = Set.of("mode", "rules", "address_vars", "port_vars", "midstream", "eve", "classification", "dlp");

    private IpsSection()
    {
    }

    static IpsSettings read(final YamlNode node, final Path folder) throws ConfigException
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
            if (!Files.isRegularFile(classification))
            {
                throw fields.get("classification").error("no such file: " + classification);
            }
        }
        Path dlp = null;
        if (fields.containsKey("dlp"))
        {
            dlp = fields.get("dlp").fileIn(folder);
            if (!Files.isRegularFile(dlp))
            {
                throw fields.get("dlp").error("no such file: " + dlp);
            }
        }
        return new IpsSettings(rules, vars(fields.get("address_vars")), vars(fields.get("port_vars")), mode,
            midstream, eve, classification, dlp);
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
