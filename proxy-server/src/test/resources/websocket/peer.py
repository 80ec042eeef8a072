"""A real WebSocket peer for WebSocketEndToEndTest, on Debian's python3-websockets.

  peer.py server          echo server on 127.0.0.1, an ephemeral port; prints "listening PORT"
  peer.py client URL      connects, exchanges text and binary both ways, closes with 1000 "bye"
  peer.py client URL h2c  the same, its handshake also offering h2c (Upgrade, Connection,
                          HTTP2-Settings), which a proxy must not forward

The server greets each connection with a text message, echoes every message as it came (text
or binary), and when the client closes prints the close code and reason it received and the
Upgrade protocols its handshake carried. The client checks every echo byte for byte and prints
how long the closing handshake took: it returns only once the server's close frame came back
and the TCP connection ended, so a close that did not go through the proxy would take its
close_timeout (5 s) instead. Any failure exits non-zero with the reason.
"""
import asyncio
import os
import sys
import time

import websockets


async def serve():
    async def echo(ws, path=None):
        upgrade = ",".join(ws.request_headers.get_all("Upgrade"))
        settings = "HTTP2-Settings" in ws.request_headers
        await ws.send("hello from the server")
        async for message in ws:
            await ws.send(message)
        print(f"server: closed {ws.close_code} {ws.close_reason} upgrade={upgrade} http2-settings={settings}",
              flush=True)

    async with websockets.serve(echo, "127.0.0.1", 0, max_size=None) as server:
        print(f"listening {server.sockets[0].getsockname()[1]}", flush=True)
        await asyncio.Future()


async def client(url, offer_h2c):
    extra = None
    if offer_h2c:
        extra = [("Upgrade", "h2c"), ("Connection", "HTTP2-Settings"),
                 ("HTTP2-Settings", "AAMAAABkAAQCAAAAAAIAAAAA")]
    async with websockets.connect(url, extra_headers=extra, max_size=None, close_timeout=5) as ws:
        greeting = await ws.recv()
        if greeting != "hello from the server":
            sys.exit(f"client: unexpected greeting {greeting!r}")
        text = "text \u00fc\u00f1\u00ef\u00e7\u00f8d\u00e9 " * 2000
        binary = os.urandom(300_000)
        for message in (text, binary, "short", b"\x00\xff"):
            await ws.send(message)
            echo = await ws.recv()
            if echo != message:
                sys.exit(f"client: echo differs for a {type(message).__name__} of {len(message)}")
        print("client: echoes match", flush=True)
        start = time.monotonic()
        await ws.close(1000, "bye")
        millis = (time.monotonic() - start) * 1000
        print(f"client: closed {ws.close_code} {ws.close_reason} in {millis:.0f} ms", flush=True)


if __name__ == "__main__":
    if sys.argv[1] == "server":
        asyncio.run(serve())
    else:
        asyncio.run(client(sys.argv[2], len(sys.argv) > 3 and sys.argv[3] == "h2c"))
