#!/usr/bin/env python3
"""A fault-injecting IP relay between network namespaces (Python 3, standard library only).

    relay.py --nodes 4 --control RULES.json [--prefix cnf] [--subnet 10.77.0] [--seed N]

Creates namespaces PREFIX1..PREFIXn, each holding one TUN device with the address SUBNET.i/24,
and forwards every IPv4 packet a namespace sends to 10.77.0.j into namespace j's TUN, after the
rules of the link i -> j: the kernel's netem is not available on the CI machine, so delay,
jitter, loss, reordering and partitions are applied here, in user space. Needs root. The
namespaces are deleted when the relay exits (SIGTERM, SIGINT or end of input).

RULES.json is re-read whenever it changes (replace it with a rename to change it atomically):

    {"default":    {"delay_ms": 100, "jitter_ms": 20, "loss": 0.02,
                    "reorder": 0.01, "reorder_ms": 50},
     "links":      [{"from": [2], "to": [1, 3], "delay_ms": 300}],
     "partitions": [[1, 2, 3], [4]],
     "cuts":       [{"from": [1], "to": [2]}]}

Every field is optional. "links" override the default for the links they name (a missing
"from" or "to" means every node); "partitions" lets a packet through only between nodes of one
group (a node in no group is cut off from all); "cuts" drop one direction only. A packet held
back for reordering waits reorder_ms more, so the packets sent after it overtake it. Each
directed link draws from its own random stream seeded from --seed and the link, so the same
seed makes the same decisions for the same sequence of packets on a link.

Prints "ready" on stdout once every namespace is up; with --stats FILE it rewrites FILE every
second with the packets forwarded and dropped per link.
"""

import argparse
import fcntl
import heapq
import json
import os
import random
import select
import signal
import struct
import subprocess
import sys
import time

TUNSETIFF = 0x400454CA
IFF_TUN = 0x0001
IFF_NO_PI = 0x1000
LINK_FIELDS = {"delay_ms": 0.0, "jitter_ms": 0.0, "loss": 0.0, "reorder": 0.0,
               "reorder_ms": 50.0}


def fail(message):
    print("relay: " + message, file=sys.stderr)
    sys.exit(2)


