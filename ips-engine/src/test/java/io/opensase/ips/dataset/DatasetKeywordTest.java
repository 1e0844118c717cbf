package io.opensase.ips.dataset;

import io.opensase.ips.match.MatchInput;
import io.opensase.ips.match.PrefilterEngine;
import io.opensase.ips.match.RuleMatcher;
import io.opensase.ips.rules.Buffer;
import io.opensase.ips.rules.RuleSet;
import io.opensase.ips.rules.RuleSetLoader;
import io.opensase.ips.rules.SkipReason;
import io.opensase.ips.rules.SkippedRule;
import io.opensase.ips.rules.Variables;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code dataset} keyword through the loader and the matcher, as Suricata defines its commands: {@code set}
 * holds when the value was new, {@code unset} when it was there, {@code isset}/{@code isnotset} test. The
 * load files are written here by hand; their base64 lines were made with Python's {@code base64.b64encode}
 * ("evil.example" is {@code ZXZpbC5leGFtcGxl}, "bad.example" {@code YmFkLmV4YW1wbGU=}, "a.example"
 * {@code YS5leGFtcGxl}), and the digests with {@code hashlib} (md5 and sha256 of "abc").
 */
class DatasetKeywordTest
{
    @TempDir
    Path dir;

    /** The sids {@code rules} report for {@code input}, one call, the Java engine. */
    private static List<Long> sids(final RuleMatcher matcher, final MatchInput input)
    {
        try (RuleMatcher.Worker worker = matcher.newWorker())
        {
            final int n = worker.match(input);
            final List<Long> sids = new ArrayList<>();
            for (int i = 0; i < n; i++)
            {
                sids.add(worker.sid(i));
            }
            return sids;
        }
    }

