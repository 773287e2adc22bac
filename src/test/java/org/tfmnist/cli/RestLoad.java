package org.tfmnist.cli;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Concurrent REST clients for a fixed time: each on its own thread posts one body after another
 * (HTTP/1.1, so every client holds its own connection) and waits for the answer; the statuses are
 * counted, and so are requests that got no answer at all.
 */
final class RestLoad {
  /** Answers per HTTP status, requests without an answer, and clients that got a 200. */
  record Result(Map<Integer, Long> byStatus, long noAnswer, int clientsAnswered, String example) {
    long answered() {
      return byStatus.getOrDefault(200, 0L);
    }
  }

  private RestLoad() {}

  /**
   * {@code clients} clients posting {@code bodies} (client i starts at body i) for {@code time}.
   */
  static Result run(String url, List<String> bodies, int clients, Duration time)
      throws InterruptedException {
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(30))
            .build();
    Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
    AtomicLong noAnswer = new AtomicLong();
    AtomicInteger clientsAnswered = new AtomicInteger();
    StringBuffer example = new StringBuffer();
    long end = System.nanoTime() + time.toNanos();
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      int first = c;
      Thread t =
          new Thread(
              () -> {
                boolean answered = false;
                for (int i = first; System.nanoTime() < end; i += clients) {
                  try {
                    HttpResponse<String> r =
                        http.send(
                            HttpRequest.newBuilder(URI.create(url))
                                .POST(
                                    HttpRequest.BodyPublishers.ofString(
                                        bodies.get(i % bodies.size())))
                                .timeout(Duration.ofSeconds(60))
                                .build(),
                            HttpResponse.BodyHandlers.ofString());
                    statuses
                        .computeIfAbsent(r.statusCode(), k -> new AtomicLong())
                        .incrementAndGet();
                    answered |= r.statusCode() == 200;
                    if (r.statusCode() != 200 && example.length() == 0) {
                      example.append(r.statusCode()).append(' ').append(r.body());
                    }
                  } catch (Exception e) {
                    noAnswer.incrementAndGet();
                    if (example.length() == 0) {
                      example.append(e);
                    }
                  }
                }
                if (answered) {
                  clientsAnswered.incrementAndGet();
                }
              },
              "rest-client-" + c);
      t.setDaemon(true);
      t.start();
      threads.add(t);
    }
    for (Thread t : threads) {
      t.join(time.toMillis() + TimeUnit.SECONDS.toMillis(120));
    }
    Map<Integer, Long> byStatus = new TreeMap<>();
    statuses.forEach((k, v) -> byStatus.put(k, v.get()));
    return new Result(byStatus, noAnswer.get(), clientsAnswered.get(), example.toString());
  }
}
