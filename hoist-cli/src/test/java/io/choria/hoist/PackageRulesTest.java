package io.choria.hoist;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The package map of CONTRIBUTING.md, as rules on hoist-cli's classes: the packages form layers that
 * depend downward only, with no cycles between packages, and the start-up package depends on nothing
 * of hoist-cli's but {@link HoistException} and {@link ExitCode} (see io.choria.hoist.startup's
 * package-info). The root package (Main, ExitCode, HoistException) stands outside the layers: Main
 * wires cli, and every layer may throw HoistException with an ExitCode.
 */
class PackageRulesTest {
    static final JavaClasses MAIN = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.choria.hoist");

    @Test
    void the_packages_depend_downward_only() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("cli").definedBy("io.choria.hoist.cli..")
                .layer("fleet").definedBy("io.choria.hoist.fleet..")
                .layer("lifecycle").definedBy("io.choria.hoist.lifecycle..")
                .layer("output").definedBy("io.choria.hoist.output..")
                .layer("docker").definedBy("io.choria.hoist.docker..")
                .layer("rollout").definedBy("io.choria.hoist.rollout..")
                .layer("kv").definedBy("io.choria.hoist.kv..")
                .layer("registry").definedBy("io.choria.hoist.registry..")
                .layer("spec").definedBy("io.choria.hoist.spec..")
                .layer("startup").definedBy("io.choria.hoist.startup..")
                .whereLayer("cli").mayNotBeAccessedByAnyLayer()
                .whereLayer("fleet").mayOnlyBeAccessedByLayers("cli")
                .whereLayer("lifecycle").mayOnlyBeAccessedByLayers("cli", "fleet")
                .whereLayer("output").mayOnlyBeAccessedByLayers("cli", "fleet")
                .whereLayer("docker").mayOnlyBeAccessedByLayers("cli", "fleet", "lifecycle", "output")
                .whereLayer("rollout").mayOnlyBeAccessedByLayers("cli", "fleet", "lifecycle", "output")
                .whereLayer("kv").mayOnlyBeAccessedByLayers("cli", "fleet", "rollout")
                .whereLayer("registry").mayOnlyBeAccessedByLayers("cli", "lifecycle", "docker")
                .whereLayer("spec").mayOnlyBeAccessedByLayers("cli", "fleet", "lifecycle", "output", "docker", "rollout", "kv")
                .whereLayer("startup").mayOnlyBeAccessedByLayers("cli", "lifecycle", "docker", "rollout", "spec")
                .check(MAIN);
    }

    @Test
    void no_cycles_between_packages() {
        slices().matching("io.choria.hoist.(*)..").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void the_startup_package_needs_only_the_jdk_gson_and_hoist_cli_s_error_types() {
        classes().that().resideInAPackage("io.choria.hoist.startup..")
                .should().onlyDependOnClassesThat(resideInAnyPackage("java..", "com.google.gson..", "io.choria.hoist.startup..")
                        .or(belongToAnyOf(HoistException.class, ExitCode.class)))
                .check(MAIN);
    }
}
