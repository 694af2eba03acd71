/* test_ac_padr_no_session_id.c — a PADR the AC must refuse because no
 * session id can be drawn (its randomness failed) gives the session it had
 * just allocated back to the allocator it came from (the config's, not
 * libc's free()), answers with a PADS carrying AC-System-Error, and leaves
 * nothing behind. */
#include "mem/raw_peer.h"

/* Blocks carry their size in front, as an appliance's pool allocator
 * would keep its own header: libc's free() on one of them is fatal. */
struct counting {
	size_t live_blocks, frees;
};

static void *c_alloc(void *ud, size_t size)
{
	struct counting *c = ud;
	uint64_t *p = malloc(size + 16);
	assert_non_null(p);
	p[0] = size;
	c->live_blocks++;
	return p + 2;
}

static void c_free(void *ud, void *ptr, size_t size)
{
	struct counting *c = ud;
	uint64_t *p = (uint64_t *)ptr - 2;
	assert_int_equal(p[0], size);
	c->live_blocks--;
	c->frees++;
	free(p);
}

static bool random_fails;

static int failing_random(void *ctx, void *buf, size_t len)
{
	if (random_fails)
		return -EIO;
	return rp_random(ctx, buf, len);
}

static struct uppp_ac_ops ops;

static void refused_padr_frees_through_the_allocator(void **state)
{
	struct counting c = { 0 };
	const struct uppp_allocator a = { c_alloc, c_free, &c };
	struct rp *r = rp_new(UPPP_AUTH_PAP);
	struct uppp_pppoe_frame f;
	struct uppp_pppoe_tags t;

	ops = rp_ops;
	ops.random = failing_random;
	random_fails = false;
	r->cfg.alloc = &a;
	r->ac = uppp_ac_new(&r->cfg, &ops, r);
	assert_non_null(r->ac);
	size_t fixed = c.live_blocks;

	assert_true(rp_padi(r, "", 0x0a0b0c0d));
	random_fails = true;
	assert_int_equal(rp_padr(r, "", 0x0a0b0c0d), 0);   /* no session id in the PADS */
	assert_int_equal(uppp_pppoe_parse(r->out[r->n_out - 1].b, r->out[r->n_out - 1].len, &f), 0);
	assert_int_equal(f.code, PPPOE_CODE_PADS);
	assert_int_equal(f.session_id, 0);
	assert_int_equal(uppp_pppoe_parse_tags(f.payload, f.payload_len, &t), 0);
	assert_true(t.ac_system_error.present);
	assert_non_null(rp_log_find(r, "event=padr-refused cause=host-error"));
	assert_int_equal(uppp_ac_session_count(r->ac), 0);
	assert_int_equal(c.live_blocks, fixed);   /* the session went back, to this allocator */
	assert_int_equal(c.frees, 1);

	rp_free(r);
	assert_int_equal(c.live_blocks, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(refused_padr_frees_through_the_allocator),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
