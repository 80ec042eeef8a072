package dev.synedge.origin;

/** The content types the origin sends, with their field lines pre-encoded. */
enum ContentType {
    TEXT("text/plain"),
    TEXT_UTF8("text/plain; charset=utf-8"),
    OCTET_STREAM("application/octet-stream"),
    JSON("application/json");

    /** {@code Content-Type: ...\r\n}. */
    final byte[] line;

    ContentType(String value) {
        line = HeadEncoder.ascii("Content-Type: " + value + "\r\n");
    }
}
