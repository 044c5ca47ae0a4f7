package dev.euclid.server;

/**
 * A request the server answers with an error status and OpenAI's error object
 * ({@code {"error":{"message","type","param","code"}}}).
 */
final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    final int status;
    final String type;
    final String param;
    final String code;

    ApiException(int status, String type, String message, String param, String code) {
        super(message);
        this.status = status;
        this.type = type;
        this.param = param;
        this.code = code;
    }

    /** 400: the request is malformed or asks for something this server cannot do; {@code param} names the field. */
    static ApiException invalid(String param, String message) {
        return new ApiException(400, "invalid_request_error", message, param, null);
    }

    static ApiException invalid(String param, String message, String code) {
        return new ApiException(400, "invalid_request_error", message, param, code);
    }
}
