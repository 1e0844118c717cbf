package io.opensase.ips.rules;

/**
 * {@code byte_test:bytes,[!]op,value,offset[,relative][,big|little][,string[,hex|dec|oct]][,bitmask M]}:
 * reads {@code bytes} bytes at {@code offset} as a number, masks it (shifting right by the mask's trailing
 * zero bits, as Suricata does), and compares it with {@code value}. With a text format, 0 bytes means the
 * digits from {@code offset} to the end of the buffer ({@code http.content_len; byte_test:0,>,100,0,string}).
 *
 * @param bitmask 0 when not given.
 */
public record ByteTest(
    int bytes,
    Operator operator,
    boolean negated,
    Operand value,
    Operand offset,
    boolean relative,
    NumberFormat format,
    long bitmask) implements BufferMatch
{
    /** The comparisons; {@code AND} and {@code XOR} hold when the result is not zero. */
    public enum Operator
    {
        LT("<"),
        GT(">"),
        EQ("="),
        LE("<="),
        GE(">="),
        AND("&"),
        XOR("^");

        private final String symbol;

        Operator(final String symbol)
        {
            this.symbol = symbol;
        }

        public String symbol()
        {
            return symbol;
        }

        static Operator bySymbol(final String symbol)
        {
            for (final Operator o : values())
            {
                if (o.symbol.equals(symbol))
                {
                    return o;
                }
            }
            return null;
        }
    }
}
