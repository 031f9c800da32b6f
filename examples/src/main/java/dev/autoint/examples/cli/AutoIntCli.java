package dev.autoint.examples.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code autoint} command-line tool: train, compare, tune, predict, evaluate, recommend, recommend-all, serve,
 * download.
 * Exit codes: 0 success, 1 unexpected failure, 2 bad arguments or data, 3 missing input, 4 damaged or
 * incompatible bundle, 5 training diverged (the best epoch so far, if any, is saved; tune: every trial diverged).
 */
@Command(name = "autoint", mixinStandardHelpOptions = true, version = "autoint 0.1.0-SNAPSHOT",
        description = "Train, score, evaluate and recommend with AutoInt / AutoInt+ CTR models on MovieLens or any delimited file.",
        footer = {"", "Exit codes: 0 success, 1 unexpected failure, 2 bad arguments or data, 3 missing input,",
            "4 damaged or incompatible bundle, 5 training diverged (the best epoch so far is saved when there is one)."},
        subcommands = {TrainCommand.class, CompareCommand.class, TuneCommand.class, PredictCommand.class,
            EvaluateCommand.class, RecommendCommand.class, RecommendAllCommand.class, ServeCommand.class,
            DownloadCommand.class})
public final class AutoIntCli {

    private AutoIntCli() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the tool and returns its exit code (tests call this instead of {@link #main}). */
    public static int run(String... args) {
        System.setProperty("java.awt.headless", "true"); // charts render off-screen
        CommandLine cl = new CommandLine(new AutoIntCli());
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof CliException ce) {
                cmd.getErr().println("autoint: " + ce.getMessage());
                return ce.exitCode;
            }
            if (e instanceof IOException || e instanceof UncheckedIOException) {
                cmd.getErr().println("autoint: " + e.getMessage());
                return 3;
            }
            if (e instanceof IllegalArgumentException) {
                cmd.getErr().println("autoint: " + e.getMessage());
                return 2;
            }
            throw e;
        });
        return cl.execute(args);
    }
}
