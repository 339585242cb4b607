package io.choria.hoist.kv;

import io.choria.hoist.ExitCode;
import io.choria.hoist.HoistException;

/** The Key-Value store could not be reached or refused an operation: exit {@link ExitCode#KV_ERROR}. */
public class KvException extends HoistException {
    public KvException(String message) {
        super(ExitCode.KV_ERROR, message);
    }

    public KvException(String message, Throwable cause) {
        super(ExitCode.KV_ERROR, message, cause);
    }
}
