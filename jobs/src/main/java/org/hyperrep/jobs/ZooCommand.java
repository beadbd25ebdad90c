package org.hyperrep.jobs;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code hyperrep zoo ...}: build and inspect model zoos. */
@Command(name = "zoo", mixinStandardHelpOptions = true, description = "Build and inspect model zoos.",
        subcommands = {ZooBuildJob.class, ZooDescribeJob.class, CommandLine.HelpCommand.class})
final class ZooCommand implements Runnable {
    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
