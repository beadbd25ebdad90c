package org.hyperrep.tests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Spark standalone cluster on 127.0.0.1 made of separate JVMs: one Master and N Workers started from Spark's own
 * classes, each Worker launching its executors as child JVMs, and applications submitted with
 * {@code deploy/submit-standalone.sh} through a real {@code spark-submit}.
 *
 * <p>The Spark "installation" is a directory laid out like a Spark distribution ({@code jars/}, {@code bin/},
 * {@code conf/}) because Workers build executor command lines from {@code $SPARK_HOME/jars}. Its jars are Spark and
 * the libraries around it from this build's classpath, without DL4J/ND4J and our own classes: those must come from
 * the application jar, as on a real cluster. Daemon logs, executor logs (worker work dirs) and event logs are kept
 * under {@code logs} for diagnosis.
 */
final class StandaloneCluster implements AutoCloseable {
    /** Libraries a Spark distribution does not have: an application that needs them must ship them in its jar. */
    private static final List<String> NOT_IN_SPARK = List.of("/org/deeplearning4j/", "/org/nd4j/", "/org/bytedeco/",
            "/org/datavec/", "/info/picocli/", "/com/typesafe/config/", "/org/knowm/", "/org/duckdb/", "/org/hyperrep/");

    final Path home;
    final Path logs;
    final int masterPort;
    final int webUiPort;
    private Process master;
    private final List<Process> workers = new ArrayList<>();
    private final List<Process> others = new ArrayList<>();

    private StandaloneCluster(Path home, Path logs) throws IOException {
        this.home = home;
        this.logs = logs;
        this.masterPort = freePort();
        this.webUiPort = freePort();
        Runtime.getRuntime().addShutdownHook(new Thread(this::close)); // a killed test JVM leaves no daemons behind
    }

    /** Lays out a Spark home under {@code work}, starts a Master and {@code workers} Workers, waits until all are ALIVE. */
    static StandaloneCluster start(Path work, Path logs, int workers, int coresEach, String memoryEach) throws Exception {
        Files.createDirectories(logs);
        StandaloneCluster c = new StandaloneCluster(sparkHome(work.resolve("spark-home")), logs);
        try {
            c.master = c.daemon("master", "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
                    "--port", String.valueOf(c.masterPort), "--webui-port", String.valueOf(c.webUiPort));
            for (int i = 1; i <= workers; i++) {
                Path workDir = Files.createDirectories(logs.resolve("worker-" + i));
                c.workers.add(c.daemon("worker-" + i, "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1",
                        "--cores", String.valueOf(coresEach), "--memory", memoryEach, "--work-dir", workDir.toString(),
                        "--webui-port", String.valueOf(freePort()), c.masterUrl()));
            }
            c.awaitAliveWorkers(workers, 300);
            return c;
        } catch (Exception | AssertionError e) {
            c.close();
            throw e;
        }
    }

    String masterUrl() {
        return "spark://127.0.0.1:" + masterPort;
    }

    /** The Master's state as its web UI serves it (workers, applications, executors). */
    JsonNode masterState() throws IOException {
        try (InputStream in = URI.create("http://127.0.0.1:" + webUiPort + "/json/").toURL().openStream()) {
            return new ObjectMapper().readTree(in);
        }
    }

