/* fuzz_seedgen.c — writes the seed corpora in test/fuzz/corpus/ from real
 * exchanges: an access concentrator and a PPPoE client wired in memory
 * (every frame each side receives), two PPP engines wired to each other,
 * two authentication engines wired to each other, plus hand-made IPv4 and
 * secrets-file samples. The hosts, configurations and random streams are
 * the targets' own (fuzz_common.c), so every seed replays exactly: a
 * session seed opens a session, an auth seed authenticates.
 *
 *   build/test/fuzz/fuzz_seedgen test/fuzz/corpus
 *
 * Re-run it when the protocol engines change what they send (the replay
 * tests' depth checks fail when the seeds no longer reach their states). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "auth/auth.h"
#include "core/buf.h"
#include "fuzz_common.h"
#include "fuzz_ppp.h"
#include "proto/pppoe.h"

#define SEED_MAX (256 * 1024)

static const char *out_dir;

struct seed {
	uint8_t buf[SEED_MAX];
	size_t len;
	uint64_t t;      /* virtual time of the last record, as the target will see it */
};

static void seed_begin(struct seed *s, uint8_t mode, uint64_t t0)
{
	s->buf[0] = mode;
	s->len = 1;
	s->t = t0;
}

/* Adds a record delivered at time now; the step is rounded down to what a
 * ctl byte can say, and the remainder carried to the next record. */
static void seed_add(struct seed *s, uint64_t now, uint8_t flags, const uint8_t *data, size_t len)
{
	uint8_t t = fuzz_ctl_for_delta(now > s->t ? now - s->t : 0);
	s->t += fuzz_step_ms(t);
	if (!fuzz_put_record(s->buf, sizeof(s->buf), &s->len, (uint8_t)(t | flags), data, len)) {
		fprintf(stderr, "seedgen: seed too large\n");
		exit(1);
	}
}

static void write_file(const char *target, const char *name, const uint8_t *data, size_t len)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", out_dir, target);
	if (mkdir(path, 0755) && errno != EEXIST) {
		perror(path);
		exit(1);
	}
	snprintf(path, sizeof(path), "%s/%s/%s", out_dir, target, name);
	f = fopen(path, "wb");
	if (!f || fwrite(data, 1, len, f) != len || fclose(f)) {
		perror(path);
		exit(1);
	}
}

static void write_seed(const char *target, const char *name, const struct seed *s)
{
	write_file(target, name, s->buf, s->len);
}

/* An IPv4 TCP SYN from src to dst with an MSS option of mss and a right
 * checksum; returns its length. */
static size_t make_tcp_syn(uint8_t *p, uint32_t src, uint32_t dst, uint16_t mss, bool ack)
{
	const size_t len = 20 + 24;
	uint32_t sum = 0;

	memset(p, 0, len);
	p[0] = 0x45;
	uppp_put_be16(p + 2, (uint16_t)len);
	p[8] = 64;
	p[9] = 6;
	uppp_put_be32(p + 12, src);
	uppp_put_be32(p + 16, dst);
	for (int i = 0; i < 20; i += 2)
		sum += uppp_get_be16(p + i);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	uppp_put_be16(p + 10, (uint16_t)~sum);

	uint8_t *t = p + 20;
	uppp_put_be16(t, 40000);
	uppp_put_be16(t + 2, 80);
	uppp_put_be32(t + 4, 0x01020304);
	if (ack)
		uppp_put_be32(t + 8, 0x0a0b0c0d);
	t[12] = 6 << 4;                    /* data offset: 24 bytes */
	t[13] = ack ? 0x12 : 0x02;         /* SYN (+ACK) */
	uppp_put_be16(t + 14, 64240);
	t[20] = 2;                         /* MSS */
	t[21] = 4;
	uppp_put_be16(t + 22, mss);
	sum = 0;
	for (int i = 12; i < 20; i += 2)
		sum += uppp_get_be16(p + i);
	sum += 6 + 24;
	for (int i = 0; i < 24; i += 2)
		sum += uppp_get_be16(t + i);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	uppp_put_be16(t + 16, (uint16_t)~sum);
	return len;
}

/* ---- AC + client in memory: fuzz_session, fuzz_dial, fuzz_pppoe ---- */

