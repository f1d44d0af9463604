#!/usr/bin/env python3
"""Four validators in four network namespaces, faults between them from relay.py, under load.

    ./chorus netfault [--quick] [--seed N] [--keep]      (as root; ./chorus test runs --quick)

Lays out a network of 4 validators (chorus init), starts relay.py (namespaces cnfPID-1..4,
addresses 10.77.0.1-4), starts member i as 'chorus node' inside namespace i+1, listening on and
dialing the 10.77.0.x addresses so every consensus and sync packet crosses the relay, sends a
steady load of notarizations to node0, and checks in turn:

  a. with 100 ms +- 20 ms delay and 2 % loss on every link the chain keeps finalizing;
  b. node1 SLOW_EXTRA_MS slower each way: the others' block rate stays above SLOW_FLOOR of the
     rate in (a);
  c. node3 cut off from the others (a minority): the three finalize on, node3 makes no block
     and does not fork; after the heal node3 reaches the others' head within HEAL_MINORITY_S;
  d. a 2/2 partition: no block anywhere and no fork; after the heal blocks resume on all four
     within HEAL_SPLIT_S;
  e. node3 cut one way (it hears the others, they do not hear it) and 5 % of packets held back
     50 ms: the three finalize on, no fork; healed, node3 has their head within HEAL_MINORITY_S;
  f. node2 restarted with its clock CLOCK_OFF_S ahead, then CLOCK_OFF_S behind (faketime): the
     chain finalizes on, node2 keeps up with it, no fork, every block stamped above its parent
     and no block more than FUTURE_SECONDS_MAX ahead of the true time.

The delay and loss of (a) stay on through (b) to (f). Each RPC query runs curl inside the
member's namespace (its RPC listens on that namespace's loopback). --quick is the bounded run
for CI (~4.5 min); the default watches each phase longer. Exits non-zero with the reason on the
first failed check, keeping the work directory (logs, relay stats) for a look.
"""

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RELAY = os.path.join(ROOT, "e2e", "netfault", "relay.py")
MEMBERS = 4
# Namespaces cnfPID-1..4: two runs at once on one machine (CI beside a developer) do not clash.
PREFIX = "cnf" + str(os.getpid()) + "-"
SUBNET = "10.77.0"
RPC_PORT = 8545  # each namespace has its own loopback: no clash with anything outside
P2P_PORT = 30303
IMPAIRED = {"delay_ms": 100, "jitter_ms": 20, "loss": 0.02}
GRACE_S = 3  # a block whose commit was under way when a partition began may still land
HEAL_MINORITY_S = 30
HEAL_SPLIT_S = 60
LOAD_ROUND = 400  # transactions per 'bench load' round
# One validator 200 ms slower each way: a quorum of 3 of 4 needs none of its votes, so the
# others' block rate must stay above this share of the rate without it.
SLOW_EXTRA_MS = 200
SLOW_FLOOR = 0.6
# A validator's clock off by this much, either way (io.chorus.chain.BlockTime: proposals stamped
# up to FUTURE_SECONDS_MAX ahead of a validator's clock are accepted).
CLOCK_OFF_S = 10
FUTURE_SECONDS_MAX = 15


class Failed(Exception):
    pass


def log(message):
    print(time.strftime("%H:%M:%S ") + "netfault: " + message, flush=True)


