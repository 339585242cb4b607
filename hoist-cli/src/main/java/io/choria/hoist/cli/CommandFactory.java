package io.choria.hoist.cli;

import java.lang.reflect.Constructor;
import picocli.CommandLine;
import picocli.CommandLine.IFactory;

/** Builds commands with their {@link Context}: command classes take it in their constructor. */
public final class CommandFactory implements IFactory {
    private final Context ctx;
    private final IFactory fallback = CommandLine.defaultFactory();

    public CommandFactory(Context ctx) {
        this.ctx = ctx;
    }

    @Override
    public <K> K create(Class<K> cls) throws Exception {
        try {
            Constructor<K> c = cls.getDeclaredConstructor(Context.class);
            return c.newInstance(ctx);
        } catch (NoSuchMethodException e) {
            return fallback.create(cls);
        }
    }
}
