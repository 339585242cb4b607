package io.choria.hoist.cli;

import java.lang.reflect.Constructor;
import picocli.CommandLine;
import picocli.CommandLine.IFactory;

/** Builds commands and their mixins with the {@link Context} when their class takes it in a constructor ({@link OnNode}, {@link StatusCommand}...). */
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
