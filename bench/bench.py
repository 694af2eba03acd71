#!/usr/bin/env python3
"""bench/bench.py — uppp's benchmark: its data path against the raw ceiling
measured in the same run, the round trip through a session, and the control
plane (session set-ups and teardowns per second, memory per session).
The round trip is measured against its own floor (two raw relays) in the same run,
asleep between packets and polling, as uppp runs by default and with --busy-poll.

Builds its own network namespaces (a client side "g" and a server side "s"
joined by two veth pairs: one for uppp, one for the raw ceiling) and removes them, with every process it started,
whatever happens. Needs root and the tools of a build directory:

    bench/bench.py [--build DIR] [--short] [--json] [--out FILE] [--plots DIR]
                   [--only data,latency,control]

Data path: one session; the forwarder under test runs on CPU 0, the traffic
generator on CPU 1 (bench/gen.c: sendmmsg() at full speed). Upstream, PPPoE
session frames arrive on the veth and the forwarder writes their IP packets
to a TUN; downstream, UDP datagrams are routed into the TUN and the forwarder
sends them as PPPoE frames. The rate is what arrived on the far side (the
TUN's rx counter upstream, the client veth's downstream) over a window, the
median of several windows. The raw ceiling (bench/raw_fwd.c) does the least
such a forwarder can: a TPACKET_V3 ring and write() upstream, read() and
sendmmsg() downstream, with no PPP at all. Raw and uppp stay up side by side
on their own veth pairs and their runs alternate (raw, uppp, raw, uppp ...),
so that a change in the machine's load between runs weighs on both; the
ratio printed is the median of the rounds' ratios.

--short runs every part once and briefly: CI runs it to prove the benchmark
works. It prints figures but asserts nothing about them; the exit status is
non-zero only when a part could not run (no session, a tool failed).
"""
import argparse
import json
import math
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

SIZES = (64, 1400)
SERVER_IP = "10.0.0.1"
PORT = 9


class BenchError(Exception):
    pass


