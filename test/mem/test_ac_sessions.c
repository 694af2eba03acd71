/* test_ac_sessions.c — the concentrator's session API for a control socket
 * and for firmware: close one session by id with a cause (from outside and
 * from inside a callback), iterate the live sessions with their fields and
 * counters (also while sessions end during the walk), and sizing with an
 * allocator hook: what an AC for 64 sessions takes before the first client,
 * every allocation given back at uppp_ac_free, allocation failures handled.
 * Virtual clock, raw scripted peers; run under valgrind. */
#include "mem/raw_peer.h"

#include "core/ppp_defs.h"

/* A new session from peer MAC ...:last; its id. */
static uint16_t open_session(struct rp *r, uint8_t last)
{
	r->mac[5] = last;
	assert_true(rp_padi(r, "", 0x02000000u | last));
	uint16_t id = rp_padr(r, "", 0x02000000u | last);
	assert_int_not_equal(id, 0);
	return id;
}

/* A session from MAC ...:last brought up with PAP as alice (10.0.0.2). */
static uint16_t bring_up(struct rp *r, uint8_t last)
{
	static const uint8_t ask[] = { 3, 6, 10, 0, 0, 2 };
	size_t len;
	for (size_t i = 0; i < r->n_out; i++)
		r->out[i].taken = true;   /* what the other sessions were sent */
	uint16_t id = open_session(r, last);
	rp_lcp_open(r);
	rp_pap(r, "alice", "wonderland");
	rp_expect_ppp(r, PPP_PAP, 2, &len);
	rp_cp(r, PPP_IPCP, CP_CONF_REQ, 1, ask, sizeof(ask));
	rp_expect_ppp(r, PPP_IPCP, CP_CONF_ACK, &len);
	rp_ack_their_request(r, PPP_IPCP);
	return id;
}

/* Frames of this PPPoE session id the AC sent: PADT and LCP Terminate-Request. */
static unsigned sent_to(const struct rp *r, uint16_t id, bool padt)
{
	struct uppp_pppoe_frame f;
	unsigned n = 0;
	for (size_t i = 0; i < r->n_out; i++) {
		if (uppp_pppoe_parse(r->out[i].b, r->out[i].len, &f) || f.session_id != id)
			continue;
		if (padt)
			n += f.ethertype == ETH_P_PPPOE_DISC && f.code == PPPOE_CODE_PADT;
		else
			n += f.ethertype == ETH_P_PPPOE_SESS && f.payload_len >= 3 &&
			     uppp_get_be16(f.payload) == PPP_LCP && f.payload[2] == CP_TERM_REQ;
	}
	return n;
}

/* An id no session has. */
static uint16_t unused_id(const struct rp *r)
{
	for (uint16_t id = 1;; id++)
		if (!uppp_ac_session_find(r->ac, id))
			return id;
}

/* ---- close one ---- */

static void close_one_by_id(void **state)
{
	(void)state;
	struct rp *r = rp_new(UPPP_AUTH_PAP);
	rp_start(r);
	uint16_t a = open_session(r, 1);
	uint16_t up = bring_up(r, 2);
	uint16_t c = open_session(r, 3);
	assert_int_equal(r->ups, 1);
	assert_int_equal(uppp_ac_session_count(r->ac), 3);

	r->now = 5000;
	assert_int_equal(uppp_ac_session_close(r->ac, up, UPPP_CAUSE_ADMIN, r->now), 0);
	/* gone before the call returned: TermReq and PADT to it, address back */
	assert_int_equal(r->downs, 1);
	assert_int_equal(r->cause, UPPP_CAUSE_ADMIN);
	assert_int_equal(uppp_ac_session_count(r->ac), 2);
	assert_null(uppp_ac_session_find(r->ac, up));
	assert_int_equal(sent_to(r, up, false), 1);
	assert_int_equal(sent_to(r, up, true), 1);
	assert_int_equal(r->released, r->leased);
	assert_non_null(rp_log_find(r, "cause=admin"));
	/* the others are untouched */
	assert_non_null(uppp_ac_session_find(r->ac, a));
	assert_non_null(uppp_ac_session_find(r->ac, c));
	assert_int_equal(sent_to(r, a, true) + sent_to(r, c, true), 0);

	/* again, an id nobody has, a bad cause */
	assert_int_equal(uppp_ac_session_close(r->ac, up, UPPP_CAUSE_ADMIN, r->now), -ENOENT);
	assert_int_equal(uppp_ac_session_close(r->ac, unused_id(r), UPPP_CAUSE_ADMIN, r->now), -ENOENT);
	assert_int_equal(uppp_ac_session_close(r->ac, 0, UPPP_CAUSE_ADMIN, r->now), -ENOENT);
	assert_int_equal(uppp_ac_session_close(r->ac, a, UPPP_CAUSE_NONE, r->now), -EINVAL);
	assert_int_equal(uppp_ac_session_close(r->ac, a, UPPP_CAUSE_COUNT, r->now), -EINVAL);
	assert_int_equal(r->downs, 1);

	/* any cause the host names is the one logged and reported */
	assert_int_equal(uppp_ac_session_close(r->ac, a, UPPP_CAUSE_IDLE, r->now), 0);
	assert_int_equal(r->cause, UPPP_CAUSE_IDLE);
	assert_int_equal(uppp_ac_session_count(r->ac), 1);
	rp_free(r);
}

