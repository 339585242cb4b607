package io.choria.hoist.fleet;

import io.choria.hoist.kv.ConnectionFlags;
import io.choria.hoist.kv.TagStore;
import java.util.Map;

/** What the fleet's Key-Value access needs of the command that runs it; cli/Context is the one. */
public interface FleetContext {
    /** The process environment (the node's identity, the broker's settings). */
    Map<String, String> env();

    /** The Key-Value store, connected on first use as FLAGS, the environment or the Choria configuration say. */
    TagStore tagStore(ConnectionFlags flags);

    /** Closes the Key-Value connection: the next {@link #tagStore} connects again (to the first server that answers). */
    void reconnectTagStore();

    /** One warning line on stderr. */
    void warn(String message);
}
