package io.choria.hoist;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** The selector provider Main names before the first socket. */
class MainTest {
    String saved;

    @BeforeEach
    void save() {
        saved = System.getProperty(Main.SELECTOR_PROVIDER);
    }

    @AfterEach
    void restore() {
        if (saved == null) {
            System.clearProperty(Main.SELECTOR_PROVIDER);
        } else {
            System.setProperty(Main.SELECTOR_PROVIDER, saved);
        }
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void names_the_jdks_own_provider_on_linux_and_that_class_is_there() throws ClassNotFoundException {
        System.clearProperty(Main.SELECTOR_PROVIDER);
        Main.nameSelectorProvider();
        String named = System.getProperty(Main.SELECTOR_PROVIDER);
        assertThat(named).isEqualTo("sun.nio.ch.EPollSelectorProvider");
        // What the JDK loads for the property: this JDK has it, and it is a selector provider.
        assertThat(java.nio.channels.spi.SelectorProvider.class.isAssignableFrom(Class.forName(named, false, null))).isTrue();
    }

    @Test
    void leaves_a_provider_named_by_the_user_alone() {
        System.setProperty(Main.SELECTOR_PROVIDER, "example.Provider");
        Main.nameSelectorProvider();
        assertThat(System.getProperty(Main.SELECTOR_PROVIDER)).isEqualTo("example.Provider");
    }
}
