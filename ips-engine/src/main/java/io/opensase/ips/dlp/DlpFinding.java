package io.opensase.ips.dlp;

/**
 * A profile's detector found in a flow's message, with a masked sample of the last value matched: a card
 * keeps its first and last four digits, an identifier its last four characters, a secret its fixed prefix,
 * an EDM match only the column name. The clear value is never held here. Owned by one {@link DlpScanner} and
 * refilled for every finding: read it inside {@link DlpSink#onFinding}, or copy {@link #toString()}.
 */
public final class DlpFinding
{
    private final StringBuilder sample = new StringBuilder(64);
    private String profile;
    private String detector;
    private DetectorType type;
    private DlpAction action;
    private int count;
    private int flowCount;

    void set(final String profile, final String detector, final DetectorType type, final DlpAction action,
        final int count, final int flowCount, final byte[] sampleBytes, final int sampleFrom, final int sampleLength)
    {
        this.profile = profile;
        this.detector = detector;
        this.type = type;
        this.action = action;
        this.count = count;
        this.flowCount = flowCount;
        sample.setLength(0);
        for (int i = 0; i < sampleLength; i++)
        {
            sample.append((char)(sampleBytes[sampleFrom + i] & 0xff));
        }
    }

    public String profile()
    {
        return profile;
    }

    /** The detector's name in the profile. */
    public String detector()
    {
        return detector;
    }

    public DetectorType type()
    {
        return type;
    }

    public DlpAction action()
    {
        return action;
    }

    /** Matches of this detector in the current message when it was reported (at least its min_count). */
    public int count()
    {
        return count;
    }

    /** Matches of all the profile's detectors in the flow so far (at least its flow_threshold). */
    public int flowCount()
    {
        return flowCount;
    }

    /** The masked sample; a view valid until the next finding. */
    public CharSequence maskedSample()
    {
        return sample;
    }

    @Override
    public String toString()
    {
        return "dlp profile=" + profile + " detector=" + detector + " action=" + action.yamlName() + " count=" + count
            + " flow_count=" + flowCount + " sample=" + sample;
    }
}
