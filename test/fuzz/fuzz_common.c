/* test/fuzz/fuzz_common.c — see fuzz_common.h. */
#include "fuzz_common.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "proto/pppoe.h"

const uint8_t fuzz_ac_mac[6] = { 0x02, 0xac, 0x00, 0x00, 0x00, 0x01 };
const uint8_t fuzz_client_mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };

void fuzz_fail(const char *file, int line, const char *what)
{
	fprintf(stderr, "%s:%d: fuzz invariant broken: %s\n", file, line, what);
	abort();
}

/* ---- randomness ---- */

void fuzz_rng_init(struct fuzz_rng *r, uint64_t seed) { r->s = seed | 1; }

void fuzz_rng_fill(struct fuzz_rng *r, void *buf, size_t len)
{
	uint8_t *p = buf;
	for (size_t i = 0; i < len; i++) {
		r->s ^= r->s >> 12;
		r->s ^= r->s << 25;
		r->s ^= r->s >> 27;
		p[i] = (uint8_t)((r->s * 0x2545f4914f6cdd1dull) >> 56);
	}
}

/* ---- records ---- */

bool fuzz_next_record(struct fuzz_input *in, uint8_t *ctl, const uint8_t **data, size_t *len)
{
	size_t n;

	if (in->len < 3)
		return false;
	*ctl = in->p[0];
	n = (size_t)in->p[1] << 8 | in->p[2];
	in->p += 3;
	in->len -= 3;
	if (n > in->len)
		n = in->len;
	*data = in->p;
	*len = n;
	in->p += n;
	in->len -= n;
	return true;
}

uint64_t fuzz_step_ms(uint8_t ctl)
{
	unsigned t = ctl & FUZZ_CTL_TIME;
	return t < 16 ? t * 10u : (t - 15u) * 2000u;
}

uint8_t fuzz_ctl_for_delta(uint64_t delta_ms)
{
	uint8_t best = 0;
	for (uint8_t t = 0; t <= FUZZ_CTL_TIME; t++)
		if (fuzz_step_ms(t) <= delta_ms && fuzz_step_ms(t) >= fuzz_step_ms(best))
			best = t;
	return best;
}

bool fuzz_put_record(uint8_t *out, size_t cap, size_t *used, uint8_t ctl, const uint8_t *data,
		     size_t len)
{
	if (len > 0xffff || cap - *used < 3 + len)
		return false;
	out[*used] = ctl;
	uppp_put_be16(out + *used + 1, (uint16_t)len);
	memcpy(out + *used + 3, data, len);
	*used += 3 + len;
	return true;
}

__attribute__((format(printf, 2, 0)))
void fuzz_vlog(const char *who, const char *fmt, va_list ap)
{
	static int verbose = -1;
	char line[2048];

	vsnprintf(line, sizeof(line), fmt, ap);
	if (verbose < 0)
		verbose = getenv("UPPP_FUZZ_VERBOSE") != NULL;
	if (verbose)
		fprintf(stderr, "%s %s\n", who, line);
}

void fuzz_emit(void *ud, enum uppp_log_level level, const char *line)
{
	static int verbose = -1;

	(void)level;
	if (verbose < 0)
		verbose = getenv("UPPP_FUZZ_VERBOSE") != NULL;
	if (verbose)
		fprintf(stderr, "%s %s\n", (const char *)ud, line);
}

const struct uppp_logger fuzz_logger = { .min = UPPP_LOG_DEBUG, .emit = fuzz_emit, .ud = "ppp" };

/* ---- the fixed world ---- */

int fuzz_get_secret(const char *peer, uint8_t *secret, size_t cap, size_t *len)
{
	size_t n = strlen(FUZZ_PASSWORD);

	if (strcmp(peer, FUZZ_USER) != 0)
		return -ENOENT;
	if (n > cap)
		return -ENOSPC;
	memcpy(secret, FUZZ_PASSWORD, n);
	*len = n;
	return 0;
}

void fuzz_ppp_config(struct uppp_ppp_config *cfg, bool server, enum uppp_auth_method auth)
{
	uppp_ppp_config_defaults(cfg);
	cfg->is_server = server;
	cfg->mss_clamp = 0;
	cfg->echo_interval_ms = 10000;
	cfg->echo_failure = 3;
	if (server) {
		cfg->auth = auth;
		cfg->name = FUZZ_SERVER_NAME;
		cfg->local_ip = FUZZ_LOCAL_IP;
		cfg->dns[0] = 0x08080808;
		cfg->dns[1] = 0x01010101;
	} else {
		cfg->name = FUZZ_USER;
		cfg->password = FUZZ_PASSWORD;
	}
}

