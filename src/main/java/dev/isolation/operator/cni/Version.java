package dev.isolation.operator.cni;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Semver-ish version used for catalog matching.
 * <ul>
 *   <li>An optional leading {@code v}/{@code V} is ignored: {@code v1.16.1} == {@code 1.16.1}.</li>
 *   <li>The numeric core is the longest prefix of dot-separated integers; missing components are 0:
 *       {@code 1.16} == {@code 1.16.0}.</li>
 *   <li>Anything after the numeric core ({@code -rc.1}, {@code -eksbuild.1}, {@code +k3s1}, {@code -c6b44e9c},
 *       {@code -flannel3}) is ignored for ordering. Consequence, on purpose: a pre-release of X.Y.Z compares
 *       equal to X.Y.Z (features usually land before the final tag), and kindnetd date tags
 *       {@code v20240813-c6f155d6} compare as {@code 20240813}.</li>
 *   <li>{@code latest} (case-insensitive) is newer than every numeric version.</li>
 *   <li>Anything else (no leading digit: {@code master}, {@code stable}, a bare digest) is not a version.</li>
 * </ul>
 */
public final class Version implements Comparable<Version> {

    private static final Pattern CORE = Pattern.compile("^[vV]?(\\d+(?:\\.\\d+)*)");

    private final long[] parts; // null for latest
    private final String text;

    private Version(long[] parts, String text) {
        this.parts = parts;
        this.text = text;
    }

    public static Optional<Version> parse(String s) {
        if (s == null) {
            return Optional.empty();
        }
        String t = s.trim();
        if (t.toLowerCase(Locale.ROOT).equals("latest")) {
            return Optional.of(new Version(null, t));
        }
        Matcher m = CORE.matcher(t);
        if (!m.find()) {
            return Optional.empty();
        }
        String[] comps = m.group(1).split("\\.");
        List<Long> list = new ArrayList<>();
        for (String c : comps) {
            if (c.length() > 18) {
                return Optional.empty();
            }
            list.add(Long.parseLong(c));
        }
        long[] parts = list.stream().mapToLong(Long::longValue).toArray();
        return Optional.of(new Version(parts, t));
    }

    boolean isLatest() {
        return parts == null;
    }

    @Override
    public int compareTo(Version o) {
        if (isLatest() || o.isLatest()) {
            return Boolean.compare(isLatest(), o.isLatest());
        }
        int n = Math.max(parts.length, o.parts.length);
        for (int i = 0; i < n; i++) {
            long a = i < parts.length ? parts[i] : 0;
            long b = i < o.parts.length ? o.parts[i] : 0;
            if (a != b) {
                return Long.compare(a, b);
            }
        }
        return 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Version v && compareTo(v) == 0;
    }

    @Override
    public int hashCode() {
        if (isLatest()) {
            return -1;
        }
        int end = parts.length;
        while (end > 0 && parts[end - 1] == 0) {
            end--;
        }
        return java.util.Arrays.hashCode(java.util.Arrays.copyOf(parts, end));
    }

    @Override
    public String toString() {
        return text;
    }
}
