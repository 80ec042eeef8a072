package dev.synedge.origin;

/** What a request path names. */
enum Endpoint { HELLO, SIZED, ECHO, UPLOAD, STATS, WEBSOCKET, NOT_FOUND }