/* session_up closes its own session (say, a policy refuses the address):
 * the engine is on the stack, so the close waits until the input call
 * ends, and is done when it returns. */
static int close_in_up_rc = 1;
static int closing_up(void *ctx, struct uppp_ac_session *s, const struct uppp_ppp_link *link)
{
	struct rp *r = ctx;
	int rc = rp_up(ctx, s, link);
	close_in_up_rc = uppp_ac_session_close(r->ac, uppp_ac_session_id(s), UPPP_CAUSE_ADMIN, r->now);
	/* not yet: we are inside the engine */
	assert_int_equal(r->downs, 0);
	return rc;
}

static void close_from_inside_a_callback(void **state)
{
	(void)state;
	static struct uppp_ac_ops ops;
	struct rp *r = rp_new(UPPP_AUTH_PAP);
	ops = rp_ops;
	ops.session_up = closing_up;
	r->ac = uppp_ac_new(&r->cfg, &ops, r);
	assert_non_null(r->ac);
	uint16_t id = bring_up(r, 9);
	assert_int_equal(close_in_up_rc, 0);
	assert_int_equal(r->ups, 1);
	assert_int_equal(r->downs, 1);
	assert_int_equal(r->cause, UPPP_CAUSE_ADMIN);
	assert_int_equal(uppp_ac_session_count(r->ac), 0);
	assert_int_equal(sent_to(r, id, true), 1);
	assert_int_equal(r->released, r->leased);
	rp_free(r);
}

/* ---- iterate ---- */

struct walk {
	struct rp *r;
	unsigned n;
	struct uppp_ac_session_info info[8];
	int stop_after;          /* return non-zero after this many (0 = never) */
	bool close_each;         /* close every session seen */
	uint16_t padt_for;       /* on the first visit, the peer of this session sends PADT */
	uint8_t padt_mac_last;
};

static int visit(void *arg, const struct uppp_ac_session_info *info)
{
	struct walk *w = arg;
	assert_true(w->n < 8);
	w->info[w->n++] = *info;
	if (w->close_each)
		assert_int_equal(uppp_ac_session_close(w->r->ac, info->id, UPPP_CAUSE_ADMIN, w->r->now), 0);
	if (w->padt_for && w->n == 1) {
		uint8_t f[64];
		w->r->mac[5] = w->padt_mac_last;
		int n = uppp_pppoe_build_padt(f, sizeof(f), w->r->cfg.mac, w->r->mac, w->padt_for, NULL);
		assert_true(n > 0);
		rp_inject(w->r, f, (size_t)n);   /* ends that session now, mid-walk */
	}
	return w->stop_after && (int)w->n >= w->stop_after ? 7 : 0;
}

static const struct uppp_ac_session_info *info_of(const struct walk *w, uint16_t id)
{
	for (unsigned i = 0; i < w->n; i++)
		if (w->info[i].id == id)
			return &w->info[i];
	return NULL;
}