class Network:
    def __init__(self, work, seed):
        self.work = work
        self.seed = seed
        self.rules_file = os.path.join(work, "rules.json")
        self.stats_file = os.path.join(work, "relay-stats.json")
        self.relay = None
        self.nodes = {}
        self.load = None
        self.stopping = threading.Event()
        self.java = self.find_java()

    @staticmethod
    def find_java():
        home = os.environ.get("JAVA_HOME")
        java = os.path.join(home, "bin", "java") if home else shutil.which("java")
        if not java or not os.access(java, os.X_OK):
            raise Failed("no java: set JAVA_HOME to a JDK 21+ (the one ./chorus builds with)")
        return java

    def chorus(self, namespace, *args):
        """The command line of the CLI, run inside a namespace when one is named."""
        jvm = [self.java, "--enable-native-access=ALL-UNNAMED", "-XX:TieredStopAtLevel=1",
               "-XX:+UseSerialGC", "-cp", os.path.join(ROOT, "cli", "target", "lib", "*"),
               "io.chorus.cli.Chorus", *args]
        return (["ip", "netns", "exec", namespace] if namespace else []) + jvm

    def rules(self, **spec):
        """Replaces the relay's rules in one rename, so it never reads half a file."""
        temporary = self.rules_file + ".tmp"
        with open(temporary, "w") as f:
            json.dump(spec, f)
        os.replace(temporary, self.rules_file)
        time.sleep(0.2)  # the relay looks every 50 ms

    def start(self):
        net = os.path.join(self.work, "net")
        subprocess.run(self.chorus(None, "init", "--validators", str(MEMBERS), "--dir", net,
                                   "--accounts", "4", "--block-interval-ms", "500"),
                       check=True, stdout=subprocess.DEVNULL)
        with open(os.path.join(net, "network.json")) as f:
            members = json.load(f)["members"]
        self.rules()
        self.relay = subprocess.Popen(
            [sys.executable, RELAY, "--nodes", str(MEMBERS), "--prefix", PREFIX, "--subnet",
             SUBNET, "--control", self.rules_file, "--seed", str(self.seed), "--stats",
             self.stats_file], stdout=subprocess.PIPE,
            stderr=open(os.path.join(self.work, "relay.log"), "w"), text=True)
        if self.relay.stdout.readline().strip() != "ready":
            raise Failed("the relay did not start: see " + self.work + "/relay.log")
        self.node_dirs = [os.path.join(net, member["dir"]) for member in members]
        for i in range(MEMBERS):
            self.start_node(i)
        self.await_rpc(range(MEMBERS), 180)
        self.load = threading.Thread(target=self.send_load, daemon=True)
        self.load.start()
        # The load's JVM signs a round before it sends: the steps start once transactions land.
        deadline, looked = time.monotonic() + 180, 0
        while True:
            head = self.head(0)[0]
            if any(int(self.rpc(0, "eth_getBlockTransactionCountByNumber", [hex(n)]), 16)
                   for n in range(looked + 1, head + 1)):
                break
            if time.monotonic() > deadline:
                raise Failed("no transaction of the load was finalized within 180 s (load.log)")
            looked = head
            time.sleep(1)

    def start_node(self, i, clock_offset_s=0):
        """Member i in its namespace; with an offset its wall clock is moved (libfaketime), while
        its monotonic clock, which timers use, is left true."""
        node_dir = self.node_dirs[i]
        args = ["node", "--dir", node_dir, "--rpc-host", "127.0.0.1", "--rpc-port",
                str(RPC_PORT), "--p2p-host", self.address(i), "--p2p-port", str(P2P_PORT)]
        for j in range(MEMBERS):
            if j != i:
                args += ["--peer", self.address(j) + ":" + str(P2P_PORT)]
        password = os.path.join(node_dir, "keystore.password")
        if os.path.exists(password):
            args += ["--keystore-password-file", password]
        command = self.chorus(None, *args)
        if clock_offset_s:
            command = ["faketime", "-f", f"{clock_offset_s:+d}s"] + command
        command = ["ip", "netns", "exec", self.namespace(i)] + command
        # Monotonic time left true, and libfaketime's fix-up of timed waits on it off: with it
        # on, a JVM started ten times slower (timed waits overslept).
        env = dict(os.environ, FAKETIME_DONT_FAKE_MONOTONIC="1", FAKETIME_FORCE_MONOTONIC_FIX="0")
        out = open(os.path.join(node_dir, "netfault-node.log"), "a")
        # A session of its own: faketime runs the node as its child, and stopping the member
        # must stop both.
        self.nodes[i] = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env,
                                         start_new_session=True)

    def stop_node(self, i):
        """Stops member i and waits until none of its processes is left (its store is closed)."""
        node = self.nodes[i]
        os.killpg(node.pid, signal.SIGTERM)
        deadline = time.monotonic() + 20
        while node.poll() is None or self.group_alive(node.pid):  # poll reaps the leader
            if time.monotonic() > deadline:
                os.killpg(node.pid, signal.SIGKILL)
                deadline = float("inf")
            time.sleep(0.2)
        node.wait()

    @staticmethod
    def group_alive(group):
        try:
            os.killpg(group, 0)
            return True
        except ProcessLookupError:
            return False

    def await_rpc(self, members, seconds):
        deadline = time.monotonic() + seconds
        while not all(self.head(i) for i in members):
            for i in members:
                if self.nodes[i].poll() is not None:
                    raise Failed(f"node{i} exited with {self.nodes[i].returncode}: see its"
                                 f" netfault-node.log")
            if time.monotonic() > deadline:
                raise Failed(f"node(s) {list(members)} did not answer RPC within {seconds} s")
            time.sleep(1)

    def send_load(self):
        """'bench load' signs all its transactions before sending: run it in rounds until stop."""
        with open(os.path.join(self.work, "load.log"), "w") as out:
            while not self.stopping.is_set():
                round_ = subprocess.Popen(
                    self.chorus(self.namespace(0), "bench", "load", "--url",
                                f"http://127.0.0.1:{RPC_PORT}", "--n", str(LOAD_ROUND),
                                "--accounts", "4", "--window", "4", "--timeout", "120"),
                    stdout=out, stderr=subprocess.STDOUT)
                while round_.poll() is None:
                    if self.stopping.wait(0.5):
                        round_.terminate()
                round_.wait()

    def stop(self):
        self.stopping.set()
        if self.load:
            self.load.join(30)
        for i, p in self.nodes.items():
            if p.poll() is None:
                self.stop_node(i)
        if self.relay and self.relay.poll() is None:
            self.relay.send_signal(signal.SIGTERM)  # it deletes the namespaces on its way out
            self.relay.wait(20)

    @staticmethod
    def namespace(i):
        return PREFIX + str(i + 1)

    @staticmethod
    def address(i):
        return SUBNET + "." + str(i + 1)

    def rpc(self, i, method, params):
        body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": params})
        result = subprocess.run(
            ["ip", "netns", "exec", self.namespace(i), "curl", "-s", "-m", "5", "-H",
             "content-type: application/json", "--data", body,
             f"http://127.0.0.1:{RPC_PORT}"], capture_output=True, text=True)
        if result.returncode != 0 or not result.stdout:
            return None
        return json.loads(result.stdout).get("result")

    def head(self, i):
        """(number, hash) of member i's latest block, or None while it does not answer."""
        block = self.rpc(i, "eth_getBlockByNumber", ["latest", False])
        return (int(block["number"], 16), block["hash"]) if block else None

    def heads(self):
        heads = [self.head(i) for i in range(MEMBERS)]
        for i, h in enumerate(heads):
            if h is None:
                raise Failed(f"node{i} does not answer RPC: see its netfault-node.log")
        return heads

    def hash_at(self, i, number):
        block = self.rpc(i, "eth_getBlockByNumber", [hex(number), False])
        return block["hash"] if block else None

    def check_no_fork(self, when):
        """Every two members agree at the lower of their heads (a block hash covers its past)."""
        heads = self.heads()
        for i in range(MEMBERS):
            for j in range(i + 1, MEMBERS):
                common = min(heads[i][0], heads[j][0])
                a, b = self.hash_at(i, common), self.hash_at(j, common)
                if a != b:
                    raise Failed(f"FORK {when}: node{i} has {a} at {common}, node{j} has {b}")
        return heads


