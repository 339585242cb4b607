package io.choria.hoist.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.choria.hoist.ExitCode;
import io.choria.hoist.HoistException;
import io.choria.hoist.fleet.KvServices;
import io.choria.hoist.kv.ConnectionFlags;
import io.choria.hoist.lifecycle.Drain;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code hoist-cli endpoints SERVICE}: the live registrations of a service in {@code CHORIA_SERVICES},
 * as a load balancer's configuration generator reads them (issue 27).
 */
@Command(name = "endpoints",
        description = {
            "List a service's registered endpoints (register_ports).",
            "Print the entries of SERVICE in the KV bucket CHORIA_SERVICES (Choria's service registry, written by the register_ports gossip watchers): "
                + "one line per endpoint, ADDRESS:PORT, then priority, cluster, protocol, instance and annotations; --json prints one array of objects. "
                + "A node is listed only while its container passes its check, and is withdrawn before a planned replacement, drain_time before its "
                + "container stops: a consumer must read again more often than drain_time. --watch reads every --interval and prints the list again "
                + "when it changes (with --json, one array per line), keeping the last list while the broker cannot be asked. Docker and the container spec are not used."},
        footerHeading = "%n",
        footer = {"Broker: as for tag (--server, --choria-config, $HOIST_NATS_URL, the Choria client configuration)."})
public final class EndpointsCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "SERVICE", description = "The service, as register_ports names it")
    String service;

    @Option(names = "--cluster", paramLabel = "C", description = "Only this cluster (default: every cluster)")
    String cluster;

    @Option(names = "--protocol", paramLabel = "P", description = "Only this protocol (default: every protocol)")
    String protocol;

    @Option(names = "--json", description = "Print JSON")
    boolean json;

    @Option(names = "--watch", description = "Read again every --interval; print the list whenever it changes")
    boolean watch;

    @Option(names = "--interval", paramLabel = "SECONDS", description = "With --watch: seconds between reads (default ${DEFAULT-VALUE})")
    int interval = 1;

    @Mixin ConnectionFlags nats;
    @Spec CommandSpec cmd;
    private final Context ctx;

    public EndpointsCommand(Context ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws InterruptedException {
        String filter = part("--cluster", cluster) + "." + part("--protocol", protocol) + "." + name("SERVICE", service) + ".*";
        KvServices registry = new KvServices(ctx, nats);
        PrintWriter out = cmd.commandLine().getOut();
        if (!watch) {
            print(out, registry.list(filter));
            return ExitCode.OK;
        }
        String last = null;
        while (true) {
            List<KvServices.Endpoint> now;
            try {
                now = registry.list(filter);
            } catch (HoistException e) {
                // A consumer keeps its last list while the broker cannot be asked, and asks again.
                ctx.warn("cannot read " + Drain.BUCKET + " now (" + e.getMessage() + "); keeping the last list");
                ctx.reconnectTagStore();
                Thread.sleep(Math.max(1, interval) * 1000L);
                continue;
            }
            String shown = json ? json(now) : text(now);
            if (!shown.equals(last)) {
                out.print(shown);
                out.flush();
                last = shown;
            }
            Thread.sleep(Math.max(1, interval) * 1000L);
        }
    }

    private void print(PrintWriter out, List<KvServices.Endpoint> list) {
        out.print(json ? json(list) : text(list));
        out.flush();
        if (list.isEmpty() && !json) {
            ctx.say("no endpoints of " + service + " are registered in " + Drain.BUCKET);
        }
    }

    private static String text(List<KvServices.Endpoint> list) {
        StringBuilder b = new StringBuilder();
        for (KvServices.Endpoint p : list) {
            b.append(hostPort(p)).append(" priority=").append(p.priority()).append(" cluster=").append(p.cluster())
                    .append(" protocol=").append(p.protocol()).append(" instance=").append(p.instance());
            for (Map.Entry<String, String> a : p.annotations().entrySet()) {
                b.append(' ').append(a.getKey()).append('=').append(a.getValue());
            }
            b.append('\n');
        }
        return list.isEmpty() ? "\n" : b.toString();
    }

    /** One array on one line: a consumer reads a line per change. */
    private static String json(List<KvServices.Endpoint> list) {
        JsonArray a = new JsonArray();
        for (KvServices.Endpoint p : list) {
            JsonObject o = new JsonObject();
            o.addProperty("address", p.address());
            o.addProperty("port", p.port());
            o.addProperty("priority", p.priority());
            o.addProperty("cluster", p.cluster());
            o.addProperty("protocol", p.protocol());
            o.addProperty("service", p.service());
            o.addProperty("instance", p.instance());
            JsonObject ann = new JsonObject();
            p.annotations().forEach(ann::addProperty);
            o.add("annotations", ann);
            a.add(o);
        }
        return new GsonBuilder().disableHtmlEscaping().create().toJson(a) + "\n";
    }

    /** ADDRESS:PORT, an IPv6 address in brackets. */
    private static String hostPort(KvServices.Endpoint p) {
        return (p.address().indexOf(':') >= 0 ? "[" + p.address() + "]" : p.address()) + ":" + p.port();
    }

    private static String part(String option, String value) {
        return value == null ? "*" : name(option, value);
    }

    /** A name as register_ports takes it: it is part of a NATS key, so no dots or wildcards. */
    private static String name(String what, String value) {
        if (!Drain.isName(value)) {
            throw HoistException.badInput(what + " '" + io.choria.hoist.spec.Tags.printable(value) + "' is not a name ([a-zA-Z][a-zA-Z0-9_-]*)");
        }
        return value;
    }
}