static void iterate_sees_every_live_session(void **state)
{
	(void)state;
	static const uint8_t ip[20] = { 0x45, 0, 0, 20, 0, 0, 0, 0, 64, 17, 0, 0, 10, 0, 0, 2, 10, 0, 0, 1 };
	struct rp *r = rp_new(UPPP_AUTH_PAP);
	struct walk w = { .r = r };
	rp_start(r);
	r->now = 1000;
	uint16_t a = open_session(r, 1);
	r->now = 2000;
	uint16_t up = bring_up(r, 2);
	rp_ppp(r, PPP_IP, ip, sizeof(ip));   /* one packet from alice */
	r->now = 3000;
	uint16_t c = open_session(r, 3);

	assert_int_equal(uppp_ac_sessions(r->ac, visit, &w), 0);
	assert_int_equal(w.n, 3);
	const struct uppp_ac_session_info *ia = info_of(&w, a), *iu = info_of(&w, up), *ic = info_of(&w, c);
	assert_non_null(ia);
	assert_non_null(iu);
	assert_non_null(ic);
	r->mac[5] = 2;
	assert_memory_equal(iu->peer_mac, r->mac, 6);
	assert_string_equal(iu->user, "alice");
	assert_int_equal(iu->peer_ip, 0x0a000002);
	assert_int_equal(iu->state, UPPP_AC_SESS_UP);
	assert_int_equal(iu->started_ms, 2000);
	assert_int_equal(iu->auth, UPPP_AUTH_PAP);
	assert_int_equal(iu->counters.rx_packets, 1);
	assert_int_equal(iu->counters.rx_bytes, sizeof(ip));
	assert_ptr_equal(iu->session, uppp_ac_session_find(r->ac, up));
	/* the others are still negotiating LCP: no user, no address */
	assert_int_equal(ia->state, UPPP_AC_SESS_LCP);
	assert_string_equal(ia->user, "");
	assert_int_equal(ia->peer_ip, 0);
	assert_int_equal(ia->started_ms, 1000);
	assert_int_equal(ia->auth, UPPP_AUTH_NONE);
	assert_int_equal(ia->counters.rx_packets, 0);
	assert_int_equal(ic->started_ms, 3000);
	r->mac[5] = 3;
	assert_memory_equal(ic->peer_mac, r->mac, 6);

	/* stop early: the visitor's value comes back */
	struct walk w2 = { .r = r, .stop_after = 1 };
	assert_int_equal(uppp_ac_sessions(r->ac, visit, &w2), 7);
	assert_int_equal(w2.n, 1);
	rp_free(r);
}

/* The visitor closes every session it sees: the closes wait until the walk
 * returns, every session is visited once, and then all are gone. */
static void iterate_survives_closing_in_the_visitor(void **state)
{
	(void)state;
	struct rp *r = rp_new(UPPP_AUTH_PAP);
	struct walk w = { .r = r, .close_each = true };
	rp_start(r);
	for (uint8_t i = 1; i <= 3; i++)
		open_session(r, i);
	assert_int_equal(uppp_ac_sessions(r->ac, visit, &w), 0);
	assert_int_equal(w.n, 3);
	assert_int_equal(r->downs, 3);
	assert_int_equal(uppp_ac_session_count(r->ac), 0);
	assert_int_equal(rp_count_disc(r, PPPOE_CODE_PADT), 3);
	rp_free(r);
}

/* The session to be visited next ends for good during the walk (its
 * peer's PADT arrives from inside the visitor): it is skipped, the walk
 * goes on to the one after it. */
static void iterate_skips_a_session_ended_mid_walk(void **state)
{
	(void)state;
	struct rp *r = rp_new(UPPP_AUTH_PAP);
	struct walk w = { .r = r };
	rp_start(r);
	uint16_t oldest = open_session(r, 1);
	uint16_t middle = open_session(r, 2);
	uint16_t newest = open_session(r, 3);
	w.padt_for = middle;      /* newest first: the middle one comes next */
	w.padt_mac_last = 2;
	assert_int_equal(uppp_ac_sessions(r->ac, visit, &w), 0);
	assert_int_equal(w.n, 2);
	assert_null(info_of(&w, middle));
	assert_non_null(info_of(&w, newest));
	assert_non_null(info_of(&w, oldest));
	assert_int_equal(r->downs, 1);
	assert_int_equal(r->cause, UPPP_CAUSE_PEER_PADT);
	assert_int_equal(uppp_ac_session_count(r->ac), 2);
	rp_free(r);
}

/* ---- sizing and the allocator ---- */

/* Counts what the AC holds; each block carries its size so that free()
 * can be checked against it. fail_at: the n-th alloc (1-based) fails. */
struct counting {
	size_t live_bytes, live_blocks, allocs, frees;
	size_t fail_at;
};

static void *c_alloc(void *ud, size_t size)
{
	struct counting *c = ud;
	if (c->fail_at && ++c->allocs == c->fail_at)
		return NULL;
	if (!c->fail_at)
		c->allocs++;
	uint64_t *p = malloc(size + 16);
	assert_non_null(p);
	p[0] = size;
	c->live_bytes += size;
	c->live_blocks++;
	return p + 2;
}