#define WQ 256
struct world {
	struct fuzz_ac_host ac;
	struct fuzz_dial_host cl;
	struct { int to_ac; size_t len; uint8_t f[UPPP_PPPOE_FRAME_MAX]; } q[WQ];
	size_t q_head, q_len;
	struct seed s_ac, s_cl;
	bool pppoe_seen[256];      /* one fuzz_pppoe seed per PPPoE code and ethertype */
	bool dump_pppoe;
};

static void world_push(struct world *w, int to_ac, const uint8_t *f, size_t len)
{
	if (w->q_len == WQ) {
		fprintf(stderr, "seedgen: world queue full\n");
		exit(1);
	}
	size_t i = (w->q_head + w->q_len++) % WQ;
	w->q[i].to_ac = to_ac;
	w->q[i].len = len;
	memcpy(w->q[i].f, f, len);
}

static void tap_ac(void *ctx, const uint8_t *f, size_t len) { world_push(ctx, 0, f, len); }
static void tap_cl(void *ctx, const uint8_t *f, size_t len) { world_push(ctx, 1, f, len); }

static uint8_t frame_flags(const uint8_t *f, size_t len, bool to_ac)
{
	struct uppp_pppoe_frame pf;
	if (uppp_pppoe_parse(f, len, &pf))
		return 0;
	if (pf.ethertype == ETH_P_PPPOE_SESS || pf.code == PPPOE_CODE_PADT)
		return FUZZ_CTL_FLAG2;
	if (to_ac && pf.code == PPPOE_CODE_PADR)
		return FUZZ_CTL_FLAG1;
	return 0;
}

static void world_maybe_dump(struct world *w, const uint8_t *f, size_t len)
{
	struct uppp_pppoe_frame pf;
	char name[64];

	if (!w->dump_pppoe || uppp_pppoe_parse(f, len, &pf))
		return;
	uint8_t key = pf.ethertype == ETH_P_PPPOE_SESS ? (uint8_t)(0x80 | (pf.payload_len > 2 ? pf.payload[1] & 0x7f : 0)) : pf.code;
	if (w->pppoe_seen[key])
		return;
	w->pppoe_seen[key] = true;
	snprintf(name, sizeof(name), "%s-%02x", pf.ethertype == ETH_P_PPPOE_SESS ? "session" : uppp_pppoe_code_name(pf.code), key);
	write_file("fuzz_pppoe", name, f, len);
}

static uint64_t world_next_timer(const struct world *w)
{
	uint64_t t = uppp_dial_next_deadline(w->cl.d), a = uppp_ac_next_deadline(w->ac.ac);
	return a < t ? a : t;
}

/* Delivers frames and fires timers until `until` (virtual ms). */
static void world_run(struct world *w, uint64_t until)
{
	for (unsigned guard = 0; guard < 100000; guard++) {
		if (w->q_len) {
			uint8_t f[UPPP_PPPOE_FRAME_MAX];
			size_t i = w->q_head, len = w->q[i].len;
			int to_ac = w->q[i].to_ac;
			memcpy(f, w->q[i].f, len);
			w->q_head = (w->q_head + 1) % WQ;
			w->q_len--;
			world_maybe_dump(w, f, len);
			if (to_ac) {
				seed_add(&w->s_ac, w->ac.now, frame_flags(f, len, true), f, len);
				uppp_ac_input(w->ac.ac, f, len, w->ac.now);
			} else {
				seed_add(&w->s_cl, w->cl.now, frame_flags(f, len, false), f, len);
				uppp_dial_input(w->cl.d, f, len, w->cl.now);
			}
			continue;
		}
		uint64_t t = world_next_timer(w);
		if (t > until)
			break;
		fuzz_ac_host_run_timers(&w->ac, t);
		fuzz_dial_host_run_timers(&w->cl, t);
	}
	if (w->ac.now < until)
		w->ac.now = until;
	if (w->cl.now < until)
		w->cl.now = until;
}