def ip(*args):
    result = subprocess.run(["ip", *args], capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError("ip " + " ".join(args) + " failed: " + result.stderr.strip())


class Rules:
    """The parsed rules file: what happens to a packet on each directed link."""

    def __init__(self, text, nodes):
        spec = json.loads(text) if text.strip() else {}
        unknown = set(spec) - {"default", "links", "partitions", "cuts"}
        if unknown:
            raise ValueError("unknown fields " + ", ".join(sorted(unknown))
                             + " (expected default, links, partitions, cuts)")
        everyone = list(range(1, nodes + 1))
        default = self._link(spec.get("default", {}), LINK_FIELDS)
        self.link = {(a, b): dict(default) for a in everyone for b in everyone if a != b}
        for override in spec.get("links", []):
            for a in override.get("from", everyone):
                for b in override.get("to", everyone):
                    if a != b:
                        self.link[(a, b)] = self._link(override, self.link[(a, b)])
        self.blocked = set()
        partitions = spec.get("partitions", [])
        if partitions:
            group = {n: g for g, members in enumerate(partitions) for n in members}
            for a, b in self.link:
                if group.get(a, -1 - a) != group.get(b, -1 - b):
                    self.blocked.add((a, b))
        for cut in spec.get("cuts", []):
            for a in cut.get("from", everyone):
                for b in cut.get("to", everyone):
                    if a != b:
                        self.blocked.add((a, b))

    @staticmethod
    def _link(spec, base):
        link = dict(base)
        for field in LINK_FIELDS:
            if field in spec:
                link[field] = float(spec[field])
        if not 0 <= link["loss"] <= 1 or not 0 <= link["reorder"] <= 1:
            raise ValueError("loss and reorder are probabilities, from 0 to 1")
        return link


class Relay:
    def __init__(self, args):
        self.args = args
        self.namespaces = []
        self.tun = {}  # node number -> TUN file descriptor
        self.rules = None
        self.rules_stamp = None
        self.queue = []  # (due time, sequence, destination, packet)
        self.sequence = 0
        self.random = {}
        self.stats = {}

    def setup(self):
        existing = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True)
        taken = {line.split()[0] for line in existing.stdout.splitlines() if line.strip()}
        names = [self.args.prefix + str(i) for i in range(1, self.args.nodes + 1)]
        clash = [n for n in names if n in taken]
        if clash:
            fail("network namespace " + ", ".join(clash) + " exists already: another relay runs"
                 " or one was killed before its cleanup; delete it with 'ip netns del NAME'"
                 " or pick another --prefix")
        for i, name in enumerate(names, start=1):
            ip("netns", "add", name)
            self.namespaces.append(name)
            ip("-n", name, "link", "set", "lo", "up")
            device = self.args.prefix + "tun" + str(i)
            fd = os.open("/dev/net/tun", os.O_RDWR | os.O_NONBLOCK)
            fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", device.encode(), IFF_TUN | IFF_NO_PI))
            self.tun[i] = fd
            # The device moves; the descriptor keeps reading and writing its packets.
            ip("link", "set", device, "netns", name)
            ip("-n", name, "addr", "add", self.address(i) + "/24", "dev", device)
            ip("-n", name, "link", "set", device, "up")
            for a in range(1, self.args.nodes + 1):
                for b in range(1, self.args.nodes + 1):
                    if a != b:
                        self.random[(a, b)] = random.Random(f"{self.args.seed}:{a}->{b}")
                        self.stats[(a, b)] = {"forwarded": 0, "lost": 0, "blocked": 0,
                                              "reordered": 0}

    def address(self, node):
        return self.args.subnet + "." + str(node)

    def cleanup(self):
        for fd in self.tun.values():
            os.close(fd)
        self.tun = {}
        for name in self.namespaces:
            try:
                ip("netns", "del", name)
            except RuntimeError as e:
                print("relay: " + str(e), file=sys.stderr)
        self.namespaces = []

    def reload_rules(self):
        try:
            info = os.stat(self.args.control)
            stamp = (info.st_mtime_ns, info.st_ino, info.st_size)
        except FileNotFoundError:
            stamp = None
        if self.rules is not None and stamp == self.rules_stamp:
            return
        text = ""
        if stamp is not None:
            with open(self.args.control) as f:
                text = f.read()
        try:
            self.rules = Rules(text, self.args.nodes)
        except (ValueError, TypeError, KeyError) as e:
            # Keep the rules in force: a half-written file must not lift a partition.
            print(f"relay: ignoring {self.args.control}: {e}", file=sys.stderr, flush=True)
        else:
            print("relay: rules " + (" ".join(text.split()) or "(none)"), file=sys.stderr,
                  flush=True)
        self.rules_stamp = stamp

    def receive(self, source, packet, now):
        if len(packet) < 20 or packet[0] >> 4 != 4:
            return  # IPv6 and the like: the nodes speak IPv4 only
        destination_address = packet[16:20]
        prefix = bytes(int(x) for x in self.args.subnet.split("."))
        if destination_address[:3] != prefix:
            return
        destination = destination_address[3]
        link = (source, destination)
        if destination not in self.tun or destination == source:
            return
        stats = self.stats[link]
        if link in self.rules.blocked:
            stats["blocked"] += 1
            return
        rule = self.rules.link[link]
        draw = self.random[link]
        # Three draws per packet whatever the rules, so a rule change does not shift the stream.
        lose, jitter, hold = draw.random(), draw.uniform(-1, 1), draw.random()
        if lose < rule["loss"]:
            stats["lost"] += 1
            return
        delay = max(0.0, rule["delay_ms"] + jitter * rule["jitter_ms"])
        if hold < rule["reorder"]:
            delay += rule["reorder_ms"]
            stats["reordered"] += 1
        stats["forwarded"] += 1
        self.sequence += 1
        heapq.heappush(self.queue, (now + delay / 1000, self.sequence, destination, packet))

    def deliver(self, now):
        while self.queue and self.queue[0][0] <= now:
            _, _, destination, packet = heapq.heappop(self.queue)
            try:
                os.write(self.tun[destination], packet)
            except BlockingIOError:
                pass  # the namespace's queue is full: the packet is lost, as on a wire

    def write_stats(self):
        if not self.args.stats:
            return
        lines = {f"{a}->{b}": s for (a, b), s in sorted(self.stats.items())}
        temporary = self.args.stats + ".tmp"
        with open(temporary, "w") as f:
            json.dump(lines, f, indent=1)
        os.replace(temporary, self.args.stats)

    def run(self):
        self.reload_rules()
        if self.rules is None:
            fail("the rules in " + self.args.control + " do not parse; fix them and start again")
        print("ready", flush=True)
        source_of = {fd: node for node, fd in self.tun.items()}
        poller = select.poll()
        for fd in source_of:
            poller.register(fd, select.POLLIN)
        next_check = next_stats = 0.0
        while True:
            now = time.monotonic()
            if now >= next_check:
                self.reload_rules()
                next_check = now + 0.05
            if now >= next_stats:
                self.write_stats()
                next_stats = now + 1
            self.deliver(now)
            wait = min(next_check, self.queue[0][0] if self.queue else next_check) - now
            for fd, _ in poller.poll(max(0.0, wait) * 1000):
                now = time.monotonic()
                while True:
                    try:
                        packet = os.read(fd, 65536)
                    except BlockingIOError:
                        break
                    self.receive(source_of[fd], packet, now)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--nodes", type=int, required=True, help="namespaces to create")
    parser.add_argument("--control", required=True, help="the rules file, re-read on change")
    parser.add_argument("--prefix", default="cnf", help="namespace name prefix (default cnf)")
    parser.add_argument("--subnet", default="10.77.0", help="the /24 the nodes get addresses in")
    parser.add_argument("--seed", type=int, default=1, help="seeds every link's random stream")
    parser.add_argument("--stats", help="file to rewrite every second with per-link counters")
    args = parser.parse_args()
    if not 1 <= args.nodes <= 250:
        fail("--nodes must be from 1 to 250")
    if len(args.prefix + "tun" + str(args.nodes)) > 15:
        fail("--prefix " + args.prefix + " is too long: the TUN device names (PREFIX + 'tun' +"
             " number) must fit Linux's 15 characters")
    if os.geteuid() != 0:
        fail("needs root (it creates network namespaces and TUN devices); run it with sudo")
    if not os.path.exists("/dev/net/tun"):
        fail("/dev/net/tun is missing: load the tun module (modprobe tun)")
    relay = Relay(args)

    def stop(signum, frame):
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        relay.setup()
        relay.run()
    except RuntimeError as e:
        fail(str(e))
    finally:
        relay.cleanup()


if __name__ == "__main__":
    main()
