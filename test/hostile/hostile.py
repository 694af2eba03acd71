#!/usr/bin/env python3
"""test/hostile/hostile.py — a scripted hostile PPPoE client (raw AF_PACKET).

Runs inside the attacker's network namespace, next to a running `uppp server`
(pid and log file given) and a legitimate session. Each case sends crafted
frames, then asks the server for its counters (SIGUSR1 → one
`event=counters` line in its log) and checks what changed, what the server
answered, and that it is still alive.

  hostile.py cases   --iface eth0 --server-pid PID --server-log FILE --legit-mac MAC --state FILE
  hostile.py expired --iface eth0 --server-pid PID --server-log FILE --state FILE

`cases` keeps one AC-Cookie (and when it was issued) in --state; `expired`
replays it once it is more than 60 s old. Exit status 0 when every case
passed. Standard library only.

No verdict depends on how fast the machine is. Before each counters dump
the suite sends a sentinel (a PADT to broadcast: the server counts it in
padt_rx and does nothing else) and waits until the server has counted every
PADT we ever sent: it handles frames in order, so by then it has handled
everything sent before. Frames the server must send are waited for, bounded
only by HANG (against hangs); whether a frame must be absent is decided by the
synced counters or by a short window that can only miss a bug, never fail a
correct server.
"""
import argparse
import hashlib
import json
import os
import random
import re
import signal
import socket
import struct
import sys
import time

ETH_P_ALL = 0x0003
DISC, SESS = 0x8863, 0x8864
PADI, PADO, PADR, PADS, PADT = 0x09, 0x07, 0x19, 0x65, 0xA7
T_EOL, T_SVC, T_ACNAME, T_HU, T_COOKIE, T_VENDOR, T_RELAY, T_GENERR = (
    0x0000, 0x0101, 0x0102, 0x0103, 0x0104, 0x0105, 0x0110, 0x0203)
LCP, PAP, CHAP, IPCP = 0xC021, 0xC023, 0xC223, 0x8021
BCAST = b"\xff" * 6
SOL_PACKET, PACKET_ADD_MEMBERSHIP, PACKET_MR_PROMISC = 263, 1, 1
HANG = 60  # seconds: the bound of any wait for something that must happen


def mac_bytes(s):
    return bytes(int(x, 16) for x in s.split(":"))


def mac_str(b):
    return ":".join("%02x" % x for x in b)


def fresh_mac():
    """A locally administered unicast MAC no one else uses."""
    return bytes([0x02, 0x5A] + [random.randrange(256) for _ in range(4)])


def tag(t, v=b""):
    return struct.pack("!HH", t, len(v)) + v


def pppoe(dst, src, etype, code, sid, payload, length=None, vertype=0x11):
    if length is None:
        length = len(payload)
    return dst + src + struct.pack("!HBBHH", etype, vertype, code, sid, length) + payload


def parse_tags(p):
    tags, i = {}, 0
    while i + 4 <= len(p):
        t, n = struct.unpack("!HH", p[i:i + 4])
        if i + 4 + n > len(p):
            break
        tags.setdefault(t, p[i + 4:i + 4 + n])
        i += 4 + n
        if t == T_EOL:
            break
    return tags


