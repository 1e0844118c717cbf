package io.opensase.ips.dlp;

/**
 * The detectors a profile can list, by the name a profile file uses. Structured identifiers are validated
 * beyond their shape wherever the identifier defines a check (check digit, checksum, allocation rule).
 */
public enum DetectorType
{
    /** 13-19 digits, one IIN range per brand with its lengths, Luhn; groups split by one space or dash. */
    PAYMENT_CARD("payment_card"),
    /** Magnetic stripe track 1: {@code %B}, a Luhn-valid PAN, {@code ^name^}, expiry and service code, {@code ?}. */
    CARD_TRACK1("card_track1"),
    /** Magnetic stripe track 2 with its sentinels: {@code ;}, a Luhn-valid PAN, {@code =}, 7+ digits, {@code ?}. */
    CARD_TRACK2("card_track2"),
    /** Country code, per-country length, ISO 7064 mod 97-10; compact or in groups split by single spaces. */
    IBAN("iban"),
    /** Eight or eleven characters: bank code (letters), an ISO 3166 country, location, optional branch. */
    SWIFT_BIC("swift_bic"),
    /** 3-2-4 digits; area 000, 666 and 900-999, group 00 and serial 0000 are never issued. */
    US_SSN("us_ssn"),
    /** Two prefix letters from the allocated set (not BG, GB, KN, NK, NT, TN, ZZ), six digits, suffix A-D. */
    UK_NINO("uk_nino"),
    /** Nine digits, Luhn, first digit not 8 (never issued). */
    CA_SIN("ca_sin"),
    /** Eight digits and the mod-23 control letter. */
    ES_DNI("es_dni"),
    /** X, Y or Z, seven digits, the mod-23 control letter over the number with X=0, Y=1, Z=2. */
    ES_NIE("es_nie"),
    /** Sixteen characters in the codice fiscale layout (omocodia letters allowed) with its check letter. */
    IT_CODICE_FISCALE("it_codice_fiscale"),
    /** Eight or nine digits passing the 11-proof (elfproef). */
    NL_BSN("nl_bsn"),
    /** Eleven digits, a valid birth date in the PESEL century encoding, and the weighted check digit. */
    PL_PESEL("pl_pesel"),
    /** Eleven digits, first not 0, one digit repeated two or three times in the first ten, ISO 7064 mod 11,10. */
    DE_TAX_ID("de_tax_id"),
    /** Fifteen characters (2A/2B for Corsica), sex 1/2, month 01-12 or 20-42, key 97 - (number mod 97). */
    FR_NIR("fr_nir"),
    /** Twelve digits, first 2-9, Verhoeff check digit; compact or 4-4-4. */
    IN_AADHAAR("in_aadhaar"),
    /** An e-mail address: local part, one {@code @}, a domain ending in a 2-24 letter top-level label. */
    EMAIL("email"),
    /** AKIA, ASIA, ABIA or ACCA followed by 16 upper-case letters or digits. */
    AWS_ACCESS_KEY_ID("aws_access_key_id"),
    /** 40 characters of base64 alphabet with upper, lower and digits, after the word "secret" within 64 bytes. */
    AWS_SECRET_ACCESS_KEY("aws_secret_access_key"),
    /** ghp_, gho_, ghu_, ghs_, ghr_ and 36 letters or digits; github_pat_ and 82 more. */
    GITHUB_TOKEN("github_token"),
    /** xoxb-, xoxa-, xoxp-, xoxr-, xoxs- tokens of letters, digits and dashes, 20 characters or more. */
    SLACK_TOKEN("slack_token"),
    /** AIza and 35 letters, digits, dashes or underscores. */
    GOOGLE_API_KEY("google_api_key"),
    /** A PEM or OpenSSH private key header line. */
    PRIVATE_KEY("private_key"),
    /** Three base64url parts split by dots, the first two JSON objects ({@code eyJ}). */
    JWT("jwt"),
    /** Case-insensitive words and phrases from the profile, matched on word boundaries. */
    KEYWORDS("keywords"),
    /** Exact data match: keyed hashes of values from a CSV, looked up for normalised candidate tokens. */
    EDM("edm");

    private final String yamlName;

    DetectorType(final String yamlName)
    {
        this.yamlName = yamlName;
    }

    /** The name a profile file uses. */
    public String yamlName()
    {
        return yamlName;
    }
}