static void world_seeds(uint8_t mode, bool dump_pppoe)
{
	static struct world w;
	static const char *auth_names[4] = { "none", "pap", "chap", "mschapv2" };
	uint8_t ip[64];
	char name[64];
	size_t n;

	memset(&w, 0, sizeof(w));
	w.dump_pppoe = dump_pppoe;
	w.ac.tap = tap_ac;
	w.ac.tap_ctx = &w;
	w.cl.tap = tap_cl;
	w.cl.tap_ctx = &w;
	seed_begin(&w.s_ac, mode, FUZZ_T0);
	seed_begin(&w.s_cl, mode, FUZZ_T0);
	fuzz_ac_host_start(&w.ac, mode);
	fuzz_dial_host_start(&w.cl, mode);   /* sends the PADI */
	world_run(&w, FUZZ_T0 + 5000);
	if (!w.ac.ups || !w.cl.ups) {
		fprintf(stderr, "seedgen: mode %u: the session did not come up\n", mode);
		exit(1);
	}
	/* Data both ways: a SYN from the client (clamped at the AC), a SYN-ACK
	 * from the AC's interface (a bit-7 record in the AC's seed). */
	n = make_tcp_syn(ip, FUZZ_PEER_IP + 1, 0x08080808, 1460, false);
	uppp_dial_send_ip(w.cl.d, ip, n, w.cl.now);
	world_run(&w, w.ac.now + 10);
	n = make_tcp_syn(ip, 0x08080808, FUZZ_PEER_IP + 1, 1460, true);
	seed_add(&w.s_ac, w.ac.now, FUZZ_CTL_FLAG3, ip, n);
	uppp_ac_send_ip(w.ac.ac, w.ac.up_sess, ip, n, w.ac.now);
	n = make_tcp_syn(ip, 0x08080808, FUZZ_PEER_IP + 1, 1460, true);
	seed_add(&w.s_cl, w.cl.now, FUZZ_CTL_FLAG3, ip, n);
	/* Keepalives: a few echo intervals pass. */
	world_run(&w, w.ac.now + 25000);
	uppp_dial_hangup(w.cl.d, UPPP_CAUSE_ADMIN, w.cl.now);
	world_run(&w, w.ac.now + 5000);

	snprintf(name, sizeof(name), "%s%s", auth_names[mode & 3], (mode & 4) ? "-permac" : "");
	write_seed("fuzz_session", name, &w.s_ac);
	write_seed("fuzz_dial", name, &w.s_cl);
	fuzz_ac_host_finish(&w.ac);
	fuzz_dial_host_finish(&w.cl);
}

/* ---- two PPP engines: fuzz_lcp, fuzz_ipcp ---- */

struct ppp_tap {
	struct seed s;
	int side;
	uint16_t proto;    /* the target's protocol: recorded as plain info */
	struct fuzz_pair *p;
};

static void tap_ppp(void *ctx, int to, uint16_t proto, const uint8_t *info, size_t len)
{
	struct ppp_tap *t = ctx;
	uint8_t pkt[2 + FUZZ_PKT_MAX];

	if (to != t->side)
		return;
	if (proto == t->proto) {
		seed_add(&t->s, t->p->now, 0, info, len);
	} else {
		uppp_put_be16(pkt, proto);
		memcpy(pkt + 2, info, len);
		seed_add(&t->s, t->p->now, FUZZ_CTL_FLAG3, pkt, len + 2);
	}
}

static void ppp_seed(const char *target, uint16_t proto, uint8_t mode, const char *name)
{
	static struct fuzz_pair p;
	static struct ppp_tap t;
	uint8_t pkt[2 + 64];
	size_t n;

	seed_begin(&t.s, mode, FUZZ_T0);
	t.side = mode & 1;
	t.proto = proto;
	t.p = &p;
	fuzz_ppp_prepare(&p, proto, mode);
	p.tap = tap_ppp;
	p.tap_ctx = &t;
	fuzz_pair_run(&p, NULL);
	if (proto == PPP_IPCP && !p.h[t.side].ups) {
		fprintf(stderr, "seedgen: %s: the link did not come up\n", name);
		exit(1);
	}
	if (p.h[t.side].ups) {
		/* An IP packet from the peer, one from our interface (clamped). */
		uppp_put_be16(pkt, PPP_IP);
		n = make_tcp_syn(pkt + 2, FUZZ_PEER_IP, 0x08080808, 1460, false);
		seed_add(&t.s, p.now, FUZZ_CTL_FLAG3, pkt, n + 2);
		n = make_tcp_syn(pkt, 0x08080808, FUZZ_PEER_IP, 1460, true);
		seed_add(&t.s, p.now, FUZZ_CTL_FLAG1, pkt, n);
	}
	/* Time passes: echo requests go out (nowhere) and the peer's come in. */
	static const uint8_t echo[] = { LCP_ECHO_REQ, 0x42, 0, 8, 0, 0, 0, 0 };
	uppp_put_be16(pkt, PPP_LCP);
	memcpy(pkt + 2, echo, sizeof(echo));
	seed_add(&t.s, p.now + 12000, FUZZ_CTL_FLAG3, pkt, sizeof(echo) + 2);
	/* The peer hangs up. */
	static const uint8_t term[] = { CP_TERM_REQ, 0x43, 0, 4 };
	memcpy(pkt + 2, term, sizeof(term));
	seed_add(&t.s, p.now + 14000, FUZZ_CTL_FLAG3, pkt, sizeof(term) + 2);
	write_seed(target, name, &t.s);
}