static void c_free(void *ud, void *ptr, size_t size)
{
	struct counting *c = ud;
	uint64_t *p = (uint64_t *)ptr - 2;
	assert_int_equal(p[0], size);   /* the size it was allocated with */
	c->live_bytes -= size;
	c->live_blocks--;
	c->frees++;
	free(p);
}

static size_t fixed_heap(unsigned max_sessions, unsigned rate_sets)
{
	struct counting c = { 0 };
	const struct uppp_allocator a = { c_alloc, c_free, &c };
	struct rp *r = rp_new(UPPP_AUTH_PAP);
	r->cfg.max_sessions = max_sessions;
	r->cfg.rate_sets = rate_sets;
	r->cfg.alloc = &a;
	rp_start(r);
	size_t fixed = c.live_bytes;
	rp_free(r);
	assert_int_equal(c.live_bytes, 0);
	assert_int_equal(c.live_blocks, 0);
	return fixed;
}

static void allocator_counts_and_gets_everything_back(void **state)
{
	(void)state;
	struct counting c = { 0 };
	const struct uppp_allocator a = { c_alloc, c_free, &c };
	struct rp *r = rp_new(UPPP_AUTH_PAP);
	r->cfg.max_sessions = 64;
	r->cfg.alloc = &a;
	rp_start(r);
	size_t fixed = c.live_bytes;
	printf("fixed heap, AC for 64 sessions (default rate tables): %zu bytes (%zu KiB; target <= 512 KiB)\n",
	       fixed, fixed / 1024);
	assert_true(fixed <= 512 * 1024);

	bring_up(r, 1);
	size_t established = c.live_bytes - fixed;
	open_session(r, 2);
	size_t negotiating = c.live_bytes - fixed - established;
	printf("per session: %zu bytes negotiating (PADS sent, LCP running), %zu bytes established "
	       "(IPCP Opened, user 'alice', Host-Uniq 4 bytes)\n", negotiating, established);
	/* AC, id and MAC hashes, heap, 3 rate tables; 2 sessions, of the one up
	 * what its authentication kept and its lease's name (the
	 * authentication state itself was given back at success) */
	assert_int_equal(c.live_blocks, 7 + 2 + 1 + 1);
	assert_true(negotiating > 0);
	/* 612 bytes (issue 11: at most 640): was 3,272 before negotiation-only
	 * state left the session, 1,506 before the authentication state,
	 * the automata's shared pointers and the log prefix did */
	assert_true(established <= 640);
	assert_true(negotiating <= established);
	/* a session that ends is given back when the call that ended it returns */
	assert_int_equal(uppp_ac_session_close(r->ac, uppp_ac_session_id(r->sess), UPPP_CAUSE_ADMIN, r->now), 0);
	assert_int_equal(c.live_bytes, fixed + negotiating);
	rp_free(r);
	assert_int_equal(c.live_bytes, 0);
	assert_int_equal(c.live_blocks, 0);
	assert_int_equal(c.allocs, c.frees);

	size_t small = fixed_heap(64, 16), dflt = fixed_heap(0, 0);
	printf("fixed heap, 64 sessions and 16 rate sets: %zu bytes; defaults (65534 sessions, 1024 sets): %zu bytes\n",
	       small, dflt);
	assert_true(small < fixed);
	assert_true(fixed < dflt);
}

/* Each allocation of uppp_ac_new failing in turn: NULL, nothing kept; a
 * session that cannot be allocated is a refused PADR, not a crash. */
static void allocation_failures_are_clean(void **state)
{
	(void)state;
	for (size_t k = 1; k <= 7; k++) {
		struct counting c = { .fail_at = k };
		const struct uppp_allocator a = { c_alloc, c_free, &c };
		struct rp *r = rp_new(UPPP_AUTH_PAP);
		r->cfg.alloc = &a;
		r->cfg.max_sessions = 8;
		assert_null(uppp_ac_new(&r->cfg, &rp_ops, r));
		assert_int_equal(c.live_bytes, 0);
		assert_int_equal(c.live_blocks, 0);
		free(r);
	}
	struct counting c = { .fail_at = 8 };   /* the first session */
	const struct uppp_allocator a = { c_alloc, c_free, &c };
	struct rp *r = rp_new(UPPP_AUTH_PAP);
	r->cfg.alloc = &a;
	r->cfg.max_sessions = 8;
	rp_start(r);
	assert_true(rp_padi(r, "", 1));
	assert_int_equal(rp_padr(r, "", 1), 0);
	assert_int_equal(uppp_ac_session_count(r->ac), 0);
	assert_non_null(rp_log_find(r, "out of memory"));
	assert_int_equal(uppp_ac_next_deadline(r->ac), UPPP_NO_DEADLINE);
	/* the next one gets in */
	assert_int_not_equal(rp_padr(r, "", 1), 0);
	rp_free(r);
	assert_int_equal(c.live_blocks, 0);
}