    private static MemorySegment text(final String s)
    {
        return MemorySegment.ofArray(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static MemorySegment bytes(final int... values)
    {
        final byte[] b = new byte[values.length];
        for (int i = 0; i < b.length; i++)
        {
            b[i] = (byte)values[i];
        }
        return MemorySegment.ofArray(b);
    }

    private static MatchInput input()
    {
        return new MatchInput().flow(MatchInput.Direction.TO_SERVER, true, true);
    }

    private RuleSet load(final Datasets datasets, final String... rules) throws IOException
    {
        final Path file = dir.resolve("test.rules");
        Files.writeString(file, String.join("\n", rules) + "\n");
        return RuleSetLoader.load(file, Variables.anyDefaults(), datasets);
    }

    @Test
    void setHoldsOnlyForANewValueAndTheSetIsSharedByRules() throws IOException
    {
        // ids-verify datasets-04-http-dns: the DNS query adds example.com (alert), the HTTP host finds it there.
        try (Datasets datasets = new Datasets(null))
        {
            final RuleSet set = load(datasets,
                "alert dns any any -> any any (dns.query; dataset:set,dns-seen, type string; sid:1;)",
                "alert http any any -> any any (http.host; dataset:set,dns-seen, type string; sid:2;)");
            try (RuleMatcher matcher = RuleMatcher.compile(set.rules(), PrefilterEngine.JAVA, 4096, datasets))
            {
                assertEquals(List.of(1L), sids(matcher, input().add(Buffer.DNS_QUERY, text("example.com"))));
                assertEquals(List.of(), sids(matcher, input().set(Buffer.HTTP_HOST, text("example.com"))));
                assertEquals(List.of(2L), sids(matcher, input().set(Buffer.HTTP_HOST, text("other.example"))));
            }
            assertEquals(2, datasets.get("dns-seen").size());
        }
    }

    @Test
    void issetAndIsnotsetTestALoadedSet() throws IOException
    {
        Files.writeString(dir.resolve("bad.lst"), "ZXZpbC5leGFtcGxl\n\nYmFkLmV4YW1wbGU=\n");
        try (Datasets datasets = new Datasets(null))
        {
            final RuleSet set = load(datasets,
                "alert dns any any -> any any (dns.query; dataset:isset,bad, type string, load bad.lst; sid:1;)",
                "alert dns any any -> any any (dns.query; dataset:isnotset,bad, type string; sid:2;)");
            assertTrue(set.skipped().isEmpty(), () -> set.skipped().toString());
            try (RuleMatcher matcher = RuleMatcher.compile(set.rules(), PrefilterEngine.JAVA, 4096, datasets))
            {
                assertEquals(List.of(1L), sids(matcher, input().add(Buffer.DNS_QUERY, text("evil.example"))));
                assertEquals(List.of(1L), sids(matcher, input().add(Buffer.DNS_QUERY, text("bad.example"))));
                assertEquals(List.of(2L), sids(matcher, input().add(Buffer.DNS_QUERY, text("good.example"))));
                // Whole values only: a prefix is another value.
                assertEquals(List.of(2L), sids(matcher, input().add(Buffer.DNS_QUERY, text("evil.exampl"))));
            }
        }
    }

    @Test
    void unsetHoldsWhenTheValueWasThere() throws IOException
    {
        Files.writeString(dir.resolve("bad.lst"), "ZXZpbC5leGFtcGxl\n");
        try (Datasets datasets = new Datasets(null))
        {
            final RuleSet set = load(datasets,
                "alert http any any -> any any (http.host; dataset:unset,bad, type string, load bad.lst; sid:1;)");
            try (RuleMatcher matcher = RuleMatcher.compile(set.rules(), PrefilterEngine.JAVA, 4096, datasets))
            {
                assertEquals(List.of(1L), sids(matcher, input().set(Buffer.HTTP_HOST, text("evil.example"))));
                assertEquals(List.of(), sids(matcher, input().set(Buffer.HTTP_HOST, text("evil.example"))));
            }
            assertEquals(0, datasets.get("bad").size());
        }
    }

    @Test
    void digestAndAddressTypesCompareRawBytes() throws IOException
    {
        Files.writeString(dir.resolve("md5.lst"), "900150983cd24fb0d6963f7d28e17f72\n");
        Files.writeString(dir.resolve("sha.lst"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\n");
        Files.writeString(dir.resolve("v4.lst"), "1.2.3.4\n");
        Files.writeString(dir.resolve("ip.lst"), "2001:db8::1\n10.0.0.1\n");
        try (Datasets datasets = new Datasets(null))
        {
            final RuleSet set = load(datasets,
                "alert http any any -> any any (http.uri; dataset:isset,m, type md5, load md5.lst; sid:1;)",
                "alert tls any any -> any any (tls.random; dataset:isset,s, type sha256, load sha.lst; sid:2;)",
                "alert http any any -> any any (http.host; dataset:isset,v, type ipv4, load v4.lst; sid:3;)",
                "alert http any any -> any any (http.cookie; dataset:isset,i, type ip, load ip.lst; sid:4;)");
            assertTrue(set.skipped().isEmpty(), () -> set.skipped().toString());
            try (RuleMatcher matcher = RuleMatcher.compile(set.rules(), PrefilterEngine.JAVA, 4096, datasets))
            {
                final MemorySegment md5 = bytes(0x90, 0x01, 0x50, 0x98, 0x3c, 0xd2, 0x4f, 0xb0, 0xd6, 0x96, 0x3f,
                    0x7d, 0x28, 0xe1, 0x7f, 0x72);
                assertEquals(List.of(1L), sids(matcher, input().set(Buffer.HTTP_URI, md5)));
                // The hex text of the digest is 32 bytes, not a 16-byte value: no match.
                assertEquals(List.of(), sids(matcher,
                    input().set(Buffer.HTTP_URI, text("900150983cd24fb0d6963f7d28e17f72"))));
                final MemorySegment sha = bytes(0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40,
                    0xde, 0x5d, 0xae, 0x22, 0x23, 0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17, 0x7a, 0x9c, 0xb4, 0x10, 0xff,
                    0x61, 0xf2, 0x00, 0x15, 0xad);
                assertEquals(List.of(2L), sids(matcher, input().set(Buffer.TLS_RANDOM, sha)));
                final MemorySegment otherSha = bytes(new int[32]);
                assertEquals(List.of(), sids(matcher, input().set(Buffer.TLS_RANDOM, otherSha)));
                assertEquals(List.of(3L), sids(matcher, input().set(Buffer.HTTP_HOST, bytes(1, 2, 3, 4))));
                assertEquals(List.of(), sids(matcher, input().set(Buffer.HTTP_HOST, bytes(1, 2, 3, 5))));
                // An ip set: IPv6 as 16 bytes, an IPv4 line matches a 4-byte value.
                assertEquals(List.of(4L), sids(matcher, input().set(Buffer.HTTP_COOKIE,
                    bytes(0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1))));
                assertEquals(List.of(4L), sids(matcher, input().set(Buffer.HTTP_COOKIE, bytes(10, 0, 0, 1))));
                assertEquals(List.of(), sids(matcher, input().set(Buffer.HTTP_COOKIE, bytes(10, 0, 0, 2))));
            }
        }
    }

    @Test
    void aFullSetRefusesNewValuesAndCountsThem() throws IOException
    {
        try (Datasets datasets = new Datasets(null))
        {
            final RuleSet set = load(datasets,
                "alert dns any any -> any any (dns.query; dataset:set,small, type string, hashsize 2; sid:1;)");
            try (RuleMatcher matcher = RuleMatcher.compile(set.rules(), PrefilterEngine.JAVA, 4096, datasets))
            {
                assertEquals(List.of(1L), sids(matcher, input().add(Buffer.DNS_QUERY, text("a.example"))));
                assertEquals(List.of(1L), sids(matcher, input().add(Buffer.DNS_QUERY, text("b.example"))));
                // The third value does not fit: set does not hold, and the refusal is counted once.
                assertEquals(List.of(), sids(matcher, input().add(Buffer.DNS_QUERY, text("c.example"))));
                // A value already there is no refusal.
                assertEquals(List.of(), sids(matcher, input().add(Buffer.DNS_QUERY, text("a.example"))));
            }
            assertEquals(2, datasets.get("small").size());
            assertEquals(1, datasets.get("small").refusedAdds());
        }
    }

    @Test
    void aSetThatCannotBeOpenedSkipsItsRuleWithTheReasonAndLoadingGoesOn() throws IOException
    {
        Files.writeString(dir.resolve("broken.lst"), "ZXZpbC5leGFtcGxl\nnot base64!\n");
        Files.writeString(dir.resolve("ok.lst"), "ZXZpbC5leGFtcGxl\n");
        try (Datasets datasets = new Datasets(null))
        {
            final RuleSet set = load(datasets,
                "alert dns any any -> any any (dns.query; dataset:isset,a, type string, load missing.lst; sid:1;)",
                "alert dns any any -> any any (dns.query; dataset:isset,b, type string, load broken.lst; sid:2;)",
                "alert dns any any -> any any (dns.query; dataset:isset,c, type string, memcap 1kb; sid:3;)",
                "alert dns any any -> any any (dns.query; dataset:isset,d, type string, hashsize 70000; sid:4;)",
                "alert dns any any -> any any (dns.query; dataset:isset,e, type string, load ok.lst; sid:5;)",
                "alert dns any any -> any any (dns.query; dataset:isset,e, type md5; sid:6;)",
                "alert dns any any -> any any (dns.query; dataset:isset,e, type string; sid:7;)");
            final Map<Long, String> reasons = new TreeMap<>();
            for (final SkippedRule s : set.skipped())
            {
                assertEquals(SkipReason.Category.DATASET_ERROR, s.reason().category());
                reasons.put(Long.parseLong(s.text().replaceAll(".*sid:(\\d+).*", "$1")), s.reason().detail());
            }
            assertEquals(List.of(1L, 2L, 3L, 4L, 6L), List.copyOf(reasons.keySet()));
            assertTrue(reasons.get(1L).startsWith("cannot read " + dir.resolve("missing.lst")), reasons.get(1L));
            assertEquals(dir.resolve("broken.lst") + ":2: not a string value", reasons.get(2L));
            assertTrue(reasons.get(3L).startsWith("memcap 1024 bytes is below the "), reasons.get(3L));
            assertTrue(reasons.get(4L).contains("hashsize 70000"), reasons.get(4L));
            assertEquals("set 'e' is a string set, not md5", reasons.get(6L));
            assertEquals(List.of(5L, 7L), set.rules().stream().map(r -> r.sid()).toList());
        }
    }

    /**
     * Found by a tester: {@code load /dev/zero} read until the JVM ran out of memory and ended the command with a
     * stack trace, and a folder gave an IOException's text. Both now skip their rule with the reason alone.
     */
    @Test
    void aLoadFileThatIsNoRegularFileSkipsItsRule() throws IOException
    {
        Files.createSymbolicLink(dir.resolve("zero.lst"), Path.of("/dev/zero"));
        Files.createDirectory(dir.resolve("folder.lst"));
        try (Datasets datasets = new Datasets(null))
        {
            final RuleSet set = load(datasets,
                "alert dns any any -> any any (dns.query; dataset:isset,z, type string, load zero.lst; sid:1;)",
                "alert dns any any -> any any (dns.query; dataset:isset,f, type string, load folder.lst; sid:2;)",
                "alert dns any any -> any any (dns.query; content:\"x\"; sid:3;)");
            final Map<Long, String> reasons = new TreeMap<>();
            for (final SkippedRule s : set.skipped())
            {
                assertEquals(SkipReason.Category.DATASET_ERROR, s.reason().category());
                reasons.put(Long.parseLong(s.text().replaceAll(".*sid:(\\d+).*", "$1")), s.reason().detail());
            }
            assertEquals(Map.of(1L, dir.resolve("zero.lst") + " is not a regular file",
                2L, dir.resolve("folder.lst") + " is not a regular file"), reasons);
            assertEquals(List.of(3L), set.rules().stream().map(r -> r.sid()).toList());
        }
    }

    /**
     * Found by a tester: {@code load /etc/shadow} (or {@code ../../etc/passwd}) read any file the engine could,
     * and the error quoted its first line. Set files named by rules now stay inside their folder, as Suricata
     * refuses absolute and traversing names by default, and no error quotes a line of a set file.
     */
    @Test
    void aSetFileOutsideItsFolderIsRefusedAndNoErrorQuotesAFile() throws IOException
    {
        final Path secret = Files.writeString(dir.resolve("secret.txt"), "root:SECRET-HASH:20228:0\n");
        Files.createDirectory(dir.resolve("rules"));
        final Path ruleFile = dir.resolve("rules/test.rules");
        Files.writeString(ruleFile, String.join("\n",
            "alert dns any any -> any any (dns.query; dataset:isset,a, type string, load " + secret + "; sid:1;)",
            "alert dns any any -> any any (dns.query; dataset:isset,b, type string, load ../secret.txt; sid:2;)",
            "alert dns any any -> any any (dns.query; dataset:isset,c, type string, load x/../../secret.txt; sid:3;)",
            "alert dns any any -> any any (dns.query; dataset:set,d, type string, state ../secret.txt; sid:4;)",
            "alert dns any any -> any any (dns.query; dataset:isset,e, type string, load ../rules/../x; sid:5;)",
            "alert dns any any -> any any (dns.query; dataset:isset,f, type string, load link.lst; sid:6;)"));
        Files.createSymbolicLink(dir.resolve("rules/link.lst"), secret);
        try (Datasets datasets = new Datasets(dir.resolve("data")))
        {
            final RuleSet set = RuleSetLoader.load(ruleFile, Variables.anyDefaults(), datasets);
            final Map<Long, String> reasons = new TreeMap<>();
            for (final SkippedRule s : set.skipped())
            {
                reasons.put(Long.parseLong(s.text().replaceAll(".*sid:(\\d+).*", "$1")), s.reason().detail());
                assertFalse(s.reason().detail().contains("SECRET"), s.reason().detail());
            }
            assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L), List.copyOf(reasons.keySet()));
            assertEquals("load needs a file name inside the rule file's folder or the dataset directory, got '"
                + secret + "'", reasons.get(1L));
            assertTrue(reasons.get(2L).endsWith("got '../secret.txt'"), reasons.get(2L));
            assertTrue(reasons.get(3L).endsWith("got 'x/../../secret.txt'"), reasons.get(3L));
            assertEquals("state needs a file name inside the data directory, got '../secret.txt'", reasons.get(4L));
            assertTrue(reasons.get(5L).endsWith("got '../rules/../x'"), reasons.get(5L));
            // A link inside the folder is the operator's own doing; it is read, and its bad line is not quoted.
            assertEquals(dir.resolve("rules/link.lst") + ":1: not a string value", reasons.get(6L));
        }
    }

    @Test
    void stateIsWrittenOnCloseAndReadBackAtStart() throws IOException
    {
        final Path data = dir.resolve("data");
        final String rule =
            "alert dns any any -> any any (dns.query; dataset:set,seen, type string, state seen.lst; sid:1;)";
        try (Datasets datasets = new Datasets(data))
        {
            final RuleSet set = load(datasets, rule);
            try (RuleMatcher matcher = RuleMatcher.compile(set.rules(), PrefilterEngine.JAVA, 4096, datasets))
            {
                assertEquals(List.of(1L), sids(matcher, input().add(Buffer.DNS_QUERY, text("a.example"))));
            }
        }
        assertEquals("YS5leGFtcGxl\n", Files.readString(data.resolve("seen.lst")));
        try (Datasets datasets = new Datasets(data))
        {
            final RuleSet set = load(datasets, rule);
            try (RuleMatcher matcher = RuleMatcher.compile(set.rules(), PrefilterEngine.JAVA, 4096, datasets))
            {
                assertEquals(List.of(), sids(matcher, input().add(Buffer.DNS_QUERY, text("a.example"))));
            }
        }
        // Without a data directory a state file has nowhere to go: the rule is skipped.
        try (Datasets datasets = new Datasets(null))
        {
            assertEquals(SkipReason.Category.DATASET_ERROR, load(datasets, rule).skipped().get(0).reason().category());
        }
    }

    @Test
    void loadFilesOfRulesGivenAsTextComeFromTheLoadersDirectory() throws IOException
    {
        Files.writeString(dir.resolve("bad.lst"), "ZXZpbC5leGFtcGxl\n");
        try (Datasets datasets = new Datasets(null))
        {
            final RuleSet set = new RuleSetLoader(Variables.anyDefaults(), null, datasets, dir).loadText(
                "alert dns any any -> any any (dns.query; dataset:isset,bad, type string, load bad.lst; sid:1;)");
            assertTrue(set.skipped().isEmpty(), () -> set.skipped().toString());
            assertEquals(dir.resolve("bad.lst"), datasets.get("bad").load());
            assertEquals(1, datasets.get("bad").size());
        }
    }

    @Test
    void aMatcherWithoutARegistryMakesItsOwn() throws IOException
    {
        final RuleSet set = new RuleSetLoader(Variables.anyDefaults(), null).loadText(
            "alert dns any any -> any any (dns.query; dataset:set,s, type string; sid:1;)\n"
                + "alert dns any any -> any any (dns.query; dataset:isset,t, type string, load nonexistent/x.lst;"
                + " sid:2;)");
        try (RuleMatcher matcher = RuleMatcher.compile(set.rules(), PrefilterEngine.JAVA, 4096))
        {
            // The set that cannot be opened leaves its rule unenforced, named by the keyword.
            assertEquals(1, matcher.enforced().size());
            assertEquals(1, matcher.notEnforced().size());
            assertEquals(List.of(1L), sids(matcher, input().add(Buffer.DNS_QUERY, text("x"))));
            assertEquals(List.of(), sids(matcher, input().add(Buffer.DNS_QUERY, text("x"))));
            assertFalse(matcher.startLine().isEmpty());
        }
    }
}
