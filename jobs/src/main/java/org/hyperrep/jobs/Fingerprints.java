package org.hyperrep.jobs;

import org.hyperrep.store.ZooManifest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Identity of a job's inputs (resolved config text and the zoo's builds), to tell whether an output is current. */
final class Fingerprints {
    private Fingerprints() {}

    static String of(String configText, ZooManifest zoo) {
        StringBuilder s = new StringBuilder(configText).append('|').append(zoo.name());
        // a build that trained nothing (a rerun of a finished plan) does not change the zoo
        zoo.builds().stream().filter(b -> b.modelsTrained() > 0)
                .forEach(b -> s.append('|').append(b.runId()).append(':').append(b.modelsTrained()));
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(s.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
