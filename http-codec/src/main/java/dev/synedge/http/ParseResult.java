package dev.synedge.http;

/**
 * Outcome of one call to a head parser or a body decoder: either progress
 * ({@link ParseProgress}) or a refusal ({@link HttpError}). Both are enums, so a result never
 * allocates; callers switch over it exhaustively.
 */
public sealed interface ParseResult permits ParseProgress, HttpError {
}