class Run:
    """Namespaces, processes and files of one benchmark run; close() undoes all."""

    def __init__(self, build, cpus):
        self.build = build
        self.tag = "ub%d" % os.getpid()
        self.ns_g = self.tag + "g"
        self.ns_s = self.tag + "s"
        self.if_g = self.tag + "g"   # the client side of the veth
        self.if_s = self.tag + "s"   # the server side
        self.if_g2 = self.tag + "G"  # a second pair, the raw ceiling's, so that both
        self.if_s2 = self.tag + "S"  # forwarders stay up and their runs can alternate
        self.procs = []
        self.tmp = tempfile.mkdtemp(prefix="uppp-bench-")
        self.cpus = cpus
        self.made = []

    # ---- helpers ----
    def sh(self, *cmd, ns=None, check=True):
        full = (["ip", "netns", "exec", ns] if ns else []) + list(cmd)
        r = subprocess.run(full, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        if check and r.returncode != 0:
            raise BenchError("%s: %s" % (" ".join(full), r.stderr.strip() or r.returncode))
        return r.stdout

    def pinned(self, cmd, cpu):
        """cmd on that CPU (cpu None, or a one-CPU machine: as it is)."""
        return (["taskset", "-c", str(cpu)] if cpu is not None and self.cpus > 1 else []) + list(cmd)

    def spawn(self, cmd, ns=None, cpu=None, log=None):
        full = (["ip", "netns", "exec", ns] if ns else []) + self.pinned(cmd, cpu)
        out = open(log, "w") if log else subprocess.DEVNULL
        p = subprocess.Popen(full, stdout=out if log else subprocess.PIPE, stderr=subprocess.STDOUT
                             if log else subprocess.DEVNULL, text=True, start_new_session=True)
        if log:
            out.close()
        self.procs.append(p)
        return p

    def stop(self, p, sig=signal.SIGTERM):
        if p.poll() is None:
            try:
                os.killpg(p.pid, sig)
            except ProcessLookupError:
                pass
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait()
        if p in self.procs:
            self.procs.remove(p)

    def tool(self, name):
        path = os.path.join(self.build, "bench", name)
        if not os.access(path, os.X_OK):
            raise BenchError("%s not built (cmake --build %s)" % (path, self.build))
        return path

    def uppp(self):
        return os.path.join(self.build, "uppp")

    def counter(self, ns, ifname, name):
        return int(self.sh("cat", "/sys/class/net/%s/statistics/%s" % (ifname, name), ns=ns))

    def mac(self, ns, ifname):
        return self.sh("cat", "/sys/class/net/%s/address" % ifname, ns=ns).strip()

    # ---- set-up and tear-down ----
    def setup(self):
        for ns in (self.ns_g, self.ns_s):
            self.sh("ip", "netns", "add", ns)
            self.made.append(ns)
            self.sh("ip", "link", "set", "lo", "up", ns=ns)
        self.sh("ip", "link", "add", self.if_g, "netns", self.ns_g, "type", "veth", "peer", "name", self.if_s,
                "netns", self.ns_s)
        self.sh("ip", "link", "add", self.if_g2, "netns", self.ns_g, "type", "veth", "peer", "name", self.if_s2,
                "netns", self.ns_s)
        for g, s_ in ((self.if_g, self.if_s), (self.if_g2, self.if_s2)):
            self.sh("ip", "link", "set", g, "up", ns=self.ns_g)
            self.sh("ip", "link", "set", s_, "up", ns=self.ns_s)

    def close(self):
        for p in list(self.procs):
            self.stop(p, signal.SIGKILL)
        for ns in self.made:
            subprocess.run(["ip", "netns", "del", ns], stderr=subprocess.DEVNULL)
        if not os.environ.get("BENCH_KEEP"):
            subprocess.run(["rm", "-rf", self.tmp])
        else:
            print("bench: kept " + self.tmp, file=sys.stderr)


def wait_for(pred, what, timeout=60.0):
    """Waits for pred() to be true; the timeout only guards against a hang."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        v = pred()
        if v:
            return v
        time.sleep(0.02)
    raise BenchError("timed out waiting for " + what)


def read_line(p, what, timeout=60.0):
    """The next stdout line of p (a tool that prints when ready)."""
    import selectors
    sel = selectors.DefaultSelector()
    sel.register(p.stdout, selectors.EVENT_READ)
    if not sel.select(timeout):
        raise BenchError("timed out waiting for " + what)
    line = p.stdout.readline()
    if not line:
        raise BenchError("%s: the tool ended (exit %s)" % (what, p.wait()))
    return line.strip()


def cpu_seconds(pid):
    """User + system CPU time of a process so far (s), or None when it is gone."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rate(run, ns, ifname, counter, windows, seconds, warmup, pid=None):
    """Median packets/s arriving on ifname over `windows` windows; with pid, also the
    share of one CPU that process used over the last window (else None)."""
    time.sleep(warmup)
    rates, busy = [], None
    for _ in range(windows):
        t0, c0, p0 = time.monotonic(), run.counter(ns, ifname, counter), cpu_seconds(pid) if pid else None
        time.sleep(seconds)
        t1, c1, p1 = time.monotonic(), run.counter(ns, ifname, counter), cpu_seconds(pid) if pid else None
        rates.append((c1 - c0) / (t1 - t0))
        busy = (p1 - p0) / (t1 - t0) if p0 is not None and p1 is not None else None
    return statistics.median(rates), busy


def rates2(run, a, b, windows, seconds, warmup, pid=None):
    """The same for two counters read in the same windows (both directions); with pid,
    also the share of one CPU that process used over the last window (else None)."""
    time.sleep(warmup)
    ra, rb, busy = [], [], None
    for _ in range(windows):
        t0, p0 = time.monotonic(), cpu_seconds(pid) if pid else None
        a0, b0 = run.counter(*a), run.counter(*b)
        time.sleep(seconds)
        t1, p1 = time.monotonic(), cpu_seconds(pid) if pid else None
        a1, b1 = run.counter(*a), run.counter(*b)
        ra.append((a1 - a0) / (t1 - t0))
        rb.append((b1 - b0) / (t1 - t0))
        busy = (p1 - p0) / (t1 - t0) if p0 is not None and p1 is not None else None
    return statistics.median(ra), statistics.median(rb), busy


# ---- the data path ----

# The raw ceiling's peers: one TUN each way (a TUN has one reader), each the
# route to its own address.
RAW_UP = ("rawup", "10.0.1.2")
RAW_DOWN = ("rawdn", "10.0.2.2")


class Path:
    """One forwarder's side of the data-path benchmark: where its generators
    send and where the forwarded packets are counted. uppp's session has one
    TUN and address both ways; the raw ceiling one each way."""

    def __init__(self, name, if_g, ac_mac, client_mac, sid, up, down, pids):
        self.name, self.if_g, self.ac_mac, self.client_mac, self.sid = name, if_g, ac_mac, client_mac, sid
        (self.tun_up, self.ip_up), (self.tun_down, self.ip_down) = up, down
        self.pids = pids   # the forwarder's process for "up" and "down"


def measure_direction(run, opts, path, direction, size):
    """pps of one direction through path's forwarder, one window after the warm-up, and
    the share of a CPU its forwarding process used meanwhile."""
    gen = run.tool("bench_gen")
    if direction == "up":
        g = run.spawn([gen, "pppoe", path.if_g, path.client_mac, path.ac_mac, str(path.sid), path.ip_up,
                       SERVER_IP, str(PORT), str(size)], ns=run.ns_g, cpu=1)
        where = (run.ns_s, path.tun_up, "rx_packets")
    else:
        g = run.spawn([gen, "udp", path.ip_down, str(PORT), str(size)], ns=run.ns_s, cpu=1)
        where = (run.ns_g, path.if_g, "rx_packets")
    try:
        return rate(run, *where, 1, opts.seconds, opts.warmup, path.pids[direction])
    finally:
        run.stop(g)


def start_raw(run):
    """The raw ceiling (bench/raw_fwd.c) on the second veth pair and its own TUN: one
    process each way, both on CPU 0 (the idle one sleeps). Returns (path, processes)."""
    raw = run.tool("bench_raw_fwd")
    client_mac = run.mac(run.ns_g, run.if_g2)
    for tun, ip in (RAW_UP, RAW_DOWN):
        run.sh("ip", "tuntap", "add", "mode", "tun", "dev", tun, ns=run.ns_s)
        run.sh("ip", "addr", "add", SERVER_IP, "peer", ip, "dev", tun, ns=run.ns_s)
        run.sh("ip", "link", "set", tun, "up", ns=run.ns_s)
    procs = [run.spawn([raw, "up", run.if_s2, RAW_UP[0]], ns=run.ns_s, cpu=0),
             run.spawn([raw, "down", RAW_DOWN[0], run.if_s2, client_mac, "1"], ns=run.ns_s, cpu=0)]
    for p in procs:
        read_line(p, "the raw forwarder")
    return Path("raw", run.if_g2, run.mac(run.ns_s, run.if_s2), client_mac, 1, RAW_UP, RAW_DOWN,
                {"up": procs[0].pid, "down": procs[1].pid}), procs


def data_path(run, opts, results):
    """The raw ceiling and uppp, up and down, each size: `rounds` runs of each, raw and
    uppp alternating, so that whatever else the machine does in between weighs on both
    alike. The figures are medians over the rounds; the ratio is the median of each
    round's uppp/raw."""
    raw_path, raw_procs = start_raw(run)
    srv, logf = start_server(run, opts, opts.data_args)
    sink = run.spawn([run.tool("bench_gen"), "sink", SERVER_IP, str(PORT)], ns=run.ns_s)
    read_line(sink, "the UDP sink")
    try:
        sess = leave_sessions(run, 1)[0]
        m = wait_for(lambda: re.search(r"sess=%d mac=\S+ layer=session event=up if=(\S+)" % sess["sid"],
                                       open(logf).read()), "the session's up line")
        up_path = Path("uppp", run.if_g, run.mac(run.ns_s, run.if_s), sess["mac"], sess["sid"],
                       (m.group(1), sess["ip"]), (m.group(1), sess["ip"]),
                       {"up": None if opts.perf else srv.pid, "down": None if opts.perf else srv.pid})
        for direction in opts.directions:
            for size in opts.sizes:
                runs = {"raw": [], "uppp": []}
                cpu = {"raw": [], "uppp": []}
                for _ in range(opts.rounds):
                    for path in (raw_path, up_path):
                        pps, busy = measure_direction(run, opts, path, direction, size)
                        runs[path.name].append(pps)
                        cpu[path.name].append(busy)
                r = results.setdefault((direction, size), {})
                r["raw_pps"] = statistics.median(runs["raw"])
                r["uppp_pps"] = statistics.median(runs["uppp"])
                r["ratio"] = statistics.median(u / w for u, w in zip(runs["uppp"], runs["raw"]) if w)
                r["rounds"] = runs
                r["cpu"] = cpu
                pct = lambda v: "%.0f%%" % (100 * v) if v is not None else "-"
                log(opts, "%-4s %4d B  raw %.3f  uppp %.3f Mpps  uppp/raw %.2f  (rounds: %s; CPU raw %s, uppp %s)" % (
                    direction, size, r["raw_pps"] / 1e6, r["uppp_pps"] / 1e6, r["ratio"],
                    " ".join("%.2f" % (u / w) for u, w in zip(runs["uppp"], runs["raw"]) if w),
                    " ".join(pct(v) for v in cpu["raw"]), " ".join(pct(v) for v in cpu["uppp"])))
        for p in raw_procs:
            run.stop(p)
        if set(opts.directions) >= {"up", "down"}:
            both_directions(run, opts, results, up_path)
    finally:
        run.stop(sink)
        for p in raw_procs:
            run.stop(p)
        for tun, _ in (RAW_UP, RAW_DOWN):
            run.sh("ip", "link", "del", tun, ns=run.ns_s, check=False)
        run.stop(srv)
    if srv.returncode not in (0, -signal.SIGTERM) and not opts.perf:
        raise BenchError("uppp server exited %s: %s" % (srv.returncode, open(logf).read()[-2000:]))


def start_server(run, opts, extra=(), cpu=0):
    secrets = os.path.join(run.tmp, "secrets")
    with open(secrets, "w") as f:
        f.write("bench * bench *\n")
    os.chmod(secrets, 0o600)
    logf = os.path.join(run.tmp, "server.log")
    prof = ["perf", "record", "-q", "-e", "cpu-clock", "-g", "-o", opts.perf, "--"] if opts.perf else []
    srv = run.spawn(prof + [run.uppp(), "server", "-I", run.if_s, "--control", "none", "--secrets", secrets,
                     "--lcp-echo-interval", "0", "--padi-rate", "0", "--padr-rate", "0", "--padi-rate-per-mac", "0",
                     "--padr-rate-per-mac", "0", "--max-negotiating", "0", "--auth-fail-limit", "0",
                     "--no-mss-clamp"] + list(extra), ns=run.ns_s, cpu=cpu, log=logf)
    wait_for(lambda: "event=started" in open(logf).read() or srv.poll() is not None, "the server to start")
    if srv.poll() is not None:
        raise BenchError("uppp server ended: " + open(logf).read()[-2000:])
    return srv, logf


def leave_sessions(run, n):
    """Dials n sessions with bench_loadgen --leave: they stay up on the server."""
    p = subprocess.run(["ip", "netns", "exec", run.ns_g, run.tool("bench_loadgen"), "-i", run.if_g, "-n",
                        str(n), "--leave"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                       timeout=300)
    lines = [json.loads(l) for l in p.stdout.splitlines() if l.startswith("{")]
    left = [l for l in lines if l.get("phase") == "leave"]
    if p.returncode != 0 or len(left) != n:
        raise BenchError("bench_loadgen could not bring %d session(s) up: %s %s" % (n, p.stdout, p.stderr))
    return left


def both_directions(run, opts, results, path):
    """Both directions at once through uppp, each offered the same rate: half of what uppp
    carried alone in the slower direction, so that together they ask about as much as uppp
    carries in one direction alone. Paced: an unpaced upstream generator would take the
    generators' core from the downstream one. Since uppp carries more than the raw ceiling
    (docs/performance.md) the generators' one core, not uppp, may be what limits: uppp's CPU
    share over the window says which."""
    gen = run.tool("bench_gen")
    for size in opts.sizes:
        offer_up = offer_down = 0.5 * min(results[("up", size)]["uppp_pps"], results[("down", size)]["uppp_pps"])
        up = run.spawn([gen, "pppoe", path.if_g, path.client_mac, path.ac_mac, str(path.sid), path.ip_up,
                        SERVER_IP, str(PORT), str(size), "%.0f" % offer_up], ns=run.ns_g, cpu=1)
        down = run.spawn([gen, "udp", path.ip_down, str(PORT), str(size), "%.0f" % offer_down],
                         ns=run.ns_s, cpu=1)
        try:
            u, d, busy = rates2(run, (run.ns_s, path.tun_up, "rx_packets"), (run.ns_g, path.if_g, "rx_packets"),
                                opts.windows, opts.seconds, opts.warmup, pid=path.pids["up"])
        finally:
            run.stop(up)
            run.stop(down)
        results.setdefault(("both", size), {}).update(up_pps=u, down_pps=d, offered_up_pps=offer_up,
                                                      offered_down_pps=offer_down, cpu=busy)
        log(opts, "uppp  both %4d B  up %.3f + down %.3f Mpps (offered %.3f + %.3f; uppp CPU %s)" % (
            size, u / 1e6, d / 1e6, offer_up / 1e6, offer_down / 1e6,
            "%.0f%%" % (100 * busy) if busy is not None else "-"))


# ---- round trip ----

def ping_times(run, ns, addr, count, cpu=None):
    """count pings 10 ms apart from ns (on cpu where given): each round trip in us."""
    out = run.sh(*run.pinned(["ping", "-n", "-c", str(count), "-i", "0.01", addr], cpu), ns=ns, check=False)
    times = [float(t) * 1000.0 for t in re.findall(r"time=([0-9.]+) ms", out)]
    if len(times) < count // 2:
        raise BenchError("ping %s: only %d of %d answered" % (addr, len(times), count))
    return times


BUSY_POLL_US = 20000   # longer than the ping interval (10 ms): never asleep between pings
RELAY_G = ("rlyg", "10.0.3.2")   # the relays' TUNs: client side, server side
RELAY_S = ("rlys", "10.0.3.1")
PLAIN_G, PLAIN_S = "192.168.77.2", "192.168.77.1"

# (name, what it is, polls): the variants of the round trip, in the order each round runs them
LATENCY_VARIANTS = (
    ("plain", "the veth, plain addresses", False),
    ("relay", "raw relays, asleep between packets", False),
    ("uppp", "uppp client and server", False),
    ("relay_poll", "raw relays, polling", True),
    ("uppp_poll", "uppp, --busy-poll %d" % BUSY_POLL_US, True),
)


def latency_setup(run):
    """The plain addresses and the relays' TUNs, on the second veth pair (the relays
    and uppp then never share a wire)."""
    run.sh("ip", "addr", "add", PLAIN_G + "/24", "dev", run.if_g2, ns=run.ns_g)
    run.sh("ip", "addr", "add", PLAIN_S + "/24", "dev", run.if_s2, ns=run.ns_s)
    for ns, (tun, ip), (_, peer) in ((run.ns_g, RELAY_G, RELAY_S), (run.ns_s, RELAY_S, RELAY_G)):
        run.sh("ip", "tuntap", "add", "mode", "tun", "dev", tun, ns=ns)
        run.sh("ip", "addr", "add", ip, "peer", peer, "dev", tun, ns=ns)
        run.sh("ip", "link", "set", tun, "up", ns=ns)


def latency_teardown(run):
    run.sh("ip", "addr", "del", PLAIN_G + "/24", "dev", run.if_g2, ns=run.ns_g, check=False)
    run.sh("ip", "addr", "del", PLAIN_S + "/24", "dev", run.if_s2, ns=run.ns_s, check=False)
    run.sh("ip", "link", "del", RELAY_G[0], ns=run.ns_g, check=False)
    run.sh("ip", "link", "del", RELAY_S[0], ns=run.ns_s, check=False)


def start_variant(run, opts, name, cpus):
    """Starts what carries the variant's pings: (processes, address to ping)."""
    if name == "plain":
        return [], PLAIN_S
    if name.startswith("relay"):
        raw = run.tool("bench_raw_fwd")
        spin = ["spin"] if name == "relay_poll" else []
        procs = [run.spawn([raw, "relay", RELAY_S[0], run.if_s2, run.mac(run.ns_g, run.if_g2), "1"] + spin,
                           ns=run.ns_s, cpu=cpus[0]),
                 run.spawn([raw, "relay", RELAY_G[0], run.if_g2, run.mac(run.ns_s, run.if_s2), "1"] + spin,
                           ns=run.ns_g, cpu=cpus[1])]
        for p in procs:
            read_line(p, "the raw relay")
        return procs, RELAY_S[1]
    extra = ["--busy-poll", str(BUSY_POLL_US)] if name == "uppp_poll" else []
    srv, _ = start_server(run, opts, extra=extra, cpu=cpus[0])
    clog = os.path.join(run.tmp, "client.log")
    cli = run.spawn([run.uppp(), "client", "-I", run.if_g, "-u", "bench", "-p", "bench",
                     "--lcp-echo-interval", "0"] + extra, ns=run.ns_g, cpu=cpus[1], log=clog)
    procs = [cli, srv]
    try:
        wait_for(lambda: "event=up" in open(clog).read() or cli.poll() is not None, "the client's session")
        if cli.poll() is not None:
            raise BenchError("uppp client ended: " + open(clog).read()[-2000:])
    except BaseException:
        for p in procs:
            run.stop(p)
        raise
    return procs, SERVER_IP


def latency(run, opts, out):
    """ping p50 over the plain veth, through two raw relays (bench/raw_fwd.c relay: the
    least any userspace PPPoE hop does, a poll(), one read and one send per packet, with
    no PPP) and through a uppp client and server; the relays and uppp once asleep
    between packets, as they run by default, and once polling. Two placements: the
    server side on CPU 0 and the client side (dialer and ping) on CPU 1, as two
    machines would be; and all on CPU 0, with no wake-up across CPUs. The variants
    alternate within each round, so that a change in the machine's load weighs on all;
    each figure is the median of all its rounds' pings."""
    count, rounds = (20, 1) if opts.short else (100, 5)
    res = {"pings": count * rounds, "ping_interval_ms": 10, "busy_poll_us": BUSY_POLL_US, "placements": {}}
    rows = []
    latency_setup(run)
    try:
        for placement, cpus in (("two_cpus", (0, 1)), ("one_cpu", (0, 0))):
            times = {name: [] for name, _, _ in LATENCY_VARIANTS}
            for _ in range(rounds):
                for name, _, _ in LATENCY_VARIANTS:
                    procs, addr = start_variant(run, opts, name, cpus)
                    try:
                        times[name] += ping_times(run, run.ns_g, addr, count, cpu=cpus[1])
                    finally:
                        for p in procs:
                            run.stop(p)
            p50 = {name: statistics.median(t) for name, t in times.items()}
            fig = {name: round(v, 1) for name, v in p50.items()}
            fig["uppp_added_us"] = round(p50["uppp"] - p50["plain"], 1)
            fig["uppp_poll_added_us"] = round(p50["uppp_poll"] - p50["plain"], 1)
            fig["relay_added_us"] = round(p50["relay"] - p50["plain"], 1)
            fig["relay_poll_added_us"] = round(p50["relay_poll"] - p50["plain"], 1)
            res["placements"][placement] = fig
            for name, what, polls in LATENCY_VARIANTS:
                floor = p50["relay_poll" if polls else "relay"]
                rows.append((what, placement.replace("_", " "), p50[name],
                             None if name == "plain" else p50[name] - p50["plain"],
                             p50[name] - floor if name.startswith("uppp") else None))
            log(opts, "ping p50 (%s): veth %.0f us; relays %.0f / polling %.0f us; uppp %.0f (%+.0f) / "
                "busy-poll %.0f (%+.0f) us" % (placement.replace("_", " "), p50["plain"], p50["relay"],
                                               p50["relay_poll"], p50["uppp"], p50["uppp"] - p50["plain"],
                                               p50["uppp_poll"], p50["uppp_poll"] - p50["plain"]))
    finally:
        latency_teardown(run)
    out["latency"] = res
    log(opts, "\n" + latency_table(rows))


def latency_table(rows):
    lines = ["| round trip (ping p50) | CPUs | us | added to the plain veth | added to the relays |",
             "|---|---|---|---|---|"]
    fmt = lambda v: "" if v is None else "%+.0f" % v
    for what, placement, us, added, over in rows:
        lines.append("| %s | %s | %.0f | %s | %s |" % (what, placement, us, fmt(added), fmt(over)))
    return "\n".join(lines)


# ---- the control plane ----

def private_kb(pid):
    """Private memory of a process (kB): what it alone holds, shared libraries' pages excluded."""
    tot = 0
    with open("/proc/%d/smaps_rollup" % pid) as f:
        for line in f:
            if line.startswith(("Private_Clean:", "Private_Dirty:")):
                tot += int(line.split()[1])
    return tot


def kernel_kb():
    """The kernel's own memory (kB): slab plus the other kernel-side counters of /proc/meminfo."""
    want = ("Slab:", "KernelStack:", "PageTables:", "VmallocUsed:", "Percpu:")
    tot = 0
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith(want):
                tot += int(line.split()[1])
    return tot


def control_plane(run, opts, out, mode, n):
    """n sessions from n MACs (bench_loadgen) against one server: set-ups/s, teardowns/s, memory."""
    extra = ["-L", SERVER_IP, "-R", "10.0.0.2", "-N", str(n)]
    if mode != "default":
        extra += ["--if-mode", mode]
    srv, logf = start_server(run, opts, extra)
    res = {"mode": mode, "sessions": n}
    try:
        time.sleep(0.2)
        mem0, k0 = private_kb(srv.pid), kernel_kb()
        lg = run.spawn([run.tool("bench_loadgen"), "-i", run.if_g, "-n", str(n), "--hold"], ns=run.ns_g, cpu=1)
        setup = json.loads(read_line(lg, "the load generator's set-up", timeout=600))
        res["setup"] = setup
        if setup.get("up") != n:
            raise BenchError("%s mode: %d of %d sessions came up (%s)" % (mode, setup.get("up", 0), n,
                                                                           setup.get("causes")))
        mem1, k1 = private_kb(srv.pid), kernel_kb()
        res["private_bytes_per_session"] = round((mem1 - mem0) * 1024 / n, 1)
        res["kernel_bytes_per_session"] = round((k1 - k0) * 1024 / n, 1)
        res["server_private_kb"] = mem1
        lg.send_signal(signal.SIGUSR1)
        res["teardown"] = json.loads(read_line(lg, "the load generator's teardown", timeout=600))
        lg.wait(timeout=60)
        run.procs.remove(lg)
    finally:
        run.stop(srv)
    log(opts, "control %-11s %6d sessions: %8.0f set-ups/s (1k in %s s, 10k in %s s), %8.0f teardowns/s, "
        "%6.0f B private + %6.0f B kernel per session" % (
            mode, n, setup["per_s"], setup.get("t_1k", "-"), setup.get("t_10k", "-"),
            res["teardown"]["per_s"], res["private_bytes_per_session"], res["kernel_bytes_per_session"]))
    out.setdefault("control", []).append(res)


# ---- output ----

def log(opts, text):
    print(text, file=sys.stderr if opts.json else sys.stdout, flush=True)


def data_table(results, sizes):
    rows = []
    lines = ["| direction, IP size | raw ceiling | uppp | uppp / raw |", "|---|---|---|---|"]
    for direction in ("up", "down"):
        for size in sizes:
            r = results.get((direction, size), {})
            raw, up = r.get("raw_pps"), r.get("uppp_pps")
            ratio = r.get("ratio")
            rows.append({"direction": direction, "size": size, "raw_pps": raw, "uppp_pps": up,
                         "rounds": r.get("rounds"), "cpu": r.get("cpu"),
                         "uppp_gbit": up * size * 8 / 1e9 if up is not None else None,
                         "raw_gbit": raw * size * 8 / 1e9 if raw is not None else None,
                         "ratio": ratio})
            fmt = lambda p: "%.3f Mpps (%.2f Gbit/s)" % (p / 1e6, p * size * 8 / 1e9) if p is not None else "-"
            lines.append("| %s, %d B | %s | %s | %s |" % (
                "upstream" if direction == "up" else "downstream", size, fmt(raw), fmt(up),
                "%.2f" % ratio if ratio is not None else "-"))
    both = []
    for size in sizes:
        r = results.get(("both", size))
        if r:
            total = r["up_pps"] + r["down_pps"]
            both.append({"size": size, "up_pps": r["up_pps"], "down_pps": r["down_pps"],
                         "offered_up_pps": r["offered_up_pps"], "offered_down_pps": r["offered_down_pps"],
                         "up_share": r["up_pps"] / total if total else None,
                         "down_share": r["down_pps"] / total if total else None})
            lines.append("| both at once, %d B (offered %.3f + %.3f Mpps) | | up %.3f + down %.3f Mpps "
                         "| shares %.0f %% / %.0f %% |" % (
                             size, r["offered_up_pps"] / 1e6, r["offered_down_pps"] / 1e6, r["up_pps"] / 1e6,
                             r["down_pps"] / 1e6, 100 * r["up_pps"] / total if total else 0,
                             100 * r["down_pps"] / total if total else 0))
    return rows, both, "\n".join(lines)


def control_table(ctl):
    lines = ["| interface mode | sessions | set-ups/s | time to 1k / 10k / all | teardowns/s | private B/session "
             "| kernel B/session |", "|---|---|---|---|---|---|---|"]
    for c in ctl:
        st, td = c["setup"], c["teardown"]
        t = " / ".join("%.2f s" % st[k] if k in st else "-" for k in ("t_1k", "t_10k")) + " / %.2f s" % st["seconds"]
        lines.append("| %s | %d | %.0f | %s | %.0f | %.0f | %.0f |" % (
            c["mode"], c["sessions"], st["per_s"], t, td["per_s"], c["private_bytes_per_session"],
            c["kernel_bytes_per_session"]))
    return "\n".join(lines)


def svg_bars(path, title, groups, series, unit):
    """A grouped bar chart: groups = [(label, {series: value})]."""
    palette = {"raw": "#888888", "uppp": "#2b6cb0", "per-session": "#c05621", "shared": "#2b6cb0"}
    colors = [palette.get(x, "#2f855a") for x in series]
    w, h, left, bottom, top = 640, 320, 60, 50, 40
    top_v = max([v for _, vals in groups for v in vals.values() if v] + [1e-9]) * 1.05
    step = 10 ** math.floor(math.log10(top_v / 4))
    for m in (1, 2, 2.5, 5, 10):   # four gridlines of a round step
        if 4 * step * m >= top_v:
            break
    vmax = 4 * step * m
    gw = (w - left - 20) / max(len(groups), 1)
    bw = gw * 0.8 / max(len(series), 1)
    out = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif" '
           'font-size="12">' % (w, h), '<rect width="100%" height="100%" fill="white"/>',
           '<text x="%d" y="20" font-size="14">%s</text>' % (left, title)]
    for i in range(5):
        y = h - bottom - (h - bottom - top) * i / 4
        out.append('<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" stroke="#ddd"/>' % (left, w - 20, y, y))
        out.append('<text x="%d" y="%.1f" text-anchor="end">%g</text>' % (left - 4, y + 4, round(vmax * i / 4, 6)))
    out.append('<text x="12" y="%d" transform="rotate(-90 12 %d)">%s</text>' % (h // 2, h // 2, unit))
    for gi, (label, vals) in enumerate(groups):
        x0 = left + gi * gw + gw * 0.1
        for si, s in enumerate(series):
            v = vals.get(s)
            if v is None:
                continue
            bh = (h - bottom - top) * v / vmax
            out.append('<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"/>' % (
                x0 + si * bw, h - bottom - bh, bw - 2, bh, colors[si % len(colors)]))
        out.append('<text x="%.1f" y="%d" text-anchor="middle">%s</text>' % (x0 + gw * 0.4, h - bottom + 16, label))
    for si, s in enumerate(series):
        out.append('<rect x="%d" y="%d" width="10" height="10" fill="%s"/><text x="%d" y="%d">%s</text>' % (
            left + si * 120, h - 18, colors[si % len(colors)], left + si * 120 + 14, h - 9, s))
    out.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")


def git_commit():
    """The checkout's commit, or None (no git, or not a checkout: a CI root may have neither)."""
    try:
        r = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], stdout=subprocess.PIPE,
                           stderr=subprocess.DEVNULL, text=True)
    except OSError:
        return None
    return r.stdout.strip() or None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--build", default=os.path.join(ROOT, "build"), help="build directory (default ./build)")
    ap.add_argument("--short", action="store_true", help="every part once, briefly (CI)")
    ap.add_argument("--json", action="store_true", help="print the results as JSON on stdout")
    ap.add_argument("--out", help="also write the JSON results to this file")
    ap.add_argument("--plots", help="write SVG plots into this directory")
    ap.add_argument("--only", default="data,latency,control",
                    help="parts to run: data,latency,control (default all)")
    ap.add_argument("--control", metavar="MODE:N,...",
                    help="control-plane runs: interface mode and sessions (default: 200 sessions in the default "
                    "mode with --short, else default:1000,default:10000)")
    ap.add_argument("--sizes", metavar="B,...", help="IP sizes of the data path (default 64,1400)")
    ap.add_argument("--directions", default="up,down", metavar="up,down",
                    help="directions of the data path (default both; both at once needs both)")
    ap.add_argument("--data-args", default="", metavar="ARGS",
                    help="more options for the uppp server of the data path, e.g. '--busy-poll 1000'")
    ap.add_argument("--perf", metavar="FILE", help="profile the uppp server with `perf record` into FILE "
                    "(data path only; read it with perf report -i FILE)")
    opts = ap.parse_args()
    if os.geteuid() != 0:
        print("bench: needs root (network namespaces)", file=sys.stderr)
        return 77
    opts.sizes = tuple(int(x) for x in opts.sizes.split(",")) if opts.sizes else SIZES
    opts.directions = tuple(opts.directions.split(","))
    opts.data_args = opts.data_args.split()
    opts.windows, opts.seconds, opts.warmup = (1, 0.3, 0.2) if opts.short else (3, 2.0, 0.5)
    opts.rounds = 1 if opts.short else 7
    parts = set(opts.only.split(","))
    if opts.control:
        opts.control = [(c.split(":")[0], int(c.split(":")[1])) for c in opts.control.split(",")]
    else:
        opts.control = [("default", 200)] if opts.short else [("default", 1000), ("default", 10000)]
    if opts.perf:
        opts.perf = os.path.abspath(opts.perf)
        parts.discard("latency")
    cpus = os.cpu_count() or 1
    out = {"date": time.strftime("%Y-%m-%d"), "cpus": cpus, "short": opts.short,
           "kernel": os.uname().release,
           "commit": git_commit(),
           "windows": opts.windows, "window_s": opts.seconds, "rounds": opts.rounds,
           "data_args": opts.data_args}
    run = Run(os.path.abspath(opts.build), cpus)
    old = signal.signal(signal.SIGTERM, lambda s, f: sys.exit(1))
    results = {}
    rc = 0
    try:
        run.setup()
        if "data" in parts:
            data_path(run, opts, results)
            out["data"], out["both"], table = data_table(results, opts.sizes)
            log(opts, "\n" + table)
        if "latency" in parts:
            latency(run, opts, out)
        if "control" in parts:
            for mode, n in opts.control:
                control_plane(run, opts, out, mode, n)
            log(opts, "\n" + control_table(out["control"]))
    except BenchError as e:
        print("bench: " + str(e), file=sys.stderr)
        rc = 1
    finally:
        run.close()
        signal.signal(signal.SIGTERM, old)
    if opts.plots:
        os.makedirs(opts.plots, exist_ok=True)
    if opts.plots and out.get("data"):
        groups = [("%s %d B" % (r["direction"], r["size"]),
                   {"raw": r["raw_pps"] / 1e6 if r["raw_pps"] else None,
                    "uppp": r["uppp_pps"] / 1e6 if r["uppp_pps"] else None}) for r in out["data"]]
        svg_bars(os.path.join(opts.plots, "throughput.svg"), "Data path, one core: raw ceiling vs uppp",
                 groups, ["raw", "uppp"], "Mpps")
    if opts.plots and out.get("control"):
        modes = sorted({c["mode"] for c in out["control"]})
        ns = sorted({c["sessions"] for c in out["control"]})
        pick = lambda n, key: {c["mode"]: key(c) for c in out["control"] if c["sessions"] == n}
        svg_bars(os.path.join(opts.plots, "setups.svg"), "Session set-ups per second (one server, one core)",
                 [("%d sessions" % n, pick(n, lambda c: c["setup"]["per_s"] / 1000)) for n in ns], modes,
                 "thousand per second")
        svg_bars(os.path.join(opts.plots, "memory.svg"), "Private memory per session held",
                 [("%d sessions" % n, pick(n, lambda c: c["private_bytes_per_session"])) for n in ns], modes,
                 "bytes")
    text = json.dumps(out, indent=2, sort_keys=True)
    if opts.out:
        with open(opts.out, "w") as f:
            f.write(text + "\n")
    if opts.json:
        print(text)
    return rc


if __name__ == "__main__":
    sys.exit(main())
