/**
 * The proxy's configuration: {@link dev.synedge.config.ConfigLoader} reads a HOCON file over
 * the built-in {@code reference.conf}, validates it, resolves endpoint hostnames and returns an
 * immutable {@link dev.synedge.config.ProxyConfig} record tree, or throws one
 * {@link dev.synedge.config.ConfigException} listing every problem with file, line and key.
 *
 * <p>Loading is pure: it reads files and asks the resolver, and changes nothing, so a reload
 * can build a new snapshot and swap it in, keeping the old one when loading fails. Call it off
 * the event loops (name resolution blocks).
 *
 * <p>Of Netty it uses only {@code NetUtil} (address literals), of http only the value types,
 * of net only {@code AddressText}, so that a problem names an address as every log line does.
 * Nothing here depends on the routing, listener or upstream code.
 *
 * <p>May use: http, net, Typesafe Config, Netty.
 */
package dev.synedge.config;
