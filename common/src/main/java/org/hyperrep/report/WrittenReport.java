package org.hyperrep.report;

import java.net.URI;
import java.util.List;

/** Where {@link ReportWriter#write} put the report's files. */
public record WrittenReport(URI html, URI markdown, URI csv, List<URI> plots) {
    public WrittenReport {
        plots = List.copyOf(plots);
    }
}