/* A session's later allocations, each failing in turn: its authentication
 * state when LCP opens (the 9th: 7 fixed, the session), what is kept of it
 * at success (10th), the lease's user name when the address is to be
 * asked (11th). Each ends just that session with host-error
 * (Terminate-Request, PADT), the host is not asked for an address, nothing
 * leaks, and the next session comes up. */
static void session_allocation_failures_end_the_session(void **state)
{
	(void)state;
	static const char *const logged[] = {
		"no room for the authentication state", "no room to keep the peer's name",
		"no room for the lease's user name",
	};
	for (size_t k = 0; k < 3; k++) {
		struct counting c = { .fail_at = 9 + k };
		const struct uppp_allocator a = { c_alloc, c_free, &c };
		struct rp *r = rp_new(UPPP_AUTH_PAP);
		static const uint8_t ask[] = { 3, 6, 10, 0, 0, 2 };
		r->cfg.alloc = &a;
		r->cfg.max_sessions = 8;
		rp_start(r);
		uint16_t id = open_session(r, 1);
		rp_lcp_open(r);
		rp_pap(r, "alice", "wonderland");
		rp_cp(r, PPP_IPCP, CP_CONF_REQ, 1, ask, sizeof(ask));   /* dropped: no address */
		rp_run(r, 30000);   /* the Terminate-Request goes unanswered */
		assert_int_equal(r->leased, 0);
		assert_int_equal(r->ups, 0);
		assert_int_equal(r->downs, 1);
		assert_int_equal(r->cause, UPPP_CAUSE_HOST_ERROR);
		assert_non_null(rp_log_find(r, logged[k]));
		assert_true(sent_to(r, id, false) >= 1);   /* Terminate-Request, max-terminate times */
		assert_int_equal(sent_to(r, id, true), 1);
		assert_int_equal(uppp_ac_session_count(r->ac), 0);
		assert_int_equal(c.live_blocks, 7);   /* the session gave back all it had */
		/* the next one comes up */
		c.fail_at = 0;
		bring_up(r, 2);
		assert_int_equal(r->ups, 1);
		rp_free(r);
		assert_int_equal(c.live_blocks, 0);
	}
}

/* The peer's LCP Terminate-Request text is kept for the line that ends the
 * session in an allocation of its own, made when the first text comes (the
 * 12th here: 7 fixed, the session, its authentication state, what that
 * kept, its lease's name). When it cannot be had the text is not kept (a
 * warning says so): the session ends as the peer asked, peer-term-req,
 * without peer_reason, and nothing leaks. */
static void peer_term_text_allocation(void **state)
{
	(void)state;
	for (size_t fail_at = 0; fail_at <= 12; fail_at += 12) {
		struct counting c = { .fail_at = fail_at };
		const struct uppp_allocator a = { c_alloc, c_free, &c };
		struct rp *r = rp_new(UPPP_AUTH_PAP);
		r->cfg.alloc = &a;
		r->cfg.max_sessions = 8;
		rp_start(r);
		bring_up(r, 1);
		assert_int_equal(r->ups, 1);
		assert_int_equal(c.live_blocks, 7 + 1 + 1 + 1);
		rp_cp(r, PPP_LCP, CP_TERM_REQ, 9, (const uint8_t *)"bye", 3);
		/* LCP is down (Stopping): what authentication kept is gone;
		 * the session, its lease's name and the text's room stay */
		assert_int_equal(c.live_blocks, 7 + 1 + 1 + (fail_at ? 0 : 1));
		rp_run(r, 5000);
		assert_int_equal(r->downs, 1);
		assert_int_equal(r->cause, UPPP_CAUSE_PEER_TERM_REQ);
		if (fail_at) {
			assert_non_null(rp_log_find(r, "no room to keep the peer's Terminate-Request text"));
			assert_null(rp_log_find(r, "peer_reason="));
		} else {
			assert_non_null(rp_log_find(r, "peer_reason='bye'"));
		}
		assert_int_equal(uppp_ac_session_count(r->ac), 0);
		assert_int_equal(c.live_blocks, 7);   /* the session gave back all it had */
		rp_free(r);
		assert_int_equal(c.live_blocks, 0);
	}
}