def impaired(**extra):
    return dict(default=IMPAIRED, **extra)


def phase_impaired(net, watch_s):
    net.rules(**impaired())
    time.sleep(5)  # connections adapt their timers to the new round trip
    before, t0 = net.heads(), time.monotonic()
    time.sleep(watch_s)
    after = net.check_no_fork("under delay and loss")
    elapsed = time.monotonic() - t0
    made = [after[i][0] - before[i][0] for i in range(MEMBERS)]
    rate = min(made) / elapsed
    transactions = sum(int(net.rpc(0, "eth_getBlockTransactionCountByNumber", [hex(n)]), 16)
                    for n in range(before[0][0] + 1, after[0][0] + 1))
    log(f"(a) 100 +- 20 ms, 2 % loss on every link: {made} blocks in {elapsed:.0f} s on node0-3,"
        f" {rate:.2f} blocks/s on the slowest, {transactions} transactions in node0's")
    if transactions == 0:
        raise Failed("(a) no transaction was finalized: the load did not get through (load.log)")
    if min(made) < max(3, watch_s // 10):
        raise Failed(f"(a) under delay and loss a member made only {min(made)} blocks in"
                     f" {elapsed:.0f} s (wanted one every 10 s at least)")
    return rate


def phase_slow(net, watch_s, impaired_rate):
    slow = dict(IMPAIRED, delay_ms=IMPAIRED["delay_ms"] + SLOW_EXTRA_MS)
    net.rules(**impaired(links=[dict(slow, **{"from": [2]}), dict(slow, to=[2])]))
    time.sleep(5)
    before, t0 = net.heads(), time.monotonic()
    time.sleep(watch_s)
    after = net.check_no_fork("with a slow node1")
    elapsed = time.monotonic() - t0
    rate = min(after[i][0] - before[i][0] for i in (0, 2, 3)) / elapsed
    log(f"(b) node1 {SLOW_EXTRA_MS} ms slower each way: {rate:.2f} blocks/s on the slowest of the"
        f" others ({impaired_rate:.2f} without it; bound {SLOW_FLOOR:.0%} of that)")
    if rate < SLOW_FLOOR * impaired_rate:
        raise Failed(f"(b) a validator {SLOW_EXTRA_MS} ms slower took the others from"
                     f" {impaired_rate:.2f} to {rate:.2f} blocks/s, below {SLOW_FLOOR:.0%}")
    return rate


def phase_minority(net, watch_s):
    net.rules(**impaired(partitions=[[1, 2, 3], [4]]))
    time.sleep(GRACE_S)
    cut = net.head(3)
    majority_before = net.head(0)
    t0 = time.monotonic()
    while time.monotonic() - t0 < watch_s:
        time.sleep(1)
        if net.head(3) != cut:
            raise Failed(f"(c) node3, cut off alone, moved from block {cut} to {net.head(3)}")
    majority_made = net.head(0)[0] - majority_before[0]
    net.check_no_fork("with node3 cut off")
    if majority_made < 3:
        raise Failed(f"(c) the three connected members made only {majority_made} blocks in"
                     f" {watch_s} s with node3 cut off")
    net.rules(**impaired())
    healed, target = time.monotonic(), net.head(0)[0]
    while net.head(3)[0] < target:
        if time.monotonic() - healed > HEAL_MINORITY_S:
            raise Failed(f"(c) node3 did not reach block {target} within {HEAL_MINORITY_S} s of"
                         f" the heal (it is at {net.head(3)[0]})")
        time.sleep(0.5)
    caught_up = time.monotonic() - healed
    net.check_no_fork("after node3's heal")
    log(f"(c) node3 cut off {watch_s} s: it stayed at block {cut[0]}, the three made"
        f" {majority_made} blocks; after the heal it reached block {target} in"
        f" {caught_up:.1f} s (bound {HEAL_MINORITY_S} s)")
    return caught_up


def phase_split(net, watch_s):
    net.rules(**impaired(partitions=[[1, 2], [3, 4]]))
    time.sleep(GRACE_S)
    top = max(h[0] for h in net.heads())
    t0 = time.monotonic()
    while time.monotonic() - t0 < watch_s:
        time.sleep(1)
        now = max(h[0] for h in net.check_no_fork("in a 2/2 partition"))
        if now > top:
            raise Failed(f"(d) a block {now} was made in a 2/2 partition (top was {top})")
    net.rules(**impaired())
    healed = time.monotonic()
    while min(h[0] for h in net.heads()) < top + 2:
        if time.monotonic() - healed > HEAL_SPLIT_S:
            raise Failed(f"(d) blocks did not resume on all four within {HEAL_SPLIT_S} s of"
                         f" the heal of a 2/2 partition (heads {net.heads()}, top was {top})")
        time.sleep(0.5)
    resumed = time.monotonic() - healed
    net.check_no_fork("after the 2/2 heal")
    log(f"(d) 2/2 partition {watch_s} s: no block past {top} and no fork; after the heal all four"
        f" had block {top + 2} in {resumed:.1f} s (bound {HEAL_SPLIT_S} s)")
    return resumed


def phase_one_way(net, watch_s):
    """node3 hears everyone but nobody hears it, and 5 % of packets arrive 50 ms late."""
    net.rules(default=dict(IMPAIRED, reorder=0.05, reorder_ms=50), cuts=[{"from": [4]}])
    time.sleep(GRACE_S)
    before = net.heads()
    time.sleep(watch_s)
    after = net.check_no_fork("with node3 mute")
    made = [after[i][0] - before[i][0] for i in range(MEMBERS)]
    if min(made[:3]) < 3:
        raise Failed(f"(e) with node3 mute and packets reordered the others made {made[:3]} blocks"
                     f" in {watch_s} s")
    net.rules(**impaired())
    healed, target = time.monotonic(), max(h[0] for h in after)
    while net.head(3)[0] < target:
        if time.monotonic() - healed > HEAL_MINORITY_S:
            raise Failed(f"(e) node3 did not reach block {target} within {HEAL_MINORITY_S} s of"
                         f" its one-way cut's heal")
        time.sleep(0.5)
    log(f"(e) node3 mute (one-way cut) and 5 % reordered {watch_s} s: blocks made {made};"
        f" after the heal node3 had block {target} in {time.monotonic() - healed:.1f} s")


def phase_clock_off(net, watch_s, offset_s):
    """node2 restarted with its wall clock offset_s off the true time, under delay and loss."""
    restart = time.monotonic()
    net.stop_node(2)
    stopped = time.monotonic()
    net.start_node(2, clock_offset_s=offset_s)
    net.await_rpc([2], 120)
    target = net.head(0)[0]
    while net.head(2)[0] < target:
        if time.monotonic() - stopped > 120:
            raise Failed(f"(f) node2, restarted with its clock {offset_s:+d} s off, did not reach"
                         f" block {target} within 120 s")
        time.sleep(0.5)
    log(f"(f) node2 stopped in {stopped - restart:.1f} s, restarted with its clock {offset_s:+d} s"
        f" off and at the others' head in {time.monotonic() - stopped:.1f} s")
    before, t0, ahead_most = net.heads(), time.monotonic(), None
    # A block is seen after it was made: its lead over the time it is seen is at most its lead
    # when it was made, so a lead seen above the bound is one that was there.
    while time.monotonic() - t0 < watch_s:
        block = net.rpc(0, "eth_getBlockByNumber", ["latest", False])
        ahead = int(block["timestamp"], 16) - time.time()
        if ahead > FUTURE_SECONDS_MAX:
            raise Failed(f"(f) block {int(block['number'], 16)} is stamped {ahead:.1f} s ahead of"
                         f" the true time (bound {FUTURE_SECONDS_MAX} s) with node2's clock"
                         f" {offset_s:+d} s off")
        ahead_most = ahead if ahead_most is None else max(ahead_most, ahead)
        time.sleep(0.5)
    after = net.check_no_fork(f"with node2's clock {offset_s:+d} s off")
    made = [after[i][0] - before[i][0] for i in range(MEMBERS)]
    if min(made) < 3:
        raise Failed(f"(f) with node2's clock {offset_s:+d} s off the members made {made} blocks"
                     f" in {watch_s} s (wanted 3 at least on each, node2 included)")
    node2 = next(v["address"] for v in net.rpc(2, "chorus_validatorHealth", [])["validators"]
                 if v["self"])
    previous = int(net.rpc(0, "eth_getBlockByNumber", [hex(before[0][0]), False])["timestamp"], 16)
    by_node2 = 0
    for number in range(before[0][0] + 1, after[0][0] + 1):
        block = net.rpc(0, "eth_getBlockByNumber", [hex(number), False])
        stamp = int(block["timestamp"], 16)
        if stamp <= previous:
            raise Failed(f"(f) block {number} is stamped {stamp}, not above its parent's {previous}")
        previous = stamp
        by_node2 += block["miner"].lower() == node2.lower()
    log(f"(f) node2's clock {offset_s:+d} s off for {watch_s} s: blocks made {made} ({by_node2}"
        f" proposed by node2), no fork, timestamps rising, the most ahead of the true time {ahead_most:+.0f} s"
        f" (bound {FUTURE_SECONDS_MAX} s)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="the bounded run for CI")
    parser.add_argument("--seed", type=int, default=20261206, help="the relay's seed")
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    args = parser.parse_args()
    if os.geteuid() != 0:
        sys.exit("netfault: needs root (network namespaces); run it with sudo")
    if not shutil.which("faketime"):
        sys.exit("netfault: needs faketime (apt-get install faketime) for the clock phase")
    if not os.path.isdir(os.path.join(ROOT, "cli", "target", "lib")):
        sys.exit("netfault: build first (./chorus --help builds the CLI)")
    watch = 20 if args.quick else 60
    work = tempfile.mkdtemp(prefix="chorus-netfault-")
    net = Network(work, args.seed)
    started = time.monotonic()
    ok = False
    try:
        log(f"work directory {work}, relay seed {args.seed}")
        net.start()
        log("4 members up in namespaces " + ", ".join(net.namespace(i) for i in range(MEMBERS)))
        rate = phase_impaired(net, 2 * watch)
        phase_slow(net, 2 * watch, rate)
        phase_minority(net, watch)
        phase_split(net, watch)
        phase_one_way(net, watch)
        phase_clock_off(net, watch, CLOCK_OFF_S)
        phase_clock_off(net, watch, -CLOCK_OFF_S)
        with open(net.stats_file) as f:
            stats = json.load(f).values()
        sent = sum(s["forwarded"] + s["lost"] + s["blocked"] for s in stats)
        log(f"passed in {time.monotonic() - started:.0f} s; the relay saw {sent} packets, lost"
            f" {sum(s['lost'] for s in stats)}, blocked {sum(s['blocked'] for s in stats)}")
        ok = True
    except Failed as e:
        log("FAILED: " + str(e))
    finally:
        net.stop()
        if ok and not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        else:
            log("logs kept in " + work)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
