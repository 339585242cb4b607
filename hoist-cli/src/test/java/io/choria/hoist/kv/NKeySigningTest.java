package io.choria.hoist.kv;

import static org.assertj.core.api.Assertions.assertThat;

import io.nats.client.NKey;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

/**
 * jnats signs the server's nonce with an NKey (a {@code --creds} file) using BouncyCastle's Ed25519
 * classes. It declares bcprov-lts8on; hoist-cli gives it bcprov-jdk18on instead (one BouncyCastle in
 * the shaded jar, see hoist-cli/pom.xml), which holds the same classes: signing must still work.
 */
class NKeySigningTest {
    @Test
    void a_user_nkey_signs_and_its_public_key_verifies_with_the_bouncycastle_on_the_class_path() throws Exception {
        NKey user = NKey.createUser(new SecureRandom());
        byte[] nonce = "nonce-from-the-server".getBytes(StandardCharsets.UTF_8);
        byte[] signature = user.sign(nonce);
        assertThat(signature).hasSize(64);

        NKey verifier = NKey.fromPublicKey(user.getPublicKey());
        assertThat(verifier.verify(nonce, signature)).isTrue();
        assertThat(verifier.verify("another nonce".getBytes(StandardCharsets.UTF_8), signature)).isFalse();
        // A key made again from its seed signs alike: Ed25519 is deterministic.
        assertThat(NKey.fromSeed(user.getSeed()).sign(nonce)).isEqualTo(signature);
        assertThat(NKey.class.getClassLoader().loadClass("org.bouncycastle.crypto.signers.Ed25519Signer")
                .getProtectionDomain().getCodeSource().getLocation().getPath()).contains("bcprov-jdk18on");
    }
}
