package dev.familiar.grandpa.runtime.placement;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads sizes and rates as people write them: {@code 96GiB}, {@code 80GB}, {@code 768G}, {@code 136GB/s}. */
public final class Sizes {
    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([KMGT]?)(i?)B?(/s)?", Pattern.CASE_INSENSITIVE);

    private Sizes() {}

    /** Bytes; a unit without "i" (GB) is decimal, with it (GiB) or alone (G) binary. */
    public static long bytes(String text) {
        Matcher m = SIZE.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a size such as 96GiB, 80GB or 512M");
        }
        double value = Double.parseDouble(m.group(1));
        String unit = m.group(2).toUpperCase(Locale.ROOT);
        boolean decimal = m.group(3).isEmpty() && text.toUpperCase(Locale.ROOT).contains(unit + "B");
        int power = "KMGT".indexOf(unit) + 1;
        return (long) (value * Math.pow(decimal ? 1000 : 1024, unit.isEmpty() ? 0 : power));
    }

    public static String gib(long bytes) {
        return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
    }

    public static String mib(long bytes) {
        return String.format(Locale.ROOT, "%,d MiB", Math.round(bytes / (double) (1L << 20)));
    }
}
