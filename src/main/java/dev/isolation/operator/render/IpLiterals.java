package dev.isolation.operator.render;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Turns an address into a single-host CIDR without any name resolution (InetAddress would do DNS
 * for anything that is not a literal). Validation is deliberately shallow: the API server already
 * validated Node and EndpointSlice addresses; this only keeps hostnames and zoned addresses out of
 * an ipBlock, where they would make the whole NetworkPolicy invalid.
 */
final class IpLiterals {

    private static final Pattern IPV4 = Pattern.compile(
            "^((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)$");
    private static final Pattern IPV6 = Pattern.compile("^[0-9a-f:.]+$");

    private IpLiterals() {
    }

    /** The canonical spelling we compare and render (IPv6 lower-cased), or empty if not an IP literal. */
    static Optional<String> normalise(String address) {
        if (address == null) {
            return Optional.empty();
        }
        String a = address.trim();
        if (IPV4.matcher(a).matches()) {
            return Optional.of(a);
        }
        String lower = a.toLowerCase(Locale.ROOT);
        if (lower.indexOf(':') != lower.lastIndexOf(':') && IPV6.matcher(lower).matches()) {
            return Optional.of(lower);
        }
        return Optional.empty();
    }

    /** {@code ip/32} or {@code ip/128}; the argument must already be normalised. */
    static String hostCidr(String ip) {
        return ip + (ip.indexOf(':') >= 0 ? "/128" : "/32");
    }
}
