package io.choria.hoist.cli;

import io.choria.hoist.HoistException;
import io.choria.hoist.docker.Engine;
import io.choria.hoist.docker.EngineReader;
import io.choria.hoist.docker.Engines;
import io.choria.hoist.fleet.FleetContext;
import io.choria.hoist.fleet.Warnings;
import io.choria.hoist.kv.ConnectionFlags;
import io.choria.hoist.kv.ConnectionSettings;
import io.choria.hoist.kv.JetStreamTagStore;
import io.choria.hoist.kv.TagStore;
import io.choria.hoist.lifecycle.ContainerLock;
import io.choria.hoist.lifecycle.ImageLedger;
import io.choria.hoist.lifecycle.Lifecycle;
import io.choria.hoist.lifecycle.StateStore;
import io.choria.hoist.registry.RegistryAuth;
import io.choria.hoist.registry.RegistryClient;
import io.choria.hoist.spec.ContainerSpec;
import io.choria.hoist.spec.SpecLoader;
import io.choria.hoist.spec.WatcherData;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * What commands need from the outside world: the environment, the working directory, stderr
 * for warnings, the Docker Engine and the Key-Value store. Main builds the real one; tests hand in
 * fakes. The Engine and the store are built on first use and closed by {@link #close()}.
 */
public final class Context implements FleetContext, AutoCloseable {
    private final Map<String, String> env;
    private final Path workingDir;
    private final Function<String, Engine> engines;
    private PrintWriter err;
    private final Function<ConnectionSettings, TagStore> tagStores;
    private Engine engine;
    private Function<String, ? extends EngineReader> readers;
    private EngineReader reader;
    private Function<String, ? extends EngineReader> statusReaders;
    private EngineReader statusReader;
    private TagStore tagStore;
    private RegistryAuth registryAuth;

    public Context(Map<String, String> env, Path workingDir, Function<String, Engine> engines) {
        this(env, workingDir, engines, new SystemTagStores());
    }

    public Context(Map<String, String> env, Path workingDir, Function<String, Engine> engines,
            Function<ConnectionSettings, TagStore> tagStores) {
        this.env = env;
        this.workingDir = workingDir;
        this.engines = engines;
        this.tagStores = tagStores;
        this.readers = engines;
    }

    /** Where check's Engine reader comes from; by default the same as the Engine. */
    public Context withReaders(Function<String, ? extends EngineReader> readers) {
        this.readers = readers;
        return this;
    }

    /** Where status's Engine reader comes from; by default the Engine itself. */
    public Context withStatusReaders(Function<String, ? extends EngineReader> statusReaders) {
        this.statusReaders = statusReaders;
        return this;
    }

    /**
     * The production context: the process environment, the Engine clients {@link Engines} chooses and
     * NATS JetStream. Named classes rather than lambdas or method references (the rules of
     * {@link io.choria.hoist.startup}).
     */
    public static Context system() {
        Map<String, String> env = System.getenv();
        return new Context(env, Path.of("").toAbsolutePath(), new SystemEngines(), new SystemTagStores())
                .withReaders(new SystemReaders(env, false)).withStatusReaders(new SystemReaders(env, true));
    }

    private static final class SystemEngines implements Function<String, Engine> {
        @Override
        public Engine apply(String host) {
            return Engines.engine(host);
        }
    }

    /** Check's reader, or with {@code status} status's ({@link Engines} chooses). */
    private static final class SystemReaders implements Function<String, EngineReader> {
        private final Map<String, String> env;
        private final boolean status;

        SystemReaders(Map<String, String> env, boolean status) {
            this.env = env;
            this.status = status;
        }

        @Override
        public EngineReader apply(String host) {
            return status ? Engines.statusReader(host, env) : Engines.reader(host, env);
        }
    }

    /** {@code ctx::say}, as a class (the rules of {@link io.choria.hoist.startup}; {@link Warnings} is {@code ctx::warn}). */
    private static final class Say implements Consumer<String> {
        private final Context ctx;

        Say(Context ctx) {
            this.ctx = ctx;
        }

        @Override
        public void accept(String message) {
            ctx.say(message);
        }
    }

    private static final class SystemTagStores implements Function<ConnectionSettings, TagStore> {
        @Override
        public TagStore apply(ConnectionSettings settings) {
            return JetStreamTagStore.connect(settings);
        }
    }

    @Override
    public Map<String, String> env() {
        return env;
    }

    public Path workingDir() {
        return workingDir;
    }

    void err(PrintWriter err) {
        this.err = err;
    }

    /** One warning line on stderr. */
    @Override
    public void warn(String message) {
        if (err != null) {
            err.println("hoist-cli: warning: " + HoistException.oneLine(message, ErrorHandler.MAX_LINE));
            err.flush();
        }
    }

    /** One line on stderr that is neither a result nor a warning (e.g. that a command waits). */
    public void say(String message) {
        if (err != null) {
            err.println("hoist-cli: " + HoistException.oneLine(message, ErrorHandler.MAX_LINE));
            err.flush();
        }
    }

    /**
     * The lock of the container whose spec and state live in {@code folder}, held until closed;
     * waits as {@code options} say, then exits 8 (busy).
     */
    public ContainerLock lock(Path folder, String name, String command, LockOptions options) {
        return ContainerLock.acquire(folder, ContainerSpec.containerName(name), command,
                options.wait(env), new Say(this), Clock.systemUTC());
    }

    public Engine engine(GlobalOptions global) {
        if (engine == null) {
            engine = engines.apply(Engines.resolveHost(global.dockerHost, env.get("DOCKER_HOST")));
        }
        return engine;
    }

    /** The Key-Value store, connected on first use as FLAGS, the environment or the Choria configuration say. */
    @Override
    public TagStore tagStore(ConnectionFlags flags) {
        if (tagStore == null) {
            ConnectionSettings settings = ConnectionSettings.resolve(flags.request(), env, ConnectionFlags.defaultChoriaConfigs(env));
            tagStore = tagStores.apply(settings);
        }
        return tagStore;
    }

    /**
     * Closes the KV connection, if one is open, so that the next {@link #tagStore} connects again:
     * for a command that keeps reading ({@code endpoints --watch}) after its broker went away.
     */
    @Override
    public void reconnectTagStore() {
        TagStore old = tagStore;
        tagStore = null;
        if (old != null) {
            try {
                old.close();
            } catch (RuntimeException e) {
                warn("closing the KV connection: " + e.getMessage());
            }
        }
    }

    /** What check reads the Engine with: the lean reader where it can ({@link Engines#reader}). */
    public EngineReader reader(GlobalOptions global) {
        if (reader == null) {
            reader = readers.apply(Engines.resolveHost(global.dockerHost, env.get("DOCKER_HOST")));
        }
        return reader;
    }

    /** What status reads the Engine with: the lean reader where it can ({@link Engines#statusReader}), else the Engine. */
    public EngineReader statusReader(GlobalOptions global) {
        if (statusReaders == null) {
            return engine(global);
        }
        if (statusReader == null) {
            statusReader = statusReaders.apply(Engines.resolveHost(global.dockerHost, env.get("DOCKER_HOST")));
        }
        return statusReader;
    }

    /** What this node remembers about the container whose spec is at specFile (hoist-state.json beside it). */
    public StateStore state(Path specFile) {
        return new StateStore(StateStore.besideSpec(specFile), new Warnings(this));
    }

    public SpecLoader specs(GlobalOptions global) {
        return new SpecLoader(workingDir, global.store());
    }

    /** The registry credentials file ({@code HOIST_REGISTRY_AUTH}, else /etc/hoist/registry-auth.json), read on first use. */
    public RegistryAuth registryAuth() {
        if (registryAuth == null) {
            registryAuth = RegistryAuth.fromEnvironment(env);
        }
        return registryAuth;
    }

    /** The registry API client (digests, and why a pull failed), with the credentials of {@link #registryAuth()}. */
    public RegistryClient registry() {
        return RegistryClient.fromEnvironment(registryAuth(), env);
    }

    /**
     * The lifecycle of a loaded container: the Engine, registry credentials for pulls, and the
     * image ledger beside its spec ({@link ImageLedger}) for cleanup.
     */
    Lifecycle lifecycle(GlobalOptions global, SpecOptions.Loaded t) {
        return lifecycle(global, t, ImageLedger.besideSpec(t.state().file(), new Warnings(this)));
    }

    Lifecycle lifecycle(GlobalOptions global, SpecOptions.Loaded t, ImageLedger ledger) {
        return new Lifecycle(engine(global), new Warnings(this)).withImages(registryAuth(), registry(), ledger, new Say(this));
    }

    /** The machine data of the exec watcher that runs us, if any. */
    public WatcherData watcherData() {
        return WatcherData.fromEnvironment(env.get(WatcherData.ENV));
    }

    @Override
    public void close() {
        try {
            if (engine != null) {
                engine.close();
            }
            if (statusReader != null) {
                statusReader.close();
            }
        } finally {
            if (tagStore != null) {
                tagStore.close();
            }
        }
    }
}
