package io.choria.hoist.kv;

/** The bucket does not exist on the broker. */
public final class BucketMissingException extends KvException {
    private final String bucket;

    public BucketMissingException(String bucket) {
        super("the Key-Value bucket " + bucket + " does not exist");
        this.bucket = bucket;
    }

    public String bucket() {
        return bucket;
    }
}
