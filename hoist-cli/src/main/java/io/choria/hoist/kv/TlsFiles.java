package io.choria.hoist.kv;

import java.nio.file.Path;

/**
 * PEM files for a TLS connection to the broker. Any may be null: without {@code ca} the JVM's
 * default trust store is used; {@code cert} and {@code key} (a client certificate) come together.
 *
 * @param cert the client certificate (chain), PEM
 * @param key its private key, PEM, unencrypted: PKCS#8 ({@code BEGIN PRIVATE KEY}), PKCS#1 RSA ({@code BEGIN RSA PRIVATE KEY}) or SEC1 EC ({@code BEGIN EC PRIVATE KEY})
 * @param ca the certificate authorities that sign the broker's certificate, PEM
 */
public record TlsFiles(Path cert, Path key, Path ca) {
    public boolean isEmpty() {
        return cert == null && key == null && ca == null;
    }

    /** Each file given here replaces the one in BASE. */
    public TlsFiles over(TlsFiles base) {
        if (base == null) {
            return this;
        }
        return new TlsFiles(cert != null ? cert : base.cert, key != null ? key : base.key, ca != null ? ca : base.ca);
    }
}
