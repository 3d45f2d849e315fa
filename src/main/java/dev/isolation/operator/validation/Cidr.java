package dev.isolation.operator.validation;

import java.util.Arrays;

/**
 * A parsed CIDR literal: the address exactly as written (host bits are kept, so callers can tell
 * {@code 10.0.0.1/24} from {@code 10.0.0.0/24}) and the prefix length. Obtain one through
 * {@link KubernetesSyntax#parseCidr(String)}.
 */
public final class Cidr {

    public enum Family { IPV4, IPV6 }

    private final byte[] address; // 4 bytes for IPv4, 16 for IPv6, network byte order
    private final int prefixLength;

    Cidr(byte[] address, int prefixLength) {
        if (address.length != 4 && address.length != 16) {
            throw new IllegalArgumentException("address must have 4 or 16 bytes");
        }
        if (prefixLength < 0 || prefixLength > address.length * 8) {
            throw new IllegalArgumentException("prefix length out of range: " + prefixLength);
        }
        this.address = address.clone();
        this.prefixLength = prefixLength;
    }

    public Family family() {
        return address.length == 4 ? Family.IPV4 : Family.IPV6;
    }

    public int prefixLength() {
        return prefixLength;
    }

    /** The address as written, in network byte order (a copy). */
    public byte[] address() {
        return address.clone();
    }

    /** True when bits beyond the prefix are set, e.g. {@code 10.0.0.1/24}. */
    public boolean hasHostBits() {
        return !Arrays.equals(address, maskedAddress());
    }

    /** The network this CIDR denotes, with host bits cleared (what Go's ParseCIDR returns). */
    public Cidr masked() {
        return new Cidr(maskedAddress(), prefixLength);
    }

    /**
     * True for {@code ::ffff:a.b.c.d} forms. They are rejected because the API server's strict CIDR
     * check rejects them and CNIs disagree on whether such a block matches IPv4 traffic.
     */
    public boolean isIpv4Mapped() {
        if (address.length != 16) {
            return false;
        }
        for (int i = 0; i < 10; i++) {
            if (address[i] != 0) {
                return false;
            }
        }
        return address[10] == (byte) 0xff && address[11] == (byte) 0xff;
    }

    /**
     * True when {@code inner} is a proper subnet of this network: same family, strictly longer prefix,
     * and inside it. This is the API server's rule for {@code ipBlock.except}; host bits are ignored on
     * both sides, as Go's ParseCIDR ignores them.
     */
    public boolean strictlyContains(Cidr inner) {
        if (inner.family() != family() || inner.prefixLength <= prefixLength) {
            return false;
        }
        return Arrays.equals(maskedAddress(), new Cidr(inner.address, prefixLength).maskedAddress());
    }

    private byte[] maskedAddress() {
        byte[] out = address.clone();
        for (int bit = prefixLength; bit < out.length * 8; bit++) {
            out[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        return out;
    }

    /** Canonical text: dotted quad for IPv4, RFC 5952 (lower case, longest zero run as "::") for IPv6. */
    @Override
    public String toString() {
        return (address.length == 4 ? ipv4Text() : ipv6Text()) + "/" + prefixLength;
    }

    private String ipv4Text() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 4; i++) {
            sb.append(i == 0 ? "" : ".").append(address[i] & 0xff);
        }
        return sb.toString();
    }

    private String ipv6Text() {
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((address[2 * i] & 0xff) << 8) | (address[2 * i + 1] & 0xff);
        }
        // RFC 5952 4.2: compress the longest run of two or more zero groups, the first one on a tie.
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(groups[i]));
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr other && prefixLength == other.prefixLength && Arrays.equals(address, other.address);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(address) + prefixLength;
    }
}
