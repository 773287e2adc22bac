package org.tfmnist.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The accounting both protocols share: reservations add up against one limit, a refusal reserves
 * nothing, closing gives everything back once, and a closed reservation takes nothing more (so a
 * late charge after a call ended cannot leak).
 */
@Tag("unit")
class BodyBudgetTest {
  @Test
  void reservationsShareOneLimitAndGiveBackOnClose() throws Exception {
    BodyBudget budget = new BodyBudget(10L << 20);
    BodyBudget.Reservation rest = budget.open();
    BodyBudget.Reservation grpc = budget.open();
    rest.grow(4L << 20);
    assertTrue(grpc.tryGrow(6L << 20));
    assertEquals(10L << 20, budget.used());
    assertFalse(grpc.tryGrow(1), "past the limit");
    ApiException e = assertThrows(ApiException.class, () -> rest.grow(1));
    assertEquals(429, e.status, "TF Serving answers RESOURCE_EXHAUSTED with 429");
    assertEquals(
        "the server is busy: request bodies in flight hold 10 MiB of 10 MiB; try again later",
        e.getMessage());
    assertEquals(6L << 20, grpc.held(), "a refusal reserves nothing");
    grpc.close();
    grpc.close();
    assertEquals(4L << 20, budget.used(), "closing twice gives back once");
    assertFalse(grpc.tryGrow(1), "a closed reservation takes nothing more");
    assertEquals(4L << 20, budget.used());
    rest.close();
    assertEquals(0, budget.used());
  }
}
