package io.choria.hoist.fleet;

import java.util.function.Consumer;

/** {@code ctx::warn}, as a class (the rules of {@link io.choria.hoist.startup}: a check warns through it). */
public final class Warnings implements Consumer<String> {
    private final FleetContext ctx;

    public Warnings(FleetContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void accept(String message) {
        ctx.warn(message);
    }
}
