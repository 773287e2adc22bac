package org.tfmnist.serving.http;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** Writes complete responses: a status, a content type and a body, in one write. */
final class Responses {
  static final Gson GSON =
      new GsonBuilder().disableHtmlEscaping().serializeSpecialFloatingPointValues().create();

  private Responses() {}

  static void json(Response response, Callback callback, int status, JsonObject body) {
    send(response, callback, status, "application/json", GSON.toJson(body));
  }

  /** TF Serving's error body {@code {"error": message}}. */
  static void error(Response response, Callback callback, int status, String message) {
    json(response, callback, status, RestApi.error(message));
  }

  static void send(Response response, Callback callback, int status, String type, String body) {
    send(response, callback, status, type, body.getBytes(StandardCharsets.UTF_8));
  }

  static void send(Response response, Callback callback, int status, String type, byte[] body) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
    response.write(true, ByteBuffer.wrap(body), callback);
  }
}
