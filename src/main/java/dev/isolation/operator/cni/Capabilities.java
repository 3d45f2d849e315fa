package dev.isolation.operator.cni;

import java.util.Objects;

/**
 * What a CNI (at a given version) implements of Kubernetes NetworkPolicy.
 *
 * @param ingress               baseline: does the CNI enforce NetworkPolicy at all (ingress rules)
 * @param egress                egress rules
 * @param ipBlockExcept         {@code ipBlock.except}
 * @param endPort               port ranges ({@code endPort})
 * @param sctp                  SCTP protocol in ports
 * @param namedPorts            named container ports
 * @param readsLegacyAnnotation whether the CNI honours the legacy namespace annotation
 *                              {@code net.beta.kubernetes.io/network-policy}
 * @param note                  optional human-readable remark (nullable)
 */
public record Capabilities(Support ingress, Support egress, Support ipBlockExcept, Support endPort,
                           Support sctp, Support namedPorts, boolean readsLegacyAnnotation, String note) {

    public Capabilities {
        ingress = orUnknown(ingress);
        egress = orUnknown(egress);
        ipBlockExcept = orUnknown(ipBlockExcept);
        endPort = orUnknown(endPort);
        sctp = orUnknown(sctp);
        namedPorts = orUnknown(namedPorts);
        note = note == null || note.isBlank() ? null : note.trim();
    }

    private static Support orUnknown(Support s) {
        return s == null ? Support.UNKNOWN : s;
    }

    /** Everything unknown. */
    public static Capabilities unknown(String note) {
        return new Capabilities(Support.UNKNOWN, Support.UNKNOWN, Support.UNKNOWN, Support.UNKNOWN,
                Support.UNKNOWN, Support.UNKNOWN, false, note);
    }

    /** Nothing enforced (a CNI known not to implement NetworkPolicy). */
    public static Capabilities none(String note) {
        return new Capabilities(Support.NO, Support.NO, Support.NO, Support.NO, Support.NO, Support.NO, false, note);
    }

    /** Everything supported. */
    public static Capabilities all(String note) {
        return new Capabilities(Support.YES, Support.YES, Support.YES, Support.YES, Support.YES, Support.YES,
                false, note);
    }

    /** Support of one feature. */
    public Support support(Feature feature) {
        return switch (Objects.requireNonNull(feature, "feature")) {
            case Egress -> egress;
            case IPBlockExcept -> ipBlockExcept;
            case EndPort -> endPort;
            case SCTP -> sctp;
            case NamedPorts -> namedPorts;
        };
    }

    /** Whether NetworkPolicy is enforced at all: the ingress baseline. */
    public Support enforcement() {
        return ingress;
    }

    /** Copy with another note. */
    public Capabilities withNote(String newNote) {
        return new Capabilities(ingress, egress, ipBlockExcept, endPort, sctp, namedPorts, readsLegacyAnnotation,
                newNote);
    }
}
