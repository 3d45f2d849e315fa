package dev.isolation.operator.validation;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Syntax rules of k8s.io/apimachinery/pkg/util/validation, reimplemented so the operator can reject
 * a profile before the API server rejects the objects rendered from it (one bad field would
 * otherwise fail every namespace at apply time, with a less helpful message).
 *
 * <p>Each {@code isX} predicate has an {@code xProblems} twin returning the reasons, worded like the
 * API server's, so validators can tell users what is wrong and not only that something is.
 * Lengths are compared in chars; every accepted character is ASCII, so that equals Go's byte length.
 */
public final class KubernetesSyntax {

    public static final int DNS1123_LABEL_MAX_LENGTH = 63;
    public static final int DNS1123_SUBDOMAIN_MAX_LENGTH = 253;
    public static final int QUALIFIED_NAME_MAX_LENGTH = 63;
    public static final int LABEL_VALUE_MAX_LENGTH = 63;
    public static final int IANA_SVC_NAME_MAX_LENGTH = 15;

    private static final String DNS1123_LABEL = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    private static final Pattern DNS1123_LABEL_RE = Pattern.compile(DNS1123_LABEL);
    private static final Pattern DNS1123_SUBDOMAIN_RE =
            Pattern.compile(DNS1123_LABEL + "(\\." + DNS1123_LABEL + ")*");
    // Shared by the name part of qualified names and by label values (which may also be empty).
    private static final Pattern QUALIFIED_NAME_RE = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
    private static final Pattern IANA_SVC_NAME_CHARSET_RE = Pattern.compile("[-a-z0-9]+");
    private static final Pattern HAS_LETTER_RE = Pattern.compile(".*[a-z].*");

    private KubernetesSyntax() {
    }

    // ---- names -------------------------------------------------------------------------------

    /** RFC 1123 label: namespace names, most object-name segments. */
    public static List<String> dns1123LabelProblems(String value) {
        List<String> problems = new ArrayList<>();
        String v = value == null ? "" : value;
        if (v.length() > DNS1123_LABEL_MAX_LENGTH) {
            problems.add(maxLength(DNS1123_LABEL_MAX_LENGTH));
        }
        if (!DNS1123_LABEL_RE.matcher(v).matches()) {
            problems.add("must be a lowercase RFC 1123 label: lowercase alphanumerics or '-', "
                    + "starting and ending with an alphanumeric (e.g. 'my-name' or '123-abc')");
        }
        return problems;
    }

    /**
     * RFC 1123 subdomain: object names such as NetworkPolicy names. Like apimachinery, this does not
     * limit the length of the individual dot-separated labels, only the total.
     */
    public static boolean isDns1123Subdomain(String value) {
        return dns1123SubdomainProblems(value).isEmpty();
    }

    public static List<String> dns1123SubdomainProblems(String value) {
        List<String> problems = new ArrayList<>();
        String v = value == null ? "" : value;
        if (v.length() > DNS1123_SUBDOMAIN_MAX_LENGTH) {
            problems.add(maxLength(DNS1123_SUBDOMAIN_MAX_LENGTH));
            return problems; // bound the regex input; the message above is the one that matters
        }
        if (!DNS1123_SUBDOMAIN_RE.matcher(v).matches()) {
            problems.add("must be a lowercase RFC 1123 subdomain: lowercase alphanumerics, '-' or '.', "
                    + "starting and ending with an alphanumeric (e.g. 'example.com')");
        }
        return problems;
    }

