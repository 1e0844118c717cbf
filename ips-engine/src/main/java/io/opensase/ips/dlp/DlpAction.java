package io.opensase.ips.dlp;

/** What a profile asks for when its thresholds are reached: report only, or report and block the flow. */
public enum DlpAction
{
    ALERT("alert"),
    BLOCK("block");

    private final String yamlName;

    DlpAction(final String yamlName)
    {
        this.yamlName = yamlName;
    }

    /** The name a profile file uses. */
    public String yamlName()
    {
        return yamlName;
    }
}
