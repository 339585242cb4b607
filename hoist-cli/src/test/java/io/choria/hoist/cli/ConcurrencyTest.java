package io.choria.hoist.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import io.choria.hoist.ExitCode;
import io.choria.hoist.docker.ContainerPlan;
import io.choria.hoist.docker.Engine;
import io.choria.hoist.docker.ManagedContainer;
import io.choria.hoist.lifecycle.ContainerLock;
import io.choria.hoist.spec.SpecParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One command at a time per container, and the Docker Engine's races handled as the expected results they are. */
class ConcurrencyTest {
    static final String SPEC = "{\"name\": \"web\", \"image\": \"example/web\", \"image_tag\": \"v1\", \"min_healthy_time\": \"0s\"}";
    @TempDir Path store;
    Engine engine;
    Map<String, String> env;
    ExecutorService pool;
    ManagedContainer current;
    ManagedContainer fresh;

    record Result(int rc, String out, String err) {
    }

    @BeforeEach
    void setUp() throws IOException {
        engine = mock(Engine.class);
        env = new HashMap<>();
        pool = Executors.newFixedThreadPool(2);
        Files.createDirectories(folder());
        Files.writeString(folder().resolve("container.json"), SPEC);
        current = container("0123456789abcdef", "web");
        fresh = container("fedcba9876543210", "web");
        when(engine.find("web")).thenReturn(Optional.of(current));
        when(engine.imageId(anyString())).thenReturn(Optional.of("sha256:v1"));
        when(engine.containerIdByDockerName("hoist_web")).thenReturn(Optional.of(current.id()));
        when(engine.create(any())).thenReturn(fresh.id());
        when(engine.inspect(fresh.id())).thenReturn(Optional.of(fresh));
    }

    @AfterEach
    void tearDown() {
        pool.shutdownNow();
    }

    Path folder() {
        return store.resolve("hoist_web");
    }

    static ManagedContainer container(String id, String name) {
        var spec = SpecParser.parse(SPEC, "t");
        return new ManagedContainer(id, name, "running", "sha256:v1", spec.imageRef("v1"),
                ContainerPlan.of(spec, "v1").specHash(), "none", "2026-01-01T00:00:00Z", 0, List.of(), Map.of());
    }

    Result run(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        Context ctx = new Context(env, store.resolve("elsewhere"), host -> engine);
        String[] all = Stream.concat(Stream.of(args), Stream.of("--store", store.toString())).toArray(String[]::new);
        int rc = Cli.run(ctx, new PrintWriter(o), new PrintWriter(e), all);
        return new Result(rc, o.toString(), e.toString());
    }

    ContainerLock hold(String command) {
        return ContainerLock.acquire(folder(), "hoist_web", command, Duration.ZERO, m -> { }, Clock.systemUTC());
    }

    @Nested
    class TheLock {
        @Test
        void a_second_command_gives_up_with_exit_8_naming_the_holder() {
            try (ContainerLock held = hold("hoist-cli restart web")) {
                Result r = run("restart", "web", "--lock-wait", "0");
                assertThat(r.rc()).isEqualTo(ExitCode.BUSY);
                assertThat(r.err().lines()).singleElement().asString()
                        .startsWith("hoist-cli: hoist_web is busy: hoist-cli restart web (pid " + ProcessHandle.current().pid() + ") since ")
                        .contains("gave up after 0s");
                verify(engine, never()).create(any());
                verify(engine, never()).remove(anyString());
            }
        }

        @Test
        void every_command_that_changes_the_container_takes_it() {
            try (ContainerLock held = hold("hoist-cli start --if-needed web")) {
                for (String[] args : new String[][] {{"start", "web"}, {"start", "--if-needed", "web"}, {"stop", "web"}, {"update", "web"}}) {
                    Result r = run(Stream.concat(Stream.of(args), Stream.of("--lock-wait", "0")).toArray(String[]::new));
                    assertThat(r.rc()).as(String.join(" ", args)).isEqualTo(ExitCode.BUSY);
                }
            }
            verify(engine, never()).stop(anyString(), anyInt());
            verify(engine, never()).pull(anyString());
        }

        @Test
        void the_wait_comes_from_the_environment_and_a_bad_value_is_bad_input() {
            env.put(ContainerLock.WAIT_ENV, "0");
            try (ContainerLock held = hold("hoist-cli restart web")) {
                assertThat(run("restart", "web").rc()).isEqualTo(ExitCode.BUSY);
            }
            env.put(ContainerLock.WAIT_ENV, "soon");
            Result r = run("restart", "web");
            assertThat(r.rc()).isEqualTo(ExitCode.BAD_INPUT);
            assertThat(r.err()).contains(ContainerLock.WAIT_ENV);
        }

        @Test
        void check_and_status_never_wait_for_it() {
            when(engine.imageId("example/web:v1")).thenReturn(Optional.of("sha256:v1"));
            try (ContainerLock held = hold("hoist-cli restart web")) {
                Result check = run("check", "web");
                assertThat(check.rc()).isEqualTo(ExitCode.OK);
                assertThat(check.err()).isEmpty();
                Result status = run("status", "web");
                assertThat(status.rc()).isEqualTo(ExitCode.OK);
                assertThat(status.err()).isEmpty();
            }
        }

