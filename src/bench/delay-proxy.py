#!/usr/bin/env python3
"""A TCP proxy that makes a server on this machine look some milliseconds away.

    delay-proxy.py LISTEN_PORT UPSTREAM_PORT [--delay-ms 10] [--port-file FILE]

Accepts connections on 127.0.0.1:LISTEN_PORT (0: any free port, written to FILE) and connects
each to 127.0.0.1:UPSTREAM_PORT. Every chunk read from either side is written to the other side
DELAY ms after it arrived, in order: a latency of DELAY each way (a round trip of 2 * DELAY),
not a bandwidth limit, so a large pack arrives DELAY later rather than slower. Half-closes are
passed on after the data before them. Runs until killed.
"""
import argparse
import asyncio
import collections
import sys


async def pump(reader, writer, delay):
    """Copies reader to writer, each chunk delayed by `delay` seconds from its arrival."""
    loop = asyncio.get_running_loop()
    queue = collections.deque()
    ready = asyncio.Event()
    done = False

    async def read():
        nonlocal done
        try:
            while True:
                data = await reader.read(65536)
                queue.append((loop.time() + delay, data))
                ready.set()
                if not data:
                    return
        except (ConnectionError, OSError):
            queue.append((loop.time() + delay, b""))
            ready.set()
        finally:
            done = True

    reading = asyncio.ensure_future(read())
    try:
        while True:
            while not queue:
                ready.clear()
                await ready.wait()
            due, data = queue.popleft()
            wait = due - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
            if not data:
                if writer.can_write_eof():
                    writer.write_eof()
                return
            writer.write(data)
            await writer.drain()
    except (ConnectionError, OSError):
        reading.cancel()
    finally:
        await asyncio.gather(reading, return_exceptions=True)


async def handle(client_reader, client_writer, upstream, delay):
    try:
        server_reader, server_writer = await asyncio.open_connection("127.0.0.1", upstream)
    except OSError:
        client_writer.close()
        return
    await asyncio.gather(pump(client_reader, server_writer, delay),
                         pump(server_reader, client_writer, delay), return_exceptions=True)
    for w in (client_writer, server_writer):
        try:
            w.close()
        except OSError:
            pass


async def main(args):
    delay = args.delay_ms / 1000.0
    server = await asyncio.start_server(
        lambda r, w: handle(r, w, args.upstream_port, delay), "127.0.0.1", args.listen_port, backlog=256)
    port = server.sockets[0].getsockname()[1]
    if args.port_file:
        with open(args.port_file + ".tmp", "w") as fh:
            fh.write(f"{port}\n")
        import os
        os.replace(args.port_file + ".tmp", args.port_file)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("listen_port", type=int)
    p.add_argument("upstream_port", type=int)
    p.add_argument("--delay-ms", type=float, default=10.0)
    p.add_argument("--port-file")
    try:
        asyncio.run(main(p.parse_args()))
    except KeyboardInterrupt:
        sys.exit(0)