    /** Label and annotation keys: {@code [prefix/]name}, prefix a DNS-1123 subdomain. */
    public static List<String> qualifiedNameProblems(String value) {
        List<String> problems = new ArrayList<>();
        String v = value == null ? "" : value;
        String[] parts = v.split("/", -1);
        String name;
        if (parts.length == 1) {
            name = parts[0];
        } else if (parts.length == 2) {
            String prefix = parts[0];
            name = parts[1];
            if (prefix.isEmpty()) {
                problems.add("prefix part must be non-empty");
            } else {
                dns1123SubdomainProblems(prefix).forEach(p -> problems.add("prefix part " + p));
            }
        } else {
            problems.add("must be a qualified name: at most one '/' separating an optional DNS subdomain prefix "
                    + "from the name (e.g. 'MyName' or 'example.com/MyName')");
            return problems;
        }
        if (name.isEmpty()) {
            problems.add("name part must be non-empty");
            return problems;
        }
        if (name.length() > QUALIFIED_NAME_MAX_LENGTH) {
            problems.add("name part " + maxLength(QUALIFIED_NAME_MAX_LENGTH));
            return problems;
        }
        if (!QUALIFIED_NAME_RE.matcher(name).matches()) {
            problems.add("name part must consist of alphanumerics, '-', '_' or '.', "
                    + "starting and ending with an alphanumeric (e.g. 'MyName', 'my.name' or '123-abc')");
        }
        return problems;
    }

    /** Label values: empty, or up to 63 alphanumerics, '-', '_' and '.', alphanumeric at both ends. */
    public static List<String> labelValueProblems(String value) {
        List<String> problems = new ArrayList<>();
        String v = value == null ? "" : value;
        if (v.isEmpty()) {
            return problems;
        }
        if (v.length() > LABEL_VALUE_MAX_LENGTH) {
            problems.add(maxLength(LABEL_VALUE_MAX_LENGTH));
            return problems;
        }
        if (!QUALIFIED_NAME_RE.matcher(v).matches()) {
            problems.add("must be empty or consist of alphanumerics, '-', '_' or '.', "
                    + "starting and ending with an alphanumeric (e.g. 'MyValue', 'my_value' or '12345')");
        }
        return problems;
    }

    /** Named ports (IANA service names, RFC 6335): what a NetworkPolicy port may name instead of a number. */
    public static List<String> ianaSvcNameProblems(String value) {
        List<String> problems = new ArrayList<>();
        String v = value == null ? "" : value;
        if (v.length() > IANA_SVC_NAME_MAX_LENGTH) {
            problems.add(maxLength(IANA_SVC_NAME_MAX_LENGTH));
        }
        if (!IANA_SVC_NAME_CHARSET_RE.matcher(v).matches()) {
            problems.add("must contain only lowercase alphanumerics (a-z, 0-9) and '-'");
        }
        if (!HAS_LETTER_RE.matcher(v).matches()) {
            problems.add("must contain at least one letter (a-z)");
        }
        if (v.contains("--")) {
            problems.add("must not contain consecutive hyphens");
        }
        if (v.startsWith("-") || v.endsWith("-")) {
            problems.add("must not begin or end with a hyphen");
        }
        return problems;
    }

    /** TCP/UDP/SCTP port numbers; 0 is not a port a policy can name. */
    public static boolean isPortNumber(long value) {
        return value >= 1 && value <= 65535;
    }

    // ---- CIDRs -------------------------------------------------------------------------------

    /**
     * Parses an IPv4 or IPv6 CIDR literal without any name resolution. Accepts what Go's
     * netip.ParsePrefix accepts (the parser behind the API server's strict validation): decimal IPv4
     * octets without leading zeros, IPv6 with at most one "::" standing for at least one zero group,
     * an optional trailing dotted quad, no zone, and a decimal prefix length without leading zeros.
     * Host bits are kept; see {@link #isCanonicalCidr(String)}.
     */
    public static Optional<Cidr> parseCidr(String value) {
        if (value == null) {
            return Optional.empty();
        }
        int slash = value.indexOf('/');
        if (slash < 0 || slash != value.lastIndexOf('/')) {
            return Optional.empty();
        }
        String addressText = value.substring(0, slash);
        byte[] address = addressText.indexOf(':') >= 0 ? parseIpv6(addressText) : parseIpv4(addressText);
        int prefix = parseDecimal(value.substring(slash + 1), 3);
        if (address == null || prefix < 0 || prefix > address.length * 8) {
            return Optional.empty();
        }
        return Optional.of(new Cidr(address, prefix));
    }

