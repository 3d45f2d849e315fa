package dev.isolation.operator.cni;

/**
 * A parsed container image reference {@code [registry/]path[:tag][@digest]}.
 *
 * @param registry registry host (contains '.' or ':' or is {@code localhost}); null for Docker Hub short names
 * @param path     repository path without registry, e.g. {@code cilium/cilium} or {@code networking/kube-network-policies}
 * @param tag      tag, nullable
 * @param digest   digest, nullable
 */
public record ImageRef(String registry, String path, String tag, String digest) {

    /** Parses an image string; never fails (an empty string gives an empty path). */
    public static ImageRef parse(String image) {
        String s = image == null ? "" : image.trim();
        String digest = null;
        int at = s.indexOf('@');
        if (at >= 0) {
            digest = s.substring(at + 1);
            s = s.substring(0, at);
        }
        String tag = null;
        int slash = s.lastIndexOf('/');
        int colon = s.lastIndexOf(':');
        if (colon > slash) {
            tag = s.substring(colon + 1);
            s = s.substring(0, colon);
        }
        String registry = null;
        int first = s.indexOf('/');
        if (first > 0) {
            String head = s.substring(0, first);
            if (head.contains(".") || head.contains(":") || head.equals("localhost")) {
                registry = head;
                s = s.substring(first + 1);
            }
        }
        return new ImageRef(registry, s, emptyToNull(tag), emptyToNull(digest));
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    /** Last path segment, e.g. {@code cilium} for {@code quay.io/cilium/cilium}. */
    public String name() {
        int i = path.lastIndexOf('/');
        return i < 0 ? path : path.substring(i + 1);
    }

    /** True when the path ends with the given suffix on a segment boundary ({@code calico/node}). */
    public boolean pathEndsWith(String suffix) {
        return path.equals(suffix) || path.endsWith("/" + suffix);
    }

    /**
     * The version this image declares: the tag as written (leading {@code v} kept, digest stripped);
     * {@code latest} when there is neither tag nor digest (Docker's default); null when only a digest pins it.
     */
    public String version() {
        if (tag != null) {
            return tag;
        }
        return digest == null ? "latest" : null;
    }
}