enum uppp_auth_method fuzz_auth_of_mode(uint8_t mode)
{
	static const enum uppp_auth_method a[4] = { UPPP_AUTH_NONE, UPPP_AUTH_PAP, UPPP_AUTH_CHAP_MD5,
						   UPPP_AUTH_MSCHAPV2 };
	return a[mode & 3];
}

/* ---- PPP engine host ---- */

static void pair_enqueue(struct fuzz_pair *p, int to, uint16_t proto, const uint8_t *info, size_t len)
{
	if (p->q_len == FUZZ_PAIR_QUEUE || len > FUZZ_PKT_MAX)
		return;
	struct fuzz_pair_pkt *e = &p->q[(p->q_head + p->q_len++) % FUZZ_PAIR_QUEUE];
	e->to = to;
	e->proto = proto;
	e->len = len;
	memcpy(e->info, info, len);
}

static void ph_send(void *ctx, uint16_t protocol, const uint8_t *info, size_t len)
{
	struct fuzz_ppp_host *h = ctx;
	FUZZ_CHECK(len <= UPPP_PPPOE_MAX_PAYLOAD);
	h->sent++;
	if (h->pair)
		pair_enqueue(h->pair, !h->side, protocol, info, len);
}

static void ph_deliver(void *ctx, uint8_t *pkt, size_t len) { FUZZ_CHECK(len <= UPPP_PPPOE_MAX_PAYLOAD); }

static int ph_random(void *ctx, void *buf, size_t len)
{
	struct fuzz_ppp_host *h = ctx;
	fuzz_rng_fill(&h->rng, buf, len);
	return 0;
}

static int ph_get_secret(void *ctx, const char *peer, uint8_t *secret, size_t cap, size_t *len)
{
	return fuzz_get_secret(peer, secret, cap, len);
}

static int ph_assign(void *ctx, const char *peer, uint32_t serial, uint32_t *ip)
{
	(void)serial;
	*ip = FUZZ_PEER_IP;
	return 0;
}

static void ph_up(void *ctx, const struct uppp_ppp_link *link)
{
	struct fuzz_ppp_host *h = ctx;
	FUZZ_CHECK(h->downs == 0);
	h->ups++;
	h->link = *link;
	FUZZ_CHECK(link->mtu <= UPPP_PPPOE_MTU);
}

static void ph_down(void *ctx, enum uppp_cause cause)
{
	struct fuzz_ppp_host *h = ctx;
	FUZZ_CHECK(h->downs == 0);  /* exactly once */
	h->downs++;
	h->cause = cause;
}

static const struct uppp_ppp_ops ph_ops = {
	.send = ph_send, .deliver_ip = ph_deliver, .random = ph_random,
	.get_secret = ph_get_secret, .assign_address = ph_assign, .up = ph_up, .down = ph_down,
};

void fuzz_ppp_host_start(struct fuzz_ppp_host *h, bool server, enum uppp_auth_method auth, uint64_t now)
{
	struct fuzz_pair *pair = h->pair;
	int side = h->side;

	memset(h, 0, sizeof(*h));
	h->pair = pair;
	h->side = side;
	fuzz_rng_init(&h->rng, server ? FUZZ_SEED_SERVER : FUZZ_SEED_CLIENT);
	fuzz_ppp_config(&h->cfg, server, auth);
	uppp_ppp_init(&h->ppp, &h->cfg, &ph_ops, h);
	uppp_ppp_set_logger(&h->ppp, &fuzz_logger);
	uppp_ppp_open(&h->ppp, now);
}

void fuzz_ppp_host_run_timers(struct fuzz_ppp_host *h, uint64_t *now, uint64_t until)
{
	for (unsigned guard = 0;; guard++) {
		uint64_t d = uppp_ppp_next_deadline(&h->ppp);
		if (d > until)
			break;
		FUZZ_CHECK(guard < 10000);  /* a timer that re-arms in the past forever */
		if (d > *now)
			*now = d;
		uppp_ppp_timer(&h->ppp, *now);
	}
	if (until > *now)
		*now = until;
}

void fuzz_pair_start(struct fuzz_pair *p, enum uppp_auth_method auth)
{
	/* the last run's links (one may still be up) give back what they hold */
	for (int i = 0; i < 2; i++)
		if (p->h[i].ppp.env.ops)
			uppp_ppp_release(&p->h[i].ppp);
	memset(p, 0, sizeof(*p));
	p->now = FUZZ_T0;
	p->h[0].pair = p;
	p->h[0].side = 0;
	p->h[1].pair = p;
	p->h[1].side = 1;
	fuzz_ppp_host_start(&p->h[0], true, auth, p->now);
	fuzz_ppp_host_start(&p->h[1], false, auth, p->now);
}

