package dev.isolation.operator.validation;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class KubernetesSyntaxTest {

    static String repeat(String s, int n) {
        return s.repeat(n);
    }

    // ---- DNS-1123 label --------------------------------------------------------------------

    static Stream<Arguments> dns1123Labels() {
        return Stream.of(
                arguments("a", true),
                arguments("0", true),
                arguments("abc-123", true),
                arguments("1-1", true),
                arguments("a--b", true),
                arguments(repeat("a", 63), true),
                arguments(repeat("a", 64), false),
                arguments("", false),
                arguments("A", false),
                arguments("myNamespace", false),
                arguments("-a", false),
                arguments("a-", false),
                arguments("a_b", false),
                arguments("a.b", false),
                arguments("a b", false),
                arguments("ä", false),
                arguments("abc\n", false),
                arguments(null, false));
    }

    @ParameterizedTest(name = "[{index}] \"{0}\" -> {1}")
    @MethodSource("dns1123Labels")
    void dns1123Label(String value, boolean valid) {
        assertThat(KubernetesSyntax.dns1123LabelProblems(value).isEmpty()).isEqualTo(valid);
        assertThat(KubernetesSyntax.dns1123LabelProblems(value).isEmpty()).isEqualTo(valid);
    }

    // ---- DNS-1123 subdomain ----------------------------------------------------------------

    static Stream<Arguments> dns1123Subdomains() {
        String label63 = repeat("a", 63);
        String max253 = label63 + "." + label63 + "." + label63 + "." + repeat("b", 61); // 63*3+3+61 = 253
        return Stream.of(
                arguments("a", true),
                arguments("a.b", true),
                arguments("example.com", true),
                arguments("a-1.b-2.c-3", true),
                arguments("db-tier-allow-from-namespaces", true),
                arguments(repeat("a", 64) + ".com", true), // apimachinery does not limit each label
                arguments(max253, true),
                arguments(max253 + "b", false),
                arguments("", false),
                arguments(".a", false),
                arguments("a.", false),
                arguments("a..b", false),
                arguments("A.b", false),
                arguments("a_b", false),
                arguments("-a.b", false),
                arguments("a-.b", false),
                arguments("a.-b", false),
                arguments("a/b", false),
                arguments(null, false));
    }

    @ParameterizedTest(name = "[{index}] \"{0}\" -> {1}")
    @MethodSource("dns1123Subdomains")
    void dns1123Subdomain(String value, boolean valid) {
        assertThat(KubernetesSyntax.isDns1123Subdomain(value)).isEqualTo(valid);
    }

    @Test
    void subdomainLengthProblemIsReportedAsSuch() {
        assertThat(KubernetesSyntax.dns1123SubdomainProblems(repeat("a", 254)))
                .containsExactly("must be no more than 253 characters");
    }

    // ---- qualified names (label / annotation keys) -----------------------------------------

    static Stream<Arguments> qualifiedNames() {
        String prefix253 = repeat("a", 63) + "." + repeat("b", 63) + "." + repeat("c", 63) + "." + repeat("d", 61);
        return Stream.of(
                arguments("a", true),
                arguments("MyName", true),
                arguments("my.name", true),
                arguments("my_name", true),
                arguments("123-abc", true),
                arguments("example.com/MyName", true),
                arguments("kubernetes.io/metadata.name", true),
                arguments("app.kubernetes.io/managed-by", true),
                arguments(repeat("n", 63), true),
                arguments(prefix253 + "/" + repeat("n", 63), true),
                arguments(prefix253 + "d/n", false), // prefix 254
                arguments(repeat("n", 64), false),
                arguments("example.com/" + repeat("n", 64), false),
                arguments("", false),
                arguments("/a", false),
                arguments("a/", false),
                arguments("a/b/c", false),
                arguments("Example.com/a", false),
                arguments("example_com/a", false),
                arguments("-a", false),
                arguments("a-", false),
                arguments("_a", false),
                arguments(".a", false),
                arguments("a b", false),
                arguments("a:b", false),
                arguments("example.com/-a", false),
                arguments(null, false));
    }

    @ParameterizedTest(name = "[{index}] \"{0}\" -> {1}")
    @MethodSource("qualifiedNames")
    void qualifiedName(String value, boolean valid) {
        assertThat(KubernetesSyntax.qualifiedNameProblems(value).isEmpty()).isEqualTo(valid);
    }

    static Stream<Arguments> qualifiedNameMessages() {
        return Stream.of(
                arguments("/a", "prefix part must be non-empty"),
                arguments("a/", "name part must be non-empty"),
                arguments("Example.com/a", "prefix part must be a lowercase RFC 1123 subdomain"),
                arguments(repeat("n", 64), "name part must be no more than 63 characters"),
                arguments("a/b/c", "at most one '/'"),
                arguments("-a", "name part must consist of alphanumerics"));
    }

    @ParameterizedTest(name = "[{index}] \"{0}\"")
    @MethodSource("qualifiedNameMessages")
    void qualifiedNameProblemsSayWhatIsWrong(String value, String expected) {
        assertThat(KubernetesSyntax.qualifiedNameProblems(value)).anySatisfy(p -> assertThat(p).contains(expected));
    }

    // ---- label values ------------------------------------------------------------------------

    static Stream<Arguments> labelValues() {
        return Stream.of(
                arguments("", true),
                arguments(null, true), // decoded JSON null is ""
                arguments("a", true),
                arguments("A", true),
                arguments("123", true),
                arguments("a.b_c-d", true),
                arguments("db-tier", true),
                arguments(repeat("v", 63), true),
                arguments(repeat("v", 64), false),
                arguments("-a", false),
                arguments("a-", false),
                arguments("_a", false),
                arguments(".a", false),
                arguments("a b", false),
                arguments("a/b", false),
                arguments("a:b", false),
                arguments("a\n", false));
    }

    @ParameterizedTest(name = "[{index}] \"{0}\" -> {1}")
    @MethodSource("labelValues")
    void labelValue(String value, boolean valid) {
        assertThat(KubernetesSyntax.labelValueProblems(value).isEmpty()).isEqualTo(valid);
    }

    // ---- IANA service names (named ports) --------------------------------------------------

    static Stream<Arguments> portNames() {
        return Stream.of(
                arguments("http", null),
                arguments("h2", null),
                arguments("a", null),
                arguments("my-port", null),
                arguments("web-8080", null),
                arguments("abcdefghijklmno", null),
                arguments("abcdefghijklmnop", "must be no more than 15 characters"),
                arguments("", "must contain only lowercase alphanumerics"),
                arguments("80", "must contain at least one letter"),
                arguments("1-2", "must contain at least one letter"),
                arguments("HTTP", "must contain only lowercase alphanumerics"),
                arguments("my_port", "must contain only lowercase alphanumerics"),
                arguments("my.port", "must contain only lowercase alphanumerics"),
                arguments("-http", "must not begin or end with a hyphen"),
                arguments("http-", "must not begin or end with a hyphen"),
                arguments("ht--tp", "must not contain consecutive hyphens"));
    }

    @ParameterizedTest(name = "[{index}] \"{0}\"")
    @MethodSource("portNames")
    void ianaSvcName(String value, String expectedProblem) {
        assertThat(KubernetesSyntax.ianaSvcNameProblems(value).isEmpty()).isEqualTo(expectedProblem == null);
        if (expectedProblem == null) {
            assertThat(KubernetesSyntax.ianaSvcNameProblems(value)).isEmpty();
        } else {
            assertThat(KubernetesSyntax.ianaSvcNameProblems(value)).anySatisfy(p -> assertThat(p).contains(expectedProblem));
        }
    }

    static Stream<Arguments> portNumbers() {
        return Stream.of(arguments(-1L, false), arguments(0L, false), arguments(1L, true), arguments(6379L, true),
                arguments(65535L, true), arguments(65536L, false), arguments(4294967297L, false));
    }

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @MethodSource("portNumbers")
    void portNumber(long value, boolean valid) {
        assertThat(KubernetesSyntax.isPortNumber(value)).isEqualTo(valid);
    }

    // ---- CIDRs -------------------------------------------------------------------------------

    enum CidrKind { CANONICAL, HOST_BITS, IPV4_MAPPED, GARBAGE }

    static Stream<Arguments> cidrs() {
        return Stream.of(
                // canonical IPv4
                arguments("10.0.0.0/8", CidrKind.CANONICAL),
                arguments("0.0.0.0/0", CidrKind.CANONICAL),
                arguments("172.17.0.0/16", CidrKind.CANONICAL),
                arguments("172.17.1.0/24", CidrKind.CANONICAL),
                arguments("192.168.1.1/32", CidrKind.CANONICAL),
                arguments("10.0.0.0/7", CidrKind.CANONICAL), // 10 = 0b00001010: the 8th bit is already 0
                arguments("255.255.255.255/32", CidrKind.CANONICAL),
                // canonical IPv6
                arguments("::/0", CidrKind.CANONICAL),
                arguments("::1/128", CidrKind.CANONICAL),
                arguments("2001:db8::/32", CidrKind.CANONICAL),
                arguments("2001:DB8::/32", CidrKind.CANONICAL), // upper case is accepted (only warned about)
                arguments("2001:0db8:0000::/48", CidrKind.CANONICAL),
                arguments("fd00::/8", CidrKind.CANONICAL),
                arguments("1:2:3:4:5:6:7:8/128", CidrKind.CANONICAL),
                arguments("1:2:3:4:5:6::/96", CidrKind.CANONICAL),
                arguments("1:2:3:4:5:6:7::/128", CidrKind.CANONICAL),
                arguments("::2:3:4:5:6:7:8/128", CidrKind.CANONICAL),
                arguments("64:ff9b::192.0.2.0/120", CidrKind.CANONICAL),
                arguments("1:2:3:4:5:6:1.2.3.4/128", CidrKind.CANONICAL),
                // host bits set
                arguments("10.0.0.1/24", CidrKind.HOST_BITS),
                arguments("11.0.0.0/7", CidrKind.HOST_BITS),
                arguments("0.0.0.1/0", CidrKind.HOST_BITS),
                arguments("192.168.1.128/24", CidrKind.HOST_BITS),
                arguments("2001:db8::1/64", CidrKind.HOST_BITS),
                arguments("::1/0", CidrKind.HOST_BITS),
                arguments("2001:db8:4000::/33", CidrKind.HOST_BITS),
                // IPv4-mapped IPv6
                arguments("::ffff:10.0.0.0/104", CidrKind.IPV4_MAPPED),
                arguments("::ffff:a00:0/120", CidrKind.IPV4_MAPPED),
                // not a CIDR
                arguments("", CidrKind.GARBAGE),
                arguments(null, CidrKind.GARBAGE),
                arguments("10.0.0.0", CidrKind.GARBAGE),
                arguments("10.0.0.0/", CidrKind.GARBAGE),
                arguments("/24", CidrKind.GARBAGE),
                arguments("10.0.0.0/33", CidrKind.GARBAGE),
                arguments("10.0.0.0/-1", CidrKind.GARBAGE),
                arguments("10.0.0.0/+8", CidrKind.GARBAGE),
                arguments("10.0.0.0/08", CidrKind.GARBAGE),
                arguments("10.0.0.0/8/8", CidrKind.GARBAGE),
                arguments("10.0.0.256/32", CidrKind.GARBAGE),
                arguments("10.0.0/24", CidrKind.GARBAGE),
                arguments("10.0.0.0.0/24", CidrKind.GARBAGE),
                arguments("010.0.0.0/8", CidrKind.GARBAGE),
                arguments("10..0.0/8", CidrKind.GARBAGE),
                arguments(" 10.0.0.0/8", CidrKind.GARBAGE),
                arguments("10.0.0.0/8 ", CidrKind.GARBAGE),
                arguments("\uFF11\uFF10.0.0.0/8", CidrKind.GARBAGE), // full-width digits
                arguments("a.b.c.d/8", CidrKind.GARBAGE),
                arguments("localhost/32", CidrKind.GARBAGE),
                arguments("example.com/24", CidrKind.GARBAGE),
                arguments("::/129", CidrKind.GARBAGE),
                arguments("2001:db8:::/48", CidrKind.GARBAGE),
                arguments("2001::db8::/48", CidrKind.GARBAGE),
                arguments("1:2:3:4:5:6:7:8:9/128", CidrKind.GARBAGE),
                arguments("1:2:3:4:5:6:7/112", CidrKind.GARBAGE),
                arguments("1:2:3:4:5:6:7:8::/128", CidrKind.GARBAGE),
                arguments("::1:2:3:4:5:6:7:8/128", CidrKind.GARBAGE),
                arguments("12345::/16", CidrKind.GARBAGE),
                arguments("g::/16", CidrKind.GARBAGE),
                arguments(":1::/16", CidrKind.GARBAGE),
                arguments("1::2:/64", CidrKind.GARBAGE),
                arguments("1.2.3.4::/64", CidrKind.GARBAGE),
                arguments("::1.2.3/120", CidrKind.GARBAGE),
                arguments("fe80::1%eth0/64", CidrKind.GARBAGE),
                arguments("[2001:db8::]/32", CidrKind.GARBAGE));
    }

    @ParameterizedTest(name = "[{index}] \"{0}\" -> {1}")
    @MethodSource("cidrs")
    void cidr(String value, CidrKind kind) {
        assertThat(KubernetesSyntax.parseCidr(value).isPresent()).as("parses").isEqualTo(kind != CidrKind.GARBAGE);
        assertThat(KubernetesSyntax.isCanonicalCidr(value)).as("canonical").isEqualTo(kind == CidrKind.CANONICAL);
        String expected = switch (kind) {
            case CANONICAL -> null;
            case HOST_BITS -> "must not have bits set beyond the prefix length";
            case IPV4_MAPPED -> "IPv4-mapped";
            case GARBAGE -> "must be a valid CIDR";
        };
        if (expected == null) {
            assertThat(KubernetesSyntax.cidrProblem(value)).isEmpty();
        } else {
            assertThat(KubernetesSyntax.cidrProblem(value)).hasValueSatisfying(p -> assertThat(p).contains(expected));
        }
    }

    static Stream<Arguments> cidrText() {
        return Stream.of(
                arguments("10.0.0.0/8", Cidr.Family.IPV4, 8, "10.0.0.0/8", "10.0.0.0/8"),
                arguments("10.0.0.1/24", Cidr.Family.IPV4, 24, "10.0.0.1/24", "10.0.0.0/24"),
                arguments("::/0", Cidr.Family.IPV6, 0, "::/0", "::/0"),
                arguments("2001:DB8:0:0:1:0:0:1/128", Cidr.Family.IPV6, 128, "2001:db8::1:0:0:1/128", "2001:db8::1:0:0:1/128"),
                arguments("1:0:0:2:0:0:0:3/128", Cidr.Family.IPV6, 128, "1:0:0:2::3/128", "1:0:0:2::3/128"),
                arguments("1:0:2:3:4:5:6:7/128", Cidr.Family.IPV6, 128, "1:0:2:3:4:5:6:7/128", "1:0:2:3:4:5:6:7/128"),
                arguments("2001:db8::1/64", Cidr.Family.IPV6, 64, "2001:db8::1/64", "2001:db8::/64"),
                arguments("0:0:0:0:0:0:0:1/128", Cidr.Family.IPV6, 128, "::1/128", "::1/128"),
                arguments("1::/16", Cidr.Family.IPV6, 16, "1::/16", "1::/16"),
                arguments("64:ff9b::192.0.2.1/96", Cidr.Family.IPV6, 96, "64:ff9b::c000:201/96", "64:ff9b::/96"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("cidrText")
    void parsedCidrKeepsHostBitsAndPrintsCanonically(String value, Cidr.Family family, int prefix, String text, String masked) {
        Cidr cidr = KubernetesSyntax.parseCidr(value).orElseThrow();
        assertThat(cidr.family()).isEqualTo(family);
        assertThat(cidr.prefixLength()).isEqualTo(prefix);
        assertThat(cidr.address()).hasSize(family == Cidr.Family.IPV4 ? 4 : 16);
        assertThat(cidr).hasToString(text);
        assertThat(cidr.masked()).hasToString(masked);
    }

    @Test
    void cidrEqualityIsByValue() {
        assertThat(KubernetesSyntax.parseCidr("2001:db8::/32")).isEqualTo(KubernetesSyntax.parseCidr("2001:0DB8:0::/32"));
        assertThat(KubernetesSyntax.parseCidr("10.0.0.0/8")).isNotEqualTo(KubernetesSyntax.parseCidr("10.0.0.0/9"));
        assertThat(KubernetesSyntax.parseCidr("10.0.0.1/24").orElseThrow().masked())
                .isEqualTo(KubernetesSyntax.parseCidr("10.0.0.0/24").orElseThrow());
    }

    static Stream<Arguments> strictSubnets() {
        return Stream.of(
                arguments("172.17.1.0/24", "172.17.0.0/16", true),
                arguments("10.255.255.255/32", "10.0.0.0/8", true),
                arguments("10.0.0.0/32", "0.0.0.0/0", true),
                arguments("10.0.0.0/9", "10.0.0.0/8", true),
                arguments("2001:db8:1::/48", "2001:db8::/32", true),
                arguments("::1/128", "::/0", true),
                arguments("10.0.0.0/24", "10.0.0.0/24", false), // equal is not strict
                arguments("2001:db8::/32", "2001:db8::/32", false),
                arguments("10.0.0.0/8", "10.0.0.0/24", false), // wider than the outer block
                arguments("192.168.0.0/24", "10.0.0.0/8", false), // outside
                arguments("11.0.0.0/32", "10.0.0.0/8", false),
                arguments("2001:db9::/48", "2001:db8::/32", false),
                arguments("2001:db8::/48", "10.0.0.0/8", false), // other family
                arguments("10.0.0.0/16", "::/0", false),
                arguments("::/1", "0.0.0.0/0", false),
                arguments("::ffff:10.1.0.0/112", "10.0.0.0/8", false), // mapped is still IPv6
                arguments("garbage", "10.0.0.0/8", false),
                arguments("10.1.0.0/16", "garbage", false),
                arguments(null, "10.0.0.0/8", false));
    }

    @ParameterizedTest(name = "[{index}] {0} in {1} -> {2}")
    @MethodSource("strictSubnets")
    void strictSubnet(String inner, String outer, boolean expected) {
        // What NetworkPolicySpecValidator checks for ipBlock.except: both parse and outer strictly contains inner.
        Optional<Cidr> in = KubernetesSyntax.parseCidr(inner);
        Optional<Cidr> out = KubernetesSyntax.parseCidr(outer);
        assertThat(in.isPresent() && out.isPresent() && out.get().strictlyContains(in.get())).isEqualTo(expected);
    }
}
