/* fuzz_pppoe.c — the PPPoE frame and discovery-tag parsers.
 *
 * Input: one Ethernet frame. Oracle: a discovery frame whose tags parse is
 * rebuilt from what the parser returned and parsed again; the second parse
 * must give the same tags (the parser and the builder agree). */
#include <string.h>

#include "fuzz_common.h"
#include "proto/pppoe.h"

static void same_tag(const struct uppp_pppoe_tag *a, const struct uppp_pppoe_tag *b)
{
	FUZZ_CHECK(a->present == b->present);
	if (a->present) {
		FUZZ_CHECK(a->len == b->len);
		FUZZ_CHECK(a->len == 0 || memcmp(a->p, b->p, a->len) == 0);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct uppp_pppoe_frame f, f2;
	struct uppp_pppoe_tags t, t2;
	struct uppp_pppoe_out o = { 0 };
	uint8_t out[UPPP_PPPOE_FRAME_MAX];
	char mac[UPPP_MAC_STR_LEN];
	int n;

	if (uppp_pppoe_parse(data, size, &f))
		return 0;
	FUZZ_CHECK((size_t)(f.payload - data) + f.payload_len <= size);
	uppp_mac_str(f.src, mac);
	FUZZ_CHECK(strlen(mac) == UPPP_MAC_STR_LEN - 1);
	FUZZ_CHECK(uppp_pppoe_code_name(f.code) != NULL);
	if (f.ethertype != ETH_P_PPPOE_DISC || uppp_pppoe_parse_tags(f.payload, f.payload_len, &t))
		return 0;
	FUZZ_CHECK(t.n_services <= UPPP_PPPOE_MAX_SERVICES);
	FUZZ_CHECK(t.service_name.present == (t.n_services > 0));
	(void)uppp_pppoe_tags_have_error(&t);

	o.services = t.services;
	o.n_services = t.n_services;
	o.ac_name = t.ac_name;
	o.host_uniq = t.host_uniq;
	o.cookie = t.cookie;
	o.relay_id = t.relay_id;
	o.service_name_error = t.service_name_error;
	o.ac_system_error = t.ac_system_error;
	o.generic_error = t.generic_error;
	n = uppp_pppoe_build_discovery(out, sizeof(out), f.code, f.dst, f.src, f.session_id, &o);
	if (n < 0)
		return 0;  /* cannot be bigger than what came in, but a builder may refuse */
	FUZZ_CHECK(uppp_pppoe_parse(out, (size_t)n, &f2) == 0);
	FUZZ_CHECK(f2.code == f.code && f2.session_id == f.session_id);
	FUZZ_CHECK(memcmp(f2.dst, f.dst, 6) == 0 && memcmp(f2.src, f.src, 6) == 0);
	FUZZ_CHECK(uppp_pppoe_parse_tags(f2.payload, f2.payload_len, &t2) == 0);
	FUZZ_CHECK(t2.n_services == t.n_services);
	for (size_t i = 0; i < t.n_services; i++)
		same_tag(&t.services[i], &t2.services[i]);
	same_tag(&t.service_name, &t2.service_name);
	same_tag(&t.ac_name, &t2.ac_name);
	same_tag(&t.host_uniq, &t2.host_uniq);
	same_tag(&t.cookie, &t2.cookie);
	same_tag(&t.relay_id, &t2.relay_id);
	same_tag(&t.service_name_error, &t2.service_name_error);
	same_tag(&t.ac_system_error, &t2.ac_system_error);
	same_tag(&t.generic_error, &t2.generic_error);
	return 0;
}