void fuzz_pair_run(struct fuzz_pair *p, bool (*stop)(const struct fuzz_pair *p))
{
	while (p->q_len && !(stop && stop(p))) {
		struct fuzz_pair_pkt *e = &p->q[p->q_head];
		uint8_t pkt[2 + FUZZ_PKT_MAX];
		int to = e->to;
		size_t len = e->len;

		uppp_put_be16(pkt, e->proto);
		memcpy(pkt + 2, e->info, len);
		p->q_head = (p->q_head + 1) % FUZZ_PAIR_QUEUE;
		p->q_len--;
		if (p->tap)
			p->tap(p->tap_ctx, to, uppp_get_be16(pkt), pkt + 2, len);
		uppp_ppp_input(&p->h[to].ppp, pkt, len + 2, p->now);
	}
}

/* ---- access concentrator host ---- */

static int mac_slot(struct fuzz_ac_host *h, const uint8_t mac[6], bool create)
{
	for (int i = 0; i < FUZZ_MACS; i++)
		if (h->macs[i].used && memcmp(h->macs[i].mac, mac, 6) == 0)
			return i;
	if (!create)
		return -1;
	for (int i = 0; i < FUZZ_MACS; i++) {
		if (!h->macs[i].used) {
			h->macs[i].used = true;
			memcpy(h->macs[i].mac, mac, 6);
			return i;
		}
	}
	return 0;  /* table full: reuse the first slot */
}

static void ac_send(void *ctx, const uint8_t *frame, size_t len)
{
	struct fuzz_ac_host *h = ctx;
	struct uppp_pppoe_frame f;
	struct uppp_pppoe_tags t;

	FUZZ_CHECK(len <= UPPP_PPPOE_FRAME_MAX);
	/* What we send must parse (we built it). */
	FUZZ_CHECK(uppp_pppoe_parse(frame, len, &f) == 0);
	if (f.ethertype == ETH_P_PPPOE_DISC) {
		FUZZ_CHECK(uppp_pppoe_parse_tags(f.payload, f.payload_len, &t) == 0);
		int i = mac_slot(h, f.dst, true);
		if (f.code == PPPOE_CODE_PADO && t.cookie.present && t.cookie.len <= sizeof(h->macs[i].cookie)) {
			memcpy(h->macs[i].cookie, t.cookie.p, t.cookie.len);
			h->macs[i].cookie_len = t.cookie.len;
		}
		if (f.code == PPPOE_CODE_PADS && f.session_id)
			h->macs[i].session_id = f.session_id;
	}
	if (h->tap)
		h->tap(h->tap_ctx, frame, len);
}

static int ac_random(void *ctx, void *buf, size_t len)
{
	struct fuzz_ac_host *h = ctx;
	fuzz_rng_fill(&h->rng, buf, len);
	return 0;
}

__attribute__((format(printf, 3, 4)))
static void ac_log(void *ctx, enum uppp_log_level level, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fuzz_vlog("ac", fmt, ap);
	va_end(ap);
}

/* the engine's logger: every level, each line as one "%s" */
static void ac_emit(void *ud, enum uppp_log_level level, const char *line)
{
	ac_log(ud, level, "%s", line);
}

static int ac_get_secret(void *ctx, const char *peer, uint8_t *secret, size_t cap, size_t *len)
{
	return fuzz_get_secret(peer, secret, cap, len);
}

static int ac_assign(void *ctx, struct uppp_ac_session *s, const char *peer, uint32_t serial, uint32_t *ip)
{
	struct fuzz_ac_host *h = ctx;
	(void)serial;
	h->leased++;
	*ip = FUZZ_PEER_IP + h->leased;
	return 0;
}

static void ac_release(void *ctx, struct uppp_ac_session *s, uint32_t ip)
{
	struct fuzz_ac_host *h = ctx;
	h->released++;
	FUZZ_CHECK(h->released <= h->leased);
}

static int ac_up(void *ctx, struct uppp_ac_session *s, const struct uppp_ppp_link *link)
{
	struct fuzz_ac_host *h = ctx;
	h->ups++;
	h->up_sess = s;
	FUZZ_CHECK(link->mtu <= UPPP_PPPOE_MTU);
	return 0;
}

