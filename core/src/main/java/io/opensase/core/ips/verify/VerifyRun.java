package io.opensase.core.ips.verify;

import io.opensase.core.ips.EveFileSink;
import io.opensase.core.ips.IpsCaptureRun;
import io.opensase.core.ips.IpsMode;
import io.opensase.core.ips.IpsPolicy;
import io.opensase.core.ips.IpsSettings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs one suricata-verify case through the IPS as {@code opensase ips} would (its rules, its capture, its
 * {@code stream.midstream} setting, IPS mode when the case simulates it) into an EVE file, and scores it.
 */
public final class VerifyRun
{
    /** Suricata build features this engine stands in for; a case requiring another is skipped. */
    public static final Set<String> FEATURES = Set.of();

    private VerifyRun()
    {
    }

    /**
     * @param classification the classification.config Suricata would use by default (a case's rules name
     *                       classtypes from it without shipping it).
     * @return the case's result, or null when the case is skipped (its unmet requirements printed by the
     *         caller from {@link VerifyCase#unmetRequirements}).
     */
    public static CaseResult run(final VerifyCase verifyCase, final Path eve, final Path classification)
        throws IOException
    {
        if (!verifyCase.unmetRequirements(FEATURES).isEmpty())
        {
            return null;
        }
        Files.deleteIfExists(eve);
        final boolean midstream = "true".equals(verifyCase.settings().get("stream.midstream"))
            || "yes".equals(verifyCase.settings().get("stream.midstream"));
        final IpsSettings settings = new IpsSettings(verifyCase.ruleFiles(), Map.of(), Map.of(),
            verifyCase.simulatesIps() ? IpsMode.IPS : IpsMode.IDS, midstream, eve, classification, null);
        try (IpsPolicy policy = IpsPolicy.load(settings); EveFileSink sink = new EveFileSink(eve))
        {
            for (final Path pcap : verifyCase.pcaps())
            {
                IpsCaptureRun.run(policy, pcap, sink);
            }
        }
        if (!Files.exists(eve))
        {
            Files.createFile(eve);
        }
        return VerifyScorer.score(verifyCase, eve);
    }

    /** Every case under {@code root}, in order. */
    public static List<VerifyCase> cases(final Path root) throws IOException
    {
        return VerifySuite.discover(root);
    }
}
