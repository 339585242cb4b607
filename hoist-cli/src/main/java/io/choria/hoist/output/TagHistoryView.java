package io.choria.hoist.output;

import java.util.List;

/**
 * The values the bucket keeps for a tag key, oldest first: the result object that
 * {@code tag NAME --history} renders.
 *
 * @param bucket the bucket
 * @param key the key
 * @param history the values, delete and purge markers included
 */
public record TagHistoryView(String bucket, String key, List<Row> history) {
    /**
     * One value.
     *
     * @param revision the bucket-wide revision
     * @param time when the broker stored it (RFC 3339), or null
     * @param operation put, delete or purge
     * @param value the value written; null for delete and purge markers
     */
    public record Row(long revision, String time, String operation, String value) {
    }
}