static void ac_down(void *ctx, struct uppp_ac_session *s, enum uppp_cause cause)
{
	struct fuzz_ac_host *h = ctx;
	h->downs++;
	if (h->up_sess == s)
		h->up_sess = NULL;
	/* an ending session can no longer be found (nor closed again) */
	FUZZ_CHECK(uppp_ac_session_find(h->ac, uppp_ac_session_id(s)) == NULL);
	FUZZ_CHECK(uppp_ac_session_close(h->ac, uppp_ac_session_id(s), UPPP_CAUSE_ADMIN, h->now) == -ENOENT);
}

static void ac_deliver(void *ctx, struct uppp_ac_session *s, uint8_t *pkt, size_t len)
{
	FUZZ_CHECK(len <= UPPP_PPPOE_MAX_PAYLOAD);
}

static const struct uppp_ac_ops ac_ops = {
	.send_frame = ac_send, .random = ac_random,
	.get_secret = ac_get_secret, .assign_address = ac_assign, .release_address = ac_release,
	.session_up = ac_up, .session_down = ac_down, .deliver_ip = ac_deliver,
};

void fuzz_ac_host_start(struct fuzz_ac_host *h, uint8_t mode)
{
	void (*tap)(void *, const uint8_t *, size_t) = h->tap;
	void *tap_ctx = h->tap_ctx;

	memset(h, 0, sizeof(*h));
	h->tap = tap;
	h->tap_ctx = tap_ctx;
	h->now = FUZZ_T0;
	fuzz_rng_init(&h->rng, FUZZ_SEED_SERVER);
	memcpy(h->cfg.mac, fuzz_ac_mac, 6);
	h->cfg.ac_name = "uppp-fuzz";
	h->cfg.services[0] = "internet";
	h->cfg.services[1] = "voip";
	h->cfg.n_services = 2;
	h->cfg.max_sessions = 4;
	h->cfg.max_per_mac = (mode & 4) ? 1 : 0;
	fuzz_ppp_config(&h->cfg.ppp, true, fuzz_auth_of_mode(mode));
	h->cfg.log = (struct uppp_logger){ .min = UPPP_LOG_DEBUG, .emit = ac_emit, .ud = h };
	h->ac = uppp_ac_new(&h->cfg, &ac_ops, h);
	FUZZ_CHECK(h->ac != NULL);
}

void fuzz_ac_host_run_timers(struct fuzz_ac_host *h, uint64_t until)
{
	for (unsigned guard = 0;; guard++) {
		uint64_t d = uppp_ac_next_deadline(h->ac);
		if (d > until)
			break;
		FUZZ_CHECK(guard < 10000);
		if (d > h->now)
			h->now = d;
		uppp_ac_run_timers(h->ac, h->now);
	}
	if (until > h->now)
		h->now = until;
}

void fuzz_ac_fix_cookie(const struct fuzz_ac_host *h, uint8_t *frame, size_t len)
{
	struct uppp_pppoe_frame f;
	struct uppp_pppoe_tags t;
	int i;

	if (uppp_pppoe_parse(frame, len, &f) || f.ethertype != ETH_P_PPPOE_DISC ||
	    uppp_pppoe_parse_tags(f.payload, f.payload_len, &t) || !t.cookie.present)
		return;
	i = mac_slot((struct fuzz_ac_host *)h, f.src, false);
	if (i < 0 || h->macs[i].cookie_len != t.cookie.len)
		return;
	memcpy(frame + (t.cookie.p - frame), h->macs[i].cookie, t.cookie.len);
}

void fuzz_ac_fix_session_id(const struct fuzz_ac_host *h, uint8_t *frame, size_t len)
{
	int i;

	if (len < UPPP_ETH_HLEN + UPPP_PPPOE_HLEN)
		return;
	i = mac_slot((struct fuzz_ac_host *)h, frame + 6, false);
	if (i >= 0 && h->macs[i].session_id)
		uppp_put_be16(frame + UPPP_ETH_HLEN + 2, h->macs[i].session_id);
}

static int ac_count_session(void *arg, const struct uppp_ac_session_info *info)
{
	struct fuzz_ac_host *h = arg;
	FUZZ_CHECK(uppp_ac_session_find(h->ac, info->id) == info->session);
	FUZZ_CHECK(info->counters.rx_packets == uppp_ac_session_stats(info->session)->rx_packets);
	h->listed++;
	return 0;
}