/* ---- two auth engines: fuzz_pap, fuzz_chap, fuzz_mschapv2 ---- */

struct auth_pair {
	struct uppp_auth a[2];        /* 0 authenticator, 1 peer */
	struct fuzz_rng rng[2];
	struct { int to; size_t len; uint8_t info[600]; } q[16];
	size_t q_len;
	struct seed s[2];
	uint64_t now;
};
static struct auth_pair ap;

static void ap_send(void *ctx, uint16_t protocol, const uint8_t *info, size_t len)
{
	int from = (int)(intptr_t)ctx;
	if (ap.q_len < 16 && len <= sizeof(ap.q[0].info)) {
		ap.q[ap.q_len].to = !from;
		ap.q[ap.q_len].len = len;
		memcpy(ap.q[ap.q_len].info, info, len);
		ap.q_len++;
	}
}

static int ap_random(void *ctx, void *buf, size_t len) { fuzz_rng_fill(&ap.rng[(intptr_t)ctx], buf, len); return 0; }

static int ap_get_secret(void *ctx, const char *peer, uint8_t *secret, size_t cap, size_t *len)
{
	return fuzz_get_secret(peer, secret, cap, len);
}

static const struct uppp_auth_ops ap_ops = {
	.send = ap_send, .random = ap_random, .get_secret = ap_get_secret,
};

static void auth_seeds(const char *target, enum uppp_auth_method proto, const char *password, const char *name)
{
	enum uppp_auth_result r[2];
	char file[64];

	memset(&ap, 0, sizeof(ap));
	ap.now = FUZZ_T0;
	fuzz_rng_init(&ap.rng[0], FUZZ_SEED_SERVER);
	fuzz_rng_init(&ap.rng[1], FUZZ_SEED_CLIENT);
	seed_begin(&ap.s[0], 0, FUZZ_T0);
	seed_begin(&ap.s[1], 1, FUZZ_T0);
	uppp_auth_init(&ap.a[0], proto, true, FUZZ_SERVER_NAME, NULL, &ap_ops, (void *)(intptr_t)0);
	uppp_auth_init(&ap.a[1], proto, false, FUZZ_USER, password, &ap_ops, (void *)(intptr_t)1);
	ap.a[0].log = &fuzz_logger;
	ap.a[1].log = &fuzz_logger;
	r[0] = uppp_auth_start(&ap.a[0], ap.now);
	r[1] = uppp_auth_start(&ap.a[1], ap.now);
	for (unsigned guard = 0; ap.q_len && guard < 64; guard++) {
		int to = ap.q[0].to;
		size_t len = ap.q[0].len;
		uint8_t info[600];
		memcpy(info, ap.q[0].info, len);
		memmove(&ap.q[0], &ap.q[1], (ap.q_len - 1) * sizeof(ap.q[0]));
		ap.q_len--;
		seed_add(&ap.s[to], ap.now, 0, info, len);
		r[to] = uppp_auth_input(&ap.a[to], info, len, ap.now);
	}
	bool good = strcmp(password, FUZZ_PASSWORD) == 0;
	if (good && (r[0] != UPPP_AUTH_SUCCEEDED || r[1] != UPPP_AUTH_SUCCEEDED)) {
		fprintf(stderr, "seedgen: %s: did not authenticate (%d %d)\n", target, r[0], r[1]);
		exit(1);
	}
	snprintf(file, sizeof(file), "authenticator-%s", name);
	write_seed(target, file, &ap.s[0]);
	snprintf(file, sizeof(file), "peer-%s", name);
	write_seed(target, file, &ap.s[1]);
}

