package dev.isolation.operator.render;

import java.util.List;

/** The profile cannot be rendered as written; maps to Ready=False, reason InvalidSpec. */
public class InvalidSpecException extends IllegalArgumentException {

    private final List<String> problems;

    public InvalidSpecException(List<String> problems) {
        super(String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