void fuzz_ac_host_finish(struct fuzz_ac_host *h)
{
	h->listed = 0;
	FUZZ_CHECK(uppp_ac_sessions(h->ac, ac_count_session, h) == 0);
	FUZZ_CHECK(h->listed == uppp_ac_session_count(h->ac));
	uppp_ac_shutdown(h->ac, UPPP_CAUSE_ADMIN, h->now);
	FUZZ_CHECK(uppp_ac_session_count(h->ac) == 0);
	FUZZ_CHECK(uppp_ac_next_deadline(h->ac) == UPPP_NO_DEADLINE);  /* no timer left on a freed session */
	uppp_ac_free(h->ac);
	h->ac = NULL;
	FUZZ_CHECK(h->leased == h->released);   /* every address given back */
	FUZZ_CHECK(h->ups <= h->downs);          /* every session that came up went down */
}

/* ---- PPPoE client host ---- */

static void dh_send(void *ctx, const uint8_t *frame, size_t len)
{
	struct fuzz_dial_host *h = ctx;
	struct uppp_pppoe_frame f;

	FUZZ_CHECK(len <= UPPP_PPPOE_FRAME_MAX);
	FUZZ_CHECK(uppp_pppoe_parse(frame, len, &f) == 0);
	if (h->tap)
		h->tap(h->tap_ctx, frame, len);
}

static int dh_random(void *ctx, void *buf, size_t len)
{
	struct fuzz_dial_host *h = ctx;
	fuzz_rng_fill(&h->rng, buf, len);
	return 0;
}

__attribute__((format(printf, 3, 4)))
static void dh_log(void *ctx, enum uppp_log_level level, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fuzz_vlog("client", fmt, ap);
	va_end(ap);
}

/* the engine's logger: every level, each line as one "%s" */
static void dh_emit(void *ud, enum uppp_log_level level, const char *line)
{
	dh_log(ud, level, "%s", line);
}

static int dh_up(void *ctx, const struct uppp_ppp_link *link)
{
	struct fuzz_dial_host *h = ctx;
	FUZZ_CHECK(h->downs == 0);
	h->ups++;
	FUZZ_CHECK(link->mtu <= UPPP_PPPOE_MTU);
	return 0;
}

static void dh_down(void *ctx, enum uppp_cause cause)
{
	struct fuzz_dial_host *h = ctx;
	FUZZ_CHECK(h->downs == 0);  /* called once */
	h->downs++;
}

static void dh_deliver(void *ctx, uint8_t *pkt, size_t len) { FUZZ_CHECK(len <= UPPP_PPPOE_MAX_PAYLOAD); }

static const struct uppp_dial_ops dh_ops = {
	.send_frame = dh_send, .random = dh_random, .up = dh_up, .down = dh_down, .deliver_ip = dh_deliver,
};

void fuzz_dial_host_start(struct fuzz_dial_host *h, uint8_t mode)
{
	void (*tap)(void *, const uint8_t *, size_t) = h->tap;
	void *tap_ctx = h->tap_ctx;

	memset(h, 0, sizeof(*h));
	h->tap = tap;
	h->tap_ctx = tap_ctx;
	h->now = FUZZ_T0;
	fuzz_rng_init(&h->rng, FUZZ_SEED_CLIENT);
	memcpy(h->cfg.mac, fuzz_client_mac, 6);
	h->cfg.service = "";
	fuzz_ppp_config(&h->cfg.ppp, false, fuzz_auth_of_mode(mode));
	h->cfg.log = (struct uppp_logger){ .min = UPPP_LOG_DEBUG, .emit = dh_emit, .ud = h };
	h->d = uppp_dial_new(&h->cfg, &dh_ops, h);
	FUZZ_CHECK(h->d != NULL);
	uppp_dial_start(h->d, h->now);
}

void fuzz_dial_host_run_timers(struct fuzz_dial_host *h, uint64_t until)
{
	for (unsigned guard = 0; uppp_dial_next_deadline(h->d) <= until; guard++) {
		FUZZ_CHECK(guard < 10000);  /* a deadline that stays due forever */
		if (uppp_dial_next_deadline(h->d) > h->now)
			h->now = uppp_dial_next_deadline(h->d);
		uppp_dial_run_timers(h->d, h->now);
	}
	if (until > h->now)
		h->now = until;
}

void fuzz_dial_host_finish(struct fuzz_dial_host *h)
{
	if (h->downs == 0)
		uppp_dial_hangup(h->d, UPPP_CAUSE_ADMIN, h->now);
	FUZZ_CHECK(h->downs == 1);
	FUZZ_CHECK(h->ups <= 1);
	uppp_dial_free(h->d);
	h->d = NULL;
}
