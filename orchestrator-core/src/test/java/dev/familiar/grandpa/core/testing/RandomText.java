package dev.familiar.grandpa.core.testing;

import java.util.Random;

/** Text for seeded random tests: from an alphabet, or any UTF-16 units at all. */
public final class RandomText {
    private RandomText() {}

    public static String chars(Random random, String alphabet, int length) {
        var s = new StringBuilder();
        for (int i = 0; i < length; i++) {
            s.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return s.toString();
    }

    /** Any UTF-16 units: controls, NULs, half surrogate pairs. */
    public static String anything(Random random, int length) {
        var s = new StringBuilder();
        for (int i = 0; i < length; i++) {
            s.append((char) (random.nextInt(4) == 0 ? random.nextInt(32) : random.nextInt(0x10000)));
        }
        return s.toString();
    }
}