    void awaitAliveWorkers(int n, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!master.isAlive()) throw new AssertionError("master died, see " + logs.resolve("master.log"));
            try {
                JsonNode s = masterState();
                last = s.path("status").asText() + ", alive workers " + s.path("aliveworkers").asInt();
                if (s.path("status").asText().equals("ALIVE") && s.path("aliveworkers").asInt() == n) return;
            } catch (IOException notYet) {
                last = notYet.toString();
            }
            Thread.sleep(500);
        }
        throw new AssertionError("cluster not up in " + seconds + " s: " + last + "; logs in " + logs);
    }

    /**
     * Starts {@code deploy/submit-standalone.sh -- <hyperrep args>} against this cluster, output to {@code log}.
     * {@code env} adds or overrides launcher settings (resources, EVENT_LOG_DIR).
     */
    Process submit(Path log, Map<String, String> env, String... hyperrepArgs) throws IOException {
        Path root = Path.of(System.getProperty("hyperrep.root", "..")).toAbsolutePath().normalize();
        List<String> cmd = new ArrayList<>(List.of("bash", root.resolve("deploy/submit-standalone.sh").toString(), "--"));
        cmd.addAll(List.of(hyperrepArgs));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(submitEnvironment());
        pb.environment().putAll(env);
        Process p = pb.start();
        synchronized (others) {
            others.add(p);
        }
        return p;
    }

    /**
     * What {@code deploy/submit-standalone.sh} needs to submit to this cluster: the Spark home, the master, the
     * application jar, and resources that fit 1-core workers. {@link #main} writes it as a shell file for scripts.
     */
    Map<String, String> submitEnvironment() {
        Map<String, String> e = new LinkedHashMap<>();
        e.put("SPARK_HOME", home.toString());
        e.put("SPARK_LOCAL_IP", "127.0.0.1");
        e.put("MASTER_URL", masterUrl());
        e.put("HYPERREP_JAR", distJar().toAbsolutePath().toString());
        e.put("DRIVER_MEMORY", "1g");
        e.put("EXECUTOR_MEMORY", "1g");
        e.put("EXECUTOR_CORES", "1");
        e.put("TASK_CPUS", "1");
        return e;
    }

    /**
     * The cluster for scripts (bench/scaling): {@code StandaloneCluster WORK_DIR WORKERS [CORES_EACH] [MEMORY_EACH]}
     * starts a Master and WORKERS Workers under WORK_DIR (logs in WORK_DIR/logs), writes {@link #submitEnvironment}
     * to WORK_DIR/cluster.env once every Worker is ALIVE, and runs until it is killed (SIGTERM/SIGINT stop every
     * daemon and executor through the shutdown hook). Needs the test classpath and the system properties the
     * failsafe run sets (hyperrep.root, hyperrep.jvm.opens, hyperrep.dist.jar, hyperrep.spark.classpath).
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: StandaloneCluster WORK_DIR WORKERS [CORES_EACH=1] [MEMORY_EACH=2g]");
            System.exit(64);
        }
        Path work = Path.of(args[0]).toAbsolutePath();
        int workers = Integer.parseInt(args[1]);
        int cores = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        String memory = args.length > 3 ? args[3] : "2g";
        Path envFile = work.resolve("cluster.env");
        Files.deleteIfExists(envFile);
        StandaloneCluster c = start(work, work.resolve("logs"), workers, cores, memory);
        StringBuilder sb = new StringBuilder();
        c.submitEnvironment().forEach((k, v) -> sb.append("export ").append(k).append("='").append(v).append("'\n"));
        Path tmp = work.resolve("cluster.env.tmp");
        Files.writeString(tmp, sb.toString());
        Files.move(tmp, envFile, StandardCopyOption.ATOMIC_MOVE); // a reader never sees half a file
        System.out.println("cluster up: " + c.masterUrl() + " with " + workers + " workers; " + envFile);
        Thread.currentThread().join(); // until killed; the shutdown hook tears the cluster down
    }

    /** Kills worker {@code i} (1-based) and every process it started (its executors) with SIGKILL. */
    void killWorker(int i) throws InterruptedException {
        killTree(workers.get(i - 1));
    }

    /** The stderr files of the executors that worker {@code i} launched (app-id/executor-id/stderr). */
    List<Path> executorLogs(int i) throws IOException {
        try (var s = Files.walk(logs.resolve("worker-" + i))) {
            return s.filter(p -> p.getFileName().toString().equals("stderr")).toList();
        }
    }

    static Path distJar() {
        Path jar = Path.of(System.getProperty("hyperrep.dist.jar", "../dist/target/hyperrep-jobs.jar"));
        if (!Files.isRegularFile(jar)) throw new AssertionError("no application jar at " + jar + ": run mvn verify");
        return jar;
    }

    @Override
    public void close() {
        List<Process> all = new ArrayList<>();
        synchronized (others) {
            all.addAll(others);
        }
        all.addAll(workers);
        if (master != null) all.add(master);
        for (Process p : all) {
            try {
                killTree(p);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void killTree(Process p) throws InterruptedException {
        List<ProcessHandle> tree = new ArrayList<>(p.descendants().toList());
        tree.add(p.toHandle());
        tree.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle h : tree) {
            try {
                h.onExit().get(60, TimeUnit.SECONDS);
            } catch (Exception e) {
                if (e instanceof InterruptedException ie) throw ie;
            }
        }
    }

    private Process daemon(String name, String mainClass, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(System.getProperty("java.home") + "/bin/java");
        for (String f : System.getProperty("hyperrep.jvm.opens", "").split(" ")) if (!f.isBlank()) cmd.add(f);
        cmd.add("-Xmx256m");
        cmd.add("-cp");
        cmd.add(home.resolve("conf") + "/:" + home.resolve("jars") + "/*");
        cmd.add(mainClass);
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve(name + ".log").toFile()));
        pb.environment().put("SPARK_HOME", home.toString());
        // A distribution's scripts set this; without it Spark's launcher looks for a source build's directories.
        pb.environment().put("SPARK_SCALA_VERSION", "2.12");
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        return pb.start();
    }

    /** jars/ (symlinks), bin/spark-submit (a stand-in for Spark's script), conf/. */
    private static Path sparkHome(Path home) throws IOException {
        Path jars = Files.createDirectories(home.resolve("jars"));
        Files.createDirectories(home.resolve("conf"));
        Map<String, Path> chosen = new LinkedHashMap<>();
        String provided = Files.readString(Path.of(System.getProperty("hyperrep.spark.classpath",
                "../dist/target/spark-classpath.txt"))).trim();
        String testClasspath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        for (String cp : List.of(provided, testClasspath)) {
            for (String entry : cp.split(File.pathSeparator)) {
                Path jar = Path.of(entry);
                // our own modules' jars (jobs/target/hyperrep-jobs-*.jar at verify) belong to the application too
                if (!entry.endsWith(".jar") || NOT_IN_SPARK.stream().anyMatch(entry::contains)
                        || jar.getFileName().toString().startsWith("hyperrep-")) continue;
                chosen.putIfAbsent(jar.getFileName().toString(), jar);
            }
        }
        for (Map.Entry<String, Path> e : chosen.entrySet()) {
            Files.createSymbolicLink(jars.resolve(e.getKey()), e.getValue().toAbsolutePath());
        }
        Path submit = Files.createDirectories(home.resolve("bin")).resolve("spark-submit");
        try (InputStream in = StandaloneCluster.class.getResourceAsStream("/spark-home/bin/spark-submit")) {
            Files.copy(in, submit, StandardCopyOption.REPLACE_EXISTING);
        }
        submit.toFile().setExecutable(true);
        return home;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }
}