class Server:
    def __init__(self, pid, log):
        self.pid, self.log = pid, log

    def alive(self):
        try:
            with open("/proc/%d/stat" % self.pid) as f:
                return f.read().split(") ", 1)[1][0] not in "ZX"
        except OSError:
            return False

    def log_text(self):
        with open(self.log, errors="replace") as f:
            return f.read()

    def complete_lines(self):
        """The log's lines, without a last one still being written: a
        concurrent read can see a line cut anywhere, even inside a number."""
        text = self.log_text()
        return text[:text.rfind("\n") + 1].splitlines()

    def dump(self):
        """SIGUSR1 and the new counters line (not synced with our frames)."""
        before = sum("event=counters" in l for l in self.complete_lines())
        os.kill(self.pid, signal.SIGUSR1)
        deadline = time.time() + HANG
        while time.time() < deadline:
            lines = [l for l in self.complete_lines() if "event=counters" in l]
            if len(lines) > before:
                return {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", lines[-1].split("event=counters", 1)[1])}
            time.sleep(0.02)
        raise RuntimeError("server did not dump its counters")


class Wire:
    def __init__(self, iface):
        self.s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
        self.s.bind((iface, 0))
        idx = socket.if_nametoindex(iface)
        # see frames for the spoofed MACs we use, too
        self.s.setsockopt(SOL_PACKET, PACKET_ADD_MEMBERSHIP, struct.pack("iHH8s", idx, PACKET_MR_PROMISC, 0, b""))
        self.s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
        self.mac = self.s.getsockname()[4][:6]
        self.iface = iface

    def send(self, frame):
        try:
            self.s.send(frame)
        except OSError as e:  # e.g. a frame the driver refuses: the case then checks nothing arrived
            return e.errno
        return 0

    def drain(self):
        self.s.setblocking(False)
        try:
            while True:
                self.s.recv(4096)
        except BlockingIOError:
            pass
        finally:
            self.s.setblocking(True)

    def recv_all(self, timeout, match):
        """Every received frame for which match(frame) is true, for timeout seconds."""
        out, end = [], time.time() + timeout
        while True:
            left = end - time.time()
            if left <= 0:
                return out
            self.s.settimeout(left)
            try:
                f = self.s.recv(4096)
            except socket.timeout:
                return out
            if len(f) >= 20 and match(f):
                out.append(f)

    def recv_one(self, timeout, match):
        end = time.time() + timeout
        while time.time() < end:
            got = self.recv_all(min(0.05, end - time.time()), match)
            if got:
                return got[0]
        return None


def is_disc(code, dst):
    return lambda f: f[12:14] == b"\x88\x63" and f[15] == code and f[:6] == dst


def is_sess(sid, dst, proto=None, code=None):
    def m(f):
        if f[12:14] != b"\x88\x64" or f[:6] != dst or struct.unpack("!H", f[16:18])[0] != sid:
            return False
        if proto is not None and struct.unpack("!H", f[20:22])[0] != proto:
            return False
        return code is None or f[22] == code
    return m


class Attacker:
    def __init__(self, wire):
        self.w = wire
        self.ac_mac = None
        self.padt_sent = 0   # every PADT we sent: the server counts each in padt_rx
        self.counters = None  # the suite's synced counters (set by Suite)

    def sentinel(self):
        """A PADT to broadcast: counted in padt_rx, otherwise ignored."""
        if self.w.send(pppoe(BCAST, fresh_mac(), DISC, PADT, 0, b"")) == 0:
            self.padt_sent += 1

    def caused(self, match, key, c0):
        """The frame the server sent for what we just sent, if it sent one:
        waits for it until the synced counter `key` shows that the server
        sent nothing (still c0[key]), else up to HANG."""
        end = time.time() + HANG
        while time.time() < end:
            f = self.w.recv_one(0.1, match)
            if f:
                return f
            if self.counters()[key] == c0[key]:
                return self.w.recv_one(0.05, match)
        return None

    def padi(self, src, tags=None):
        if tags is None:
            tags = tag(T_SVC) + tag(T_HU, os.urandom(4))
        self.w.send(pppoe(BCAST, src, DISC, PADI, 0, tags))

    def get_cookie(self, src):
        """PADI from src; returns (AC MAC, cookie) from the PADO, or (None, None)."""
        c0 = self.counters()
        self.w.drain()
        self.padi(src)
        f = self.caused(is_disc(PADO, src), "pado_tx", c0)
        if not f:
            return None, None
        length = struct.unpack("!H", f[18:20])[0]
        self.ac_mac = f[6:12]
        return f[6:12], parse_tags(f[20:20 + length]).get(T_COOKIE)

    def padr(self, src, cookie, hu=None, extra=b""):
        tags = tag(T_SVC) + (tag(T_HU, hu) if hu is not None else b"")
        if cookie is not None:
            tags += tag(T_COOKIE, cookie)
        self.w.send(pppoe(self.ac_mac, src, DISC, PADR, 0, tags + extra))

    def open_session(self, src=None):
        """Discovery for a fresh MAC: (mac, session id) or (mac, None)."""
        src = src or fresh_mac()
        ac, cookie = self.get_cookie(src)
        if not cookie:
            return src, None
        hu = os.urandom(4)
        c0 = self.counters()
        self.padr(src, cookie, hu)
        f = self.caused(is_disc(PADS, src), "pads_tx", c0)
        sid = struct.unpack("!H", f[16:18])[0] if f else 0
        return src, sid or None

    def ppp(self, src, sid, proto, body, length=None, code=0):
        pkt = struct.pack("!H", proto) + body
        self.w.send(pppoe(self.ac_mac, src, SESS, code, sid, pkt, length))

    def lcp(self, src, sid, code, ident, data=b"", proto=LCP):
        self.ppp(src, sid, proto, struct.pack("!BBH", code, ident, 4 + len(data)) + data)

    def padt(self, src, sid, tags=b""):
        if self.w.send(pppoe(self.ac_mac, src, DISC, PADT, sid, tags)) == 0:
            self.padt_sent += 1

    def lcp_open(self, src, sid, mru=None):
        """Acks the AC's Configure-Request and gets ours acked: LCP Opened.
        Returns the AC's Configure-Request options (for the auth protocol)."""
        opts = struct.pack("!BBI", 5, 6, random.getrandbits(32))
        if mru:
            opts += struct.pack("!BBH", 1, 4, mru)
        self.lcp(src, sid, 1, 0x42, opts)
        acked_ours = peer_req = None
        end = time.time() + HANG
        while time.time() < end and not (acked_ours and peer_req):
            f = self.w.recv_one(0.5, is_sess(sid, src, LCP))
            if not f:
                self.lcp(src, sid, 1, 0x42, opts)
                continue
            code, ident, ln = f[22], f[23], struct.unpack("!H", f[24:26])[0]
            if code == 1:
                peer_req = f[26:22 + ln]
                self.lcp(src, sid, 2, ident, peer_req)
            elif code == 2 and ident == 0x42:
                acked_ours = True
        return peer_req if acked_ours else None

    def chap_answer(self, src, sid, user, secret, timeout=HANG):
        """Waits for the CHAP Challenge and answers it; returns the CHAP
        result code (3 Success, 4 Failure) or None."""
        f = self.w.recv_one(timeout, is_sess(sid, src, CHAP, 1))
        if not f:
            return None
        ident, vlen = f[23], f[26]
        challenge = f[27:27 + vlen]
        resp = hashlib.md5(bytes([ident]) + secret + challenge).digest()
        body = bytes([16]) + resp + user
        self.ppp(src, sid, CHAP, struct.pack("!BBH", 2, ident, 4 + len(body)) + body)
        r = self.w.recv_one(timeout, lambda x: is_sess(sid, src, CHAP)(x) and x[22] in (3, 4))
        return r[22] if r else None


class Suite:
    def __init__(self, args):
        self.args = args
        self.srv = Server(args.server_pid, args.server_log)
        self.w = Wire(args.iface)
        self.a = Attacker(self.w)
        self.a.counters = self.counters
        self.padt_base = self.srv.dump()["padt_rx"]
        self.failed, self.passed = [], []
        self.sessions = []   # (mac, sid) we opened: ended at the end

    def counters(self):
        """The server's counters once it has handled every frame we sent."""
        self.a.sentinel()
        want = self.padt_base + self.a.padt_sent
        end = time.time() + HANG
        while True:
            c = self.srv.dump()
            if c["padt_rx"] >= want:
                return c
            if time.time() > end:
                raise RuntimeError("server did not count our PADTs (padt_rx %d, want %d): frames lost?" %
                                   (c["padt_rx"], want))
            time.sleep(0.02)

    def check(self, name, cond, detail=""):
        if not cond:
            raise AssertionError("%s %s" % (name, detail))

    def run(self, name, fn):
        t0 = time.time()
        try:
            c0 = self.counters()
            fn(c0)
            if not self.srv.alive():
                raise AssertionError("server died")
            self.passed.append(name)
            print("ok   %-34s %.1fs" % (name, time.time() - t0), flush=True)
        except Exception as e:  # report and go on: one line per failed case
            self.failed.append(name)
            print("FAIL %-34s %s" % (name, e), flush=True)

    def wait_counter(self, key, pred, timeout=HANG):
        """Polls the counters until pred(value of key) holds; the last dump."""
        end = time.time() + timeout
        while True:
            c = self.counters()
            if pred(c.get(key, 0)) or time.time() > end:
                return c

    def delta(self, c0, keys):
        c1 = self.counters()
        return {k: c1.get(k, 0) - c0.get(k, 0) for k in keys}, c1

    # ---- discovery-level cases ----

    def disc_case(self, name, frame_fn, expect):
        """frame_fn(src) → frames; expect: {counter: exact delta, None = at
        least 1, or a (low, high) range}."""
        def fn(c0):
            src = fresh_mac()
            self.w.drain()
            for f in frame_fn(src):
                self.w.send(f)
            d, _ = self.delta(c0, list(expect))
            for k, v in expect.items():
                if v is None:
                    self.check(name, d[k] >= 1, "%s delta %d, expected ≥ 1" % (k, d[k]))
                elif isinstance(v, tuple):
                    self.check(name, v[0] <= d[k] <= v[1], "%s delta %d, expected %s" % (k, d[k], v))
                else:
                    self.check(name, d[k] == v, "%s delta %d, expected %d" % (k, d[k], v))
        self.run(name, fn)

    def cases_discovery(self):
        svc = tag(T_SVC)
        self.disc_case("pppoe-header-truncated",
                       lambda s: [BCAST + s + b"\x88\x63\x11\x09\x00"], {"dropped_malformed": 1, "pado_tx": 0})
        self.disc_case("pppoe-length-past-end",
                       lambda s: [pppoe(BCAST, s, DISC, PADI, 0, svc, length=200)],
                       {"dropped_malformed": 1, "pado_tx": 0})
        self.disc_case("pppoe-length-zero",
                       lambda s: [pppoe(BCAST, s, DISC, PADI, 0, b"", length=0)],
                       {"padi_rx": 1, "dropped_malformed": 0})
        self.disc_case("pppoe-length-short-of-tags",
                       lambda s: [pppoe(BCAST, s, DISC, PADI, 0, svc + tag(T_HU, b"abcd"), length=6)],
                       {"dropped_malformed": 1, "pado_tx": 0})
        self.disc_case("pppoe-bad-version-type",
                       lambda s: [pppoe(BCAST, s, DISC, PADI, 0, svc, vertype=0x21)],
                       {"dropped_malformed": 1, "pado_tx": 0})
        self.disc_case("tag-length-past-end",
                       lambda s: [pppoe(BCAST, s, DISC, PADI, 0, struct.pack("!HH", T_SVC, 0xFFFF) + b"x")],
                       {"dropped_malformed": 1, "pado_tx": 0})
        self.disc_case("tag-header-truncated",
                       lambda s: [pppoe(BCAST, s, DISC, PADI, 0, svc + b"\x01\x03\x00")],
                       {"dropped_malformed": 1, "pado_tx": 0})
        self.disc_case("tag-zero-length-repeated",
                       lambda s: [pppoe(BCAST, s, DISC, PADI, 0, svc * 370)],
                       {"padi_rx": 1, "pado_tx": 1, "dropped_malformed": 0})
        self.disc_case("huge-tag-count",
                       lambda s: [pppoe(BCAST, s, DISC, PADI, 0, svc + tag(0x0abc) * 369)],
                       {"padi_rx": 1, "pado_tx": 1, "dropped_malformed": 0})
        self.disc_case("end-of-list-then-garbage",
                       lambda s: [pppoe(BCAST, s, DISC, PADI, 0, svc + tag(T_EOL) + b"\xff" * 40)],
                       {"pado_tx": 1, "dropped_malformed": 0})
        self.disc_case("padi-echo-too-big",
                       lambda s: [pppoe(BCAST, s, DISC, PADI, 0, svc + tag(T_HU, b"h" * 1486))],
                       {"padi_rx": 1, "pado_tx": 0, "dropped_malformed": 1})
        # A Linux bridge already drops frames from group addresses
        # (br_handle_frame); uppp counts the ones that still reach it (a
        # plain NIC, a hub): dropped either way, never answered.
        self.disc_case("multicast-source",
                       lambda s: [pppoe(BCAST, b"\x01\x00\x5e\x00\x00\x01", DISC, PADI, 0, svc)],
                       {"dropped_bad_source": (0, 1), "pado_tx": 0, "padi_rx": 0})
        self.disc_case("broadcast-source",
                       lambda s: [pppoe(BCAST, BCAST, DISC, PADI, 0, svc)],
                       {"dropped_bad_source": (0, 1), "pado_tx": 0, "padi_rx": 0})
        self.disc_case("session-frame-group-source",
                       lambda s: [pppoe(self.a.ac_mac, b"\x03\x00\x00\x00\x00\x01", SESS, 0, 1, b"\xc0\x21\x09\x01\x00\x04")],
                       {"dropped_bad_source": (0, 1), "dropped_unknown_session": 0})

    def cases_cookies(self):
        def padr_case(name, cookie_fn, expect_key="dropped_bad_cookie", hu=b"1234"):
            def fn(c0):
                src = fresh_mac()
                cookie = cookie_fn(src)
                c0 = self.counters()
                self.w.drain()
                self.a.padr(src, cookie, hu)
                got = self.w.recv_one(0.3, is_disc(PADS, src))
                d, _ = self.delta(c0, [expect_key, "pads_tx", "sessions"])
                self.check(name, d[expect_key] == 1, "%s delta %d" % (expect_key, d[expect_key]))
                self.check(name, got is None and d["pads_tx"] == 0 and d["sessions"] == 0, "a PADS was sent")
            self.run(name, fn)

        padr_case("padr-no-cookie", lambda s: None)
        padr_case("padr-forged-cookie", lambda s: struct.pack("!I", int(time.monotonic())) + os.urandom(16))
        padr_case("padr-cookie-wrong-length", lambda s: os.urandom(19))
        padr_case("padr-cookie-empty", lambda s: b"")
        padr_case("padr-cookie-of-another-mac", lambda s: self.a.get_cookie(fresh_mac())[1])

        def flipped(src):
            c = bytearray(self.a.get_cookie(src)[1])
            c[-1] ^= 1
            return bytes(c)
        padr_case("padr-cookie-one-bit-off", flipped)
        padr_case("padr-host-uniq-300-bytes", lambda s: self.a.get_cookie(s)[1], "dropped_malformed", hu=b"u" * 300)

    # ---- floods and storms ----

    def case_padi_flood_python(self):
        def fn(c0):
            src = fresh_mac()
            frame = pppoe(BCAST, src, DISC, PADI, 0, tag(T_SVC) + tag(T_HU, b"flod"))
            t0 = time.time()
            for _ in range(3000):
                self.w.send(frame)
            d, _ = self.delta(c0, ["pado_tx", "dropped_rate_limited", "padi_rx"])
            # The server handled the flood between t0 and now (the delta is
            # synced): its buckets refilled for at most this long.
            el = time.time() - t0
            cap = 10 + 5 * (el + 0.5) + 1
            self.check("padi-flood", d["padi_rx"] >= 2900, "only %d PADIs reached it" % d["padi_rx"])
            self.check("padi-flood", d["pado_tx"] <= cap, "%d PADOs for one MAC in %.1fs" % (d["pado_tx"], el))
            self.check("padi-flood", d["dropped_rate_limited"] >= d["padi_rx"] - cap, str(d))
        self.run("padi-flood-one-mac", fn)

    def case_padr_storm(self):
        def fn(c0):
            src = fresh_mac()
            _, cookie = self.a.get_cookie(src)
            self.check("padr-storm", cookie is not None, "no PADO")
            self.w.drain()
            for i in range(500):
                self.a.padr(src, cookie, struct.pack("!I", i))
            d, c1 = self.delta(c0, ["dropped_rate_limited", "dropped_limit", "padr_rx", "pads_tx"])
            pads, end = [], time.time() + HANG   # every PADS the server counted
            while len(pads) < d["pads_tx"] and time.time() < end:
                pads += self.w.recv_all(0.1, is_disc(PADS, src))
            ids = {struct.unpack("!H", f[16:18])[0] for f in pads} - {0}
            # -x 2: at most two sessions for the MAC, whatever the storm
            self.check("padr-storm", 1 <= len(ids) <= 2, "%d sessions from one MAC" % len(ids))
            self.check("padr-storm", d["dropped_rate_limited"] >= 480, str(d))
            for sid in ids:
                self.a.padt(src, sid)
            d2, c2 = self.delta(c1, ["padt_rx"])
            self.check("padr-storm", c2["sessions"] == c0["sessions"], "sessions %d → %d after PADT" %
                       (c0["sessions"], c2["sessions"]))
        self.run("padr-storm-valid-cookie", fn)

    def case_max_negotiating(self):
        def fn(c0):
            c0 = self.wait_counter("negotiating", lambda v: v == 0)  # earlier cases' sessions gone
            opened = []
            for _ in range(7):
                mac, sid = self.a.open_session()
                opened.append((mac, sid))
            ok = [(m, s) for m, s in opened if s]
            d, c1 = self.delta(c0, ["dropped_negotiating"])
            room = 4 - c0["negotiating"]
            self.check("max-negotiating", len(ok) == room, "%d sessions opened, room for %d" % (len(ok), room))
            self.check("max-negotiating", d["dropped_negotiating"] == 7 - room, str(d))
            self.check("max-negotiating", c1["negotiating"] == 4, "negotiating=%d" % c1["negotiating"])
            for m, s in ok:
                self.a.padt(m, s)
            c2 = self.counters()
            self.check("max-negotiating", c2["negotiating"] == c0["negotiating"], "not released")
        self.run("max-negotiating-cap", fn)

    # ---- spoofing ----

    def legit_sid(self):
        text = self.srv.log_text()
        ids = re.findall(r"sess=(\d+) mac=%s event=session-start" % re.escape(self.args.legit_mac), text)
        return int(ids[-1]) if ids else None

    def cases_spoof(self):
        legit = self.legit_sid()

        def spoof(name, send, key="dropped_unknown_session"):
            def fn(c0):
                self.check(name, legit is not None, "legit session id not found in the log")
                send(legit)
                d, c1 = self.delta(c0, [key, "sessions_down"])
                self.check(name, d[key] == 1 and d["sessions_down"] == 0, str(d))
                self.check(name, c1["sessions"] == c0["sessions"], "a session ended")
            self.run(name, fn)

        me = self.w.mac
        spoof("spoofed-padt", lambda sid: self.a.padt(me, sid))
        spoof("spoofed-lcp-term-req", lambda sid: self.a.lcp(me, sid, 5, 1, b"bye"))
        spoof("spoofed-ipcp-from-other-mac", lambda sid: self.a.lcp(me, sid, 1, 1, b"\x03\x06\x0a\x00\x00\x63", IPCP))

        def never(sid):
            other = 1 if sid != 1 else 2
            self.a.lcp(me, other, 9, 1, b"\0\0\0\0")
        spoof("session-that-never-existed", never)

    # ---- inside a session of our own ----

    def with_session(self, name, fn, open_lcp=False, mru=None):
        def run(c0):
            mac, sid = self.a.open_session()
            self.check(name, sid, "could not open a session")
            self.sessions.append((mac, sid))
            if open_lcp:
                self.check(name, self.a.lcp_open(mac, sid, mru) is not None, "LCP did not open")
            self.w.drain()
            try:
                fn(mac, sid, self.counters())
            finally:  # end it, so that sessions in negotiation do not pile up
                if (mac, sid) in self.sessions:
                    self.a.padt(mac, sid)
                    self.sessions.remove((mac, sid))
        self.run(name, run)

    def no_reply(self, name, mac, sid, proto=None, code=None, wait=0.3):
        got = self.w.recv_all(wait, is_sess(sid, mac, proto, code))
        self.check(name, not got, "%d unexpected replies" % len(got))

    def cases_session(self):
        def ipcp_early(mac, sid, c0):
            self.a.lcp(mac, sid, 1, 7, b"\x03\x06\x00\x00\x00\x00", IPCP)
            self.no_reply("ipcp-before-lcp", mac, sid, IPCP)
        self.with_session("ipcp-before-lcp-opened", ipcp_early)

        def chap_early(mac, sid, c0):
            body = bytes([16]) + b"\0" * 16 + b"user2"
            self.a.ppp(mac, sid, CHAP, struct.pack("!BBH", 2, 1, 4 + len(body)) + body)
            self.no_reply("chap-early", mac, sid, CHAP)
        self.with_session("chap-response-before-challenge", chap_early)

        def opts255(mac, sid, c0):
            opts = b"".join(struct.pack("!BB", 100 + (i % 100), 2) for i in range(255))
            self.a.lcp(mac, sid, 1, 0x55, opts)
            r = self.w.recv_one(HANG, lambda f: is_sess(sid, mac, LCP)(f) and f[23] == 0x55)
            self.check("lcp-255", r is not None and r[22] == 4, "no Configure-Reject for 255 unknown options")
        self.with_session("lcp-confreq-255-options", opts255)

        def bad_opt(data):
            def fn(mac, sid, c0):
                self.a.lcp(mac, sid, 1, 0x66, data)
                got = self.w.recv_all(0.3, lambda f: is_sess(sid, mac, LCP)(f) and f[23] == 0x66)
                self.check("lcp-opt", not got, "answered a malformed Configure-Request")
            return fn
        self.with_session("lcp-option-length-0", bad_opt(b"\x01\x00\x05\xdc"))
        self.with_session("lcp-option-length-1", bad_opt(b"\x05\x01\x00\x00"))
        self.with_session("lcp-option-length-255", bad_opt(b"\x01\xff\x05\xdc"))

        def lcp_len_lies(mac, sid, c0):
            # LCP length field larger than the packet, and smaller than its header
            self.a.ppp(mac, sid, LCP, struct.pack("!BBH", 1, 0x67, 400) + b"\x01\x04\x05\xdc")
            self.a.ppp(mac, sid, LCP, struct.pack("!BBH", 1, 0x68, 2))
            got = self.w.recv_all(0.3, lambda f: is_sess(sid, mac, LCP)(f) and f[23] in (0x67, 0x68))
            self.check("lcp-len", not got, "answered an LCP packet with a lying length")
        self.with_session("lcp-length-field-lies", lcp_len_lies)

        def session_len(mac, sid, c0):
            self.a.ppp(mac, sid, LCP, b"\x09\x01\x00\x08abcd", length=1)
            self.a.ppp(mac, sid, LCP, b"\x09\x01\x00\x08abcd", code=0x09)
            d, _ = self.delta(c0, ["dropped_malformed"])
            self.check("session-len", d["dropped_malformed"] == 2, str(d))
        self.with_session("session-length-1-and-bad-code", session_len)

        def confreq_storm(mac, sid, c0):
            for i in range(300):
                self.a.lcp(mac, sid, 1, i & 0xFF, struct.pack("!BBH", 1, 4, 1492))
            got = self.w.recv_one(HANG, is_sess(sid, mac, LCP))
            self.check("confreq-storm", got is not None, "no answer at all")
            # the server's own Configure-Requests are never acked: its LCP
            # gives up after max-configure; meanwhile it answers, nothing more
        self.with_session("lcp-confreq-storm-no-ack", confreq_storm)

        def echo_storm(mac, sid, c0):
            for i in range(2000):
                self.a.lcp(mac, sid, 9, i & 0xFF, b"\0\0\0\0" + b"e" * 32)
            got, end = [], time.time() + HANG
            while len(got) < 100 and time.time() < end:
                got += self.w.recv_all(0.1, is_sess(sid, mac, LCP, 10))
            self.check("echo-storm", len(got) >= 100, "only %d Echo-Replies" % len(got))
        self.with_session("lcp-echo-storm", echo_storm, open_lcp=True)

        def echo_big(mac, sid, c0):
            self.a.lcp(mac, sid, 9, 0x77, b"\0\0\0\0" + b"E" * 1200)
            self.counters()   # the server has handled the request (and sent any reply)
            got = self.w.recv_all(0.3, is_sess(sid, mac, LCP, 10))
            big = [len(f) - 22 for f in got if len(f) - 22 > 200]
            self.check("echo-big", not big, "Echo-Reply of %s bytes past our MRU 200" % big)
        self.with_session("lcp-echo-larger-than-mru", echo_big, open_lcp=True, mru=200)

        def pap_255(mac, sid, c0):
            long = b"P" * 255
            ok = bytes([255]) + long + bytes([255]) + long
            self.a.ppp(mac, sid, PAP, struct.pack("!BBH", 1, 1, 4 + len(ok)) + ok)
            lying = bytes([255]) + b"short"
            self.a.ppp(mac, sid, PAP, struct.pack("!BBH", 1, 2, 4 + len(lying)) + lying)
            self.no_reply("pap-255", mac, sid, PAP)   # we require CHAP: PAP is dropped
            d, c1 = self.delta(c0, ["sessions_down"])
            self.check("pap-255", d["sessions_down"] == 0, "session ended")
        self.with_session("pap-255-byte-fields", pap_255, open_lcp=True)

        def unknown_proto(mac, sid, c0):
            for proto in (0x1234, 0x8057, 0xC025, 0x0001):
                self.a.ppp(mac, sid, proto, b"\x01\x01\x00\x04")
            got, end = [], time.time() + HANG
            while len(got) < 4 and time.time() < end:
                got += self.w.recv_all(0.1, is_sess(sid, mac, LCP, 8))
            self.counters()   # anything more the server would send is sent by now
            got += self.w.recv_all(0.3, is_sess(sid, mac, LCP, 8))
            self.check("unknown-proto", len(got) == 4, "%d Protocol-Rejects for 4 unknown protocols" % len(got))
        self.with_session("unknown-protocol-numbers", unknown_proto, open_lcp=True)

        def after_padt(mac, sid, c0):
            self.a.padt(mac, sid, tag(T_GENERR, bytes(range(256)) * 4))
            time.sleep(0.1)
            self.a.lcp(mac, sid, 9, 1, b"\0\0\0\0")
            self.a.lcp(mac, sid, 1, 1, b"\x03\x06\0\0\0\0", IPCP)
            d, _ = self.delta(c0, ["padt_rx", "dropped_unknown_session", "sessions_down"])
            self.check("after-padt", d["sessions_down"] == 1 and d["dropped_unknown_session"] == 2, str(d))
            self.check("after-padt", "generic_error='\\x00\\x01" in self.srv.log_text(),
                       "binary Generic-Error not escaped in the log")
            self.sessions.remove((mac, sid))
        self.with_session("frames-after-padt", after_padt)

    def case_auth_failures(self):
        def fn(c0):
            mac = fresh_mac()
            results = []
            for _ in range(3):
                m, sid = self.a.open_session(mac)
                self.check("auth-fail", sid, "could not open session %d" % len(results))
                self.check("auth-fail", self.a.lcp_open(m, sid) is not None, "LCP did not open")
                results.append(self.a.chap_answer(m, sid, b"user2", b"wrong"))
                # The server ends the session: ack its Terminate-Request(s)
                # until its PADT (which always comes), before the next try.
                end = time.time() + HANG
                while time.time() < end:
                    f = self.w.recv_one(0.1, lambda x: is_sess(sid, mac, LCP, 5)(x) or is_disc(PADT, mac)(x))
                    if f and f[12:14] == b"\x88\x63":
                        break
                    if f:
                        self.a.lcp(mac, sid, 6, f[23])
            self.check("auth-fail", results == [4, 4, 4], "CHAP results %s" % results)
            self.wait_counter("auth_failures", lambda v: v >= c0["auth_failures"] + 3)
            d, c1 = self.delta(c0, ["auth_failures"])
            self.check("auth-fail", d["auth_failures"] == 3, str(d))
            ac, cookie = self.a.get_cookie(mac)
            self.check("auth-fail", cookie is None, "a PADO after three failed logins")
            d, _ = self.delta(c1, ["dropped_auth_limited"])
            self.check("auth-fail", d["dropped_auth_limited"] == 1, str(d))
            self.check("auth-fail", "event=auth-limited" in self.srv.log_text(), "no auth-limited line")
            # the right password from another MAC still works
            m2, sid = self.a.open_session()
            self.check("auth-fail", sid and self.a.lcp_open(m2, sid) is not None, "honest login blocked")
            self.check("auth-fail", self.a.chap_answer(m2, sid, b"user2", b"pw2") == 3, "good password refused")
            self.sessions.append((m2, sid))
        self.run("chap-wrong-password-limit", fn)

    def finish(self):
        for mac, sid in self.sessions:
            self.a.padt(mac, sid)
        self.counters()   # handled

    def cases(self):
        first = fresh_mac()
        ac, cookie = self.a.get_cookie(first)
        if cookie is None:
            print("FAIL no PADO for the first PADI: is the server up?")
            return 1
        with open(self.args.state, "w") as f:  # replayed by the `expired` phase
            json.dump({"mac": mac_str(first), "cookie": cookie.hex(), "at": time.time()}, f)
        self.cases_discovery()
        self.cases_cookies()
        self.case_padi_flood_python()
        self.case_padr_storm()
        self.cases_spoof()
        self.cases_session()
        self.case_auth_failures()
        self.finish()
        self.case_max_negotiating()
        c = self.counters()
        print("counters %s" % " ".join("%s=%d" % kv for kv in sorted(c.items())))
        print("%d passed, %d failed%s" % (len(self.passed), len(self.failed),
                                          (": " + ", ".join(self.failed)) if self.failed else ""))
        return 1 if self.failed else 0

    def expired(self):
        with open(self.args.state) as f:
            st = json.load(f)
        wait = st["at"] + 62 - time.time()
        if wait > 0:
            print("waiting %.0fs for the AC-Cookie to expire" % wait, flush=True)
            time.sleep(wait)
        mac, cookie = mac_bytes(st["mac"]), bytes.fromhex(st["cookie"])
        self.a.ac_mac = mac_bytes(self.args.ac_mac)

        def fn(c0):
            self.w.drain()
            self.a.padr(mac, cookie, b"late")
            got = self.w.recv_one(0.3, is_disc(PADS, mac))
            d, _ = self.delta(c0, ["dropped_bad_cookie", "pads_tx"])
            self.check("expired", d["dropped_bad_cookie"] == 1 and d["pads_tx"] == 0 and got is None, str(d))
            self.check("expired", "AC-Cookie expired" in self.srv.log_text(), "no 'AC-Cookie expired' line")
        self.run("padr-expired-cookie", fn)
        return 1 if self.failed else 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("phase", choices=["cases", "expired"])
    ap.add_argument("--iface", required=True)
    ap.add_argument("--server-pid", type=int, required=True)
    ap.add_argument("--server-log", required=True)
    ap.add_argument("--legit-mac", default="")
    ap.add_argument("--ac-mac", default="")
    ap.add_argument("--state", required=True)
    args = ap.parse_args()
    random.seed(os.getpid())
    s = Suite(args)
    return s.cases() if args.phase == "cases" else s.expired()


if __name__ == "__main__":
    sys.exit(main())
