package io.choria.hoist.startup;

import static org.assertj.core.api.Assertions.assertThat;

import io.choria.hoist.ExitCode;
import io.choria.hoist.Main;
import io.choria.hoist.docker.ContainerPlan;
import io.choria.hoist.spec.ContainerSpec;
import io.choria.hoist.spec.SpecParser;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rules of {@link io.choria.hoist.startup} (see its package-info), held on what a plain
 * {@code check} really loads: it runs in a JVM of its own, as the launcher runs hoist-cli, against an
 * Engine that answers from a recording, with the JVM's class-loading log. What ran: none of the JDK's
 * regular-expression classes, no lambda of hoist-cli's, no record method bootstrapped, nothing of
 * picocli's or docker-java's. What could run another day: in the bytecode of every hoist-cli class
 * the check loaded, whatever its package, no string concatenation by invokedynamic, and a lambda, a
 * method reference or a regular expression (java.util.regex, or a String method that compiles one)
 * only in the classes of {@link #KNOWN}, a list that only shrinks. A lean {@code status} is held to
 * loading neither picocli nor docker-java. Each run's class count is printed (bench/run.sh measures
 * it through the launcher, with its class-data archive).
 */
class StartupPathTest {
    @TempDir Path dir;
    ServerSocketChannel server;

    static final String SPEC = "{\"name\": \"web\", \"image\": \"example/web\", \"image_tag\": \"v1\", \"network\": \"host\"}";