/* ---- hand-made samples: fuzz_mss, fuzz_secrets, more fuzz_pppoe ---- */

static void mss_seeds(void)
{
	uint8_t b[2 + 64];
	size_t n;

	uppp_put_be16(b, 1452);
	n = make_tcp_syn(b + 2, 0x0a000002, 0x08080808, 1460, false);
	write_file("fuzz_mss", "syn-1460", b, n + 2);
	n = make_tcp_syn(b + 2, 0x08080808, 0x0a000002, 1460, true);
	write_file("fuzz_mss", "synack-1460", b, n + 2);
	n = make_tcp_syn(b + 2, 0x0a000002, 0x08080808, 1400, false);
	write_file("fuzz_mss", "syn-small", b, n + 2);
	n = make_tcp_syn(b + 2, 0x0a000002, 0x08080808, 1460, false);
	b[2 + 20 + 13] = 0x10;   /* ACK only: not clamped */
	write_file("fuzz_mss", "ack", b, n + 2);
	n = make_tcp_syn(b + 2, 0x0a000002, 0x08080808, 1460, false);
	b[2 + 20 + 20] = 1;      /* NOP, then the MSS option shifted out of place */
	write_file("fuzz_mss", "nop", b, n + 2);
	n = make_tcp_syn(b + 2, 0x0a000002, 0x08080808, 1460, false);
	b[2 + 9] = 17;           /* UDP */
	write_file("fuzz_mss", "udp", b, n + 2);
}

static void secrets_seeds(void)
{
	static const struct { const char *name, *text; } s[] = {
		{ "basic", "# client\tserver\tsecret\tIP addresses\n"
			   "alice\t*\twonderland\t10.0.0.5\n"
			   "bob  uppp  \"builder pass\"  *\n"
			   "\"carol smith\" * 'it''s' -\n"
			   "* * guest 10.0.0.9 10.0.0.10\n" },
		{ "escapes", "dave * pa\\ss\\x41\\101\\n\\t\\s#x 10.1.2.3\n"
			     "\"eve\"\"x\" * a\"b c\"d\n"
			     "frank * \"\" \n"
			     "   # only a comment\n\n"
			     "gina * @/etc/file\r\n" },
		{ "bad-addr", "alice * secret 10.0.0.300\n" },
		{ "bad-quote", "alice * \"unterminated\n" },
		{ "short", "alice *\n" },
		{ "many-addrs", "h * s 1.1.1.1 2.2.2.2 3.3.3.3 4.4.4.4 5.5.5.5\n" },
	};
	for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++)
		write_file("fuzz_secrets", s[i].name, (const uint8_t *)s[i].text, strlen(s[i].text));
}

static void options_seeds(void)
{
	/* Texts separated by NUL: "options", then what `file 1..3` read. */
	static const struct { const char *name, *text; size_t len; } s[] = {
#define T(name, text) { name, text, sizeof(text) - 1 }
		T("server", "# PPP options for the PPPoE server\nrequire-pap\nrequire-chap\nlogin\n"
			    "lcp-echo-interval 10\nlcp-echo-failure 2\nlogfile /var/log/pppoe.log\n"
			    "ms-dns 114.114.114.114\nms-dns 8.8.8.8\nms-wins 10.0.0.60\ndefaultroute\n"),
		T("values", "lcp-restart 1\nlcp-max-configure 4 lcp-max-terminate 3\n"
			    "lcp-max-failure 7 mru 1400 mtu 1300 idle 600\n"
			    "debug name \"my server\" require-mschap-v2 +pap noauth auth\n"),
		T("quoting", "name 'a b'\"c\"#x\n# require-eap\nlogfile /tmp/x\\sy # c\nname \\x41\\101\n"),
		T("errors", "require-chap\n\n  frobnicate 3 4\nlcp-echo-interval -1\nmru 100\n"
			    "ms-dns 1.2.3\nplugin radius.so\nplugin rp-pppoe.so\nrequire-mschap\nms-dns"),
		T("includes", "require-pap\nfile 1\nfile 2\nfile /etc/nowhere\n\0"
			      "ms-dns 10.0.0.53\nfile 3\n\0"
			      "lcp-echo-failure 5\nfile 1\n\0"
			      "file options\nfile 3\n"),
#undef T
	};
	for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++)
		write_file("fuzz_options", s[i].name, (const uint8_t *)s[i].text, s[i].len);
}

