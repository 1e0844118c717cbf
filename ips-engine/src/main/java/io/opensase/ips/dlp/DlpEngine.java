package io.opensase.ips.dlp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A compiled DLP policy: every profile's detectors numbered as slots, the keyword automaton and the exact
 * data match tables. Built once on the control thread, then shared read-only by every worker's
 * {@link DlpScanner}. Closing it closes the EDM tables; close it only after its scanners are done.
 */
public final class DlpEngine implements AutoCloseable
{
    /** PEM and OpenSSH private key headers, matched anywhere (no word boundary). */
    static final List<String> PRIVATE_KEY_HEADERS = List.of(
        "-----BEGIN PRIVATE KEY-----",
        "-----BEGIN RSA PRIVATE KEY-----",
        "-----BEGIN EC PRIVATE KEY-----",
        "-----BEGIN DSA PRIVATE KEY-----",
        "-----BEGIN OPENSSH PRIVATE KEY-----",
        "-----BEGIN ENCRYPTED PRIVATE KEY-----",
        "-----BEGIN PGP PRIVATE KEY BLOCK-----");

    final DlpPolicy policy;
    final int slots;
    final int[] slotProfile;
    final int[] slotMin;
    final String[] slotName;
    final DetectorType[] slotType;
    final String[] profileName;
    final DlpAction[] profileAction;
    final int[] profileThreshold;
    final int[][] profileSlots;
    /** Slots of each built-in detector type, by ordinal; empty when no profile lists it. */
    final int[][] typeSlots;
    final boolean identifiers;
    final boolean secrets;
    final KeywordAutomaton keywords;
    final int[][] termSlots;
    final boolean[] termBoundary;
    final String[] terms;
    final EdmTable[] edm;
    final int[] edmSlot;
    /** Some EDM table has a text column: every word is then a candidate, digits or not. */
    final boolean edmText;

