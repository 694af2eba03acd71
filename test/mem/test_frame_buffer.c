/* test_frame_buffer.c — the frame_buffer op (uppp/ac.h): a host that queues
 * frames gives the AC its next queue slot, and session frames are built
 * there; an IP packet the host put at slot + UPPP_FRAME_IP_OFFSET is framed
 * where it lies, with nothing copied. Without the op (or when it returns
 * NULL) the AC builds in its own buffer, as before. An AC in memory with a
 * scripted raw peer and the virtual clock. */
#include "mem/raw_peer.h"

#include "core/ppp_defs.h"

/* The host's slot: guard bytes on both sides catch a write outside it. */
struct slot {
	uint8_t before[64];
	uint8_t b[UPPP_FRAME_MAX];
	uint8_t after[64];
};

static struct rp *up_session(uint8_t *fb)
{
	struct rp *r = rp_new(UPPP_AUTH_NONE);
	r->fb = fb;
	rp_start_up(r);
	return r;
}

/* A 60-byte IPv4 packet whose bytes say where they came from. */
static void fill_ip(uint8_t *ip, size_t len, uint8_t seed)
{
	for (size_t i = 0; i < len; i++)
		ip[i] = (uint8_t)(seed + i * 7);
	ip[0] = 0x45;
	ip[9] = 17;    /* UDP: no MSS to clamp */
}

static void expect_ip_frame(const struct rp *r, size_t i, const uint8_t *ip, size_t len)
{
	struct uppp_pppoe_frame f;
	assert_int_equal(r->out[i].len, UPPP_FRAME_IP_OFFSET + len);
	assert_int_equal(uppp_pppoe_parse(r->out[i].b, r->out[i].len, &f), 0);
	assert_int_equal(f.ethertype, ETH_P_PPPOE_SESS);
	assert_int_equal(f.session_id, r->sid);
	assert_memory_equal(r->out[i].b, r->mac, 6);       /* to the peer */
	assert_memory_equal(r->out[i].b + 6, rp_ac_mac, 6);
	assert_int_equal(uppp_get_be16(r->out[i].b + 20), PPP_IP);
	assert_memory_equal(r->out[i].b + UPPP_FRAME_IP_OFFSET, ip, len);
}

static void ip_in_the_slot_is_framed_in_place(void **state)
{
	(void)state;
	struct slot *s = calloc(1, sizeof(*s));
	assert_non_null(s);
	struct rp *r = up_session(s->b);
	uint8_t want[60];

	/* every session frame so far came from the slot */
	for (size_t i = 0; i < r->n_out; i++) {
		struct uppp_pppoe_frame f;
		assert_int_equal(uppp_pppoe_parse(r->out[i].b, r->out[i].len, &f), 0);
		assert_int_equal(r->out[i].in_fb, f.ethertype == ETH_P_PPPOE_SESS);
	}
	fill_ip(want, sizeof(want), 1);
	memcpy(s->b + UPPP_FRAME_IP_OFFSET, want, sizeof(want));
	size_t n = r->n_out;
	assert_int_equal(uppp_ac_send_ip(r->ac, r->sess, s->b + UPPP_FRAME_IP_OFFSET, sizeof(want), r->now), 0);
	assert_int_equal(r->n_out, n + 1);
	assert_true(r->out[n].in_fb);
	expect_ip_frame(r, n, want, sizeof(want));

	/* a packet from elsewhere is copied into the slot */
	uint8_t other[60];
	fill_ip(other, sizeof(other), 99);
	assert_int_equal(uppp_ac_send_ip(r->ac, r->sess, other, sizeof(other), r->now), 0);
	assert_true(r->out[n + 1].in_fb);
	expect_ip_frame(r, n + 1, other, sizeof(other));

	/* an answer to the peer (LCP Echo-Reply) is built there too */
	uint8_t magic[4] = { 1, 2, 3, 4 };
	rp_cp(r, PPP_LCP, 9, 0x33, magic, sizeof(magic));
	assert_true(r->out[r->n_out - 1].in_fb);
	assert_non_null(rp_expect_ppp(r, PPP_LCP, 10, &n));

	for (size_t i = 0; i < sizeof(s->before); i++)
		assert_int_equal(s->before[i] | s->after[i], 0);
	rp_free(r);
	free(s);
}

/* No buffer from the host: the AC's own, and the packet is copied. */
static void without_a_slot_the_ac_builds_its_own(void **state)
{
	(void)state;
	struct rp *r = up_session(NULL);
	uint8_t ip[60];

	fill_ip(ip, sizeof(ip), 5);
	size_t n = r->n_out;
	assert_int_equal(uppp_ac_send_ip(r->ac, r->sess, ip, sizeof(ip), r->now), 0);
	assert_false(r->out[n].in_fb);
	expect_ip_frame(r, n, ip, sizeof(ip));
	rp_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ip_in_the_slot_is_framed_in_place),
		cmocka_unit_test(without_a_slot_the_ac_builds_its_own),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
