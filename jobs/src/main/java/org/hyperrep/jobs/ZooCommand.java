package org.hyperrep.jobs;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code hyperrep zoo ...}: build, inspect, import and export model zoos. */
@Command(name = "zoo", mixinStandardHelpOptions = true, description = "Build, inspect, import and export model zoos.",
        subcommands = {ZooBuildJob.class, ZooDescribeJob.class, ZooVerifyJob.class, ZooImportJob.class, ZooExportJob.class,
                CommandLine.HelpCommand.class})
final class ZooCommand implements Runnable {
    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