    private DlpEngine(final DlpPolicy policy)
    {
        this.policy = policy;
        final List<DetectorSpec> all = new ArrayList<>();
        final List<Integer> owner = new ArrayList<>();
        final List<DlpProfile> profiles = policy.profiles();
        profileName = new String[profiles.size()];
        profileAction = new DlpAction[profiles.size()];
        profileThreshold = new int[profiles.size()];
        profileSlots = new int[profiles.size()][];
        for (int p = 0; p < profiles.size(); p++)
        {
            final DlpProfile profile = profiles.get(p);
            profileName[p] = profile.name();
            profileAction[p] = profile.action();
            profileThreshold[p] = profile.flowThreshold();
            profileSlots[p] = new int[profile.detectors().size()];
            for (int d = 0; d < profile.detectors().size(); d++)
            {
                profileSlots[p][d] = all.size();
                all.add(profile.detectors().get(d));
                owner.add(p);
            }
        }
        slots = all.size();
        slotProfile = owner.stream().mapToInt(Integer::intValue).toArray();
        slotMin = all.stream().mapToInt(DetectorSpec::minCount).toArray();
        slotName = all.stream().map(DetectorSpec::name).toArray(String[]::new);
        slotType = all.stream().map(DetectorSpec::type).toArray(DetectorType[]::new);

        typeSlots = new int[DetectorType.values().length][];
        for (final DetectorType type : DetectorType.values())
        {
            typeSlots[type.ordinal()] = slotsOf(type);
        }
        identifiers = anyOf(DetectorType.PAYMENT_CARD, DetectorType.CARD_TRACK1, DetectorType.CARD_TRACK2,
            DetectorType.SWIFT_BIC, DetectorType.IBAN, DetectorType.US_SSN, DetectorType.UK_NINO,
            DetectorType.CA_SIN, DetectorType.ES_DNI, DetectorType.ES_NIE, DetectorType.IT_CODICE_FISCALE,
            DetectorType.NL_BSN, DetectorType.PL_PESEL, DetectorType.DE_TAX_ID, DetectorType.FR_NIR,
            DetectorType.IN_AADHAAR, DetectorType.EDM);
        secrets = anyOf(DetectorType.EMAIL, DetectorType.AWS_ACCESS_KEY_ID, DetectorType.AWS_SECRET_ACCESS_KEY,
            DetectorType.GITHUB_TOKEN, DetectorType.SLACK_TOKEN, DetectorType.GOOGLE_API_KEY, DetectorType.JWT);

        // A set per term: a word given twice in one dictionary (in any case) counts once per match.
        final Map<String, java.util.Set<Integer>> termOwners = new LinkedHashMap<>();
        final Map<String, Boolean> boundary = new LinkedHashMap<>();
        for (int s = 0; s < slots; s++)
        {
            if (slotType[s] == DetectorType.KEYWORDS)
            {
                for (final String word : all.get(s).words())
                {
                    final String key = word.toLowerCase(java.util.Locale.ROOT);
                    termOwners.computeIfAbsent(key, k -> new java.util.LinkedHashSet<>()).add(s);
                    boundary.put(key, true);
                }
            }
            else if (slotType[s] == DetectorType.PRIVATE_KEY)
            {
                for (final String header : PRIVATE_KEY_HEADERS)
                {
                    final String key = header.toLowerCase(java.util.Locale.ROOT);
                    termOwners.computeIfAbsent(key, k -> new java.util.LinkedHashSet<>()).add(s);
                    boundary.putIfAbsent(key, false);
                }
            }
        }
        terms = termOwners.keySet().toArray(String[]::new);
        termSlots = termOwners.values().stream().map(l -> l.stream().mapToInt(Integer::intValue).toArray())
            .toArray(int[][]::new);
        termBoundary = new boolean[terms.length];
        for (int t = 0; t < terms.length; t++)
        {
            termBoundary[t] = boundary.get(terms[t]);
        }
        keywords = terms.length == 0 ? null : new KeywordAutomaton(List.of(terms));

        final List<EdmTable> tables = new ArrayList<>();
        final List<Integer> tableSlots = new ArrayList<>();
        try
        {
            for (int s = 0; s < slots; s++)
            {
                if (slotType[s] == DetectorType.EDM)
                {
                    tables.add(EdmTable.open(profileName[slotProfile[s]] + "." + slotName[s], all.get(s).edm()));
                    tableSlots.add(s);
                }
            }
        }
        catch (final RuntimeException ex)
        {
            tables.forEach(EdmTable::close);
            throw ex;
        }
        edm = tables.toArray(EdmTable[]::new);
        edmSlot = tableSlots.stream().mapToInt(Integer::intValue).toArray();
        edmText = tables.stream().anyMatch(table -> table.textColumns != 0);
    }

    /**
     * Compiles a policy: builds the keyword automaton and loads every EDM table (reading its CSV and secret).
     *
     * @throws IllegalArgumentException        for a malformed EDM CSV, naming file and line
     * @throws java.io.UncheckedIOException    when an EDM file cannot be read or the map file written
     */
    public static DlpEngine compile(final DlpPolicy policy)
    {
        return new DlpEngine(policy);
    }

    /** A scanner for one worker thread. */
    public DlpScanner newScanner()
    {
        return new DlpScanner(this);
    }

    public DlpPolicy policy()
    {
        return policy;
    }

    /** One line per EDM table: values loaded and CSV cells skipped, for the start-up log. */
    public List<String> edmReport()
    {
        final List<String> lines = new ArrayList<>();
        for (final EdmTable table : edm)
        {
            lines.add(table + ", " + table.skipped() + " CSV cells skipped (too short, too long, or no digit)");
        }
        return lines;
    }

    @Override
    public void close()
    {
        for (final EdmTable table : edm)
        {
            table.close();
        }
    }

    private int[] slotsOf(final DetectorType type)
    {
        final List<Integer> found = new ArrayList<>();
        for (int s = 0; s < slots; s++)
        {
            if (slotType[s] == type)
            {
                found.add(s);
            }
        }
        return found.stream().mapToInt(Integer::intValue).toArray();
    }

    private boolean anyOf(final DetectorType... types)
    {
        for (final DetectorType type : types)
        {
            if (typeSlots[type.ordinal()].length > 0)
            {
                return true;
            }
        }
        return false;
    }
}
