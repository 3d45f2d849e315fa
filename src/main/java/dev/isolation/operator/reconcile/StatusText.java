package dev.isolation.operator.reconcile;

import dev.isolation.operator.api.StatusLimits;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Keeps status text within {@link StatusLimits#MAX_MESSAGE_BYTES}: a message that names every
 * problem of ten thousand namespaces would make the status too large to write at all.
 */
final class StatusText {

    private static final String ELLIPSIS = "\u2026";

    private StatusText() {
    }

    /** The text itself when it fits, else its longest prefix that fits followed by "… (N more characters)". */
    static String cap(String text) {
        return cap(text, StatusLimits.MAX_MESSAGE_BYTES);
    }

    private static String cap(String text, int limit) {
        if (text == null || bytes(text) <= limit) {
            return text;
        }
        int[] codePoints = text.codePoints().toArray();
        // The longest prefix that fits together with its suffix (the total grows with the prefix).
        int low = 0;
        int high = codePoints.length;
        while (low < high) {
            int mid = (low + high + 1) >>> 1;
            if (bytes(truncated(codePoints, mid)) <= limit) {
                low = mid;
            } else {
                high = mid - 1;
            }
        }
        return truncated(codePoints, low);
    }

    private static String truncated(int[] codePoints, int keep) {
        return new String(codePoints, 0, keep) + ELLIPSIS + " (" + (codePoints.length - keep) + " more characters)";
    }

    /**
     * {@code head} followed by as many items as fit, then "… (N more)" where N counts the items of
     * {@code total} not shown; always within the limit. A first item too long to fit is cut, never
     * left out.
     */
    static String join(String head, List<String> items, int total) {
        String out = head;
        int shown = 0;
        for (String item : items) {
            String candidate = out + (shown == 0 ? "" : "; ") + item;
            int rest = total - shown - 1;
            if (bytes(rest > 0 ? candidate + "; " + more(rest) : candidate) > StatusLimits.MAX_MESSAGE_BYTES) {
                break;
            }
            out = candidate;
            shown++;
        }
        if (shown == 0 && !items.isEmpty()) {
            // Even the first item is too long: show as much of it as fits (it starts with the
            // namespace it is about), rather than a bare count.
            String tail = total > 1 ? "; " + more(total - 1) : "";
            return head + cap(items.get(0), StatusLimits.MAX_MESSAGE_BYTES - bytes(head) - bytes(tail)) + tail;
        }
        if (shown < total) {
            out += (shown == 0 ? "" : "; ") + more(total - shown);
        }
        return cap(out);
    }

    private static String more(int count) {
        return ELLIPSIS + " (" + count + " more)";
    }

    private static int bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }
}
