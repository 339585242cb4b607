package io.choria.hoist.lifecycle;

/** The outcome of a check: ok, or the one reason it failed. */
public record CheckResult(boolean ok, String reason) {
    public static CheckResult pass() {
        return new CheckResult(true, null);
    }

    public static CheckResult fail(String reason) {
        return new CheckResult(false, reason);
    }
}
