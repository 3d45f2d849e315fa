package dev.isolation.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** How many namespaces are selected, and how many of them are in (or out of) the desired state. */
public class NamespaceCounts {

    @JsonPropertyDescription("Namespaces this profile selects.")
    private int selected;

    @JsonPropertyDescription("Selected namespaces whose policies and metadata are in place.")
    private int ready;

    @JsonPropertyDescription("Selected namespaces that are not in the desired state.")
    private int failed;

    public NamespaceCounts() {
    }

    public NamespaceCounts(int selected, int ready, int failed) {
        this.selected = selected;
        this.ready = ready;
        this.failed = failed;
    }

    public int getSelected() { return selected; }
    public void setSelected(int selected) { this.selected = selected; }
    public int getReady() { return ready; }
    public void setReady(int ready) { this.ready = ready; }
    public int getFailed() { return failed; }
    public void setFailed(int failed) { this.failed = failed; }
}