    /** A fake Engine on dir/engine.sock answering the lean reader's requests about hoist_web from a recording. */
    String engine() throws IOException {
        ContainerSpec spec = SpecParser.parse(SPEC, "test");
        ContainerPlan plan = ContainerPlan.of(spec, "v1");
        StringBuilder labels = new StringBuilder("{");
        for (Map.Entry<String, String> e : plan.labels().entrySet()) {
            labels.append(labels.length() > 1 ? "," : "").append('"').append(e.getKey()).append("\":\"").append(e.getValue()).append('"');
        }
        labels.append('}');
        String list = "[{\"Id\":\"c0ffee\",\"State\":\"running\",\"Status\":\"Up 5 minutes\",\"ImageID\":\"sha256:v1\",\"Labels\":" + labels + "}]";
        String inspect = "{\"Id\":\"c0ffee\",\"Image\":\"sha256:v1\",\"RestartCount\":0,\"State\":{\"Status\":\"running\","
                + "\"StartedAt\":\"2026-01-01T00:00:00Z\"},\"Config\":{\"Labels\":" + labels + ",\"Env\":[\"A=b\"]}}";
        String image = "{\"Id\":\"sha256:v1\",\"RepoDigests\":[\"example/web@sha256:0123\"]}";
        String version = "{\"Version\":\"20.10.24\",\"ApiVersion\":\"1.41\",\"MinAPIVersion\":\"1.12\"}";
        Path sock = dir.resolve("engine.sock");
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(sock));
        Thread t = new Thread(() -> {
            try {
                while (true) {
                    try (SocketChannel c = server.accept()) {
                        ByteBuffer b = ByteBuffer.allocate(8192);
                        c.read(b);
                        String request = new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII);
                        String path = request.substring(4, request.indexOf(' ', 4));
                        String body = path.startsWith("/containers/json") ? list
                                : path.startsWith("/containers/") ? inspect
                                : path.startsWith("/images/") ? image
                                : path.equals("/version") ? version : null;
                        String answer = body == null ? "HTTP/1.0 404 Not Found\r\n\r\n{\"message\":\"no\"}"
                                : "HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n" + body;
                        c.write(ByteBuffer.wrap(answer.getBytes(StandardCharsets.UTF_8)));
                    }
                }
            } catch (IOException e) {
                // closed by the test
            }
        });
        t.setDaemon(true);
        t.start();
        return "unix://" + sock;
    }

    @AfterEach
    void stop() throws IOException {
        if (server != null) {
            server.close();
        }
    }

    record Run(int exitCode, String out, String err, List<String> loaded) {
    }

    /** hoist-cli ARGS in a JVM of its own, with the launcher's flags and the class-loading log. */
    Run run(String... args) throws IOException, InterruptedException {
        Path log = dir.resolve("classes-" + args[0] + ".log");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xlog:class+load=info:file=" + log,
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        // Nothing from this JVM's environment that hoist-cli reads: no broker, no machine, no TLS.
        pb.environment().keySet().removeIf(k -> k.startsWith("HOIST_") || k.startsWith("DOCKER_") || k.startsWith("MACHINE_")
                || k.equals("WATCHER_DATA") || k.startsWith("CHORIA"));
        pb.redirectOutput(dir.resolve("out").toFile()).redirectError(dir.resolve("err").toFile());
        Process p = pb.start();
        // A guard, not a speed bound: a check takes well under a second; only a hung one reaches it.
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("hoist-cli " + String.join(" ", args) + " ended").isTrue();
        List<String> loaded = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            // [0.012s][info][class,load] java.lang.Object source: shared objects file
            int at = line.indexOf("] ");
            int end = line.indexOf(' ', at + 2);
            if (at > 0 && end > at && line.contains("[class,load]")) {
                loaded.add(line.substring(at + 2, end));
            }
        }
        return new Run(p.exitValue(), Files.readString(dir.resolve("out")), Files.readString(dir.resolve("err")), loaded);
    }

    @Test
    void a_plain_check_runs_no_lambda_and_no_regular_expression_and_status_no_picocli_or_docker_java() throws Exception {
        Path store = Files.createDirectories(dir.resolve("store"));
        Files.createDirectories(store.resolve("hoist_web"));
        Files.writeString(store.resolve("hoist_web/container.json"), SPEC);
        String host = engine();

        Run check = run("check", "web", "--store", store.toString(), "--docker-host", host);
        assertThat(check.exitCode()).as(check.err()).isEqualTo(ExitCode.OK);
        Run status = run("status", "web", "--store", store.toString(), "--docker-host", host);
        assertThat(status.exitCode()).as(status.err()).isEqualTo(ExitCode.OK);
        assertThat(status.out()).contains("web").contains("running");

        // status is lean in what it loads (neither picocli nor docker-java), not held to check's rules:
        // it formats its report with lambdas and regular expressions, once, for an operator.
        assertThat(status.loaded().stream().filter(c -> c.startsWith("picocli.") || c.startsWith("com.github.dockerjava.")).toList())
                .as("status: picocli or docker-java classes").isEmpty();
        System.out.printf("StartupPathTest: status loaded %d classes on JDK %s%n", status.loaded().size(), Runtime.version().feature());

        // The log works: it lists the classes the check used.
        assertThat(check.loaded()).contains("io.choria.hoist.Main", "io.choria.hoist.cli.Context", "io.choria.hoist.startup.EngineHttp");
        // What ran: no regular expression was compiled, no lambda or method reference of hoist-cli's
        // was linked, no record's equals, hashCode or toString was bootstrapped, and neither picocli
        // nor docker-java was touched. (The JVM loads StringConcatFactory itself as it boots: the
        // scan below holds hoist-cli's concatenations instead.)
        assertThat(check.loaded().stream().filter(c -> c.startsWith("java.util.regex.") || c.startsWith("io.choria.hoist.") && c.contains("$$Lambda")
                || c.equals("java.lang.runtime.ObjectMethods") || c.startsWith("picocli.") || c.startsWith("com.github.dockerjava.")).toList())
                .as("check: classes of regular expressions, hoist-cli's lambdas, record methods, picocli or docker-java")
                .isEmpty();
        // What could run on another day: the hoist-cli classes the check loaded, scanned.
        Map<String, Set<String>> found = new TreeMap<>();
        int ours = 0;
        for (String c : check.loaded()) {
            if (c.startsWith("io.choria.hoist.")) {
                ours++;
                Set<String> f = Bytecode.forbidden(c);
                if (!f.isEmpty()) {
                    found.put(c, f);
                }
            }
        }
        assertThat(found.values()).as("check: string concatenation by invokedynamic (the pom's -XDstringConcat=inline)")
                .noneMatch(f -> f.contains("string concatenation by invokedynamic"));
        // Classes on the path that hold a lambda or a regular expression in code this run did not take
        // (an error's message, a rare spec form, another command's method in the same class). The list
        // only shrinks: a class that joins it puts one more on the path of some check.
        assertThat(found.keySet()).as("check: classes on its path with a lambda or a regular expression").isSubsetOf(KNOWN);
        System.out.printf("StartupPathTest: check loaded %d classes (%d of hoist-cli's) on JDK %s%n", check.loaded().size(), ours,
                Runtime.version().feature());
        assertThat(check.loaded()).as("check's path").contains("io.choria.hoist.lifecycle.Checker", "io.choria.hoist.spec.Grammar",
                "io.choria.hoist.startup.LeanJson", "io.choria.hoist.startup.Sha256", "io.choria.hoist.docker.LeanEngineReader");
    }

    @Test
    void the_scan_finds_what_it_forbids() throws IOException {
        // This test class itself has lambdas (invokedynamic); LeanJsonTest's generator compiles expressions.
        assertThat(Bytecode.forbidden(StartupPathTest.class.getName())).contains("lambda");
        assertThat(Bytecode.forbidden(DockerHostTest.class.getName())).contains("java/util/regex");
        assertThat(Bytecode.forbidden(Sha256.class.getName())).isEmpty();
    }

    /**
     * Today's classes on check's or status's path whose bytecode has a lambda or a regular expression
     * outside the code a passing check runs (the run's log shows none of them linked or compiled).
     */
    static final Set<String> KNOWN = Set.of(
            "io.choria.hoist.spec.Grammar"); // the expression itself, for what the hand matchers leave to it (a bracketed IPv6 port, a quoted command)

    /** What a class file's constant pool says it uses of what the start-up path forbids. */
    static final class Bytecode {
        /** String methods that compile their argument as a regular expression. */
        static final Set<String> REGEX_METHODS = Set.of("split", "matches", "replaceAll", "replaceFirst");

        static Set<String> forbidden(String className) throws IOException {
            Set<String> found = new TreeSet<>();
            try (InputStream in = StartupPathTest.class.getClassLoader().getResourceAsStream(className.replace('.', '/') + ".class")) {
                assertThat(in).as("the class file of " + className).isNotNull();
                DataInputStream d = new DataInputStream(in);
                d.readInt(); // magic
                d.readUnsignedShort(); // minor
                d.readUnsignedShort(); // major
                int count = d.readUnsignedShort();
                String[] utf8 = new String[count];
                int[] classNameIndex = new int[count];
                int[][] ref = new int[count][];
                int[] natName = new int[count];
                for (int i = 1; i < count; i++) {
                    int tag = d.readUnsignedByte();
                    switch (tag) {
                        case 1 -> utf8[i] = d.readUTF();
                        case 3, 4 -> d.readInt();
                        case 5, 6 -> {
                            d.readLong();
                            i++;
                        }
                        case 7 -> classNameIndex[i] = d.readUnsignedShort();
                        case 8, 16, 19, 20 -> d.readUnsignedShort();
                        case 9, 10, 11 -> ref[i] = new int[] {d.readUnsignedShort(), d.readUnsignedShort()};
                        case 12 -> {
                            natName[i] = d.readUnsignedShort();
                            d.readUnsignedShort();
                        }
                        case 15 -> {
                            d.readUnsignedByte();
                            d.readUnsignedShort();
                        }
                        case 17, 18 -> d.readInt();
                        default -> throw new IOException("constant pool tag " + tag + " in " + className);
                    }
                }
                for (int i = 1; i < count; i++) {
                    if (utf8[i] != null && utf8[i].contains("java/util/regex/")) {
                        found.add("java/util/regex");
                    }
                    // The bootstrap methods of a lambda or method reference, and of a string concatenation
                    // compiled without -XDstringConcat=inline. A record's equals, hashCode and toString
                    // bootstrap through java/lang/runtime/ObjectMethods, only when called: the run's log says
                    // whether they were.
                    if ("java/lang/invoke/LambdaMetafactory".equals(utf8[i])) {
                        found.add("lambda");
                    }
                    if ("java/lang/invoke/StringConcatFactory".equals(utf8[i])) {
                        found.add("string concatenation by invokedynamic");
                    }
                    if (ref[i] != null && "java/lang/String".equals(utf8[classNameIndex[ref[i][0]]])
                            && REGEX_METHODS.contains(utf8[natName[ref[i][1]]])) {
                        found.add("String." + utf8[natName[ref[i][1]]]);
                    }
                }
            }
            return found;
        }
    }
}