static void pppoe_seeds(void)
{
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	struct uppp_pppoe_tag svcs[3] = { uppp_pppoe_tag_str(""), uppp_pppoe_tag_str("internet"),
					  uppp_pppoe_tag_str("voip") };
	struct uppp_pppoe_out o = { 0 };
	uint8_t f[UPPP_PPPOE_FRAME_MAX];
	int n;

	o.services = svcs;
	o.n_services = 3;
	o.ac_name = uppp_pppoe_tag_str("ac\x01name");
	o.host_uniq = uppp_pppoe_tag_bytes("\x00\x01\x02\x03", 4);
	o.relay_id = uppp_pppoe_tag_bytes("relay", 5);
	o.cookie = uppp_pppoe_tag_bytes("0123456789abcdefghij", 20);
	n = uppp_pppoe_build_pado(f, sizeof(f), fuzz_client_mac, fuzz_ac_mac, &o);
	write_file("fuzz_pppoe", "pado-all-tags", f, (size_t)n);
	memset(&o, 0, sizeof(o));
	o.service_name_error = uppp_pppoe_tag_str("no such service");
	o.ac_system_error = uppp_pppoe_tag_str("full");
	o.generic_error = uppp_pppoe_tag_str("go away");
	n = uppp_pppoe_build_pads(f, sizeof(f), fuzz_client_mac, fuzz_ac_mac, 0, &o);
	write_file("fuzz_pppoe", "pads-errors", f, (size_t)n);
	n = uppp_pppoe_build_padi(f, sizeof(f), fuzz_client_mac, uppp_pppoe_tag_str(""), uppp_pppoe_tag_bytes("hu", 2));
	/* A Vendor-Specific tag and End-Of-List appended, then Ethernet padding. */
	static const uint8_t extra[] = { 0x01, 0x05, 0x00, 0x04, 0x00, 0x00, 0x0d, 0xe9, 0x00, 0x00, 0x00, 0x00 };
	memcpy(f + n, extra, sizeof(extra));
	uppp_put_be16(f + 18, (uint16_t)(uppp_get_be16(f + 18) + sizeof(extra)));
	memset(f + n + sizeof(extra), 0, 20);
	write_file("fuzz_pppoe", "padi-vendor-padded", f, (size_t)n + sizeof(extra) + 20);
	(void)bcast;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s CORPUS_DIR\n", argv[0]);
		return 2;
	}
	out_dir = argv[1];
	if (mkdir(out_dir, 0755) && errno != EEXIST) {
		perror(out_dir);
		return 1;
	}
	for (uint8_t mode = 0; mode < 8; mode++)
		world_seeds(mode, mode == 2);

	static const char *auth_names[4] = { "none", "pap", "chap", "mschapv2" };
	char name[64];
	for (uint8_t side = 0; side < 2; side++) {
		for (uint8_t auth = 0; auth < 4; auth++) {
			for (uint8_t pre = 0; pre < 2; pre++) {
				uint8_t mode = (uint8_t)(side | auth << 1 | (pre ? FUZZ_PPP_PREOPEN : 0));
				snprintf(name, sizeof(name), "%s-%s%s", side ? "client" : "server", auth_names[auth],
					 pre ? "-opened" : "");
				ppp_seed("fuzz_lcp", PPP_LCP, mode, name);
			}
		}
		ppp_seed("fuzz_ipcp", PPP_IPCP, side, side ? "client" : "server");
	}

	auth_seeds("fuzz_pap", UPPP_AUTH_PAP, FUZZ_PASSWORD, "good");
	auth_seeds("fuzz_pap", UPPP_AUTH_PAP, "wrong", "bad");
	auth_seeds("fuzz_chap", UPPP_AUTH_CHAP_MD5, FUZZ_PASSWORD, "good");
	auth_seeds("fuzz_chap", UPPP_AUTH_CHAP_MD5, "wrong", "bad");
	auth_seeds("fuzz_mschapv2", UPPP_AUTH_MSCHAPV2, FUZZ_PASSWORD, "good");
	auth_seeds("fuzz_mschapv2", UPPP_AUTH_MSCHAPV2, "wrong", "bad");

	mss_seeds();
	secrets_seeds();
	options_seeds();
	pppoe_seeds();
	return 0;
}