    /**
     * A CIDR the API server's strict check accepts for new objects: parses, has no bits set beyond the
     * prefix ({@code 10.0.0.1/24} is rejected), and is not an IPv4-mapped IPv6 block.
     */
    public static boolean isCanonicalCidr(String value) {
        return cidrProblem(value).isEmpty();
    }

    /** Why {@code value} is not a canonical CIDR, or empty when it is one. */
    public static Optional<String> cidrProblem(String value) {
        Optional<Cidr> parsed = parseCidr(value);
        if (parsed.isEmpty()) {
            return Optional.of("must be a valid CIDR (e.g. 10.9.8.0/24 or 2001:db8::/64)");
        }
        Cidr cidr = parsed.get();
        if (cidr.isIpv4Mapped()) {
            return Optional.of("must not be an IPv4-mapped IPv6 address; use the plain IPv4 form");
        }
        if (cidr.hasHostBits()) {
            return Optional.of("must not have bits set beyond the prefix length (did you mean \""
                    + cidr.masked() + "\"?)");
        }
        return Optional.empty();
    }

    private static byte[] parseIpv4(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            int octet = parseDecimal(parts[i], 3);
            if (octet < 0 || octet > 255) {
                return null;
            }
            out[i] = (byte) octet;
        }
        return out;
    }

    private static byte[] parseIpv6(String text) {
        int ellipsis = text.indexOf("::");
        if (ellipsis >= 0 && text.indexOf("::", ellipsis + 1) >= 0) {
            return null; // two "::" (":::" lands here too)
        }
        List<Integer> head = ipv6Groups(ellipsis < 0 ? text : text.substring(0, ellipsis), ellipsis < 0);
        List<Integer> tail = ellipsis < 0 ? List.of() : ipv6Groups(text.substring(ellipsis + 2), true);
        if (head == null || tail == null) {
            return null;
        }
        int given = head.size() + tail.size();
        if (ellipsis < 0 ? given != 8 : given > 7) { // "::" must stand for at least one zero group
            return null;
        }
        byte[] out = new byte[16];
        for (int i = 0; i < head.size(); i++) {
            putGroup(out, i, head.get(i));
        }
        for (int i = 0; i < tail.size(); i++) {
            putGroup(out, 8 - tail.size() + i, tail.get(i));
        }
        return out;
    }

    /** Colon-separated hex groups; a trailing dotted quad counts as two groups. Null if malformed. */
    private static List<Integer> ipv6Groups(String text, boolean mayEndWithIpv4) {
        List<Integer> groups = new ArrayList<>();
        if (text.isEmpty()) {
            return groups;
        }
        String[] parts = text.split(":", -1);
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            if (i == parts.length - 1 && mayEndWithIpv4 && part.indexOf('.') >= 0) {
                byte[] v4 = parseIpv4(part);
                if (v4 == null) {
                    return null;
                }
                groups.add(((v4[0] & 0xff) << 8) | (v4[1] & 0xff));
                groups.add(((v4[2] & 0xff) << 8) | (v4[3] & 0xff));
                continue;
            }
            if (part.isEmpty() || part.length() > 4) {
                return null;
            }
            int group = 0;
            for (char c : part.toCharArray()) {
                // Character.digit alone would also accept non-ASCII (e.g. full-width) digits.
                int digit = c < 0x80 ? Character.digit(c, 16) : -1;
                if (digit < 0) {
                    return null;
                }
                group = group * 16 + digit;
            }
            groups.add(group);
        }
        return groups;
    }

    private static void putGroup(byte[] out, int index, int group) {
        out[2 * index] = (byte) (group >>> 8);
        out[2 * index + 1] = (byte) group;
    }

    /** ASCII decimal of at most maxDigits digits, no sign, no leading zero; -1 if not one. */
    private static int parseDecimal(String text, int maxDigits) {
        if (text.isEmpty() || text.length() > maxDigits || (text.length() > 1 && text.charAt(0) == '0')) {
            return -1;
        }
        int value = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static String maxLength(int max) {
        return "must be no more than " + max + " characters";
    }
}