/* A verdict given from inside verify is copied into an allocation of its
 * own until the call returns; when that allocation fails the session ends
 * with host-error, and nothing leaks. */
static int verdict_rc = 1;
static int verify_inside(void *ctx, struct uppp_ac_session *s, const struct uppp_auth_request *req)
{
	struct rp *r = ctx;
	struct uppp_auth_verdict v = { .serial = req->serial, .accept = true, .reason = "known" };
	verdict_rc = uppp_ac_session_auth_verdict(r->ac, uppp_ac_session_id(s), &v, r->now);
	return -EINPROGRESS;
}

static void verdict_copy_allocation(void **state)
{
	(void)state;
	static struct uppp_ac_ops ops;
	ops = rp_ops;
	ops.verify = verify_inside;
	for (size_t fail_at = 0; fail_at <= 10; fail_at += 10) {   /* none fails; the copy (7 fixed, the session,
								    * its authentication state) */
		struct counting c = { .fail_at = fail_at };
		const struct uppp_allocator a = { c_alloc, c_free, &c };
		struct rp *r = rp_new(UPPP_AUTH_PAP);
		r->cfg.alloc = &a;
		r->cfg.max_sessions = 8;
		r->ac = uppp_ac_new(&r->cfg, &ops, r);
		assert_non_null(r->ac);
		uint16_t id = open_session(r, 1);
		rp_lcp_open(r);
		rp_pap(r, "alice", "wonderland");
		if (fail_at) {
			assert_int_equal(verdict_rc, -ENOMEM);
			assert_int_equal(r->downs, 1);
			assert_int_equal(r->cause, UPPP_CAUSE_HOST_ERROR);
			assert_int_equal(sent_to(r, id, true), 1);
			assert_non_null(rp_log_find(r, "no room to keep the verdict"));
		} else {
			assert_int_equal(verdict_rc, 0);
			assert_int_equal(r->downs, 0);
			assert_int_equal(r->leased, 1);   /* accepted: the address was asked */
			/* the copy and the authentication state are gone; what it
			 * kept and the lease's name came */
			assert_int_equal(c.live_blocks, 7 + 1 + 1 + 1);
		}
		rp_free(r);
		assert_int_equal(c.live_blocks, 0);
	}
}

/* A small id table (16 buckets for 4 sessions) still hands out random,
 * unique ids across the whole range, each found and closed by id. */
static void small_table_ids_stay_random_and_unique(void **state)
{
	(void)state;
	struct rp *r = rp_new(UPPP_AUTH_PAP);
	uint16_t ids[4];
	unsigned above_bucket_range = 0;
	r->cfg.max_sessions = 4;
	rp_start(r);
	for (int i = 0; i < 4; i++) {
		ids[i] = open_session(r, (uint8_t)(i + 1));
		for (int j = 0; j < i; j++)
			assert_int_not_equal(ids[i], ids[j]);
		above_bucket_range += ids[i] >= 16;
	}
	assert_true(above_bucket_range > 0);   /* not just the table's slots */
	for (int i = 0; i < 4; i++) {
		assert_non_null(uppp_ac_session_find(r->ac, ids[i]));
		assert_int_equal(uppp_ac_session_close(r->ac, ids[i], UPPP_CAUSE_ADMIN, r->now), 0);
	}
	assert_int_equal(uppp_ac_session_count(r->ac), 0);
	rp_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(close_one_by_id),
		cmocka_unit_test(close_from_inside_a_callback),
		cmocka_unit_test(iterate_sees_every_live_session),
		cmocka_unit_test(iterate_survives_closing_in_the_visitor),
		cmocka_unit_test(iterate_skips_a_session_ended_mid_walk),
		cmocka_unit_test(allocator_counts_and_gets_everything_back),
		cmocka_unit_test(allocation_failures_are_clean),
		cmocka_unit_test(session_allocation_failures_end_the_session),
		cmocka_unit_test(verdict_copy_allocation),
		cmocka_unit_test(peer_term_text_allocation),
		cmocka_unit_test(small_table_ids_stay_random_and_unique),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
