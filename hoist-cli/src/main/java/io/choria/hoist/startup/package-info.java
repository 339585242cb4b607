/**
 * The start-up path: what exists only so that {@code check}, which every node runs for every
 * container every few minutes, and {@code status} start fast. Here live the hand-written stand-ins
 * for the libraries a check cannot afford to start, each held to the library it replaces by a test:
 * {@link io.choria.hoist.startup.LeanCommandLine} for picocli (CheckPathsTest, StatusPathsTest),
 * {@link io.choria.hoist.startup.LeanJson} for gson's parser (LeanJsonTest),
 * {@link io.choria.hoist.startup.Sha256} for {@code MessageDigest} (Sha256Test),
 * {@link io.choria.hoist.startup.EngineHttp} for docker-java's transport (LeanEngineReaderTest, and the
 * integration tests run check and status on both Engine clients), and
 * {@link io.choria.hoist.startup.DockerHost} for the endpoint's regular expression (DockerHostTest).
 * This package depends on nothing of hoist-cli's but {@code HoistException} and {@code ExitCode}, and
 * on nothing beyond the JDK but gson's tree (PackageRulesTest).
 *
 * <h2>The rules of check's path</h2>
 * Every class a check runs, whichever package it lives in (cli/LeanCommands and LeanCheck, Context,
 * fleet/Reports, lifecycle/Checker and StateStore, spec/SpecParser and Grammar, docker/LeanEngineReader and SpecHash,
 * this package...):
 * <ul>
 * <li>no lambdas or method references: a named class instead (fleet/Warnings);</li>
 * <li>no regular expressions, {@code String.split}, {@code matches} and {@code replaceAll} included: a
 * hand matcher held to the expression by a test (spec/Grammar, {@link io.choria.hoist.startup.DockerHost});</li>
 * <li>no streams, no reflection, no record's {@code equals}, {@code hashCode} or {@code toString};</li>
 * <li>strings concatenated inline (the pom compiles with {@code -XDstringConcat=inline}), not by invokedynamic;</li>
 * <li>no picocli and no docker-java type named where a check would load it (cli/Cli and
 * docker/DockerClients are not on its path; {@code LeanCommands} and {@code docker/Engines} are).</li>
 * </ul>
 * StartupPathTest runs a check in a JVM of its own and holds what it loaded to these rules: none of the
 * JDK's regular-expression classes, no lambda of hoist-cli's, no record method bootstrapped, nothing
 * of picocli's or docker-java's, and in the bytecode of every hoist-cli class it loaded no
 * concatenation by invokedynamic and no lambda or regular expression beyond a pinned, shrinking list
 * (code of those classes a passing check does not run; now spec/Grammar alone, whose expressions are
 * compiled for the forms its hand matchers leave to them).
 *
 * <h2>Why</h2>
 * Each of them starts machinery the JVM otherwise never starts: the first lambda or invokedynamic
 * boots the method-handle machinery, the first regular expression compiles, picocli builds its model
 * by reflection and docker-java loads thousands of classes. Measured for issue 18 (bench/README.md):
 * with them, a check loaded 991 classes and took the largest part of its time reading and validating
 * {@code container.json}; without them it loads 862 on JDK 17 (a JVM hello world loads 476), and
 * costs about 1.7 times a hello world's wall and CPU time. {@code bash bench/run.sh} measures it.
 */
package io.choria.hoist.startup;
