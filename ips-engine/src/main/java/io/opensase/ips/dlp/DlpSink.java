package io.opensase.ips.dlp;

/** Receives findings on the scanning thread; the finding is reused after the call returns, copy what is kept. */
@FunctionalInterface
public interface DlpSink
{
    void onFinding(int flow, DlpFinding finding);
}