        @Test
        void two_restarts_at_once_run_one_after_the_other() throws Exception {
            CountDownLatch inside = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            when(engine.create(any())).thenAnswer(i -> {
                inside.countDown();
                release.await(30, TimeUnit.SECONDS);
                return fresh.id();
            }).thenReturn(fresh.id());
            Future<Result> first = pool.submit(() -> run("restart", "web"));
            assertThat(inside.await(30, TimeUnit.SECONDS)).isTrue();
            Future<Result> second = pool.submit(() -> run("restart", "web", "--lock-wait", "60"));
            // The second waits while the first holds the lock: it has not reached the Engine.
            Thread.sleep(300);
            verify(engine, times(1)).create(any());
            release.countDown();
            assertThat(first.get(30, TimeUnit.SECONDS).rc()).isEqualTo(ExitCode.OK);
            Result r = second.get(30, TimeUnit.SECONDS);
            assertThat(r.rc()).isEqualTo(ExitCode.OK);
            assertThat(r.err()).contains("waiting up to 60s for the lock of hoist_web, held by hoist-cli restart web (pid ");
            verify(engine, times(2)).create(any());
        }

        @Test
        void another_process_holding_it_makes_a_command_give_up_naming_that_process() throws Exception {
            Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), Holder.class.getName(), folder().toString())
                    .redirectErrorStream(true).start();
            try {
                BufferedReader in = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
                assertThat(in.readLine()).isEqualTo("locked");
                Result r = run("restart", "web", "--lock-wait", "0");
                assertThat(r.rc()).isEqualTo(ExitCode.BUSY);
                assertThat(r.err()).contains("hoist-cli purge (pid " + holder.pid() + ")");
            } finally {
                holder.getOutputStream().close();
                holder.waitFor(30, TimeUnit.SECONDS);
                holder.destroy();
            }
            assertThat(run("restart", "web", "--lock-wait", "30").rc()).isEqualTo(ExitCode.OK);
        }
    }

    /** Holds the lock of the folder given until its stdin closes. */
    public static final class Holder {
        public static void main(String[] args) throws IOException {
            try (ContainerLock l = ContainerLock.acquire(Path.of(args[0]), "hoist_web", "hoist-cli purge", Duration.ZERO, m -> { }, Clock.systemUTC())) {
                System.out.println("locked");
                System.out.flush();
                while (System.in.read() >= 0) {
                    // until the test closes our stdin
                }
            }
        }
    }

    @Nested
    class DockerRaces {
        @Test
        void a_removal_already_in_progress_is_waited_for() {
            doThrow(new ConflictException("removal of container 0123456789ab is already in progress")).when(engine).remove(current.id());
            when(engine.inspect(current.id())).thenReturn(Optional.of(current), Optional.empty());
            Result r = run("restart", "web");
            assertThat(r.rc()).as(r.err()).isEqualTo(ExitCode.OK);
            verify(engine).create(any());
        }

        @Test
        void a_container_gone_between_find_and_stop_is_stopped_already() {
            doThrow(new NotFoundException("No such container: 0123456789ab")).when(engine).stop(anyString(), anyInt());
            Result stop = run("stop", "web");
            assertThat(stop.rc()).as(stop.err()).isEqualTo(ExitCode.OK);
            assertThat(run("restart", "web").rc()).isEqualTo(ExitCode.OK);
        }

        @Test
        void a_container_gone_between_find_and_remove_is_removed_already() {
            doThrow(new NotFoundException("No such container: 0123456789ab")).when(engine).remove(anyString());
            assertThat(run("stop", "web").rc()).isEqualTo(ExitCode.OK);
            assertThat(run("restart", "web").rc()).isEqualTo(ExitCode.OK);
        }

        @Test
        void a_name_taken_meanwhile_by_one_of_ours_is_replaced() {
            ManagedContainer other = container("aaaaaaaaaaaabbbb", "web");
            when(engine.create(any())).thenThrow(new ConflictException("Conflict. The container name \"/hoist_web\" is already in use by container \"aaaaaaaaaaaabbbb\""))
                    .thenReturn(fresh.id());
            when(engine.containerIdByDockerName("hoist_web")).thenReturn(Optional.of(current.id()), Optional.of(other.id()));
            when(engine.inspect(other.id())).thenReturn(Optional.of(other));
            Result r = run("restart", "web");
            assertThat(r.rc()).as(r.err()).isEqualTo(ExitCode.OK);
            assertThat(r.err()).contains("hoist_web was created meanwhile by another command (aaaaaaaaaaaa); replacing it");
            verify(engine).remove(other.id());
        }

        @Test
        void a_name_taken_meanwhile_by_a_stranger_is_left_alone() {
            ManagedContainer stranger = container("cccccccccccccccc", null);
            when(engine.create(any())).thenThrow(new ConflictException("Conflict. The container name \"/hoist_web\" is already in use"));
            when(engine.containerIdByDockerName("hoist_web")).thenReturn(Optional.of(current.id()), Optional.of(stranger.id()));
            when(engine.inspect(stranger.id())).thenReturn(Optional.of(stranger));
            Result r = run("restart", "web");
            assertThat(r.rc()).isEqualTo(ExitCode.START_FAILED);
            assertThat(r.err()).contains("exists without Hoist's labels");
            verify(engine, never()).remove(stranger.id());
        }

        @Test
        void purge_meeting_a_removal_in_progress_is_done() throws IOException {
            ManagedContainer orphan = container("dddddddddddddddd", "gone");
            when(engine.listManaged()).thenReturn(List.of(orphan));
            doThrow(new ConflictException("removal of container dddddddddddd is already in progress")).when(engine).remove(orphan.id());
            when(engine.inspect(orphan.id())).thenReturn(Optional.empty());
            Result r = run("purge");
            assertThat(r.rc()).as(r.err()).isEqualTo(ExitCode.OK);
            assertThat(r.out()).contains("remove-container gone");
        }
    }
}
