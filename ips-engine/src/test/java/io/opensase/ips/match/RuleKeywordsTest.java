package io.opensase.ips.match;

import io.opensase.ips.rules.Keyword;
import io.opensase.ips.rules.Rule;
import io.opensase.ips.rules.RuleSet;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which rules the matcher enforces, and that the README names the same keywords as not enforced yet. */
class RuleKeywordsTest
{
    @Test
    void shouldReadTheKeywordsBackFromTheModel()
    {
        final Rule rule = MatchTesting.rules("alert tcp any any -> any any (msg:\"m\"; flow:established,to_server; "
            + "content:\"GET\"; http_method; content:\"/a\"; http_uri; nocase; depth:5; fast_pattern; "
            + "pcre:\"/x/U\"; isdataat:1,relative; dsize:>2; urilen:<9; sid:1; rev:2;)").get(0);
        assertEquals(EnumSet.of(Keyword.FLOW, Keyword.CONTENT, Keyword.HTTP_METHOD, Keyword.HTTP_URI, Keyword.NOCASE,
            Keyword.DEPTH, Keyword.FAST_PATTERN, Keyword.PCRE, Keyword.ISDATAAT, Keyword.DSIZE, Keyword.BSIZE),
            RuleKeywords.of(rule));
        assertTrue(RuleKeywords.notEnforced(rule).isEmpty());
    }

    @Test
    void shouldLeaveSessionAndHostTagsToTheIpsStage()
    {
        final List<Rule> rules = MatchTesting.rules(
            "alert tcp any any -> any any (content:\"a\"; tag:session,5,packets; sid:1;)",
            "alert tcp any any -> any any (content:\"a\"; tag:session; tag:host; sid:2;)",
            "alert tcp any any -> any any (content:\"a\"; byte_test:1,>,3,0,relative; flowbits:isset,x; "
                + "threshold:type limit,track by_src,count 1,seconds 60; flags:S; tag:host,3,packets,src; sid:3;)");
        assertEquals(EnumSet.of(Keyword.CONTENT, Keyword.TAG), RuleKeywords.of(rules.get(0)));
        assertEquals(Keyword.Enforcer.IPS_STAGE, Keyword.TAG.enforcedBy());
        for (final Rule rule : rules)
        {
            assertTrue(RuleKeywords.notEnforced(rule).isEmpty(), rule.toString());
        }
    }

    @Test
    void shouldEnforceTheByteBase64AndDatasetKeywords()
    {
        final Rule rule = MatchTesting.rules("alert http any any -> any any (content:\"a\"; byte_extract:1,0,n,relative; "
            + "byte_test:1,>,n,0,relative; byte_jump:1,0,relative; http.uri; base64_decode; base64_data; "
            + "content:\"b\"; sid:1;)",
            "alert dns any any -> any any (dns.query; dataset:isset,s, type string; sid:2;)").get(0);
        assertEquals(EnumSet.of(Keyword.CONTENT, Keyword.BYTE_EXTRACT, Keyword.BYTE_TEST, Keyword.BYTE_JUMP,
            Keyword.HTTP_URI, Keyword.BASE64_DECODE, Keyword.BASE64_DATA), RuleKeywords.of(rule));
        assertTrue(RuleKeywords.notEnforced(rule).isEmpty());
        assertEquals(Keyword.Enforcer.RULE_MATCHER, Keyword.DATASET.enforcedBy());
    }

    @Test
    void shouldEnforceEveryEtOpenRuleWithoutAKeywordLeftForLater()
    {
        final RuleSet set = MatchTesting.etOpen();
        final Map<Keyword, Integer> reasons = new LinkedHashMap<>();
        int enforced = 0;
        for (final Rule rule : set.rules())
        {
            final Set<Keyword> missing = RuleKeywords.notEnforced(rule);
            if (missing.isEmpty())
            {
                enforced++;
            }
            missing.forEach(k -> reasons.merge(k, 1, Integer::sum));
        }
        System.out.println("ET Open: " + enforced + " of " + set.rules().size() + " loaded rules enforced; "
            + "not yet, by keyword: " + reasons);
        // 4,387 until the IPS stage enforced session tags: the other 5 are the rules with tag:session,5,packets.
        assertEquals(4392, enforced);
        assertEquals(Map.of(), reasons);
    }

    @Test
    void shouldListTheKeywordsNotYetEnforcedInTheReadme() throws IOException
    {
        final String readme = Files.readString(Path.of("README.md"));
        final int start = readme.indexOf("**Not enforced yet.**");
        assertTrue(start > 0, "README lacks the 'Not enforced yet.' paragraph");
        final String paragraph = readme.substring(start, readme.indexOf("\n\n", start));
        final Set<String> documented = new TreeSet<>();
        final Matcher m = Pattern.compile("`([a-z0-9_.\\-]+)`").matcher(paragraph);
        while (m.find())
        {
            documented.add(m.group(1));
        }
        final Set<String> table = Arrays.stream(Keyword.values())
            .filter(k -> k.enforcedBy() == Keyword.Enforcer.NOT_YET)
            .map(Keyword::ruleName)
            .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(table, documented);
    }
}
