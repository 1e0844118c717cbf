package io.opensase.core.control;

import io.opensase.core.ips.IpsMode;
import io.opensase.core.ips.IpsSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** When a reload may keep the IPS rules it runs: only when nothing they are compiled from has changed. */
class IpsInputsTest
{
    @TempDir
    Path dir;

    private IpsSettings settings(final Path rules, final String homeNet, final Path eve)
    {
        return new IpsSettings(List.of(rules), Map.of("HOME_NET", homeNet), Map.of(), IpsMode.IDS, false, eve, null,
            null);
    }

    @Test
    void sameFolderSameSettingsIsTheSame() throws Exception
    {
        final Path rules = Files.createDirectory(dir.resolve("rules"));
        Files.writeString(rules.resolve("a.rules"), "alert tcp any any -> any any (sid:1;)\n");
        final IpsInputs before = IpsInputs.of(settings(rules, "[10.0.0.0/8]", null));
        assertTrue(before.same(IpsInputs.of(settings(rules, "[10.0.0.0/8]", null))));
    }

    /**
     * Found by a tester: a reload changing only {@code ips.http_header_blocks} compiled the same rules again (1.3 s of
     * CPU) for a setting a reload cannot apply; so did one changing {@code max_streams} or {@code eve}.
     */
    @Test
    void settingsTakingEffectAtStartAreNoChange() throws Exception
    {
        final Path rules = Files.createDirectory(dir.resolve("rules"));
        Files.writeString(rules.resolve("a.rules"), "alert tcp any any -> any any (sid:1;)\n");
        final IpsInputs before = IpsInputs.of(new IpsSettings(List.of(rules), Map.of(), Map.of(), IpsMode.IDS, false,
            null, null, null, 4096, 1024));
        assertTrue(before.same(IpsInputs.of(new IpsSettings(List.of(rules), Map.of(), Map.of(), IpsMode.IDS, false,
            dir.resolve("eve.json"), null, null, 8192, 64))));
        assertFalse(before.same(IpsInputs.of(new IpsSettings(List.of(rules), Map.of(), Map.of(), IpsMode.IPS, false,
            null, null, null, 4096, 1024))), "the mode is compiled in");
    }

    @Test
    void aChangedByteInARuleFileIsAChange() throws Exception
    {
        final Path rules = Files.createDirectory(dir.resolve("rules"));
        Files.writeString(rules.resolve("a.rules"), "alert tcp any any -> any any (sid:1;)\n");
        final IpsInputs before = IpsInputs.of(settings(rules, "[10.0.0.0/8]", null));
        Files.writeString(rules.resolve("a.rules"), "alert tcp any any -> any any (sid:2;)\n");
        assertFalse(before.same(IpsInputs.of(settings(rules, "[10.0.0.0/8]", null))));
    }

    @Test
    void aDatasetFileBesideTheRulesIsAChangeAndTheEveFileIsNot() throws Exception
    {
        final Path rules = Files.createDirectory(dir.resolve("rules"));
        Files.writeString(rules.resolve("a.rules"), "alert tcp any any -> any any (sid:1;)\n");
        final Path eve = rules.resolve("eve.json");
        Files.writeString(rules.resolve("names.lst"), "ZXhhbXBsZS5jb20=\n");
        final IpsInputs before = IpsInputs.of(settings(rules, "[10.0.0.0/8]", eve));
        Files.writeString(eve, "{\"event_type\":\"alert\"}\n");
        assertTrue(before.same(IpsInputs.of(settings(rules, "[10.0.0.0/8]", eve))), "the EVE file is written, not read");
        Files.writeString(rules.resolve("names.lst"), "b3RoZXIuZXhhbXBsZQ==\n");
        assertFalse(before.same(IpsInputs.of(settings(rules, "[10.0.0.0/8]", eve))));
    }

    @Test
    void theClassificationBesideANamedRuleFileIsRead() throws Exception
    {
        final Path file = dir.resolve("a.rules");
        Files.writeString(file, "alert tcp any any -> any any (sid:1;)\n");
        Files.writeString(dir.resolve("other.txt"), "not read\n");
        Files.writeString(dir.resolve("classification.config"), "config classification: misc-activity,Misc activity,3\n");
        final IpsInputs before = IpsInputs.of(settings(file, "[10.0.0.0/8]", null));
        Files.writeString(dir.resolve("other.txt"), "still not read\n");
        assertTrue(before.same(IpsInputs.of(settings(file, "[10.0.0.0/8]", null))), "a file beside it, not a rule folder");
        Files.writeString(dir.resolve("classification.config"), "config classification: misc-activity,Misc,2\n");
        assertFalse(before.same(IpsInputs.of(settings(file, "[10.0.0.0/8]", null))));
    }

    @Test
    void aChangedVariableIsAChange() throws Exception
    {
        final Path rules = Files.createDirectory(dir.resolve("rules"));
        Files.writeString(rules.resolve("a.rules"), "alert tcp $HOME_NET any -> any any (sid:1;)\n");
        final IpsInputs before = IpsInputs.of(settings(rules, "[10.0.0.0/8]", null));
        assertFalse(before.same(IpsInputs.of(settings(rules, "[10.77.0.0/16]", null))));
    }

    @Test
    void aRuleFileThatCannotBeReadMeansCompileAgain() throws Exception
    {
        final IpsInputs before = IpsInputs.of(settings(dir.resolve("a.rules"), "[10.0.0.0/8]", null));
        assertNull(before);
    }
}
