package kg.neo4j;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.graphdb.QueryExecutionException;
import org.neo4j.harness.Neo4j;
import org.neo4j.harness.Neo4jBuilders;

/**
 * Neo4j 5 Community in this process, through Neo4j's test harness: Bolt (and HTTP) on
 * 127.0.0.1, authentication on with the password in NEO4J_PASSWORD, data kept in the
 * directory given, so that a restart finds the graph a kill left behind.
 *
 * <p>Usage: LocalNeo4j DATA_DIR BOLT_PORT HTTP_PORT. Prints one "ready" line when Bolt
 * answers; SIGTERM stops the database cleanly.
 */
public final class LocalNeo4j {
  private LocalNeo4j() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      System.err.println("usage: LocalNeo4j DATA_DIR BOLT_PORT HTTP_PORT");
      System.exit(2);
    }
    String password = System.getenv("NEO4J_PASSWORD");
    if (password == null || password.length() < 8) {
      System.err.println("NEO4J_PASSWORD must be set, at least 8 characters");
      System.exit(2);
    }
    Path dataDir = Path.of(args[0]).toAbsolutePath();
    int boltPort = Integer.parseInt(args[1]);
    int httpPort = Integer.parseInt(args[2]);
    Path home = dataDir.resolve("home");
    Files.createDirectories(home);

    Neo4j neo4j =
        Neo4jBuilders.newInProcessBuilder(home)
            .withConfig(GraphDatabaseSettings.data_directory, dataDir.resolve("data"))
            .withConfig(GraphDatabaseSettings.auth_enabled, true)
            .withConfig(GraphDatabaseSettings.pagecache_memory, 256L * 1024 * 1024)
            .withConfig(BoltConnector.enabled, true)
            .withConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", boltPort))
            .withConfig(
                BoltConnector.advertised_address, new SocketAddress("127.0.0.1", boltPort))
            .withConfig(HttpConnector.enabled, true)
            .withConfig(HttpConnector.listen_address, new SocketAddress("127.0.0.1", httpPort))
            .withConfig(
                HttpConnector.advertised_address, new SocketAddress("127.0.0.1", httpPort))
            .build();
    try {
      setPassword(neo4j, password);
    } catch (RuntimeException e) {
      System.out.println("failed: " + e.getMessage());
      neo4j.close();
      System.exit(1);
    }

    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  neo4j.close();
                  stopped.countDown();
                }));
    System.out.println("ready " + neo4j.boltURI() + " " + neo4j.httpURI());
    System.out.flush();
    stopped.await();
  }

  /** The default user gets the password given; a restart finds it already set. */
  private static void setPassword(Neo4j neo4j, String password) {
    try {
      neo4j
          .databaseManagementService()
          .database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME)
          .executeTransactionally(
              "ALTER USER neo4j SET PASSWORD $password CHANGE NOT REQUIRED",
              Map.of("password", password));
    } catch (QueryExecutionException e) {
      if (!e.getMessage().contains("cannot be the same")) {
        throw e;
      }
    }
  }
}
